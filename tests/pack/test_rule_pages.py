"""The rule pages' CloudFormation snippets do what the pages say: the failing one fails the rule, the fixed
one does not, and both are templates cfn-lint's own rules accept."""

from __future__ import annotations

import re

import pytest

from ckv_im.catalogue import RULES, Engine, rules_for
from ckv_im.cfn_lint_shell import lint_rule_id
from support.cfn_lint_scan import CKV_IM_OF_LINT_ID, lint
from support.manifest import REPO_ROOT

DOCS = REPO_ROOT / "docs" / "rules"
CLOUDFORMATION_RULES = [rule.id for rule in rules_for(Engine.CLOUDFORMATION)]
NOT_CLOUDFORMATION = [rule_id for rule_id in RULES if rule_id not in CLOUDFORMATION_RULES]


def cloudformation_snippets(rule_id: str) -> dict[str, str]:
    """{"Failing": yaml, "Fixed": yaml}: the first yaml block after each label in the page's CloudFormation section."""
    page = (DOCS / f"{rule_id}.md").read_text()
    section = page.split("\n## CloudFormation", 1)[1].split("\n## ", 1)[0]
    snippets = {}
    for label in ("Failing", "Fixed"):
        match = re.search(rf"^{label}\b.*?^```yaml\n(.*?)^```", section, re.S | re.M)
        assert match, f"{rule_id}: no {label} CloudFormation snippet"
        snippets[label] = match.group(1)
    return snippets


@pytest.mark.parametrize("rule_id", CLOUDFORMATION_RULES)
def test_failing_snippet_fails_and_fixed_snippet_passes(tmp_path, rule_id):
    lint_id = lint_rule_id(rule_id)
    for label, snippet in cloudformation_snippets(rule_id).items():
        template = tmp_path / f"{label}.yaml"
        template.write_text(snippet)
        matches = lint(template)
        own_errors = [m.message for m in matches if m.rule.id.startswith("E") and m.rule.id not in CKV_IM_OF_LINT_ID]
        fired = [m.message for m in matches if m.rule.id == lint_id]
        assert own_errors == [], f"{rule_id} {label}: {own_errors}"
        assert bool(fired) == (label == "Failing"), f"{rule_id} {label}: {fired}"


@pytest.mark.parametrize("rule_id", NOT_CLOUDFORMATION)
def test_pages_of_rules_cloudformation_cannot_apply_say_so(rule_id):
    assert "CloudFormation" in (DOCS / f"{rule_id}.md").read_text()
