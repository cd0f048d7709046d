# METADATA
# title: Ensure the plan does not destroy, replace or re-key a replication set
# description: |
#   Recreating a replication set deletes all Incident Manager data, and Incident
#   Manager cannot change a Region's key in place. A finding when the plan's
#   resource_changes destroy or replace a replication set, or update a Region
#   entry's key. Unlike Checkov's plan runner, this rule also sees replication
#   sets the plan destroys outright (they are not in planned_values).
# related_resources:
#   - ref: docs/rules/CKV_IM_15.md
#     description: rule page
# custom:
#   id: CKV_IM_15
#   severity: HIGH
package incident_manager.rules.ckv_im_15

import rego.v1

import data.incident_manager.lib.report
import data.incident_manager.lib.view

rule := {"id": "CKV_IM_15", "severity": "HIGH"}

_data_loss := "recreating or deleting a replication set deletes all Incident Manager data (response plans, incidents, contacts, escalation plans)"

findings contains report.finding(rule, address, [sprintf("the plan %s %s: %s", [_verb(rset.plan.actions), address, _data_loss])]) if {
	some address, rset in _judged
	"delete" in rset.plan.actions
}

findings contains report.finding(rule, address, array.concat(rset.plan.rekeyed, ["Incident Manager cannot change a Region's key in place"])) if {
	some address, rset in view.replication_sets
	not "delete" in rset.plan.actions
	count(rset.plan.rekeyed) > 0
}

_judged := object.union(view.replication_sets, view.destroyed_replication_sets)

_verb(actions) := "replaces" if "create" in actions

else := "destroys"
