"""The rule library's modules import only downwards, and no import cycle exists.

Layers, top to bottom (a module may import from its own layer and the layers below):

  check files        checks/terraform/, checks/cloudformation/, checks/cfn_lint/ (one rule ID each)
  engine shells      checkov_*, cfn_lint_shell, engine_shell, model_cache, opa*, cfn_json, cli
  catalogue          the rule registry
  adapters           terraform_*, plan_*, cloudformation_*, and the Terraform pieces HCL and plans share
  rules and matchers rules, iam_policy, sensitive_text, arns
  model              the normalised resource view

Among the adapters, each input format keeps to its own modules and the shared Terraform
pieces: the plan adapter does not depend on the HCL adapter, nor the CloudFormation adapter
on either. No adapter depends on the rules or the policy matcher: it only builds the model.
The imports are read with ``ast``, so a test run does not import any module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CHECKS_DIR = Path(__file__).resolve().parents[2] / "checks"
LIBRARY_DIR = CHECKS_DIR / "ckv_im"
CHECK_FILE_DIRS = ("terraform", "cloudformation", "cfn_lint")

LAYERS = ("check files", "engine shells", "catalogue", "adapters", "rules and matchers", "model")
SHELLS = {
    "checkov_check",
    "checkov_terraform",
    "checkov_cloudformation",
    "cfn_lint_shell",
    "engine_shell",
    "model_cache",
    "cfn_json",  # writes templates as long-form JSON for the Rego policies
    "cli",  # the ckv-im console command: runs Checkov, cfn-lint or ckv_im.opa
}
RULES_AND_MATCHERS = {"rules", "iam_policy", "sensitive_text", "arns"}
# Terraform syntax, types and value readers that the HCL and plan adapters share.
SHARED_TERRAFORM = {"terraform_types", "rendered_values", "policy_json", "hcl_expressions"}
RULE_SEMANTICS = {"rules", "iam_policy", "sensitive_text"}  # what no adapter may know


def layer_of(module: str) -> str | None:
    name = module.removeprefix("ckv_im.")
    if not module.startswith("ckv_im."):
        return "check files"
    if name in SHELLS or name.startswith("opa"):
        return "engine shells"
    if name == "catalogue":
        return "catalogue"
    if adapter_family(module) is not None:
        return "adapters"
    if name in RULES_AND_MATCHERS:
        return "rules and matchers"
    if name == "model":
        return "model"
    return None


def adapter_family(module: str) -> str | None:
    """Which input format an adapter module serves: terraform (HCL), plan, cloudformation, or shared terraform."""
    name = module.removeprefix("ckv_im.")
    if name in SHARED_TERRAFORM:
        return "shared terraform"
    if name.startswith("terraform_"):
        return "terraform"
    if name.startswith("plan_"):
        return "plan"
    if name.startswith("cloudformation_"):
        return "cloudformation"
    return None


# Which adapter families each family may import.
ALLOWED_FAMILIES = {
    "terraform": {"terraform", "shared terraform"},
    "plan": {"plan", "shared terraform"},
    "cloudformation": {"cloudformation"},
    "shared terraform": {"shared terraform"},
}


def library_modules() -> dict[str, Path]:
    modules = {f"ckv_im.{path.stem}": path for path in sorted(LIBRARY_DIR.glob("*.py"))}
    for directory in CHECK_FILE_DIRS:
        modules.update(
            {
                f"{directory}.{path.stem}": path
                for path in sorted((CHECKS_DIR / directory).glob("*.py"))
                if path.stem != "__init__"
            }
        )
    return modules


def imported_modules(path: Path) -> set[str]:
    """The ckv_im modules a file imports (``from ckv_im import rules`` counts as ``ckv_im.rules``)."""
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names if alias.name.startswith("ckv_im.")}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "ckv_im":
                imported |= {f"ckv_im.{alias.name}" for alias in node.names}
            elif node.module.startswith("ckv_im."):
                imported.add(node.module)
    return imported


MODULES = library_modules()
IMPORTS = {module: imported_modules(path) for module, path in MODULES.items()}


def test_the_import_graph_is_read():
    assert len(MODULES) > 30 and sum(len(targets) for targets in IMPORTS.values()) > 100
    assert "ckv_im.model" in IMPORTS["ckv_im.rules"]
    assert "ckv_im.cfn_lint_shell" in IMPORTS["cfn_lint.CKV_IM_3_key_region"]


def test_every_module_has_a_layer():
    unplaced = sorted(module for module in MODULES if layer_of(module) is None)
    assert not unplaced, f"place these modules in a layer of tests/pack/test_module_layers.py: {unplaced}"
    assert {layer_of(module) for module in MODULES} == set(LAYERS)


def upward_imports(imports: dict[str, set[str]]) -> list[str]:
    return [
        f"{module} ({layer_of(module)}) imports {target} ({layer_of(target)})"
        for module, targets in imports.items()
        for target in sorted(targets)
        if LAYERS.index(layer_of(target) or "") < LAYERS.index(layer_of(module) or "")
    ]


def format_crossings(imports: dict[str, set[str]]) -> list[str]:
    crossings = []
    for module, targets in imports.items():
        family = adapter_family(module)
        for target in sorted(targets) if family else ():
            target_family = adapter_family(target)
            if target_family and target_family not in ALLOWED_FAMILIES[family or ""]:
                crossings.append(f"{module} ({family}) imports {target} ({target_family})")
    return crossings


def adapters_knowing_the_rules(imports: dict[str, set[str]]) -> list[str]:
    return [
        f"{module} imports {target}"
        for module, targets in imports.items()
        if adapter_family(module)
        for target in sorted(targets & {f"ckv_im.{name}" for name in RULE_SEMANTICS})
    ]


def test_modules_import_only_downwards():
    missing = [
        f"{module} imports {target}, which is not a module"
        for module, targets in IMPORTS.items()
        for target in sorted(targets)
        if target not in MODULES
    ]
    violations = missing + upward_imports(IMPORTS)
    assert not violations, "\n".join(violations)


def test_each_adapter_keeps_to_its_input_format():
    crossings = format_crossings(IMPORTS)
    assert not crossings, "\n".join(crossings)


def test_no_adapter_knows_the_rules_or_the_policy_matcher():
    knowing = adapters_knowing_the_rules(IMPORTS)
    assert not knowing, "\n".join(knowing)


def test_violations_are_listed():
    """The checks above list what they find: an import upwards, across formats, into the rule semantics."""
    imports = {
        "ckv_im.model": {"ckv_im.catalogue"},
        "ckv_im.plan_keys": {"ckv_im.terraform_resolver"},
        "ckv_im.cloudformation_values": {"ckv_im.iam_policy", "ckv_im.model"},
        "ckv_im.rules": {"ckv_im.model"},
    }
    assert upward_imports(imports) == ["ckv_im.model (model) imports ckv_im.catalogue (catalogue)"]
    assert format_crossings(imports) == ["ckv_im.plan_keys (plan) imports ckv_im.terraform_resolver (terraform)"]
    assert adapters_knowing_the_rules(imports) == ["ckv_im.cloudformation_values imports ckv_im.iam_policy"]


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle (its modules in order, the first repeated at the end), or None."""
    state: dict[str, str] = {}  # "open" while on the DFS path, "done" when fully explored
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        path.append(module)
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "open":
                return [*path[path.index(target) :], target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state:
            cycle = visit(module)
            if cycle:
                return cycle
    return None


def test_no_import_cycle():
    cycle = find_cycle({module: targets & set(MODULES) for module, targets in IMPORTS.items()})
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


@pytest.mark.parametrize(
    "graph, cycle",
    [
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
        ({"a": {"b"}, "b": set(), "c": {"c"}}, ["c", "c"]),
        ({"a": {"b", "c"}, "b": {"c"}, "c": set()}, None),
    ],
)
def test_find_cycle_finds_cycles_and_only_cycles(graph, cycle):
    assert find_cycle(graph) == cycle


def test_no_test_module_imports_another():
    """Shared test helpers live in tests/support: a test that imports another test module works only
    when pytest happens to have collected that module's directory first."""
    tests_dir = CHECKS_DIR.parent / "tests"
    importers = {}
    for path in sorted(tests_dir.rglob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(name.split(".")[0].startswith("test_") for name in names):
                importers[path.relative_to(tests_dir).as_posix()] = names
    assert importers == {}
