# METADATA
# title: Ensure the Incident Manager key policy statement names no wildcard principal
# description: |
#   An Allow statement that grants Incident Manager key access (as CKV_IM_7 reads
#   it) must not name principal "*" unless a condition pins the caller to
#   concrete values (StringEquals, or StringLike without wildcards, on
#   kms:CallerAccount, aws:PrincipalAccount, aws:PrincipalOrgID or aws:PrincipalArn).
# related_resources:
#   - ref: docs/rules/CKV_IM_8.md
#     description: rule page
# custom:
#   id: CKV_IM_8
#   severity: HIGH
package incident_manager.rules.ckv_im_8

import rego.v1

import data.incident_manager.lib.iam
import data.incident_manager.lib.report
import data.incident_manager.lib.view

rule := {"id": "CKV_IM_8", "severity": "HIGH"}

findings contains report.finding(rule, address, array.concat([sprintf("key policy from %s", [key.policy_source])], problems)) if {
	some address in view.incident_manager_keys
	key := view.keys[address]
	is_object(key.policy)
	not key.policy_may_be_replaced
	problems := iam.wildcard_principal_problems(key.policy, object.get(key, "region", null))
	count(problems) > 0
}
