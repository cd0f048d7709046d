package incident_manager_test.rules.ckv_im_14

import rego.v1

import data.incident_manager_test.plans
import data.incident_manager_test.templates

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

# --- CloudFormation templates ----------------------------------------------------------------------

_named(key_id) := templates.template({
	"Key": templates.key({}),
	"Alias": {"Type": "AWS::KMS::Alias", "Properties": {"AliasName": "alias/incident-manager", "TargetKeyId": templates.ref("Key")}},
	"Set": templates.replication_set([templates.entry(templates.ref("AWS::Region"), key_id)]),
})

test_finding_template_ref_of_a_key_is_its_key_id if {
	templates.denied_by("CKV_IM_14", _named(templates.ref("Key"))) == {templates.set_name}
}

test_finding_template_ref_of_an_alias_is_its_name if {
	templates.denied_by("CKV_IM_14", _named(templates.ref("Alias"))) == {templates.set_name}
}

test_finding_template_key_id_attribute if {
	templates.denied_by("CKV_IM_14", _named(templates.get_att("Key", "KeyId"))) == {templates.set_name}
}

test_finding_template_alias_arn_built_with_sub if {
	templates.denied_by("CKV_IM_14", _named({"Fn::Sub": "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/incident-manager"})) == {templates.set_name}
}

test_no_finding_template_key_arn if {
	templates.denied_by("CKV_IM_14", _named(templates.get_att("Key", "Arn"))) == set()
}

test_no_finding_template_key_arn_built_with_sub if {
	templates.denied_by("CKV_IM_14", _named({"Fn::Sub": "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${Key}"})) == set()
}

test_no_finding_template_key_arn_built_with_join if {
	arn := {"Fn::Join": [":", ["arn", templates.ref("AWS::Partition"), "kms", templates.ref("AWS::Region"), templates.ref("AWS::AccountId"), {"Fn::Join": ["/", ["key", templates.ref("Key")]]}]]}
	templates.denied_by("CKV_IM_14", _named(arn)) == set()
}
