# METADATA
# title: Ensure the replication set is guarded against deletion
# description: |
#   Deleting a replication set deletes all Incident Manager data. A finding when
#   a template's replication set has neither DeletionPolicy Retain /
#   RetainExceptOnCreate nor DeletionProtected: true (a guard that is not
#   resolved, such as a parameter without a Default, gives none). A plan carries
#   no lifecycle: the plan view leaves the guard unresolved, so plans get no
#   finding here (CKV_IM_15 covers them).
# related_resources:
#   - ref: docs/rules/CKV_IM_6.md
#     description: rule page
# custom:
#   id: CKV_IM_6
#   severity: MEDIUM
package incident_manager.rules.ckv_im_6

import rego.v1

import data.incident_manager.lib.report
import data.incident_manager.lib.view

rule := {"id": "CKV_IM_6", "severity": "MEDIUM"}

findings contains report.finding(rule, address, [problem]) if {
	some address, rset in view.replication_sets
	rset.deletion_guard != true
	problem := sprintf("no deletion guard (deleting the replication set deletes all Incident Manager data): %s", [object.get(rset, "deletion_guard_hint", "add lifecycle { prevent_destroy = true }")])
}
