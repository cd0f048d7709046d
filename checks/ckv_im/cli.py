"""``ckv-im``: the pack's console command, one install for every engine.

- ``ckv-im [checkov arguments]`` runs Checkov with the pack's checks: it adds
  ``--external-checks-dir`` (the pack's checks directory), ``--check CKV_IM_*`` unless the
  arguments name checks themselves (``--check``, or ``--all-checks`` to keep Checkov's built-in
  checks too) and ``--skip-download`` unless ``--download`` is given (the pack needs nothing
  from the network; without it an offline runner prints a long traceback first).
- ``ckv-im --version`` prints the pack's version (set in setup.cfg only) and Checkov's and cfn-lint's.
- ``ckv-im --checks-dir`` prints the checks directory, for those who call Checkov themselves:
  ``checkov --external-checks-dir "$(ckv-im --checks-dir)" ...``; ``--policies-dir`` the Rego policies.
- With ``--repo-root-for-plan-enrichment``, SARIF names the .tf file of a plan finding
  (``point_plan_findings_at_sources``).
- ``ckv-im cfn-lint TEMPLATE... [cfn-lint arguments]`` runs cfn-lint with the pack's rules
  (``--append-rules``, placed last so that it swallows no template) and ``--include-checks I``
  unless the arguments choose (the LOW rule CKV_IM_13 is informational there).
- ``ckv-im opa PLAN [--data FILE]`` runs the Rego policies on a plan with the embedded OPA
  (``python -m ckv_im.opa``), which is installed apart from the pack (see ``OPA_MISSING``).

The checks and policies are found beside this library in a checkout (``checks/``, ``policies/``)
and as the ``ckv_im_checks`` and ``ckv_im_policies`` packages of an installed wheel (setup.cfg).
"""

from __future__ import annotations

import configparser
import importlib.metadata
import importlib.util
import itertools
import sys
from collections.abc import Sequence
from pathlib import Path

from ckv_im import opa

# A checkout: checks/ckv_im/cli.py, checks/terraform/..., policies/ beside checks/.
_CHECKOUT_CHECKS = Path(__file__).resolve().parent.parent
_CHECKOUT_MARKER = Path("terraform") / "CKV_IM_1_symmetric_key.py"
DISTRIBUTION = "checkov-incident-manager"
ALL_CHECKS = "--all-checks"
DOWNLOAD = "--download"
OPA_MISSING = (
    "ckv-im opa needs the embedded OPA, which pip does not install with the pack (its metadata asks for "
    "Python >= 3.14, although it runs on 3.11 and newer). Install it on its own:\n"
    "  pip install --no-deps --ignore-requires-python opa-golib-python-bindings==0.4.4\n"
    'or run the policies with an opa binary: opa eval -d "$(ckv-im --policies-dir)" -i plan.json '
    "'data.incident_manager.deny'"
)


def _installed_package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"ckv-im: the {package} package is missing: reinstall the pack")
    return Path(next(iter(spec.submodule_search_locations)))


def checks_dir() -> Path:
    """The directory to give Checkov as --external-checks-dir (terraform/, cloudformation/, cfn_lint/)."""
    if (_CHECKOUT_CHECKS / _CHECKOUT_MARKER).is_file():
        return _CHECKOUT_CHECKS
    return _installed_package_dir("ckv_im_checks")


def policies_dir() -> Path:
    """The Rego policies (main.rego, lib/, one file per rule)."""
    if (_CHECKOUT_CHECKS / _CHECKOUT_MARKER).is_file():
        return _CHECKOUT_CHECKS.parent / "policies"
    return _installed_package_dir("ckv_im_policies")


def pack_version() -> str:
    """The version of setup.cfg: from the installed metadata, or from setup.cfg itself in a checkout."""
    setup_cfg = _CHECKOUT_CHECKS.parent / "setup.cfg"
    if (_CHECKOUT_CHECKS / _CHECKOUT_MARKER).is_file() and setup_cfg.is_file():
        config = configparser.ConfigParser()
        config.read(setup_cfg, encoding="utf-8")
        return config["metadata"]["version"]
    return importlib.metadata.version(DISTRIBUTION)


def _version_of(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def versions() -> str:
    return f"ckv-im {pack_version()} (checkov {_version_of('checkov')}, cfn-lint {_version_of('cfn-lint')})"


def checkov_arguments(arguments: Sequence[str]) -> list[str]:
    """The user's Checkov arguments with the pack's checks and defaults added (ckv-im's own options removed)."""
    passed = [argument for argument in arguments if argument not in (ALL_CHECKS, DOWNLOAD)]
    added = ["--external-checks-dir", str(checks_dir())]
    names_checks = any(argument == "--check" or argument.startswith("--check=") for argument in passed)
    if not names_checks and ALL_CHECKS not in arguments:
        added += ["--check", "CKV_IM_*"]
    if DOWNLOAD not in arguments:
        added.append("--skip-download")
    return [*passed, *added]


def cfn_lint_arguments(arguments: Sequence[str]) -> list[str]:
    """The user's cfn-lint arguments, then the pack's rules (last: --append-rules takes several values)."""
    added = [] if any(argument.startswith("--include-checks") for argument in arguments) else ["--include-checks", "I"]
    return [*arguments, *added, "--append-rules", str(checks_dir() / "cfn_lint")]


def run_checkov(arguments: Sequence[str]) -> int:
    from checkov.main import Checkov

    point_plan_findings_at_sources(option_values(arguments, "--repo-root-for-plan-enrichment"))
    return Checkov(argv=checkov_arguments(arguments)).run() or 0


def option_values(arguments: Sequence[str], option: str) -> list[str]:
    """Every value of an option given as ``--option VALUE`` or ``--option=VALUE``."""
    values = [argument.split("=", 1)[1] for argument in arguments if argument.startswith(option + "=")]
    values += [value for argument, value in itertools.pairwise(arguments) if argument == option]
    return values


def point_plan_findings_at_sources(enrichment_roots: Sequence[str]) -> None:
    """Make SARIF name the .tf file of a plan finding that --repo-root-for-plan-enrichment points back.

    Checkov's enrichment moves such a finding to its resource block in the .tf file (file_path, lines,
    code) but leaves repo_file_path, which its SARIF output uses as the location's URI, on the plan:
    the annotation would land on the .tf lines of plan.json. This completes the move; plain
    ``checkov`` keeps the plan's URI (docs: README, "Pull-request annotations").
    """
    from checkov.common.output.report import Report

    enrich = getattr(Report, "enrich_plan_report", None)
    if not enrichment_roots or enrich is None:
        return
    roots = [Path(root) for root in enrichment_roots]

    def enrich_plan_report(report, enriched_resources):
        report = enrich(report, enriched_resources)
        for record in report.failed_checks:
            resource = enriched_resources.get(Report.get_plan_resource_raw_id(record.resource))
            source = resource and _enrichment_source(resource.get("scanned_file"), roots)
            if source is not None:
                record.repo_file_path = "/" + source
        return report

    Report.enrich_plan_report = staticmethod(enrich_plan_report)  # type: ignore[method-assign]


def _enrichment_source(scanned_file: object, roots: Sequence[Path]) -> str | None:
    """The .tf file (relative to the enrichment root it was found under) as a path from the working directory."""
    if not isinstance(scanned_file, str):
        return None
    for root in roots:
        source = (root / scanned_file).resolve()
        if source.is_file():
            try:
                return source.relative_to(Path.cwd().resolve()).as_posix()
            except ValueError:  # outside the working directory: Checkov's own form, an absolute path
                return source.as_posix().lstrip("/")
    return None


def run_cfn_lint(arguments: Sequence[str]) -> int:
    from cfnlint.runner import main

    sys.argv = ["cfn-lint", *cfn_lint_arguments(arguments)]  # cfn-lint reads its arguments from sys.argv
    try:
        main()
    except SystemExit as exit_:  # cfn-lint exits with its own status
        return exit_.code if isinstance(exit_.code, int) else 1
    return 0


def run_opa(arguments: Sequence[str]) -> int:
    if importlib.util.find_spec("opa_bindings") is None:
        print(OPA_MISSING, file=sys.stderr)
        return 2
    own_policies = "--policies" in arguments or any(argument.startswith("--policies=") for argument in arguments)
    return opa.main([*arguments, *([] if own_policies else ["--policies", str(policies_dir())])])


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["--version"]:
        print(versions())
        return 0
    if arguments[:1] == ["--checks-dir"]:
        print(checks_dir())
        return 0
    if arguments[:1] == ["--policies-dir"]:
        print(policies_dir())
        return 0
    if arguments[:1] == ["cfn-lint"]:
        return run_cfn_lint(arguments[1:])
    if arguments[:1] == ["opa"]:
        if argv is None:  # the console command: restart once with Go's collector tuned (ckv_im.opa)
            opa.restart_with_go_gc_percent("ckv_im.cli")
        return run_opa(arguments[1:])
    return run_checkov(arguments)


if __name__ == "__main__":
    sys.exit(main())
