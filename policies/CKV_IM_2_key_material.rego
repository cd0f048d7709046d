# METADATA
# title: Ensure the Incident Manager KMS key has no imported key material and no custom key store
# description: |
#   Incident Manager does not support KMS keys with imported key material
#   (aws_kms_external_key, aws_kms_replica_external_key, origin EXTERNAL) or in a
#   custom key store (custom_key_store_id, xks_key_id, origin AWS_CLOUDHSM or
#   EXTERNAL_KEY_STORE).
# related_resources:
#   - ref: docs/rules/CKV_IM_2.md
#     description: rule page
# custom:
#   id: CKV_IM_2
#   severity: HIGH
package incident_manager.rules.ckv_im_2

import rego.v1

import data.incident_manager.lib.report
import data.incident_manager.lib.view

rule := {"id": "CKV_IM_2", "severity": "HIGH"}

_external_key_types := {"aws_kms_external_key", "aws_kms_replica_external_key"}

_origin_problems := {
	"EXTERNAL": "origin EXTERNAL means imported key material",
	"AWS_CLOUDHSM": "origin AWS_CLOUDHSM means a custom key store",
	"EXTERNAL_KEY_STORE": "origin EXTERNAL_KEY_STORE means a custom key store",
}

findings contains report.finding(rule, address, problems) if {
	some address in view.incident_manager_keys
	key := view.keys[address]
	problems := array.concat(array.concat(
		[sprintf("it is an %s: a key with imported key material", [key.type]) | key.type in _external_key_types],
		[_origin_problems[origin] | some origin in _origins(key)],
	), [sprintf("%s is set (%v); custom key stores are not supported", [field, value]) |
		some field in ["custom_key_store_id", "xks_key_id"]
		value := key[field]
		not value in {null, ""}
	])
	count(problems) > 0
}

# The key's origin, and its primary's for a replica.
_origins(key) := [origin |
	some source in array.concat([key], [primary | primary := view.keys[key.primary]])
	origin := source.origin
]
