package incident_manager_test.rules.ckv_im_6

import rego.v1

import data.incident_manager.rules.ckv_im_6
import data.incident_manager_test.plans

_findings(guard) := result if {
	result := ckv_im_6.findings with data.incident_manager.lib.view.replication_sets as {"AWS::SSMIncidents::ReplicationSet.Set": object.union({"address": "AWS::SSMIncidents::ReplicationSet.Set"}, guard)}
}

# a view that knows the guard (CloudFormation's DeletionPolicy, say)
test_finding_no_deletion_guard if {
	[finding] := [f | some f in _findings({"deletion_guard": false, "deletion_guard_hint": "set DeletionPolicy: Retain"})]
	contains(finding.msg, "set DeletionPolicy: Retain")
}

test_no_finding_guarded if {
	count(_findings({"deletion_guard": true})) == 0
}

# a plan carries no lifecycle block: the guard is not visible
test_no_finding_on_a_plan if {
	document := plans.plan([plans.replication_set([{"name": "us-east-1"}])])
	[] == [f | some f in data.incident_manager.deny with input as document; f.id == "CKV_IM_6"]
}
