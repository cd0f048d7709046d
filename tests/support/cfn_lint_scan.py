"""Run cfn-lint in-process with the pack's custom rules appended,
as `cfn-lint t.yaml --append-rules checks/cfn_lint` does."""

from __future__ import annotations

from pathlib import Path

from cfnlint.api import lint_file
from cfnlint.decode import decode

from ckv_im.catalogue import Engine, rules_for
from ckv_im.cfn_lint_shell import lint_rule_id

REPO_ROOT = Path(__file__).resolve().parents[2]
CFN_LINT_RULES_DIR = REPO_ROOT / "checks" / "cfn_lint"
CKV_IM_OF_LINT_ID = {lint_rule_id(rule.id): rule.id for rule in rules_for(Engine.CFN_LINT)}


def lint(template: Path):
    """Every cfn-lint match on the template, I-level ones included (CKV_IM_13 is LOW)."""
    return lint_file(template, config={"append_rules": [str(CFN_LINT_RULES_DIR)], "include_checks": ["I"]})


def pack_matches(matches) -> list:
    return [match for match in matches if match.rule.id in CKV_IM_OF_LINT_ID]


def cfn_lint_verdicts(template: Path) -> dict[tuple[str, str], str]:
    """(CKV_IM ID, resource as Checkov names it) -> FAILED for every resource a pack rule reports."""
    decoded, _ = decode(str(template))
    resources = (decoded or {}).get("Resources", {})
    verdicts = {}
    for match in pack_matches(lint(template)):
        assert match.message.startswith(CKV_IM_OF_LINT_ID[match.rule.id] + ": "), match.message
        logical_id = match.path[1]
        verdicts[(CKV_IM_OF_LINT_ID[match.rule.id], f"{resources[logical_id]['Type']}.{logical_id}")] = "FAILED"
    return verdicts
