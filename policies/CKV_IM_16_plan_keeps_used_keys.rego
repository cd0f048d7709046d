# METADATA
# title: Ensure the plan does not delete or disable a KMS key a replication set still uses
# description: |
#   Delete the replication set before disabling or deleting its key. A finding on
#   the replication set when the plan deletes, replaces or disables a KMS key one
#   of its Region entries uses before or after the plan, while the set itself
#   stays.
# related_resources:
#   - ref: docs/rules/CKV_IM_16.md
#     description: rule page
# custom:
#   id: CKV_IM_16
#   severity: HIGH
package incident_manager.rules.ckv_im_16

import rego.v1

import data.incident_manager.lib.report
import data.incident_manager.lib.view

rule := {"id": "CKV_IM_16", "severity": "HIGH"}

findings contains report.finding(rule, address, rset.plan.lost_keys) if {
	some address, rset in view.replication_sets
	count(rset.plan.lost_keys) > 0
}
