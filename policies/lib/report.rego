# METADATA
# title: Findings
# description: |
#   The objects data.incident_manager.deny is made of: {"id", "severity",
#   "resource", "msg"}, with `resource` named as Checkov names it and `msg`
#   saying what Checkov's details lines say (conftest prints `msg`).
package incident_manager.lib.report

import rego.v1

import data.incident_manager.lib.iam

finding(rule, resource, details) := {
	"id": rule.id,
	"severity": rule.severity,
	"resource": resource,
	"msg": sprintf("%s %s: %s", [rule.id, resource, concat("; ", details)]),
}

# `us-west-2`, the stack Region of a template entry named `!Ref AWS::Region`, or a placeholder
# for an entry whose Region is not resolved
entry_label(entry) := "the stack Region (!Ref AWS::Region)" if entry.name == iam.stack_region

else := entry.name if is_string(entry.name)

else := "an unresolved Region"

entry_names(entries) := concat(", ", [entry_label(entry) | some entry in entries])
