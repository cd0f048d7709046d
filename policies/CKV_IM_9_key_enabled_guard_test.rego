package incident_manager_test.rules.ckv_im_9

import rego.v1

import data.incident_manager.rules.ckv_im_9
import data.incident_manager_test.plans

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
