package incident_manager_test.rules.ckv_im_16

import rego.v1

import data.incident_manager_test.plans

_west_a := plans.arn("us-west-2", "2222")

_prior_key := {"arn": _west_a, "is_enabled": true}

_main(actions) := object.union(plans.replication_set([{"name": "us-west-2", "arn": _west_a}]), {
	"actions": actions,
	"before": {"region": [{"name": "us-west-2", "kms_key_arn": _west_a}]},
})

_key_change(actions, values) := object.union(plans.key_in("west_a", "aws.west", values), {"actions": actions, "before": _prior_key})

_findings(resources) := [f | some f in data.incident_manager.deny with input as plans.plan(resources); f.id == "CKV_IM_16"]

test_finding_used_key_deleted if {
	deleted := object.union(_key_change(["delete"], {}), {"destroyed": true})
	[finding] := _findings([deleted, _main(["no-op"])])
	contains(finding.msg, "the plan deletes aws_kms_key.west_a, used by Region entry us-west-2 before the plan")
}

test_finding_used_key_disabled if {
	[finding] := _findings([_key_change(["update"], {"is_enabled": false}), _main(["no-op"])])
	contains(finding.msg, "the plan disables aws_kms_key.west_a")
}

test_finding_used_key_replaced if {
	[finding] := _findings([_key_change(["delete", "create"], {}), _main(["no-op"])])
	contains(finding.msg, "the plan replaces aws_kms_key.west_a")
}

test_no_finding_key_kept if {
	_findings([_key_change(["no-op"], {}), _main(["no-op"])]) == []
}

test_no_finding_replication_set_destroyed_with_its_key if {
	deleted := object.union(_key_change(["delete"], {}), {"destroyed": true})
	destroyed := object.union(_main(["delete"]), {"destroyed": true})
	_findings([deleted, destroyed]) == []
}
