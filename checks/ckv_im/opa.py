"""Evaluate the pack's Rego policies (``policies/``) on a Terraform plan or a CloudFormation template
with the embedded OPA.

``python -m ckv_im.opa plan.json`` (or ``template.json``, ``template.yaml``) prints
``data.incident_manager.deny`` as JSON (a sorted list of ``{"id", "severity", "resource",
"msg"}``) and exits 1 when there are findings, 0 when there are none and 2 when the input or
the policies cannot be read. It does what ``opa eval -d policies -i plan.json
'data.incident_manager.deny'`` does, for users without an ``opa`` binary: OPA itself runs
in-process, from the ``opa-golib-python-bindings`` package (see requirements-opa.txt and the
README). The policies tell plans and templates apart by their content; a YAML template is read
with CloudFormation's short-form tags in long form (as ``python -m ckv_im.cfn_json`` writes it),
which ``opa eval`` and conftest cannot do.

``--data FILE`` adds a JSON or YAML data document, e.g. the exceptions list
(``{"incident_manager": {"exceptions": [{"id", "resource", "reason"}]}}``, README).
Only files inside the given paths are read; nothing touches the network.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeAlias

DENY = "incident_manager.deny"
# The policies of a checkout: <repository>/policies beside checks/.
DEFAULT_POLICIES = Path(__file__).resolve().parent.parent.parent / "policies"
TEST_SUFFIX = "_test.rego"
# The embedded OPA is Go: an evaluation allocates a lot for a short while, and with Go's default
# GOGC=100 the collector takes a large share of it (on a 10,000-resource plan, about 40%). A
# short batch run can afford the memory of GOGC=400. Go reads GOGC from the environment the
# process started with, so the command restarts itself once with it set (a GOGC the user set wins).
GO_GC_PERCENT = "400"


class PolicyError(Exception):
    """The policies, the data or the input could not be loaded or evaluated."""


def rego_files(policies: Path, include_tests: bool = False) -> list[Path]:
    """Every .rego file under ``policies`` (the ``_test.rego`` ones only when asked), sorted."""
    return sorted(path for path in policies.rglob("*.rego") if include_tests or not path.name.endswith(TEST_SUFFIX))


# An opa_bindings.OpaEngine (the package ships no type information)
Engine: TypeAlias = Any


def engine(policies: Path = DEFAULT_POLICIES, data: Iterable[Any] = (), include_tests: bool = False) -> Engine:
    """An OPA engine with every policy under ``policies`` loaded and ``data`` documents merged in."""
    try:
        from opa_bindings import OpaEngine, OpaError
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise PolicyError(
            "the embedded OPA is not installed: pip install --no-deps --ignore-requires-python -r requirements-opa.txt"
        ) from error
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


def deny(opa: Engine, document: Any, trim: bool = True) -> list[dict]:
    """The findings of the policies on one input document, sorted by rule, resource and message.

    With ``trim`` (the default) a plan is first reduced to the resources the policies read
    (``trim_plan``): the same findings, at a fraction of the cost of handing OPA a large plan.
    Any other input (a CloudFormation template) is handed over as it is.
    """
    from opa_bindings import OpaError, OpaUndefinedError

    if trim and is_plan(document):
        document = trim_plan(document, read_types(opa))
    try:
        findings = opa.eval_document(DENY, input=document)
    except OpaUndefinedError:
        return []
    except OpaError as error:
        raise PolicyError(str(error)) from error
    return sorted(findings, key=lambda f: (_rule_number(f.get("id")), f.get("resource", ""), f.get("msg", "")))


# --- trimming a plan to what the policies read ----------------------------------------------------------
# The plan view indexes only resources of the types in data.incident_manager.lib.terraform.read_types
# (policies/lib/terraform.rego); every other resource is read by nothing. Leaving them out before the
# plan crosses into OPA saves converting them, which dominates the cost on large plans. The module
# tree, module calls and outputs, providers and variables stay as they are.

ReadTypes: TypeAlias = tuple[frozenset[str], tuple[str, ...]]


def is_plan(document: Any) -> bool:
    """A `terraform show -json` plan (the policies' own test is its format_version; this one only
    decides whether trimming applies)."""
    return isinstance(document, dict) and "format_version" in document and "Resources" not in document


def read_types(opa: Engine) -> ReadTypes:
    """(exact resource types, type prefixes) the policies read, from the policies themselves."""
    cached = getattr(opa, "_ckv_im_read_types", None)
    if cached is None:
        types = opa.eval_document("incident_manager.lib.terraform.read_types")
        cached = (frozenset(types["exact"]), tuple(types["prefixes"]))
        opa._ckv_im_read_types = cached
    return cached


def _is_read(resource_type: Any, types: ReadTypes) -> bool:
    exact, prefixes = types
    return isinstance(resource_type, str) and (resource_type in exact or resource_type.startswith(prefixes))


def _type_of_address(address: str) -> str:
    """The resource type of a configuration address, as the policies read it.

    `data.aws_region.x` -> aws_region, `aws_kms_key.k` -> aws_kms_key."""
    parts = address.split(".")
    return parts[1] if address.startswith("data.") and len(parts) > 1 else parts[0]


def trim_plan(document: Any, types: ReadTypes) -> Any:
    """A copy of a plan without the resources of types the policies do not read (anything else as is)."""
    if not isinstance(document, dict):
        return document
    trimmed = dict(document)
    if isinstance(document.get("planned_values"), dict):
        trimmed["planned_values"] = _trim_values(document["planned_values"], types)
    if isinstance(document.get("prior_state"), dict) and isinstance(document["prior_state"].get("values"), dict):
        trimmed["prior_state"] = {
            **document["prior_state"],
            "values": _trim_values(document["prior_state"]["values"], types),
        }
    if isinstance(document.get("resource_changes"), list):
        trimmed["resource_changes"] = [
            change
            for change in document["resource_changes"]
            if isinstance(change, dict) and _is_read(change.get("type"), types)
        ]
    if isinstance(document.get("configuration"), dict):
        trimmed["configuration"] = _trim_configuration(document["configuration"], types)
    return trimmed


def _trim_values(values: dict, types: ReadTypes) -> dict:
    """planned_values / prior_state.values: the module tree with only the resources read."""
    return _trim_module_tree(
        values,
        lambda resource: isinstance(resource, dict) and _is_read(resource.get("type"), types),
        _child_modules,
    )


def _trim_configuration(configuration: dict, types: ReadTypes) -> dict:
    """configuration: the module tree (calls, outputs, variables) with only the resources read."""
    return _trim_module_tree(
        configuration,
        lambda resource: (
            not isinstance(resource, dict)
            or not isinstance(resource.get("address"), str)
            or _is_read(_type_of_address(resource["address"]), types)
        ),
        _called_modules,
    )


def _trim_module_tree(
    tree: dict, keep: Callable[[Any], bool], children: Callable[[dict], list[tuple[Any, Any]]]
) -> dict:
    """A copy of a module tree (iterative, copying only what it changes) whose modules keep only the
    resources ``keep`` accepts; ``children`` copies a module's child containers and names them."""
    copy = dict(tree)
    stack: list[tuple[Any, Any]] = [(copy, "root_module")]  # (a dict and its key, or a list and its index)
    while stack:
        parent, key = stack.pop()
        module = parent[key] if isinstance(parent, list) else parent.get(key)
        if not isinstance(module, dict):
            continue
        module = parent[key] = dict(module)
        if isinstance(module.get("resources"), list):
            module["resources"] = [resource for resource in module["resources"] if keep(resource)]
        stack.extend(children(module))
    return copy


def _child_modules(module: dict) -> list[tuple[Any, Any]]:
    """planned_values / prior_state: child_modules, a list."""
    if not isinstance(module.get("child_modules"), list):
        return []
    children = module["child_modules"] = list(module["child_modules"])
    return [(children, index) for index in range(len(children))]


def _called_modules(module: dict) -> list[tuple[Any, Any]]:
    """configuration: module_calls, each call's module under "module"."""
    if not isinstance(module.get("module_calls"), dict):
        return []
    calls = module["module_calls"] = dict(module["module_calls"])
    for name, call in calls.items():
        if isinstance(call, dict):
            calls[name] = dict(call)
    return [(call, "module") for call in calls.values() if isinstance(call, dict)]


def _rule_number(rule_id: Any) -> int:
    try:
        return int(str(rule_id).rsplit("_", 1)[-1])
    except ValueError:
        return 0


def read_input(path: Path) -> Any:
    """The document to judge: JSON as it is; a YAML template with its short-form tags in long form."""
    if path.suffix in (".yaml", ".yml"):
        from ckv_im.cfn_json import ConversionError, load_template, plain

        try:
            return plain(load_template(path))
        except ConversionError as error:
            raise ValueError(str(error)) from error
    return _json_loads(path.read_bytes())


def read_document(path: Path) -> Any:
    """A JSON file, or YAML for .yaml / .yml files (data documents)."""
    if path.suffix in (".yaml", ".yml"):
        import yaml

        return yaml.safe_load(path.read_text(encoding="utf-8"))
    return _json_loads(path.read_bytes())


def _json_loads(data: bytes) -> Any:
    """orjson when installed (Checkov brings it; a large plan parses several times faster), else json."""
    try:
        import orjson
    except ImportError:
        return json.loads(data)
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:  # what orjson refuses and json reads (NaN, integers beyond 64 bits)
        return json.loads(data)


def restart_with_go_gc_percent(module: str) -> None:
    """Run `python -m module` again with GOGC set, unless it is set already (POSIX only: elsewhere
    os.execv would not keep the exit status). Call it before the embedded OPA is loaded."""
    if "GOGC" in os.environ or os.name != "posix":
        return
    os.execve(sys.executable, [sys.executable, "-m", module, *sys.argv[1:]], dict(os.environ, GOGC=GO_GC_PERCENT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ckv_im.opa", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "input",
        type=Path,
        help="a plan as `terraform show -json` prints it, or a CloudFormation template (JSON, or YAML)",
    )
    parser.add_argument(
        "--policies",
        type=Path,
        default=DEFAULT_POLICIES,
        help="the policies directory (default: policies/ of this checkout)",
    )
    parser.add_argument(
        "--data",
        type=Path,
        action="append",
        default=[],
        help="a JSON or YAML data document to merge in (e.g. exceptions); repeatable",
    )
    arguments = parser.parse_args(argv)
    try:
        document = read_input(arguments.input)
        data = [read_document(path) for path in arguments.data]
        findings = deny(engine(arguments.policies, data), document)
    except (OSError, ValueError, PolicyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    json.dump(findings, sys.stdout, indent=2)
    print()
    return 1 if findings else 0


if __name__ == "__main__":
    restart_with_go_gc_percent("ckv_im.opa")
    sys.exit(main())
