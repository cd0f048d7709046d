"""The rule registry (ckv_im.catalogue) is the one place a rule is declared: every other piece is checked against it.

``test_every_rule_is_complete`` lists, for a contributor, every piece a rule still lacks: an engine shell,
its page, fixtures with both a PASSED and a FAILED verdict for each engine it runs on (a FAILED one for
the engines that report findings only: cfn-lint and the Rego policies on plans and templates). The rule tables of
the README and of docs/rules/README.md must say what the registry says.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from ckv_im.catalogue import RULES, Engine, Rule
from ckv_im.cfn_lint_shell import lint_rule_id
from support.manifest import FIXTURES_DIR, REPO_ROOT, expected_verdicts, fixtures_of

CHECKS_DIR = REPO_ROOT / "checks"
POLICIES_DIR = REPO_ROOT / "policies"
DOCS_DIR = REPO_ROOT / "docs" / "rules"
SHELL_DIRS = {
    Engine.TERRAFORM: CHECKS_DIR / "terraform",
    Engine.TERRAFORM_PLAN: CHECKS_DIR / "terraform",  # one Checkov shell serves HCL, JSON and plan JSON
    Engine.CLOUDFORMATION: CHECKS_DIR / "cloudformation",
    Engine.CFN_LINT: CHECKS_DIR / "cfn_lint",
    Engine.REGO_PLAN: POLICIES_DIR,
    Engine.REGO_CLOUDFORMATION: POLICIES_DIR,  # one policy serves plans and templates
}
REGO_ENGINES = {Engine.REGO_PLAN, Engine.REGO_CLOUDFORMATION}
FINDINGS_ONLY = {Engine.CFN_LINT, *REGO_ENGINES}
_REGO_RULE_CONSTANT = re.compile(r'^rule := \{"id": "(CKV_IM_\d+)"', re.M)
LINT_LEVELS = {"E": "error", "W": "warning", "I": "informational"}


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(f"registry_test_{path.parent.name}_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _shell_path(rule: Rule, engine: Engine) -> Path:
    suffix = ".rego" if engine in REGO_ENGINES else ".py"
    return SHELL_DIRS[engine] / f"{rule.file_stem}{suffix}"


def _shell_problems(rule: Rule, engine: Engine) -> list[str]:
    path = _shell_path(rule, engine)
    if not path.is_file():
        return [f"no {engine.value} shell {path.relative_to(REPO_ROOT)}"]
    if engine in REGO_ENGINES:  # the policy's id in code (tests/rego checks it against its METADATA)
        rule_ids = _REGO_RULE_CONSTANT.findall(path.read_text(encoding="utf-8"))
        return [] if rule_ids == [rule.id] else [f"{path.relative_to(REPO_ROOT)} does not run {rule.id}"]
    module = _load(path)
    if engine is Engine.CFN_LINT:
        rule_ids = [
            value.rule_id
            for value in vars(module).values()
            if isinstance(value, type) and getattr(value, "rule_id", None) and value.__name__ == lint_rule_id(rule.id)
        ]
    else:
        rule_ids = [module.check.rule.id] if hasattr(module, "check") else []
    return [] if rule_ids == [rule.id] else [f"{path.relative_to(REPO_ROOT)} does not run {rule.id} (runs {rule_ids})"]


def _plan_fixtures() -> list[str]:
    return [
        name
        for name in fixtures_of("terraform")
        if (FIXTURES_DIR / "terraform_plan" / name.split("/", 1)[1] / "plan.json").is_file()
    ]


def _verdicts_seen(rule: Rule, engine: Engine) -> set[str]:
    if engine is Engine.TERRAFORM:
        fixtures, manifest_engine = fixtures_of("terraform"), None
    elif engine in (Engine.TERRAFORM_PLAN, Engine.REGO_PLAN):
        fixtures, manifest_engine = _plan_fixtures(), engine.value
    elif engine is Engine.REGO_CLOUDFORMATION:
        fixtures, manifest_engine = fixtures_of("cloudformation"), engine.value
    else:
        fixtures, manifest_engine = fixtures_of("cloudformation"), None
    return {
        verdict
        for fixture in fixtures
        for (rule_id, _), verdict in expected_verdicts(fixture, manifest_engine).items()
        if rule_id == rule.id
    }


def _fixture_problems(rule: Rule, engine: Engine) -> list[str]:
    # some engines report findings only; some cannot see what a PASSED needs
    wanted = {"FAILED"} if engine in FINDINGS_ONLY or engine in rule.fails_only_on else {"PASSED", "FAILED"}
    missing = wanted - _verdicts_seen(rule, engine)
    return [f"no {verdict} verdict for {engine.value} in fixtures/expected_results.yaml" for verdict in sorted(missing)]


def missing_pieces(rule: Rule) -> list[str]:
    problems = [] if (DOCS_DIR / f"{rule.id}.md").is_file() else [f"no page docs/rules/{rule.id}.md"]
    for engine in sorted(rule.engines, key=lambda e: e.value):
        problems += _shell_problems(rule, engine) + _fixture_problems(rule, engine)
    return problems


def test_every_rule_is_complete():
    incomplete = {rule.id: problems for rule in RULES.values() if (problems := missing_pieces(rule))}
    assert not incomplete, "rules with missing pieces:\n" + "\n".join(
        f"  {rule_id}: {problem}" for rule_id, problems in incomplete.items() for problem in problems
    )


def test_no_shell_runs_a_rule_the_registry_does_not_give_its_engine():
    expected = {_shell_path(rule, engine) for rule in RULES.values() for engine in rule.engines}
    found = {
        path
        for directory in set(SHELL_DIRS.values())
        for path in [*directory.glob("CKV_IM_*.py"), *directory.glob("CKV_IM_*.rego")]
        if not path.name.endswith("_test.rego")
    }
    assert sorted(map(str, found - expected)) == []


def test_rule_ids_are_numbered_in_order_and_severities_are_known():
    assert list(RULES) == [f"CKV_IM_{n}" for n in range(1, len(RULES) + 1)]
    assert {rule.severity for rule in RULES.values()} <= {"HIGH", "MEDIUM", "LOW"}
    assert all(re.fullmatch(r"[a-z0-9_]+", rule.slug) for rule in RULES.values())


def _table(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def test_each_rule_names_its_own_function():
    """The registry names rule functions (``ckv_im.rules`` is imported on first use): each name is a
    function of ckv_im.rules whose docstring starts with the rule's ID."""
    for rule in RULES.values():
        assert (rule.function.__doc__ or "").startswith(f"{rule.id}:"), rule.id


def test_readme_rule_table_says_what_the_registry_says():
    rows = [
        f"| [{rule.id}](docs/rules/{rule.id}.md) | {rule.severity} | {rule.subject.value} | {rule.summary} |"
        for rule in RULES.values()
    ]
    table = _table(["| ID | Severity | Reported on | Rule |", "|---|---|---|---|", *rows])
    assert table in (REPO_ROOT / "README.md").read_text(), f"README.md should hold this rule table:\n{table}"


def test_rule_index_tables_say_what_the_registry_says():
    index = (DOCS_DIR / "README.md").read_text()
    rows = [
        f"| {rule.id} | {rule.severity} | {rule.title} | {rule.subject.value} | [{rule.id}.md]({rule.id}.md) |"
        for rule in RULES.values()
    ]
    table = _table(["| ID | Severity | Title | Reported on | Link |", "|---|---|---|---|---|", *rows])
    assert table in index, f"docs/rules/README.md should hold this rule table:\n{table}"
    lint_rows = [
        f"| {rule.id} | {lint_rule_id(rule.id)} | {LINT_LEVELS[lint_rule_id(rule.id)[0]]} | {rule.title} |"
        for rule in RULES.values()
        if rule.runs_on(Engine.CFN_LINT)
    ]
    lint_table = _table(["| CKV_IM ID | cfn-lint ID | Level | Title |", "|---|---|---|---|", *lint_rows])
    assert lint_table in index, f"docs/rules/README.md should hold this cfn-lint table:\n{lint_table}"
