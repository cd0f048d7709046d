"""Evaluate the pack's Rego policies (``policies/``) on a Terraform plan with the embedded OPA.

``python -m ckv_im.opa plan.json`` prints ``data.incident_manager.deny`` as JSON (a sorted
list of ``{"id", "severity", "resource", "msg"}``) and exits 1 when there are findings, 0
when there are none and 2 when the plan or the policies cannot be read. It does what
``opa eval -d policies -i plan.json 'data.incident_manager.deny'`` does, for users without
an ``opa`` binary: OPA itself runs in-process, from the ``opa-golib-python-bindings``
package (see requirements-opa.txt and the README).

``--data FILE`` adds a JSON or YAML data document, e.g. the exceptions list
(``{"incident_manager": {"exceptions": [{"id", "resource", "reason"}]}}``, README).
Only files inside the given paths are read; nothing touches the network.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Iterable

DENY = "incident_manager.deny"
# The policies of a checkout: <repository>/policies beside checks/.
DEFAULT_POLICIES = Path(__file__).resolve().parent.parent.parent / "policies"
TEST_SUFFIX = "_test.rego"


class PolicyError(Exception):
    """The policies, the data or the input could not be loaded or evaluated."""


def rego_files(policies: Path, include_tests: bool = False) -> list[Path]:
    """Every .rego file under ``policies`` (the ``_test.rego`` ones only when asked), sorted."""
    return sorted(path for path in policies.rglob("*.rego")
                  if include_tests or not path.name.endswith(TEST_SUFFIX))


def engine(policies: Path = DEFAULT_POLICIES, data: Iterable[Any] = (), include_tests: bool = False):
    """An OPA engine with every policy under ``policies`` loaded and ``data`` documents merged in."""
    try:
        from opa_bindings import OpaEngine, OpaError
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise PolicyError("the embedded OPA is not installed: pip install --no-deps --ignore-requires-python "
                          "-r requirements-opa.txt") from error
    files = rego_files(policies, include_tests)
    if not files:
        raise PolicyError(f"no .rego files under {policies}")
    opa = OpaEngine()
    try:
        for path in files:
            opa.add_policy(path.relative_to(policies).as_posix(), path.read_text(encoding="utf-8"))
        for document in data:
            opa.add_data(document)
    except OpaError as error:
        raise PolicyError(str(error)) from error
    return opa


def deny(opa, document: Any) -> list[dict]:
    """The findings of the policies on one input document, sorted by rule, resource and message."""
    from opa_bindings import OpaError, OpaUndefinedError

    try:
        findings = opa.eval_document(DENY, input=document)
    except OpaUndefinedError:
        return []
    except OpaError as error:
        raise PolicyError(str(error)) from error
    return sorted(findings, key=lambda f: (_rule_number(f.get("id")), f.get("resource", ""), f.get("msg", "")))


def _rule_number(rule_id: Any) -> int:
    try:
        return int(str(rule_id).rsplit("_", 1)[-1])
    except ValueError:
        return 0


def read_document(path: Path) -> Any:
    """A JSON file, or YAML for .yaml / .yml files (data documents)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yaml", ".yml"):
        import yaml

        return yaml.safe_load(text)
    return json.loads(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ckv_im.opa", description=__doc__.split("\n\n")[0])
    parser.add_argument("plan", type=Path, help="a plan as `terraform show -json` prints it")
    parser.add_argument("--policies", type=Path, default=DEFAULT_POLICIES,
                        help="the policies directory (default: policies/ of this checkout)")
    parser.add_argument("--data", type=Path, action="append", default=[],
                        help="a JSON or YAML data document to merge in (e.g. exceptions); repeatable")
    arguments = parser.parse_args(argv)
    try:
        document = read_document(arguments.plan)
        data = [read_document(path) for path in arguments.data]
        findings = deny(engine(arguments.policies, data), document)
    except (OSError, ValueError, PolicyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    json.dump(findings, sys.stdout, indent=2)
    print()
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
