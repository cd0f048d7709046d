# METADATA
# title: CKV_IM rules for OPA
# description: |
#   The entry point: data.incident_manager.deny, the findings of every rule
#   (policies/CKV_IM_<n>_<name>.rego) as {"id", "severity", "resource", "msg"},
#   less those the exceptions data removes. conftest reads `deny` here with
#   `--namespace incident_manager` and prints each finding's `msg`.
#
#   Exceptions: data.incident_manager.exceptions, a list of
#   {"id": "CKV_IM_13", "resource": "aws_ssmincidents_replication_set.main",
#   "reason": "..."}; an entry without all three is not applied and shows in
#   `warn`. The removed findings are in `suppressed`.
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

# conftest shows warnings: an exception that cannot apply, and an input these policies cannot read.
warn contains {"msg": sprintf("exception %v needs an id, a resource and a reason: it is not applied", [exception])} if {
	some exception in _exceptions
	not _valid_exception(exception)
}

warn contains {"msg": "the input is not a Terraform plan these policies read (terraform show -json output, format_version 1.x, not errored): no rule was evaluated"} if {
	not view.input_kind
}
