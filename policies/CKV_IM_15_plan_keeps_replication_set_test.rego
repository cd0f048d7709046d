package incident_manager_test.rules.ckv_im_15

import rego.v1

import data.incident_manager_test.plans

_east := plans.arn("us-east-1", "1111")

_west_a := plans.arn("us-west-2", "2222")

_before := {"region": [{"name": "us-east-1", "kms_key_arn": _east}, {"name": "us-west-2", "kms_key_arn": _west_a}]}

_updated(entries) := object.union(plans.replication_set(entries), {"actions": ["update"], "before": _before})

_findings(resources) := [f | some f in data.incident_manager.deny with input as plans.plan(resources); f.id == "CKV_IM_15"]

test_finding_rekey_to_a_new_key if {
	[finding] := _findings([plans.key_in("west_b", "aws.west", {}), _updated([{"name": "us-east-1", "arn": _east}, {"name": "us-west-2", "ref": "aws_kms_key.west_b.arn"}])])
	contains(finding.msg, sprintf("Region entry us-west-2: its key %s becomes a key known only after apply", [_west_a]))
}

test_finding_switch_to_the_aws_owned_key if {
	[finding] := _findings([_updated([{"name": "us-east-1", "arn": _east}, {"name": "us-west-2"}])])
	contains(finding.msg, sprintf("its key changes from %s to the AWS owned key", [_west_a]))
}

test_finding_replication_set_destroyed_outright if {
	destroyed := object.union(plans.replication_set([{"name": "us-east-1", "arn": _east}]), {"actions": ["delete"], "before": _before, "destroyed": true, "values": null})
	[finding] := _findings([destroyed])
	contains(finding.msg, "the plan destroys aws_ssmincidents_replication_set.main")
}

test_finding_replaced_replication_set if {
	count(_findings([object.union(plans.replication_set([{"name": "us-east-1", "arn": _east}]), {"actions": ["delete", "create"]})])) == 1
}

test_finding_created_under_a_new_address_while_the_old_one_is_destroyed if {
	old := {"address": "aws_ssmincidents_replication_set.old", "values": null, "destroyed": true, "actions": ["delete"], "before": _before}
	{f.resource | some f in _findings([old, plans.replication_set([{"name": "us-east-1", "arn": _east}])])} == {
		"aws_ssmincidents_replication_set.old", "aws_ssmincidents_replication_set.main",
	}
}

test_no_finding_new_region_added if {
	before := {"region": [{"name": "us-east-1", "kms_key_arn": _east}]}
	rset := object.union(plans.replication_set([{"name": "us-east-1", "arn": _east}, {"name": "us-west-2", "arn": _west_a}]), {"actions": ["update"], "before": before})
	_findings([rset]) == []
}

test_no_finding_no_op if {
	_findings([object.union(plans.replication_set([{"name": "us-east-1", "arn": _east}, {"name": "us-west-2", "arn": _west_a}]), {"actions": ["no-op"], "before": _before})]) == []
}

test_no_finding_create if {
	_findings([plans.replication_set([{"name": "us-east-1", "arn": _east}])]) == []
}
