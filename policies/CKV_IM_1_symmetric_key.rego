# METADATA
# title: Ensure the Incident Manager KMS key is a symmetric encryption key
# description: |
#   Incident Manager supports only symmetric encryption KMS keys: the key spec
#   must be SYMMETRIC_DEFAULT and the key usage ENCRYPT_DECRYPT (both the
#   defaults). A replica key takes the spec of its primary; an unresolved
#   primary gives no finding.
# related_resources:
#   - ref: docs/rules/CKV_IM_1.md
#     description: rule page
# custom:
#   id: CKV_IM_1
#   severity: HIGH
package incident_manager.rules.ckv_im_1

import rego.v1

import data.incident_manager.lib.report
import data.incident_manager.lib.view

rule := {"id": "CKV_IM_1", "severity": "HIGH"}

_wanted := [["key spec", "key_spec", "SYMMETRIC_DEFAULT"], ["key usage", "key_usage", "ENCRYPT_DECRYPT"]]

findings contains report.finding(rule, address, problems) if {
	some address in view.incident_manager_keys
	source := _spec_source(view.keys[address])
	problems := [sprintf("%s is %v; Incident Manager supports only %s keys", [label, value, wanted]) |
		some [label, field, wanted] in _wanted
		value := source[field]
		value != wanted
	]
	count(problems) > 0
}

# A replica's spec is its primary's.
_spec_source(key) := view.keys[key.primary] if key.is_replica == true

_spec_source(key) := key if key.is_replica != true
