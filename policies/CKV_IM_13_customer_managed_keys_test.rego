package incident_manager_test.rules.ckv_im_13

import rego.v1

import data.incident_manager_test.plans

_findings(entries) := [f |
	document := plans.plan([plans.key("east", {}), plans.replication_set(entries)])
	some f in data.incident_manager.deny with input as document
	f.id == "CKV_IM_13"
]

test_finding_aws_owned_key if {
	[finding] := _findings([{"name": "us-east-1"}, {"name": "us-west-2"}])
	contains(finding.msg, "entries us-east-1, us-west-2 use the AWS owned key")
}

test_no_finding_customer_managed_key if {
	_findings([{"name": "us-east-1", "ref": "aws_kms_key.east.arn"}]) == []
}

test_no_finding_key_that_may_be_set if {
	# known only after apply, and not a key of the plan: could be anything
	_findings([{"name": "us-east-1", "ref": "var.key_arn"}]) == []
}
