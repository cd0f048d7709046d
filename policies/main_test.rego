package incident_manager_test.main

import rego.v1

import data.incident_manager_test.plans

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
	contains(warning.msg, "not a Terraform plan")
	count(data.incident_manager.warn) == 0 with input as _plan
}

# conftest queries data.<namespace>.exception[_][_] == "" for the `deny` rule: an exception rule
# naming "" exempts the input's deny findings (tests/test_rego_conftest.py runs that query).
test_no_exception_rule_is_defined_by_the_pack if {
	not data.incident_manager.exception with input as _plan
}
