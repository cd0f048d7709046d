package incident_manager_test.rules.ckv_im_7

import rego.v1

import data.incident_manager_test.plans
import data.incident_manager_test.templates

_findings_with_policy(key_values) := [f |
	document := plans.plan([
		plans.key("east", key_values),
		plans.replication_set([{"name": "us-east-1", "ref": "aws_kms_key.east.arn"}]),
	])
	some f in data.incident_manager.deny with input as document
	f.id == "CKV_IM_7"
]

_policy(statements) := json.marshal({"Version": "2012-10-17", "Statement": statements})

test_finding_no_key_policy if {
	document := plans.plan([
		# no policy argument: the provider reads the default policy back, known only after apply
		json.patch(plans.key("east", {"policy": null}), [
			{"op": "remove", "path": "/expressions/policy"},
			{"op": "add", "path": "/after_unknown/policy", "value": true},
		]),
		plans.replication_set([{"name": "us-east-1", "ref": "aws_kms_key.east.arn"}]),
	])
	[finding] := [f | some f in data.incident_manager.deny with input as document; f.id == "CKV_IM_7"]
	contains(finding.msg, "no key policy")
}

test_finding_statement_without_kms_via_service if {
	statement := object.remove(plans.incident_manager_statement, ["Condition"])
	[finding] := _findings_with_policy({"policy": _policy([statement])})
	contains(finding.msg, "ssm-incidents cannot call kms:CreateGrant: no Allow statement grants it via kms:ViaService")
}

test_finding_values_without_the_region_name_the_statement if {
	statement := json.patch(plans.incident_manager_statement, [{"op": "replace", "path": "/Condition", "value": {"StringEquals": {"kms:ViaService": ["ssm-incidents.amazonaws.com", "ssm-contacts.amazonaws.com"]}}}])
	[finding] := _findings_with_policy({"policy": _policy([statement])})
	contains(finding.msg, "statement \"AllowIncidentManager\" names ssm-incidents.amazonaws.com in kms:ViaService, without a Region")
}

test_finding_deny_statement if {
	deny := {"Sid": "DenyContacts", "Effect": "Deny", "Principal": "*", "Action": "kms:CreateGrant", "Resource": "*", "Condition": {"StringEquals": {"kms:ViaService": "ssm-contacts.us-east-1.amazonaws.com"}}}
	[finding] := _findings_with_policy({"policy": _policy([plans.incident_manager_statement, deny])})
	contains(finding.msg, "statement \"DenyContacts\" denies kms:CreateGrant via ssm-contacts")
}

test_finding_mixed_case_value_admits_nothing if {
	statement := json.patch(plans.incident_manager_statement, [{"op": "replace", "path": "/Condition", "value": {"StringEquals": {"kms:ViaService": ["SSM-INCIDENTS.us-east-1.amazonaws.com", "ssm-contacts.us-east-1.amazonaws.com"]}}}])
	[finding] := _findings_with_policy({"policy": _policy([statement])})
	contains(finding.msg, "ssm-incidents cannot call")
	not contains(finding.msg, "ssm-contacts cannot call")
}

test_no_finding_guide_policy if {
	_findings_with_policy({}) == []
}

test_no_finding_ignore_case_operator if {
	statement := json.patch(plans.incident_manager_statement, [{"op": "replace", "path": "/Condition", "value": {"StringEqualsIgnoreCase": {"kms:ViaService": ["SSM-INCIDENTS.us-east-1.amazonaws.com", "ssm-contacts.US-EAST-1.amazonaws.com"]}}}])
	_findings_with_policy({"policy": _policy([statement])}) == []
}

test_no_finding_unresolved_policy if {
	document := plans.plan([
		object.union(plans.key("east", {}), {"after_unknown": {"policy": true}}),
		plans.replication_set([{"name": "us-east-1", "ref": "aws_kms_key.east.arn"}]),
	])
	[] == [f | some f in data.incident_manager.deny with input as document; f.id == "CKV_IM_7"]
}

test_no_finding_policy_with_policy_variables if {
	# "${aws:...}" reads as an unresolved expression (as in the Python adapter): no verdict
	statement := json.patch(plans.incident_manager_statement, [{"op": "replace", "path": "/Principal", "value": {"AWS": "arn:aws:iam::111122223333:user/${aws:username}"}}])
	_findings_with_policy({"policy": _policy([object.remove(statement, ["Condition"])])}) == []
}

# Statements that grant nothing: no resource covered, or no principal named.
_grants_nothing := [
	templates.merged(object.remove(plans.incident_manager_statement, ["Resource"]), {"NotResource": "*"}),
	templates.merged(plans.incident_manager_statement, {"Resource": []}),
	templates.merged(plans.incident_manager_statement, {"Principal": {"AWS": []}}),
]

test_finding_statement_that_grants_nothing if {
	every statement in _grants_nothing {
		[finding] := _findings_with_policy({"policy": _policy([statement])})
		contains(finding.msg, "ssm-contacts cannot call kms:DescribeKey")
	}
}

test_no_finding_not_resource_deny_denies_nothing if {
	deny := {"Effect": "Deny", "Principal": "*", "Action": "kms:*", "NotResource": "*"}
	_findings_with_policy({"policy": _policy([plans.incident_manager_statement, deny])}) == []
}

# --- CloudFormation templates ----------------------------------------------------------------------

_with_key(properties) := templates.template(templates.merged(templates.baseline, {"Key": templates.key(properties)}))

test_finding_template_used_key_without_key_policy if {
	document := templates.template(templates.merged(templates.baseline, {"Key": {"Type": "AWS::KMS::Key", "DeletionPolicy": "Retain"}}))
	templates.denied_by("CKV_IM_7", document) == {templates.key_name}
}

test_finding_template_via_service_values_lost if {
	statement := templates.merged(plans.incident_manager_statement, {"Condition": {"StringLike": {"kms:ViaService": ["", ""]}}})
	templates.denied_by("CKV_IM_7", _with_key({"KeyPolicy": {"Version": "2012-10-17", "Statement": [statement]}})) == {templates.key_name}
}

test_finding_template_via_service_pinned_to_another_region if {
	values := ["ssm-incidents.us-west-2.amazonaws.com", "ssm-contacts.us-west-2.amazonaws.com"]
	statement := templates.merged(plans.incident_manager_statement, {"Condition": {"StringEquals": {"kms:ViaService": values}}})
	document := _with_key({"KeyPolicy": {"Statement": [statement]}})
	templates.denied_by("CKV_IM_7", document) == set() # a stack key's Region is the stack's, unknown by name
	stack_values := [{"Fn::Sub": "ssm-incidents.${AWS::Region}.amazonaws.com"}, "ssm-contacts.us-west-2.amazonaws.com"]
	stack_statement := templates.merged(plans.incident_manager_statement, {"Condition": {"StringEquals": {"kms:ViaService": stack_values}}})
	templates.denied_by("CKV_IM_7", _with_key({"KeyPolicy": {"Statement": [stack_statement]}})) == set()
}

test_no_finding_template_policy_as_a_json_string if {
	templates.denied_by("CKV_IM_7", _with_key({"KeyPolicy": json.marshal(templates.policy)})) == set()
}

test_no_finding_template_policy_known_only_at_deployment if {
	templates.denied_by("CKV_IM_7", _with_key({"KeyPolicy": {"Fn::If": ["Strict", {}, templates.policy]}})) == set()
}

test_no_finding_template_via_service_for_the_stack_region if {
	values := [{"Fn::Sub": "ssm-incidents.${AWS::Region}.amazonaws.com"}, {"Fn::Sub": "ssm-contacts.${AWS::Region}.amazonaws.com"}]
	statement := templates.merged(plans.incident_manager_statement, {"Condition": {"StringEquals": {"kms:ViaService": values}}})
	templates.denied_by("CKV_IM_7", _with_key({"KeyPolicy": {"Statement": [statement]}})) == set()
}

test_finding_template_statement_that_grants_nothing if {
	every statement in _grants_nothing {
		templates.denied_by("CKV_IM_7", _with_key({"KeyPolicy": {"Statement": [statement]}})) == {templates.key_name}
	}
}

test_no_finding_template_not_resource_deny_denies_nothing if {
	deny := {"Effect": "Deny", "Principal": "*", "Action": "kms:*", "NotResource": "*"}
	templates.denied_by("CKV_IM_7", _with_key({"KeyPolicy": {"Statement": [plans.incident_manager_statement, deny]}})) == set()
}
