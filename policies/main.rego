# METADATA
# title: CKV_IM rules for OPA
# description: |
#   The entry point: data.incident_manager.deny, the findings of every rule
#   (policies/CKV_IM_<n>_<name>.rego) as {"id", "severity", "resource", "msg"},
#   less those the exceptions data removes. conftest reads `deny` here with
#   `--namespace incident_manager` and prints each finding's `msg`.
#
#   The input is a Terraform plan (`terraform show -json`) or a CloudFormation
#   template as JSON (long-form intrinsics: YAML with short-form tags goes through
#   `python -m ckv_im.cfn_json` first).
#
#   Exceptions: data.incident_manager.exceptions, a list of
#   {"id": "CKV_IM_13", "resource": "aws_ssmincidents_replication_set.main",
#   "reason": "..."}; an entry without all three is not applied and shows in
#   `warn`. In a template, a resource's Metadata suppresses a rule as Checkov
#   (`checkov: {skip: [{id: CKV_IM_6, comment: ...}]}`) or cfn-lint
#   (`cfn-lint: {config: {ignore_checks: [W9006]}}`) reads it. The removed
#   findings are in `suppressed`.
# related_resources:
#   - ref: README.md
#     description: usage with opa eval and conftest
package incident_manager

import rego.v1

import data.incident_manager.lib.view

deny contains finding if {
	some finding in _findings
	not _excepted(finding)
}

suppressed contains finding if {
	some finding in _findings
	_excepted(finding)
}

_findings contains finding if {
	some finding in data.incident_manager.rules[_].findings
}

_exceptions := data.incident_manager.exceptions if is_array(data.incident_manager.exceptions)

else := []

_valid_exception(exception) if {
	is_string(exception.id)
	is_string(exception.resource)
	is_string(exception.reason)
	trim_space(exception.reason) != ""
}

_excepted(finding) if {
	some exception in _exceptions
	_valid_exception(exception)
	exception.id == finding.id
	exception.resource == finding.resource
}

_excepted(finding) if finding.id in view.metadata_suppressions[finding.resource].checkov

_excepted(finding) if _lint_rule_id(finding) in view.metadata_suppressions[finding.resource].cfn_lint

# CKV_IM_3 -> E9003: cfn-lint's level letter for the severity, then 9 and the rule number.
_lint_rule_id(finding) := sprintf("%s9%03d", [{"HIGH": "E", "MEDIUM": "W", "LOW": "I"}[finding.severity], to_number(split(finding.id, "_")[2])])

# conftest shows warnings: an exception that cannot apply, and an input these policies cannot read.
warn contains {"msg": sprintf("exception %v needs an id, a resource and a reason: it is not applied", [exception])} if {
	some exception in _exceptions
	not _valid_exception(exception)
}

warn contains {"msg": "the input is neither a Terraform plan these policies read (terraform show -json output, format_version 1.x, not errored) nor a CloudFormation template (Resources with Type strings): no rule was evaluated"} if {
	not view.input_kind
}

warn contains {"msg": sprintf("%s looks like a short-form tag (!Ref, !GetAtt, !Sub) lost in YAML parsing, so the template is judged as something else: convert it with python -m ckv_im.cfn_json template.yaml > template.json and judge the JSON", [value])} if {
	some value in view.lost_tags
}
