# METADATA
# title: Ensure a replication set uses customer managed keys in all Region entries or in none
# description: |
#   The AWS provider: "You must either use AWS-owned keys on all regions of a
#   replication set, or customer managed keys." A finding when some entries set a
#   customer managed key and others use the AWS owned key.
# related_resources:
#   - ref: docs/rules/CKV_IM_4.md
#     description: rule page
# custom:
#   id: CKV_IM_4
#   severity: MEDIUM
package incident_manager.rules.ckv_im_4

import rego.v1

import data.incident_manager.lib.report
import data.incident_manager.lib.view

rule := {"id": "CKV_IM_4", "severity": "MEDIUM"}

findings contains report.finding(rule, address, [problem]) if {
	some address, rset in view.replication_sets
	with_key := [entry | some entry in rset.entries; _certainly_a_key(entry)]
	without_key := [entry | some entry in rset.entries; _aws_owned(entry)]
	count(with_key) > 0
	count(without_key) > 0
	problem := sprintf("entries %s use customer managed keys but %s use the AWS owned key: use customer managed keys in all Regions or in none", [report.entry_names(with_key), report.entry_names(without_key)])
}

# a key reference that can be neither null nor the AWS owned key
_certainly_a_key(entry) if {
	is_object(entry.key)
	not entry.key.certain == false
}

_aws_owned(entry) if {
	"key" in object.keys(entry)
	entry.key == null
}
