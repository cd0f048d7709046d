package incident_manager_test.rules.ckv_im_8

import rego.v1

import data.incident_manager_test.plans
import data.incident_manager_test.templates

_findings(statement) := [f |
	document := plans.plan([
		plans.key("east", {"policy": json.marshal({"Statement": [statement]})}),
		plans.replication_set([{"name": "us-east-1", "ref": "aws_kms_key.east.arn"}]),
	])
	some f in data.incident_manager.deny with input as document
	f.id == "CKV_IM_8"
]

_wildcard := templates.merged(plans.incident_manager_statement, {"Principal": {"AWS": "*"}})

test_finding_wildcard_principal if {
	[finding] := _findings(_wildcard)
	contains(finding.msg, "statement \"AllowIncidentManager\" grants Incident Manager key access to principal \"*\"")
}

test_finding_wildcard_in_a_principal_list if {
	count(_findings(templates.merged(plans.incident_manager_statement, {"Principal": {"AWS": ["arn:aws:iam::111122223333:root", "*"]}}))) == 1
}

test_finding_pin_with_a_wildcard_pins_nothing if {
	statement := json.patch(_wildcard, [{"op": "add", "path": "/Condition/StringLike/kms:CallerAccount", "value": "1111*"}])
	count(_findings(statement)) == 1
}

_not_principal := templates.merged(object.remove(plans.incident_manager_statement, ["Principal"]), {"NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/ex"}})

test_finding_not_principal_grants_everyone_else if {
	[finding] := _findings(_not_principal)
	contains(finding.msg, "statement \"AllowIncidentManager\" grants Incident Manager key access to principal \"*\"")
}

test_finding_not_principal_with_an_if_exists_pin if {
	statement := json.patch(_not_principal, [{"op": "add", "path": "/Condition/StringEqualsIfExists", "value": {"kms:CallerAccount": "111122223333"}}])
	count(_findings(statement)) == 1
}

test_no_finding_not_principal_caller_pinned if {
	statement := json.patch(_not_principal, [{"op": "add", "path": "/Condition/StringEquals", "value": {"kms:CallerAccount": "111122223333"}}])
	_findings(statement) == []
}

test_no_finding_caller_pinned if {
	statement := json.patch(_wildcard, [{"op": "add", "path": "/Condition/StringEquals", "value": {"kms:CallerAccount": "111122223333"}}])
	_findings(statement) == []
}

test_no_finding_named_principal if {
	_findings(plans.incident_manager_statement) == []
}

test_no_finding_wildcard_statement_that_grants_no_incident_manager_access if {
	_findings({"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"}) == []
}

# --- CloudFormation templates ----------------------------------------------------------------------

_with_statement(statement) := templates.template(templates.merged(templates.baseline, {"Key": templates.key({"KeyPolicy": {"Statement": [statement]}})}))

test_finding_template_wildcard_principal_without_caller_pin if {
	statement := templates.merged(plans.incident_manager_statement, {"Principal": {"AWS": "*"}})
	templates.denied_by("CKV_IM_8", _with_statement(statement)) == {templates.key_name}
}

test_no_finding_template_wildcard_principal_pinned_to_the_account if {
	condition := object.union(plans.incident_manager_statement.Condition, {"StringEquals": {"kms:CallerAccount": templates.ref("AWS::AccountId")}})
	statement := templates.merged(plans.incident_manager_statement, {"Principal": "*", "Condition": condition})
	templates.denied_by("CKV_IM_8", _with_statement(statement)) == set()
}

test_no_finding_template_principal_built_with_sub if {
	statement := templates.merged(plans.incident_manager_statement, {"Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}}})
	templates.denied_by("CKV_IM_8", _with_statement(statement)) == set()
}

test_finding_template_not_principal_without_caller_pin if {
	templates.denied_by("CKV_IM_8", _with_statement(_not_principal)) == {templates.key_name}
}

test_no_finding_template_not_principal_pinned_to_the_account if {
	condition := object.union(plans.incident_manager_statement.Condition, {"StringEquals": {"kms:CallerAccount": templates.ref("AWS::AccountId")}})
	statement := templates.merged(_not_principal, {"Condition": condition})
	templates.denied_by("CKV_IM_8", _with_statement(statement)) == set()
}
