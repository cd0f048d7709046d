package incident_manager_test.rules.ckv_im_4

import rego.v1

import data.incident_manager.rules.ckv_im_4
import data.incident_manager_test.plans
import data.incident_manager_test.templates

_findings(entries) := result if {
	result := ckv_im_4.findings with data.incident_manager.lib.view.replication_sets as {"aws_ssmincidents_replication_set.main": {"address": "aws_ssmincidents_replication_set.main", "entries": entries}}
}

test_finding_customer_managed_and_aws_owned_keys_mixed if {
	document := plans.plan([
		plans.key("east", {}),
		plans.replication_set([{"name": "us-east-1", "ref": "aws_kms_key.east.arn"}, {"name": "us-west-2"}]),
	])
	plans.denied(document) == {["CKV_IM_4", "aws_ssmincidents_replication_set.main"], ["CKV_IM_13", "aws_ssmincidents_replication_set.main"]}
	some finding in data.incident_manager.deny with input as document
	finding.id == "CKV_IM_4"
	contains(finding.msg, "entries us-east-1 use customer managed keys but us-west-2 use the AWS owned key")
}

test_no_finding_customer_managed_keys_everywhere if {
	count(_findings([{"name": "us-east-1", "key": {"text": "a"}}, {"name": "us-west-2", "key": {"text": "b"}}])) == 0
}

test_no_finding_aws_owned_keys_everywhere if {
	count(_findings([{"name": "us-east-1", "key": null}, {"name": "us-west-2", "key": null}])) == 0
}

test_no_finding_when_a_key_may_be_unset if {
	count(_findings([{"name": "us-east-1", "key": {"text": "a", "certain": false}}, {"name": "us-west-2", "key": null}])) == 0
	count(_findings([{"name": "us-east-1"}, {"name": "us-west-2", "key": null}])) == 0
}

# --- CloudFormation templates ----------------------------------------------------------------------

_set(entries) := templates.template({"Key": templates.key({}), "Set": templates.replication_set(entries)})

test_finding_template_mixed_owned_and_customer_managed if {
	entries := [templates.entry(templates.ref("AWS::Region"), templates.get_att("Key", "Arn")), templates.entry("eu-west-1", null)]
	templates.denied_by("CKV_IM_4", _set(entries)) == {templates.set_name}
}

test_finding_template_default_key_literal_is_the_aws_owned_key if {
	entries := [templates.entry(templates.ref("AWS::Region"), templates.get_att("Key", "Arn")), templates.entry("eu-west-1", "DefaultKey")]
	templates.denied_by("CKV_IM_4", _set(entries)) == {templates.set_name}
}

test_no_finding_template_imported_key_may_be_the_default_key if {
	entries := [templates.entry("us-east-1", {"Fn::ImportValue": "shared-key-arn"}), templates.entry("eu-west-1", null)]
	templates.denied_by("CKV_IM_4", _set(entries)) == set()
}

test_no_finding_template_conditional_key if {
	key := {"Fn::If": ["UseKey", templates.get_att("Key", "Arn"), templates.ref("AWS::NoValue")]}
	entries := [templates.entry("us-east-1", key), templates.entry("eu-west-1", null)]
	templates.denied_by("CKV_IM_4", _set(entries)) == set()
}
