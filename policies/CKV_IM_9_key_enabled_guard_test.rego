package incident_manager_test.rules.ckv_im_9

import rego.v1

import data.incident_manager.rules.ckv_im_9
import data.incident_manager_test.plans
import data.incident_manager_test.templates

_used_key(values) := plans.plan([
	plans.key("east", values),
	plans.replication_set([{"name": "us-east-1", "ref": "aws_kms_key.east.arn"}]),
])

_findings(key) := result if {
	result := ckv_im_9.findings with data.incident_manager.lib.view.keys as {"AWS::KMS::Key.Key": object.union({"address": "AWS::KMS::Key.Key"}, key)}
		with data.incident_manager.lib.view.used_keys as {"AWS::KMS::Key.Key"}
}

test_finding_disabled_key if {
	plans.denied(_used_key({"is_enabled": false})) == {["CKV_IM_9", "aws_kms_key.east"]}
}

test_finding_no_deletion_guard_where_the_view_knows_it if {
	[finding] := [f | some f in _findings({"enabled": true, "deletion_guard": false, "deletion_guard_hint": "set DeletionPolicy: Retain"})]
	contains(finding.msg, "no deletion guard")
}

test_no_finding_enabled_key_on_a_plan if {
	plans.denied(_used_key({})) == set()
}

test_no_finding_enabled_and_guarded if {
	count(_findings({"enabled": true, "deletion_guard": true})) == 0
}

test_no_finding_enabled_state_known_only_after_apply if {
	document := plans.plan([
		object.union(plans.key("east", {"is_enabled": false}), {"after_unknown": {"is_enabled": true}}),
		plans.replication_set([{"name": "us-east-1", "ref": "aws_kms_key.east.arn"}]),
	])
	plans.denied(document) == set()
}

# --- CloudFormation templates ----------------------------------------------------------------------

_with_key(properties, attributes) := templates.template(templates.merged(templates.baseline, {"Key": templates.key_with(properties, attributes)}))

test_finding_template_enabled_false_as_a_string if {
	templates.denied_by("CKV_IM_9", _with_key({"Enabled": "false"}, {})) == {templates.key_name}
}

test_finding_template_no_deletion_policy if {
	document := json.patch(_with_key({}, {}), [{"op": "remove", "path": ["Resources", "Key", "DeletionPolicy"]}])
	[finding] := [f | some f in data.incident_manager.deny with input as document; f.id == "CKV_IM_9"]
	contains(finding.msg, "set DeletionPolicy: Retain")
}

test_finding_template_deletion_policy_snapshot if {
	templates.denied_by("CKV_IM_9", _with_key({}, {"DeletionPolicy": "Snapshot"})) == {templates.key_name}
}

test_no_finding_template_enabled_from_a_parameter_without_default if {
	document := object.union(_with_key({"Enabled": templates.ref("Enabled")}, {}), {"Parameters": {"Enabled": {"Type": "String"}}})
	templates.denied_by("CKV_IM_9", document) == set()
}

test_no_finding_template_retained_except_on_create if {
	templates.denied_by("CKV_IM_9", _with_key({}, {"DeletionPolicy": "RetainExceptOnCreate"})) == set()
}
