package incident_manager_test.main

import rego.v1

import data.incident_manager_test.plans
import data.incident_manager_test.templates

# a plan with one finding: CKV_IM_13 on the replication set
_plan := plans.plan([plans.replication_set([{"name": "us-east-1"}])])

_finding := {
	"id": "CKV_IM_13",
	"severity": "LOW",
	"resource": "aws_ssmincidents_replication_set.main",
	"msg": "CKV_IM_13 aws_ssmincidents_replication_set.main: entries us-east-1 use the AWS owned key: give them a customer managed key",
}

test_deny_is_the_findings_of_every_rule if {
	data.incident_manager.deny == {_finding} with input as _plan
}

test_an_exception_removes_its_finding if {
	exceptions := [{"id": "CKV_IM_13", "resource": "aws_ssmincidents_replication_set.main", "reason": "AWS owned keys on purpose"}]
	data.incident_manager.deny == set() with input as _plan with data.incident_manager.exceptions as exceptions
	data.incident_manager.suppressed == {_finding} with input as _plan with data.incident_manager.exceptions as exceptions
}

test_an_exception_for_another_rule_or_resource_removes_nothing if {
	exceptions := [
		{"id": "CKV_IM_4", "resource": "aws_ssmincidents_replication_set.main", "reason": "x"},
		{"id": "CKV_IM_13", "resource": "aws_ssmincidents_replication_set.other", "reason": "x"},
	]
	data.incident_manager.deny == {_finding} with input as _plan with data.incident_manager.exceptions as exceptions
}

test_an_exception_without_a_reason_is_not_applied_and_warns if {
	exceptions := [{"id": "CKV_IM_13", "resource": "aws_ssmincidents_replication_set.main", "reason": " "}]
	data.incident_manager.deny == {_finding} with input as _plan with data.incident_manager.exceptions as exceptions
	[warning] := [w | some w in data.incident_manager.warn with input as _plan with data.incident_manager.exceptions as exceptions]
	contains(warning.msg, "needs an id, a resource and a reason")
}

test_exceptions_data_of_another_shape_is_ignored if {
	data.incident_manager.deny == {_finding} with input as _plan with data.incident_manager.exceptions as {"CKV_IM_13": "x"}
}

test_input_that_is_no_plan_warns if {
	[warning] := [w | some w in data.incident_manager.warn with input as {"Resources": {}}]
	contains(warning.msg, "neither a Terraform plan")
	count(data.incident_manager.warn) == 0 with input as _plan
}

# conftest queries data.<namespace>.exception[_][_] == "" for the `deny` rule: an exception rule
# naming "" exempts the input's deny findings (tests/test_rego_conftest.py runs that query).
test_no_exception_rule_is_defined_by_the_pack if {
	not data.incident_manager.exception with input as _plan
}

# --- CloudFormation templates ----------------------------------------------------------------------

# a template with one finding: CKV_IM_6 on the replication set (DeletionPolicy Delete)
_template(metadata) := templates.template({
	"Key": templates.key({}),
	"Set": object.union(
		templates.replication_set_with([templates.entry(templates.ref("AWS::Region"), templates.get_att("Key", "Arn"))], {}, {"DeletionPolicy": "Delete"}),
		metadata,
	),
})

test_deny_judges_a_template_through_the_same_entry_point if {
	templates.denied(_template({})) == {["CKV_IM_6", templates.set_name]}
	count(data.incident_manager.warn) == 0 with input as _template({})
}

test_an_exception_removes_a_template_finding if {
	exceptions := [{"id": "CKV_IM_6", "resource": templates.set_name, "reason": "guarded by an AWS Backup vault lock"}]
	data.incident_manager.deny == set() with input as _template({}) with data.incident_manager.exceptions as exceptions
	[finding] := [f | some f in data.incident_manager.suppressed with input as _template({}) with data.incident_manager.exceptions as exceptions]
	finding.id == "CKV_IM_6"
}

test_a_checkov_skip_in_resource_metadata_suppresses_the_finding if {
	document := _template({"Metadata": {"checkov": {"skip": [{"id": "CKV_IM_6", "comment": "guarded outside this stack"}]}}})
	templates.denied(document) == set()
	{f.id | some f in data.incident_manager.suppressed with input as document} == {"CKV_IM_6"}
}

test_a_cfn_lint_ignore_check_in_resource_metadata_suppresses_the_finding if {
	document := _template({"Metadata": {"cfn-lint": {"config": {"ignore_checks": ["W9006"]}}}})
	templates.denied(document) == set()
}

test_metadata_suppressions_of_other_rules_or_resources_remove_nothing if {
	other_rule := _template({"Metadata": {"checkov": {"skip": [{"id": "CKV_IM_13"}]}, "cfn-lint": {"config": {"ignore_checks": ["E9006", "W9013"]}}}})
	templates.denied(other_rule) == {["CKV_IM_6", templates.set_name]}
	on_the_key := templates.template({
		"Key": object.union(templates.key({}), {"Metadata": {"checkov": {"skip": [{"id": "CKV_IM_6"}]}}}),
		"Set": _template({}).Resources.Set,
	})
	templates.denied(on_the_key) == {["CKV_IM_6", templates.set_name]}
}

# YAML read without CloudFormation's tags: `!Ref AWS::Region` became "AWS::Region", `!GetAtt Key.Arn` "Key.Arn"
test_a_template_that_lost_its_short_form_tags_warns if {
	document := templates.template({
		"Key": templates.key({"Description": "Incident Manager key of ${AWS::StackName}"}),
		"Set": templates.replication_set([templates.entry("AWS::Region", "Key.Arn")]),
	})
	warnings := {w.msg | some w in data.incident_manager.warn with input as document}
	count(warnings) == 3
	every warning in warnings {
		contains(warning, "python -m ckv_im.cfn_json")
	}
}
