"""Terraform plan JSON: until the plan engine exists, the checks give no verdict on a plan.

Checkov's terraform_plan runner hands plan resources to the same checks as HCL. A plan has
no lifecycle blocks, no provider addresses and unknown-after-apply values, so the HCL
adapter would answer wrongly (it once reported CKV_IM_3, 6 and 9 FAILED on a compliant
plan). The checks answer UNKNOWN on plan input instead.
"""
from __future__ import annotations

import pytest
from checkov.runner_filter import RunnerFilter
from checkov.terraform.plan_runner import Runner as PlanRunner

from checkov_scan import CHECKS_DIR, RULE_IDS, checkov_verdicts
from manifest import FIXTURES_DIR
from terraform_tools import plan_json, provider_mirror, terraform_binary

pytestmark = pytest.mark.skipif(terraform_binary() is None or provider_mirror() is None,
                                reason="needs terraform and an offline hashicorp/aws provider mirror "
                                       "(set CKV_IM_TF_PLUGIN_MIRROR)")


def test_no_verdict_on_a_real_plan(tmp_path):
    plan = plan_json(FIXTURES_DIR / "terraform" / "region_compliant", tmp_path, aliases=("west",))
    report = PlanRunner().run(root_folder=None, files=[str(plan)], external_checks_dir=[str(CHECKS_DIR)],
                              runner_filter=RunnerFilter(framework=["terraform_plan"], checks=RULE_IDS))
    assert report.resources, "the plan was scanned"
    assert checkov_verdicts(report) == {}
