# METADATA
# title: Ensure the Incident Manager key policy grants Incident Manager its required access
# description: |
#   The key policy must let ssm-incidents and ssm-contacts call kms:CreateGrant and
#   kms:DescribeKey through an Allow statement scoped by a kms:ViaService
#   condition, and no Deny statement may stop them (RULES.md, "Matching IAM
#   policy elements"). No key policy at all is a finding; an unresolved one is not.
# related_resources:
#   - ref: docs/rules/CKV_IM_7.md
#     description: rule page
# custom:
#   id: CKV_IM_7
#   severity: HIGH
package incident_manager.rules.ckv_im_7

import rego.v1

import data.incident_manager.lib.iam
import data.incident_manager.lib.report
import data.incident_manager.lib.view

rule := {"id": "CKV_IM_7", "severity": "HIGH"}

findings contains report.finding(rule, address, ["no key policy: the AWS default key policy has no Incident Manager statement"]) if {
	some address in view.incident_manager_keys
	key := view.keys[address]
	key.policy == null
	not key.policy_may_be_replaced
}

findings contains report.finding(rule, address, array.concat([sprintf("key policy from %s", [key.policy_source])], problems)) if {
	some address in view.incident_manager_keys
	key := view.keys[address]
	is_object(key.policy)
	not key.policy_may_be_replaced
	problems := iam.required_grant_problems(key.policy, object.get(key, "region", null))
	count(problems) > 0
}
