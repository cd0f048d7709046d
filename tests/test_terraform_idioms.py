"""The details lines on the real-world Terraform idioms: data "aws_region", dynamic blocks, topics named
indirectly. The verdicts are in the manifest; these say which entry, key or Region a reader is pointed at."""
from __future__ import annotations

import pytest

from checkov_scan import scan_plan, scan_terraform
from ckv_im import checkov_terraform, rules
from ckv_im.model import Status
from manifest import FIXTURES_DIR

TERRAFORM = FIXTURES_DIR / "terraform"
MAIN = "aws_ssmincidents_replication_set.main"


def details(report, check_id: str, resource: str) -> list[str]:
    records = [r for r in report.failed_checks + report.passed_checks
               if r.check_id == check_id and r.resource == resource]
    assert len(records) == 1, f"{check_id} {resource}: {len(records)} records"
    return list(records[0].details)


def scan_model(monkeypatch, fixture: str):
    """The model the pack built for a fixture, as its checks saw it."""
    models = []
    original = checkov_terraform.TerraformModelBuilder.build

    def keep(builder):
        models.append(original(builder))
        return models[-1]

    monkeypatch.setattr(checkov_terraform.TerraformModelBuilder, "build", keep)
    monkeypatch.setattr(checkov_terraform, "_MODELS", type(checkov_terraform._MODELS)())
    scan_terraform(TERRAFORM / fixture)
    assert len(models) == 1
    return models[0]


def test_dynamic_entries_point_at_their_dynamic_block_and_static_ones_at_theirs():
    report = scan_terraform(TERRAFORM / "region_dynamic_blocks_variable")
    assert details(report, "CKV_IM_4", MAIN) == [
        "entries us-east-1 (line 28) and us-west-2 (line 33) use customer managed keys but eu-west-1 (line 33) uses "
        "the AWS owned key: use customer managed keys in all Regions or in none"]


def test_a_key_instance_named_through_the_iterator_is_named_as_terraform_resolves_it():
    report = scan_terraform(TERRAFORM / "region_dynamic_blocks_for_each_keys")
    assert details(report, "CKV_IM_3", MAIN) == [
        'Region entry us-west-2 (line 69) uses aws_kms_key.incident["us-west-2"].arn, a key in us-east-1: '
        "use a key in us-west-2"]


def test_a_key_arn_built_with_data_aws_region_carries_its_region():
    report = scan_terraform(TERRAFORM / "region_data_aws_region_alias")
    assert details(report, "CKV_IM_3", "module.incident_manager.aws_ssmincidents_replication_set.this") == [
        "Region entry us-east-1 (line 64) uses arn:aws:kms:us-west-2:111122223333:key/"
        "mrk-1234abcd12ab34cd56ef1234567890ab, a key in us-west-2: use a key in us-east-1"]


def test_an_entry_named_by_a_lookup_is_named_by_its_expression(monkeypatch):
    model = scan_model(monkeypatch, "region_data_source_unresolved")
    rset = model.replication_sets[MAIN]
    result = rules.key_region_matches_entry(rset, model)
    assert result.status is Status.UNKNOWN
    assert result.details == ("Region entry data.aws_ssm_parameter.secondary_region.value (line 83) uses "
                              "aws_kms_key.secondary.arn in us-west-2",)
    assert rules.provider_region_is_replicated(rset, model).details == (
        "provider Region us-west-2 is not among the resolved Region entries; the Region of entry "
        "data.aws_ssm_parameter.secondary_region.value (line 83) is not resolved",)


def test_an_unresolved_dynamic_block_stands_for_its_entries(monkeypatch):
    model = scan_model(monkeypatch, "region_dynamic_blocks_unresolved")
    result = rules.customer_managed_keys_everywhere(model.replication_sets[MAIN], model)
    assert result.status is Status.UNKNOWN
    assert result.details == ('the key of entry dynamic "region" over var.replica_regions (line 65) is not '
                              "resolved and could be unset",)


@pytest.mark.parametrize("fixture, topic, plan", [
    ("im_sns_topics_module", "module.chat.aws_sns_topic.this", "aws_ssmincidents_response_plan.payments_degraded"),
    ("im_sns_topics_instances", 'aws_sns_topic.team_chat["payments"]',
     "aws_ssmincidents_response_plan.payments_degraded"),
    ("im_sns_topic_literal_arn", "aws_sns_topic.chat", "aws_ssmincidents_response_plan.payments_degraded"),
])
def test_a_topic_reached_indirectly_names_the_response_plan_that_uses_it(fixture, topic, plan):
    expected = [f"{topic} carries incident details for {plan} but has no KMS key: encrypt it with a KMS key"]
    assert details(scan_terraform(TERRAFORM / fixture), "CKV_IM_12", topic) == expected
    assert details(scan_plan(FIXTURES_DIR / "terraform_plan" / fixture / "plan.json"), "CKV_IM_12", topic) == expected


def test_provider_region_from_data_aws_region_in_a_plan():
    report = scan_plan(FIXTURES_DIR / "terraform_plan" / "region_data_aws_region" / "plan.json")
    assert details(report, "CKV_IM_5", MAIN) == [f"provider Region us-east-1 is a Region of {MAIN}"]
