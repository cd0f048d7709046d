# METADATA
# title: Ensure the Incident Manager KMS key is enabled and guarded against deletion
# description: |
#   A disabled or deleted key makes the Incident Manager data it protects
#   unreadable. A finding when the key is explicitly disabled, or when the view
#   knows its deletion guard and it is missing (a plan carries no lifecycle: only
#   the disabled half applies to plans).
# related_resources:
#   - ref: docs/rules/CKV_IM_9.md
#     description: rule page
# custom:
#   id: CKV_IM_9
#   severity: MEDIUM
package incident_manager.rules.ckv_im_9

import rego.v1

import data.incident_manager.lib.report
import data.incident_manager.lib.view

rule := {"id": "CKV_IM_9", "severity": "MEDIUM"}

findings contains report.finding(rule, address, problems) if {
	some address in view.incident_manager_keys
	key := view.keys[address]
	problems := array.concat(
		["the key is disabled: the Incident Manager data it protects is unreadable" | key.enabled == false],
		[sprintf("no deletion guard (deleting the key makes Incident Manager data unreadable): %s", [_hint(key)]) |
			key.deletion_guard != true
		],
	)
	count(problems) > 0
}

_hint(key) := object.get(key, "deletion_guard_hint", "add lifecycle { prevent_destroy = true }")
