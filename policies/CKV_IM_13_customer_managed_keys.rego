# METADATA
# title: Ensure every replication set Region entry uses a customer managed key
# description: |
#   Teams that must hold their own keys want every Region entry on a customer
#   managed key. A finding when an entry uses the AWS owned key. Low severity:
#   many users skip it on purpose.
# related_resources:
#   - ref: docs/rules/CKV_IM_13.md
#     description: rule page
# custom:
#   id: CKV_IM_13
#   severity: LOW
package incident_manager.rules.ckv_im_13

import rego.v1

import data.incident_manager.lib.report
import data.incident_manager.lib.view

rule := {"id": "CKV_IM_13", "severity": "LOW"}

findings contains report.finding(rule, address, [problem]) if {
	some address, rset in view.replication_sets
	owned := [entry | some entry in rset.entries; "key" in object.keys(entry); entry.key == null]
	count(owned) > 0
	problem := sprintf("entries %s use the AWS owned key: give them a customer managed key", [report.entry_names(owned)])
}
