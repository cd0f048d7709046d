package incident_manager_test.rules.ckv_im_14

import rego.v1

import data.incident_manager_test.plans

_findings(resources) := [f | some f in data.incident_manager.deny with input as plans.plan(resources); f.id == "CKV_IM_14"]

_alias := {
	"address": "aws_kms_alias.east",
	"values": {"name": "alias/incident-manager"},
	"expressions": {"target_key_id": plans.refs("aws_kms_key.east.key_id")},
}

test_finding_key_id_reference if {
	[finding] := _findings([plans.key("east", {}), plans.replication_set([{"name": "us-east-1", "ref": "aws_kms_key.east.key_id"}])])
	contains(finding.msg, "Region entry us-east-1 names its key by a key ID (aws_kms_key.east.key_id): use the key ARN")
}

test_finding_alias_arn_reference if {
	[finding] := _findings([plans.key("east", {}), _alias, plans.replication_set([{"name": "us-east-1", "ref": "aws_kms_alias.east.arn"}])])
	contains(finding.msg, "an alias ARN")
}

test_finding_literal_alias_arn if {
	count(_findings([plans.replication_set([{"name": "us-east-1", "arn": "arn:aws:kms:us-east-1:111122223333:alias/incident-manager"}])])) == 1
}

test_no_finding_key_arn_reference if {
	_findings([plans.key("east", {}), plans.replication_set([{"name": "us-east-1", "ref": "aws_kms_key.east.arn"}])]) == []
}

test_no_finding_alias_target_key_arn if {
	_findings([plans.key("east", {}), _alias, plans.replication_set([{"name": "us-east-1", "ref": "aws_kms_alias.east.target_key_arn"}])]) == []
}

test_no_finding_naming_that_cannot_be_told if {
	_findings([plans.replication_set([{"name": "us-east-1", "ref": "var.key_arn"}])]) == []
}
