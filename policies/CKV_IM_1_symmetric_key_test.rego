package incident_manager_test.rules.ckv_im_1

import rego.v1

import data.incident_manager.rules.ckv_im_1
import data.incident_manager_test.plans
import data.incident_manager_test.templates

_used_key(values) := plans.plan([
	plans.key("east", values),
	plans.replication_set([{"name": "us-east-1", "ref": "aws_kms_key.east.arn"}]),
])

_findings(keys) := result if {
	result := ckv_im_1.findings with data.incident_manager.lib.view.keys as keys
		with data.incident_manager.lib.view.used_keys as {address | some address, _ in keys}
}

test_finding_asymmetric_key_of_a_replication_set if {
	plans.denied(_used_key({"customer_master_key_spec": "RSA_2048"})) == {["CKV_IM_1", "aws_kms_key.east"]}
}

test_finding_hmac_key_usage if {
	[finding] := [f | some f in _findings({"aws_kms_key.k": {"address": "aws_kms_key.k", "is_replica": false, "key_spec": "HMAC_256", "key_usage": "GENERATE_VERIFY_MAC"}})]
	contains(finding.msg, "key spec is HMAC_256")
	contains(finding.msg, "key usage is GENERATE_VERIFY_MAC")
}

test_finding_replica_takes_the_spec_of_its_primary if {
	keys := {
		"aws_kms_key.primary": {"address": "aws_kms_key.primary", "is_replica": false, "key_spec": "ECC_NIST_P256", "key_usage": "SIGN_VERIFY"},
		"aws_kms_replica_key.replica": {"address": "aws_kms_replica_key.replica", "is_replica": true, "primary": "aws_kms_key.primary", "key_spec": "SYMMETRIC_DEFAULT", "key_usage": "ENCRYPT_DECRYPT"},
	}
	{f.resource | some f in _findings(keys)} == {"aws_kms_key.primary", "aws_kms_replica_key.replica"}
}

test_no_finding_symmetric_key if {
	plans.denied(_used_key({})) == set()
}

test_no_finding_key_no_replication_set_uses if {
	document := plans.plan([plans.key("other", {"customer_master_key_spec": "RSA_2048", "policy": null})])
	plans.denied(document) == set()
}

test_no_finding_replica_whose_primary_is_not_resolved if {
	count(_findings({"aws_kms_replica_key.replica": {"address": "aws_kms_replica_key.replica", "is_replica": true, "key_spec": "RSA_2048"}})) == 0
}

test_no_finding_spec_known_only_after_apply if {
	document := plans.plan([
		object.union(plans.key("east", {"customer_master_key_spec": "RSA_2048"}), {"after_unknown": {"customer_master_key_spec": true}}),
		plans.replication_set([{"name": "us-east-1", "ref": "aws_kms_key.east.arn"}]),
	])
	plans.denied(document) == set()
}

# --- CloudFormation templates ----------------------------------------------------------------------

_with_key(properties) := templates.template(templates.merged(templates.baseline, {"Key": templates.key(properties)}))

test_finding_template_key_spec if {
	templates.denied_by("CKV_IM_1", _with_key({"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"})) == {templates.key_name}
}

test_finding_template_key_spec_from_a_parameter_default if {
	document := object.union(_with_key({"KeySpec": templates.ref("Spec")}), {"Parameters": {"Spec": {"Type": "String", "Default": "HMAC_256"}}})
	templates.denied_by("CKV_IM_1", document) == {templates.key_name}
}

test_finding_template_replica_of_an_asymmetric_primary if {
	document := templates.template({
		"Primary": templates.key({"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY", "MultiRegion": true}),
		"Replica": {"Type": "AWS::KMS::ReplicaKey", "DeletionPolicy": "Retain", "Properties": {"KeyPolicy": templates.policy, "PrimaryKeyArn": templates.get_att("Primary", "Arn")}},
		"Set": templates.replication_set([templates.entry(templates.ref("AWS::Region"), templates.get_att("Replica", "Arn"))]),
	})
	templates.denied_by("CKV_IM_1", document) == {"AWS::KMS::ReplicaKey.Replica", "AWS::KMS::Key.Primary"}
}

test_no_finding_template_key_spec_from_a_parameter_without_default if {
	document := object.union(_with_key({"KeySpec": templates.ref("Spec")}), {"Parameters": {"Spec": {"Type": "String"}}})
	templates.denied_by("CKV_IM_1", document) == set()
}

test_no_finding_template_replica_of_a_primary_outside_the_template if {
	document := templates.template({
		"Replica": {"Type": "AWS::KMS::ReplicaKey", "DeletionPolicy": "Retain", "Properties": {"KeyPolicy": templates.policy, "PrimaryKeyArn": "arn:aws:kms:us-east-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"}},
		"Set": templates.replication_set([templates.entry(templates.ref("AWS::Region"), templates.get_att("Replica", "Arn"))]),
	})
	templates.denied_by("CKV_IM_1", document) == set()
}
