"""The Rego policies (policies/) on CloudFormation templates, on the embedded OPA.

- ``data.incident_manager.deny`` on every CloudFormation fixture (YAML converted by
  ``python -m ckv_im.cfn_json``, JSON and ``cdk synth`` output as they are, a Serverless file's
  ``resources:``) is exactly the manifest's FAILED verdicts, Checkov's and cfn-lint's (plus any
  difference recorded for ``rego_cloudformation``), with no warning;
- the same YAML read without its short-form tags (as OPA and conftest parse it) warns;
- on the bad templates of the CloudFormation bad-input tests, evaluation never fails and takes
  under a second per template, and on random templates its findings are the Python rules' FAILED
  verdicts.
"""

from __future__ import annotations

import json
import time

import pytest
import yaml

from ckv_im.catalogue import RULES, Engine, rules_for
from ckv_im.cfn_json import ConversionError, load_template, plain
from ckv_im.cloudformation_model import build_model
from support.cloudformation_fixtures import CFN_FIXTURES, documents_of, templates_of
from support.cloudformation_inputs import (
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
from support.manifest import expected_verdicts
from support.rego_policies import deny, engine

FINDING_KEYS = {"id", "severity", "resource", "msg"}
SECOND = 1.0  # the bound per bad template


def warnings(document) -> list[dict]:
    return engine().eval_document("incident_manager.warn", input=document) or []


# --- parity with the manifest on every CloudFormation fixture --------------------------------------
@pytest.mark.parametrize("fixture", CFN_FIXTURES)
def test_deny_on_cloudformation_fixture_is_the_manifest_failed_verdicts(fixture):
    findings = []
    for path, document in documents_of(fixture):
        assert warnings(document) == [], path
        findings += deny(document, trim=False)
    for finding in findings:
        assert set(finding) == FINDING_KEYS and all(isinstance(value, str) for value in finding.values()), finding
        assert finding["severity"] == RULES[finding["id"]].severity
        assert finding["msg"].startswith(f"{finding['id']} {finding['resource']}: ")
        assert RULES[finding["id"]].runs_on(Engine.REGO_CLOUDFORMATION)
    reported = sorted((finding["id"], finding["resource"]) for finding in findings)
    expected = sorted(
        key for key, verdict in expected_verdicts(fixture, engine="rego_cloudformation").items() if verdict == "FAILED"
    )
    assert reported == expected


def test_the_fixtures_cover_every_template_form():
    files = [path for fixture in CFN_FIXTURES for path, _ in documents_of(fixture)]
    assert {path.suffix for path in files} >= {".yaml", ".json", ".yml"}
    assert any(path.name.endswith(".template.json") and "cdk.out" in path.parts for path in files)
    assert any(path.name.startswith("serverless.") for path in files)


class _TagsDropped(yaml.SafeLoader):
    """YAML as OPA and conftest read it: a CloudFormation tag is ignored and its value kept as written."""


def _untagged(loader, _suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    return loader.construct_mapping(node, deep=True)


_TagsDropped.add_multi_constructor("!", _untagged)


@pytest.mark.parametrize("fixture", [f for f in CFN_FIXTURES if any(p.suffix == ".yaml" for p in templates_of(f))])
def test_yaml_that_lost_its_short_form_tags_warns_or_reads_the_same(fixture):
    for path in templates_of(fixture):
        if path.suffix != ".yaml":
            continue
        untagged = json.loads(json.dumps(yaml.load(path.read_text(encoding="utf-8"), Loader=_TagsDropped)))
        if deny(untagged, trim=False) != deny(plain(load_template(path)), trim=False):
            messages = [warning["msg"] for warning in warnings(untagged)]
            assert messages, f"{path}: judged differently without its tags, and no warning says so"
            assert all("python -m ckv_im.cfn_json" in message for message in messages)


def test_the_converter_refuses_what_is_no_template(tmp_path):
    (tmp_path / "broken.yaml").write_text("Resources: [unclosed\n")
    with pytest.raises(ConversionError):
        load_template(tmp_path / "broken.yaml")
    loop: list = []
    loop.append(loop)
    with pytest.raises(ConversionError, match="nests too deeply"):
        plain({"Resources": {"Key": {"Type": "AWS::KMS::Key", "Properties": {"Tags": loop}}}})


# --- bad templates: never an error, never slow --------------------------------------------------------
def _timed_deny(document) -> tuple[list[dict], float]:
    """The findings, and the best of five evaluation times: the policies' cost, not a busy machine's."""
    times, findings = [], []
    for _ in range(5):
        start = time.perf_counter()
        findings = deny(document, trim=False)
        times.append(time.perf_counter() - start)
    return findings, min(times)


def _bad_templates() -> dict[str, dict]:
    key_arn = {"Fn::GetAtt": ["Key", "Arn"]}
    cases = {
        f"unresolvable key {number}": unresolvable_key_template(k) for number, k in enumerate(UNRESOLVABLE_KEY_IDS)
    }
    cases |= {f"wrong types {number}": template(r) for number, r in enumerate(WRONG_TYPE_RESOURCES)}
    cases |= {
        f"not a policy {number}": template(
            {"Key": key(KeyPolicy=p), "Set": replication_set(entry("us-east-1", key_arn))}
        )
        for number, p in enumerate(NOT_A_POLICY)
    }
    cases["circular references"] = circular_references()
    cases["deep Fn::Sub"] = template({"Key": key(), "Set": replication_set(entry("us-east-1", deep_sub(200)))})
    cases["five megabytes"] = huge_template()
    return cases


BAD_TEMPLATES = _bad_templates()


@pytest.mark.parametrize("name", BAD_TEMPLATES)
def test_bad_templates_evaluate_without_error_in_under_a_second(name):
    deny({"Resources": {"Warm": {"Type": "AWS::SNS::Topic"}}})  # the first query compiles the policies
    findings, seconds = _timed_deny(BAD_TEMPLATES[name])
    assert all(set(finding) == FINDING_KEYS for finding in findings)
    assert seconds < SECOND, f"{name}: {seconds:.2f}s"


@pytest.mark.parametrize("key_id", UNRESOLVABLE_KEY_IDS, ids=str)
def test_an_unresolvable_key_gives_no_key_region_or_naming_finding(key_id):
    reported = {(f["id"], f["resource"]) for f in deny(unresolvable_key_template(key_id))}
    assert not reported & {("CKV_IM_3", RSET), ("CKV_IM_14", RSET)}


def test_circular_references_end_and_what_resolves_is_judged():
    reported = {(f["id"], f["resource"]) for f in deny(circular_references())}
    assert ("CKV_IM_14", RSET) in reported  # !Ref of an alias is its name
    assert ("CKV_IM_1", "AWS::KMS::ReplicaKey.ReplicaA") not in reported  # its primary is no primary key


def test_a_five_megabyte_template_is_judged_whole():
    assert {(f["id"], f["resource"]) for f in deny(huge_template())} == {("CKV_IM_3", RSET)}  # two Regions, one key


def _python_failures(document) -> set[tuple[str, str]]:
    model = build_model(document)
    return {
        (rule.id, name)
        for rule in rules_for(Engine.REGO_CLOUDFORMATION)
        for name in model.names_of(rule.subject)
        if rule.function(model.subject(rule.subject, name), model).status.value == "FAILED"
    }


@pytest.mark.parametrize("seed", range(300))
def test_random_templates_give_the_python_rules_failures(seed):
    document = random_template(seed)
    reported = {(finding["id"], finding["resource"]) for finding in deny(document, trim=False)}
    assert reported == _python_failures(document)
