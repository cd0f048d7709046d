"""Real Terraform plan fixtures: ``fixtures/terraform_plan/<name>/plan.json``.

For every ``fixtures/terraform/<name>/`` root module that hashicorp/aws 5.100.0 can plan
offline, this makes a real plan and writes what ``terraform show -json`` prints: in a
temporary copy of the fixture (its ``terraform.tfstate``, if any, comes along as the prior
state), with an override file that gives every ``provider "aws"`` block fake static
credentials, ``terraform init -plugin-dir=<offline mirror>``, ``terraform plan
-refresh=false -input=false -lock=false -out=tfplan``, ``terraform show -json tfplan``.
The JSON is written with ``indent=2``, without its ``timestamp`` key and with
``relevant_attributes`` sorted (``normalise``), so making the plans twice gives
byte-identical files. Plans are never written by hand.

A full run also makes ``examples/terraform_plan/plan.json``, the plan of ``examples/terraform``
that ``scripts/example`` gives the Rego policies.

The fixtures that cannot be planned offline are listed, with the reason and the error
Terraform gives, in ``SKIPPED``; the script still tries them and fails when one of them
plans or fails otherwise (and when a fixture not listed there fails), so that list stays
true.

Usage (``scripts/make-plan-fixtures`` runs this in the project's virtual environment)::

    scripts/make-plan-fixtures                 # regenerate every plan fixture
    scripts/make-plan-fixtures region_compliant  # only these fixtures
    scripts/make-plan-fixtures --check         # compare with the committed plans, write nothing
    scripts/make-plan-fixtures --out DIR       # write the plans under DIR instead

The provider mirror (a directory holding ``registry.terraform.io/hashicorp/aws/...``)
comes from ``CKV_IM_TF_PLUGIN_MIRROR`` or is discovered under the usual install roots.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE_FIXTURES = REPO_ROOT / "fixtures" / "terraform"
PLAN_FIXTURES = REPO_ROOT / "fixtures" / "terraform_plan"
PLAN_FILE = "plan.json"
EXAMPLE_MODULE = REPO_ROOT / "examples" / "terraform"
EXAMPLE_PLAN = REPO_ROOT / "examples" / "terraform_plan" / PLAN_FILE

MIRROR_ENV = "CKV_IM_TF_PLUGIN_MIRROR"
PROVIDER = "registry.terraform.io/hashicorp/aws"
PROVIDER_VERSION = "5.100.0"
_SEARCH_ROOTS = ("/opt", "/usr/local/share", "/usr/share", "~/.terraform.d", "~/.local/share")
_PROVIDER_GLOB = "registry.terraform.io/hashicorp/aws/*/*/terraform-provider-aws_*"
OVERRIDE_FILE = "ckv_im_fake_credentials_override.tf"
TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class Skip:
    reason: str
    error: str  # the part of Terraform's error output that shows the reason


# The fixtures that get no plan, and why: each was tried, and ``error`` is from Terraform's
# own error on it. A full run tries them again and fails when one of them plans, or fails
# without that error.
SKIPPED: dict[str, Skip] = {
    # provider v6 syntax: only hashicorp/aws 5.100.0 is mirrored, so the v6 plan path is untested
    "region_v6_region_argument_mismatch": Skip(
        "provider v6 syntax (the resource-level `region` argument): it requires hashicorp/aws ~> 6.0, "
        "and `terraform init` finds no such release in the 5.100.0 mirror",
        "no available releases match the given constraints ~> 6.0",
    ),
    "region_v6_regions_blocks": Skip(
        "provider v6 syntax (`regions` blocks): it requires hashicorp/aws ~> 6.0, and `terraform init` "
        "finds no such release in the 5.100.0 mirror",
        "no available releases match the given constraints ~> 6.0",
    ),
    "region_dynamic_blocks_v6_regions": Skip(
        'provider v6 syntax (`dynamic "regions"` blocks, the resource-level `region` argument): it requires '
        "hashicorp/aws ~> 6.0, and `terraform init` finds no such release in the 5.100.0 mirror",
        "no available releases match the given constraints ~> 6.0",
    ),
    # wrong on purpose, in a way the provider itself rejects (fixtures/README.md)
    "ref_literal_identifiers": Skip(
        "wrong on purpose: the provider rejects the literal alias ARN in `kms_key_arn`", "Error: Invalid kms_key_arn"
    ),
    "ref_literal_key_id": Skip(
        "wrong on purpose: the provider rejects the literal key ID in `kms_key_arn`", "Error: Invalid kms_key_arn"
    ),
    "policy_malformed_json": Skip(
        "wrong on purpose: the provider rejects the invalid JSON key policy", 'Error: "policy" contains an invalid JSON'
    ),
    # data sources that need AWS
    "policy_caller_identity_principal": Skip(
        "reads `data.aws_caller_identity`, which needs AWS (STS GetCallerIdentity)",
        "Error: reading STS Caller Identity",
    ),
    "region_module_for_each": Skip(
        "its key module reads `data.aws_caller_identity`, which needs AWS (STS GetCallerIdentity)",
        "Error: reading STS Caller Identity",
    ),
    "region_nested_modules": Skip(
        "its key module reads `data.aws_caller_identity`, which needs AWS (STS GetCallerIdentity)",
        "Error: reading STS Caller Identity",
    ),
    "region_data_source_unresolved": Skip(
        "reads `data.aws_ssm_parameter`, which needs AWS (SSM GetParameter)",
        "Error: reading SSM Parameter (/incident-manager/secondary-region)",
    ),
    "ref_data_source_key": Skip(
        "reads `data.aws_kms_key`, which needs AWS (KMS DescribeKey)", "Error: reading KMS Key (alias/incident-manager)"
    ),
    # values the fixture leaves unset on purpose; the script invents none
    "region_provider_from_environment": Skip(
        "the provider Region comes from AWS_REGION, which the script does not set", "Error: invalid AWS Region"
    ),
    "region_provider_unresolved": Skip(
        "a variable without a value (`secondary_region`, a provider Region)",
        'The root module input variable "secondary_region" is not set',
    ),
    "ref_unresolved_key_variable": Skip(
        "a variable without a value (`secondary_key_arn`)",
        'The root module input variable "secondary_key_arn" is not set',
    ),
    "policy_unresolved_variable": Skip(
        "a variable without a value (`key_policy`)", 'The root module input variable "key_policy" is not set'
    ),
    "region_dynamic_blocks_unresolved": Skip(
        "a variable without a value (`replica_regions`, the for_each of a dynamic block)",
        'The root module input variable "replica_regions" is not set',
    ),
}

_FAKE_PROVIDER = """provider "aws" {{
{alias}  access_key                  = "AKIAIOSFODNN7EXAMPLE"
  secret_key                  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}}
"""


class PlanError(Exception):
    """Terraform could not plan a fixture; the message carries Terraform's error output."""


@dataclass
class Result:
    name: str
    plan: dict | None = None
    error: str | None = None


# --- the tools -------------------------------------------------------------------------


def terraform_binary() -> str | None:
    return shutil.which("terraform")


def provider_mirror() -> Path | None:
    """The offline mirror root: CKV_IM_TF_PLUGIN_MIRROR, else the first install root holding
    hashicorp/aws (preferably PROVIDER_VERSION) a few levels down."""
    configured = os.environ.get(MIRROR_ENV)
    if configured:
        return Path(configured)
    found = []
    for root in _SEARCH_ROOTS:
        base = Path(root).expanduser()
        if not base.is_dir():
            continue
        for depth in range(4):  # the mirror root sits a few levels below an install root
            pattern = "/".join(["*"] * depth + [_PROVIDER_GLOB])
            found += sorted(base.glob(pattern))
    for binary in sorted(found, key=lambda path: f"/aws/{PROVIDER_VERSION}/" not in str(path)):
        return Path(str(binary).split("/registry.terraform.io/")[0])
    return None


def terraform_version() -> str | None:
    terraform = terraform_binary()
    if terraform is None:
        return None
    shown = subprocess.run(
        [terraform, "version", "-json"], capture_output=True, text=True, timeout=60, env=_environment(None), check=False
    )
    return json.loads(shown.stdout)["terraform_version"] if shown.returncode == 0 else None


def missing_tools() -> str | None:
    """Why plans cannot be made here, or None."""
    if terraform_binary() is None:
        return "the terraform binary is not on PATH"
    mirror = provider_mirror()
    if mirror is None:
        return f"no offline hashicorp/aws provider mirror found (set {MIRROR_ENV})"
    if not (mirror / PROVIDER / PROVIDER_VERSION).is_dir():
        return f"the provider mirror {mirror} has no hashicorp/aws {PROVIDER_VERSION}"
    return None


# --- one fixture -----------------------------------------------------------------------


def source_fixtures() -> list[str]:
    return sorted(path.name for path in SOURCE_FIXTURES.iterdir() if path.is_dir())


def aws_provider_aliases(directory: Path) -> list[str | None]:
    """The ``provider "aws"`` blocks of one module directory: None for the default one, else its alias.

    A module's ``configuration_aliases`` need no block of their own: the calling module
    hands them one of its provider blocks, which gets the credentials there.
    """
    import hcl2  # python-hcl2, installed with Checkov

    aliases: list[str | None] = []
    for path in sorted(directory.glob("*.tf")):
        try:
            parsed = hcl2.loads(path.read_text(encoding="utf-8"))
        except Exception as error:  # python-hcl2 raises lark's parse errors, among others
            raise PlanError(f"cannot read the provider blocks of {path.name}: {error}") from error
        for block in parsed.get("provider", []):
            if "aws" in block:
                alias = block["aws"].get("alias")
                aliases.append(_single(alias) if alias is not None else None)
    return aliases


def _single(value):
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def fake_credentials_override(aliases: list[str | None]) -> str:
    blocks = [
        _FAKE_PROVIDER.format(alias=f'  alias                       = "{alias}"\n' if alias else "")
        for alias in aliases
    ]
    return "\n".join(blocks)


def write_overrides(module_copy: Path) -> None:
    """An override file in every directory of the copy that has ``provider "aws"`` blocks."""
    for directory in sorted({path.parent for path in module_copy.rglob("*.tf")}):
        if ".terraform" in directory.relative_to(module_copy).parts:
            continue
        aliases = aws_provider_aliases(directory)
        if aliases:
            (directory / OVERRIDE_FILE).write_text(fake_credentials_override(aliases), encoding="utf-8")


def _environment(work: Path | None) -> dict[str, str]:
    """The caller's environment without AWS_* and TF_* settings that would change a plan."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "TF_"))}
    environment.update(TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1", AWS_EC2_METADATA_DISABLED="true")
    if work is not None:
        empty = work / "empty.config"
        empty.touch()
        environment.update(
            TF_CLI_CONFIG_FILE=str(empty), AWS_CONFIG_FILE=str(empty), AWS_SHARED_CREDENTIALS_FILE=str(empty)
        )
    return environment


def _terraform(arguments: list[str], cwd: Path, environment: dict[str, str]) -> str:
    completed = subprocess.run(
        [terraform_binary(), *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=environment,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    if completed.returncode != 0:
        raise PlanError(f"terraform {arguments[0]} failed:\n{completed.stderr.strip() or completed.stdout.strip()}")
    return completed.stdout


def plan_module(root_module: Path, work: Path) -> dict:
    """The JSON plan of a copy of ``root_module`` made under ``work``, normalised (see ``normalise``)."""
    copy = work / root_module.name
    shutil.copytree(
        root_module, copy, ignore=shutil.ignore_patterns(".terraform", ".terraform.lock.hcl", "tfplan", PLAN_FILE)
    )
    return plan_initialised_module(copy, initialise_module(copy, work))


def plan_initialised_module(module: Path, environment: dict[str, str]) -> dict:
    """The normalised JSON plan of a module ``initialise_module`` prepared."""
    _terraform(
        ["plan", "-input=false", "-no-color", "-refresh=false", "-lock=false", "-out=tfplan"], module, environment
    )
    return normalise(json.loads(_terraform(["show", "-json", "-no-color", "tfplan"], module, environment)))


def initialise_module(module: Path, work: Path) -> dict[str, str]:
    """Fake credentials and ``terraform init`` from the offline mirror, in ``module`` itself.

    Returns the environment to run Terraform in there (its empty config files live in ``work``):
    any ``terraform plan`` then runs offline.
    """
    write_overrides(module)
    environment = _environment(work)
    _terraform(
        ["init", "-input=false", "-no-color", "-backend=false", f"-plugin-dir={provider_mirror()}"], module, environment
    )
    selections = json.loads(_terraform(["version", "-json"], module, environment)).get("provider_selections", {})
    if selections.get(PROVIDER) != PROVIDER_VERSION:
        raise PlanError(f"terraform selected {PROVIDER} {selections.get(PROVIDER)}, not {PROVIDER_VERSION}")
    return environment


def normalise(plan: dict) -> dict:
    """What makes two plans of the same fixture differ, taken out: the ``timestamp``, and the order
    of ``relevant_attributes`` (a set, which Terraform prints in map order: it changes between runs)."""
    plan.pop("timestamp", None)
    if isinstance(plan.get("relevant_attributes"), list):
        plan["relevant_attributes"].sort(
            key=lambda item: (str(item.get("resource")), json.dumps(item.get("attribute")))
        )
    return plan


def plan_fixture(name: str) -> Result:
    return _plan_directory(name, SOURCE_FIXTURES / name)


def plan_example() -> Result:
    """The plan of examples/terraform (scripts/example evaluates the Rego policies on it)."""
    return _plan_directory("example", EXAMPLE_MODULE)


def _plan_directory(name: str, root_module: Path) -> Result:
    with tempfile.TemporaryDirectory(prefix=f"ckv-im-plan-{name}-") as work:
        try:
            return Result(name, plan=plan_module(root_module, Path(work)))
        except (PlanError, subprocess.TimeoutExpired) as error:
            return Result(name, error=str(error))


def plan_fixtures(names: list[str], jobs: int | None = None) -> dict[str, Result]:
    """Plan the named fixtures, ``jobs`` at a time (each Terraform runs in its own directory)."""
    with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 2) as pool:
        return {result.name: result for result in pool.map(plan_fixture, names)}


def skip_problem(name: str, result: Result) -> str | None:
    """Why a fixture listed in SKIPPED is not skipped for its reason (it planned, or failed otherwise)."""
    if result.plan is not None:
        return f"{name}: listed in SKIPPED but Terraform planned it: remove it from SKIPPED and commit its plan"
    if SKIPPED[name].error not in " ".join((result.error or "").split()):
        return f"{name}: listed in SKIPPED ({SKIPPED[name].reason}) but failed otherwise:\n{result.error}"
    return None


def render(plan: dict) -> str:
    return json.dumps(plan, indent=2, sort_keys=False) + "\n"


def committed_plans() -> list[str]:
    return sorted(path.parent.name for path in PLAN_FIXTURES.glob(f"*/{PLAN_FILE}"))


# --- the command -----------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Regenerate fixtures/terraform_plan/<name>/plan.json "
        "from fixtures/terraform/<name>/ with real offline plans."
    )
    parser.add_argument("names", nargs="*", help="fixture names (default: every fixtures/terraform directory)")
    parser.add_argument("--check", action="store_true", help="compare with the committed plans; write nothing")
    parser.add_argument("--out", type=Path, default=PLAN_FIXTURES, help="where to write <name>/plan.json")
    parser.add_argument("--jobs", "-j", type=int, default=None, help="plans run at a time (default: CPUs)")
    arguments = parser.parse_args(argv)

    why_not = missing_tools()
    if why_not:
        print(f"cannot make plans: {why_not}", file=sys.stderr)
        return 2
    unknown = sorted(set(arguments.names) - set(source_fixtures()))
    if unknown:
        print(f"no such fixture under {SOURCE_FIXTURES}: {', '.join(unknown)}", file=sys.stderr)
        return 2
    names = arguments.names or source_fixtures()
    print(
        f"planning {len(names)} fixtures with Terraform {terraform_version()} and "
        f"hashicorp/aws {PROVIDER_VERSION} from {provider_mirror()}"
    )
    results = plan_fixtures(names, arguments.jobs)

    problems = []
    written, differ = [], []
    for name in names:
        result = results[name]
        if name in SKIPPED:
            problem = skip_problem(name, result)
            if problem:
                problems.append(problem)
            continue
        if result.plan is None:
            problems.append(f"{name}: {result.error}")
            continue
        target = arguments.out / name / PLAN_FILE
        text = render(result.plan)
        if arguments.check:
            if not target.is_file() or json.loads(target.read_text(encoding="utf-8")) != result.plan:
                differ.append(name)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(name)

    if not arguments.names:  # a full run: plans without a plannable source fixture are stale
        planned = {name for name in names if name not in SKIPPED}
        for stale in sorted(
            path.parent for path in arguments.out.glob(f"*/{PLAN_FILE}") if path.parent.name not in planned
        ):
            if arguments.check:
                differ.append(f"{stale.name} (stale)")
            else:
                (stale / PLAN_FILE).unlink()
                if not any(stale.iterdir()):
                    stale.rmdir()
                print(f"removed stale {stale / PLAN_FILE}")

    if not arguments.names and arguments.out == PLAN_FIXTURES:  # a full run: the example's plan too
        problem = _write_or_check_example(arguments.check)
        if problem:
            (differ if arguments.check else problems).append(problem)

    if written:
        print(f"wrote {len(written)} plans under {arguments.out}: {', '.join(written)}")
    skipped = [name for name in names if name in SKIPPED]
    if skipped:
        print(f"skipped {len(skipped)} fixtures (no plan):")
        for name in skipped:
            print(f"  {name}: {SKIPPED[name].reason}")
    if arguments.check:
        checked = len([name for name in names if name not in SKIPPED])
        print(
            f"plans differ from the ones under {arguments.out}: " + ", ".join(differ)
            if differ
            else f"the {checked} committed plans checked are what Terraform makes"
        )
    for problem in problems:
        print(f"ERROR {problem}", file=sys.stderr)
    return 1 if problems or differ else 0


def _write_or_check_example(check: bool) -> str | None:
    result = plan_example()
    if result.plan is None:
        return f"examples/terraform: {result.error}"
    if check:
        same = EXAMPLE_PLAN.is_file() and json.loads(EXAMPLE_PLAN.read_text(encoding="utf-8")) == result.plan
        return None if same else str(EXAMPLE_PLAN.relative_to(REPO_ROOT))
    EXAMPLE_PLAN.parent.mkdir(parents=True, exist_ok=True)
    EXAMPLE_PLAN.write_text(render(result.plan), encoding="utf-8")
    print(f"wrote {EXAMPLE_PLAN.relative_to(REPO_ROOT)}")
    return None


if __name__ == "__main__":
    sys.exit(main())
