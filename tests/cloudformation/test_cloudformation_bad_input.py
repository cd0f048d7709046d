"""Bad CloudFormation input never makes a check or a cfn-lint rule raise, and never turns into a guessed PASSED.

Checkov drops the result of a check that raises; cfn-lint turns it into an E0002
error. The shells catch everything as a last resort (ckv_im.engine_shell), so these
tests also call the model builder and the rule functions without that net, and
assert that the net was never used.
"""

from __future__ import annotations

import json
import textwrap

import pytest

from ckv_im import engine_shell
from ckv_im.catalogue import Engine, rules_for
from ckv_im.cloudformation_model import build_model
from support.cfn_lint_scan import CFN_LINT_RULES_DIR, CKV_IM_OF_LINT_ID, cfn_lint_verdicts, lint
from support.checkov_scan import checkov_verdicts, scan_cloudformation
from support.cloudformation_inputs import (
    KEY,
    NOT_A_POLICY,
    RSET,
    UNRESOLVABLE_KEY_IDS,
    WRONG_TYPE_RESOURCES,
    circular_references,
    deep_sub,
    entry,
    huge_template,
    key,
    random_template,
    replication_set,
    template,
    unresolvable_key_template,
)


def scan_both(tmp_path, document: dict | str, name: str = "template.yaml") -> tuple[dict, dict]:
    """(Checkov verdicts, cfn-lint verdicts) of one template; neither engine may reach the safety net."""
    root = tmp_path / "scan"
    root.mkdir(parents=True, exist_ok=True)
    path = root / name
    path.write_text(document if isinstance(document, str) else json.dumps(document, indent=1))
    errors_before = len(engine_shell.INTERNAL_ERRORS)
    checkov = checkov_verdicts(scan_cloudformation(root))
    # E0002: a rule raised inside cfn-lint (cfn-lint's own rules may, on junk; the pack's may not)
    lint_errors = [m for m in lint(path) if m.rule.id == "E0002" and any(i in m.message for i in CKV_IM_OF_LINT_ID)]
    cfn_lint = cfn_lint_verdicts(path)
    assert engine_shell.INTERNAL_ERRORS[errors_before:] == []
    assert lint_errors == []
    return checkov, cfn_lint


@pytest.mark.parametrize("key_id", UNRESOLVABLE_KEY_IDS)
def test_unresolvable_keys_are_never_passed(tmp_path, key_id):
    checkov, _ = scan_both(tmp_path, unresolvable_key_template(key_id))
    for rule_id in ("CKV_IM_3", "CKV_IM_14"):
        assert checkov.get((rule_id, RSET)) != "PASSED"


@pytest.mark.parametrize("resources", WRONG_TYPE_RESOURCES)
def test_wrong_types_and_missing_properties_give_a_clear_result_or_unknown(tmp_path, resources):
    checkov, cfn_lint = scan_both(tmp_path, template(resources))
    checkov_failures = {key for key, verdict in checkov.items() if verdict == "FAILED"}
    assert set(cfn_lint) <= checkov_failures


def test_a_key_policy_that_is_not_a_policy_is_never_passed(tmp_path):
    for number, policy in enumerate(NOT_A_POLICY):
        document = template(
            {"Key": key(KeyPolicy=policy), "Set": replication_set(entry("us-east-1", {"Fn::GetAtt": ["Key", "Arn"]}))}
        )
        checkov, _ = scan_both(tmp_path / str(number), document)
        assert checkov.get(("CKV_IM_7", KEY)) != "PASSED" and checkov.get(("CKV_IM_8", KEY)) != "PASSED"


def test_circular_references_end(tmp_path):
    """Aliases that target each other, replica keys that are each other's primary, a DependsOn loop."""
    document = circular_references()
    checkov, _ = scan_both(tmp_path, document)
    assert ("CKV_IM_1", "AWS::KMS::ReplicaKey.ReplicaA") not in checkov  # UNKNOWN: its primary is no primary key
    assert checkov[("CKV_IM_14", RSET)] == "FAILED"  # !Ref of an alias is its name


def test_yaml_alias_loops_and_deep_nesting_end(tmp_path):
    deep = deep_sub(200)
    document = textwrap.dedent("""\
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          Key:
            Type: AWS::KMS::Key
            Properties:
              Tags: &loop
                - Key: owner
                  Value: *loop
              KeyPolicy: {}
          Set:
            Type: AWS::SSMIncidents::ReplicationSet
            Properties:
              Regions:
                - RegionName: us-east-1
                  RegionConfiguration:
                    SseKmsKeyId: DEEP
        """).replace("DEEP", json.dumps(deep))
    checkov, _ = scan_both(tmp_path, document)
    assert checkov.get(("CKV_IM_3", RSET)) != "PASSED"


def test_a_five_megabyte_template_is_judged_whole(tmp_path):
    document = json.dumps(huge_template(), indent=1)  # one line per value, as real templates have
    assert len(document) > 5_000_000
    root = tmp_path / "scan"
    root.mkdir()
    (root / "template.json").write_text(document)
    errors_before = len(engine_shell.INTERNAL_ERRORS)
    verdicts = checkov_verdicts(scan_cloudformation(root))
    assert engine_shell.INTERNAL_ERRORS[errors_before:] == []
    assert verdicts[("CKV_IM_3", RSET)] == "FAILED"  # two Regions, one stack key
    assert verdicts[("CKV_IM_7", KEY)] == "PASSED"


@pytest.mark.parametrize("seed", range(300))
def test_random_templates_never_raise(seed):
    model = build_model(random_template(seed))
    for rule in rules_for(Engine.CLOUDFORMATION):
        for name in model.names_of(rule.subject):
            result = rule.function(model.subject(rule.subject, name), model)
            assert result.status.value in ("PASSED", "FAILED", "UNKNOWN")


def test_cfn_lint_loads_exactly_one_rule_per_cloudformation_rule():
    """cfn-lint instantiates every CloudFormationLintRule subclass it finds in the rule files: the shared base
    class must not be one of them, and no CKV_IM rule may be missing."""
    from cfnlint.helpers import load_plugins

    loaded = sorted(rule.id for rule in load_plugins(str(CFN_LINT_RULES_DIR)))
    assert loaded == sorted(CKV_IM_OF_LINT_ID)
