# METADATA
# title: Ensure SNS topics used by a response plan are encrypted with KMS
# description: |
#   Incident details flow through the SNS topics of a response plan's chat
#   channel and notification targets. A finding when such a topic of the scan
#   has no kms_master_key_id / KmsMasterKeyId. Topics no response plan uses get
#   no finding.
# related_resources:
#   - ref: docs/rules/CKV_IM_12.md
#     description: rule page
# custom:
#   id: CKV_IM_12
#   severity: MEDIUM
package incident_manager.rules.ckv_im_12

import rego.v1

import data.incident_manager.lib.report
import data.incident_manager.lib.view

rule := {"id": "CKV_IM_12", "severity": "MEDIUM"}

findings contains report.finding(rule, address, [problem]) if {
	some address, topic in view.topics
	count(topic.used_by) > 0
	topic.kms_master_key_id in {null, ""}
	problem := sprintf("%s carries incident details for %s but has no KMS key: encrypt it with a KMS key", [address, concat(", ", sort(topic.used_by))])
}
