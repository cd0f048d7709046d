package incident_manager_test.rules.ckv_im_2

import rego.v1

import data.incident_manager.rules.ckv_im_2
import data.incident_manager_test.plans
import data.incident_manager_test.templates

_findings(keys) := result if {
	result := ckv_im_2.findings with data.incident_manager.lib.view.keys as keys
		with data.incident_manager.lib.view.used_keys as {address | some address, _ in keys}
}

test_finding_external_key_of_a_replication_set if {
	document := plans.plan([
		object.union(plans.key("east", {}), {"address": "aws_kms_external_key.east"}),
		plans.replication_set([{"name": "us-east-1", "ref": "aws_kms_external_key.east.arn"}]),
	])
	plans.denied(document) == {["CKV_IM_2", "aws_kms_external_key.east"]}
}

test_finding_custom_key_store if {
	[finding] := [f | some f in _findings({"aws_kms_key.k": {"address": "aws_kms_key.k", "type": "aws_kms_key", "origin": "AWS_KMS", "custom_key_store_id": "cks-1234567890abcdef0"}})]
	contains(finding.msg, "custom_key_store_id is set (cks-1234567890abcdef0)")
}

test_finding_replica_of_an_external_primary if {
	keys := {
		"aws_kms_external_key.primary": {"address": "aws_kms_external_key.primary", "type": "aws_kms_external_key", "origin": "EXTERNAL"},
		"aws_kms_replica_key.replica": {"address": "aws_kms_replica_key.replica", "type": "aws_kms_replica_key", "origin": "AWS_KMS", "primary": "aws_kms_external_key.primary"},
	}
	some finding in _findings(keys)
	finding.resource == "aws_kms_replica_key.replica"
	contains(finding.msg, "origin EXTERNAL means imported key material")
}

test_no_finding_aws_kms_key_material if {
	count(_findings({"aws_kms_key.k": {"address": "aws_kms_key.k", "type": "aws_kms_key", "origin": "AWS_KMS", "custom_key_store_id": null, "xks_key_id": ""}})) == 0
}

test_no_finding_custom_key_store_not_resolved if {
	count(_findings({"aws_kms_key.k": {"address": "aws_kms_key.k", "type": "aws_kms_key", "origin": "AWS_KMS"}})) == 0
}

# --- CloudFormation templates ----------------------------------------------------------------------

_with_key(properties) := templates.template(templates.merged(templates.baseline, {"Key": templates.key(properties)}))

test_finding_template_origin_external if {
	templates.denied_by("CKV_IM_2", _with_key({"Origin": "EXTERNAL"})) == {templates.key_name}
}

test_no_finding_template_origin_known_only_at_deployment if {
	templates.denied_by("CKV_IM_2", _with_key({"Origin": {"Fn::If": ["Imported", "EXTERNAL", "AWS_KMS"]}})) == set()
}

test_no_finding_template_key_no_replication_set_uses if {
	document := templates.template({"Key": templates.key_with({"Origin": "EXTERNAL", "KeyPolicy": {"Statement": []}}, {})})
	templates.denied_by("CKV_IM_2", document) == set()
}
