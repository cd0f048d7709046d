"""`python -m ckv_im.opa PLAN` (or TEMPLATE): the policies on a plan or a template with the embedded OPA, and
`python -m ckv_im.cfn_json TEMPLATE`, as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from support.manifest import FIXTURES_DIR, REPO_ROOT

PLANS_DIR = FIXTURES_DIR / "terraform_plan"


def run(*arguments: str, cwd=REPO_ROOT, module: str = "ckv_im.opa") -> subprocess.CompletedProcess:
    environment = dict(os.environ, PYTHONPATH=str(REPO_ROOT / "checks"))
    return subprocess.run(
        [sys.executable, "-m", module, *arguments],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_findings_are_printed_as_json_and_exit_1(tmp_path):
    completed = run(str(PLANS_DIR / "plan_rekey_replication_set" / "plan.json"), cwd=tmp_path)
    findings = json.loads(completed.stdout)
    assert [(f["id"], f["severity"], f["resource"]) for f in findings] == [
        ("CKV_IM_15", "HIGH", "aws_ssmincidents_replication_set.main")
    ]
    assert "becomes a key known only after apply" in findings[0]["msg"]
    assert completed.returncode == 1


def test_a_plan_without_findings_exits_0():
    completed = run(str(PLANS_DIR / "region_compliant" / "plan.json"))
    assert (json.loads(completed.stdout), completed.returncode) == ([], 0)


def test_an_exceptions_file_removes_the_finding(tmp_path):
    exceptions = tmp_path / "exceptions.yaml"
    exceptions.write_text(
        "incident_manager:\n  exceptions:\n    - id: CKV_IM_15\n"
        "      resource: aws_ssmincidents_replication_set.main\n"
        "      reason: the re-key is planned with a maintenance window\n"
    )
    completed = run(str(PLANS_DIR / "plan_rekey_replication_set" / "plan.json"), "--data", str(exceptions))
    assert (json.loads(completed.stdout), completed.returncode) == ([], 0)


def test_an_unreadable_plan_exits_2(tmp_path):
    plan = tmp_path / "plan.json"
    plan.write_text("{ not json")
    completed = run(str(plan))
    assert completed.returncode == 2 and "error:" in completed.stderr and completed.stdout == ""


GUARD_MISSING = FIXTURES_DIR / "cloudformation" / "guard_missing" / "template.yaml"
CDK_TEMPLATE = FIXTURES_DIR / "cloudformation" / "cdk_synth" / "cdk.out" / "IncidentManagerStack.template.json"


def test_a_yaml_template_is_read_with_its_short_form_tags(tmp_path):
    completed = run(str(GUARD_MISSING), cwd=tmp_path)
    findings = json.loads(completed.stdout)
    assert [(f["id"], f["resource"]) for f in findings] == [
        ("CKV_IM_6", "AWS::SSMIncidents::ReplicationSet.ReplicationSet")
    ]
    assert completed.returncode == 1


def test_the_converted_template_gives_the_same_findings(tmp_path):
    converted = run(str(GUARD_MISSING), cwd=tmp_path, module="ckv_im.cfn_json")
    assert converted.returncode == 0 and converted.stderr == ""
    document = json.loads(converted.stdout)
    assert document["Resources"]["ReplicationSet"]["Properties"]["Regions"][0]["RegionName"] == {"Ref": "AWS::Region"}
    (tmp_path / "template.json").write_text(converted.stdout)
    assert json.loads(run(str(tmp_path / "template.json")).stdout) == json.loads(run(str(GUARD_MISSING)).stdout)


def test_cdk_synth_output_is_read_as_it_is():
    completed = run(str(CDK_TEMPLATE))
    assert {f["id"] for f in json.loads(completed.stdout)} >= {"CKV_IM_3"} and completed.returncode == 1


def test_a_file_that_is_no_template_cannot_be_converted(tmp_path):
    broken = tmp_path / "template.yaml"
    broken.write_text("Resources: [unclosed\n")
    for module in ("ckv_im.cfn_json", "ckv_im.opa"):
        completed = run(str(broken), module=module)
        assert completed.returncode == 2 and "error:" in completed.stderr and completed.stdout == ""
