package incident_manager_test.rules.ckv_im_3

import rego.v1

import data.incident_manager.lib.iam
import data.incident_manager.rules.ckv_im_3
import data.incident_manager_test.plans
import data.incident_manager_test.templates

_findings(entries) := result if {
	result := ckv_im_3.findings with data.incident_manager.lib.view.replication_sets as {"aws_ssmincidents_replication_set.main": {"address": "aws_ssmincidents_replication_set.main", "entries": entries}}
}

_east_and_west(west_key_provider) := plans.plan([
	plans.key("east", {}),
	plans.key_in("west", west_key_provider, {}),
	plans.replication_set([
		{"name": "us-west-2", "ref": "aws_kms_key.west.arn"},
		{"name": "us-east-1", "ref": "aws_kms_key.east.arn"},
	]),
])

test_finding_key_in_another_region if {
	plans.denied(_east_and_west("aws")) == {["CKV_IM_3", "aws_ssmincidents_replication_set.main"]}
	some finding in data.incident_manager.deny with input as _east_and_west("aws")
	contains(finding.msg, "Region entry us-west-2 uses aws_kms_key.west.arn, a key in us-east-1: use a key in us-west-2")
}

test_finding_literal_arn_of_another_region if {
	count(_findings([{"name": "eu-west-1", "key": {"text": plans.arn("us-east-1", "1"), "region": "us-east-1"}}])) == 1
}

test_finding_stack_region_keys_serving_two_literal_regions if {
	[finding] := [f | some f in _findings([
		{"name": "us-east-1", "key": {"text": "IncidentKey", "region": iam.stack_region}},
		{"name": "us-west-2", "key": {"text": "IncidentKey", "region": iam.stack_region}},
	])]
	contains(finding.msg, "serve entries for us-east-1, us-west-2")
}

test_finding_stack_region_key_on_a_literal_beside_the_stack_region_entry if {
	count(_findings([
		{"name": iam.stack_region, "key": {"text": "KeyA", "region": iam.stack_region}},
		{"name": "us-west-2", "key": {"text": "KeyB", "region": iam.stack_region}},
	])) == 1
}

test_no_finding_keys_in_their_regions if {
	plans.denied(_east_and_west("aws.west")) == set()
}

test_no_finding_aws_owned_key_or_unresolved_region if {
	count(_findings([
		{"name": "us-west-2", "key": null},
		{"name": "us-west-2", "key": {"text": "aws_kms_key.x.arn"}},
		{"key": {"text": "aws_kms_key.y.arn", "region": "us-east-1"}},
		{"name": "us-west-2"},
	])) == 0
}

test_no_finding_single_literal_entry_on_a_stack_region_key if {
	count(_findings([{"name": "us-west-2", "key": {"text": "IncidentKey", "region": iam.stack_region}}])) == 0
}

# --- CloudFormation templates ----------------------------------------------------------------------

_set(entries) := templates.template({"Key": templates.key({}), "Set": templates.replication_set(entries)})

_key_arn := templates.get_att("Key", "Arn")

test_finding_template_stack_key_serves_two_literal_regions if {
	templates.denied_by("CKV_IM_3", _set([templates.entry("us-east-1", _key_arn), templates.entry("us-west-2", _key_arn)])) == {templates.set_name}
}

test_finding_template_stack_key_beside_the_stack_region_entry if {
	entries := [templates.entry(templates.ref("AWS::Region"), _key_arn), templates.entry("eu-west-1", _key_arn)]
	templates.denied_by("CKV_IM_3", _set(entries)) == {templates.set_name}
}

test_finding_template_literal_arn_in_another_region if {
	entries := [templates.entry("us-east-1", "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")]
	templates.denied_by("CKV_IM_3", _set(entries)) == {templates.set_name}
}

test_finding_template_sub_arn_in_another_region if {
	entries := [templates.entry("eu-west-1", {"Fn::Sub": "arn:${AWS::Partition}:kms:us-west-2:${AWS::AccountId}:key/${Key}"})]
	templates.denied_by("CKV_IM_3", _set(entries)) == {templates.set_name}
}

test_no_finding_template_stack_key_for_one_literal_region if {
	templates.denied_by("CKV_IM_3", _set([templates.entry("us-east-1", _key_arn)])) == set()
}

test_no_finding_template_key_from_another_stack if {
	entries := [templates.entry("us-east-1", {"Fn::ImportValue": "shared-key-arn"}), templates.entry("us-west-2", _key_arn)]
	templates.denied_by("CKV_IM_3", _set(entries)) == set()
}

test_no_finding_template_key_arn_parameter_without_default if {
	document := object.union(_set([templates.entry("us-east-1", templates.ref("KeyArn"))]), {"Parameters": {"KeyArn": {"Type": "String"}}})
	templates.denied_by("CKV_IM_3", document) == set()
}
