# METADATA
# title: Ensure every replication set Region entry names its KMS key by key ARN
# description: |
#   The AWS provider refuses anything but a key ARN in kms_key_arn, a reference
#   only at apply time; in CloudFormation a key ID or alias names no Region and
#   can be re-pointed. A finding when an entry names its key by key ID, alias ARN,
#   alias name or a value that is no KMS key identifier.
# related_resources:
#   - ref: docs/rules/CKV_IM_14.md
#     description: rule page
# custom:
#   id: CKV_IM_14
#   severity: MEDIUM
package incident_manager.rules.ckv_im_14

import rego.v1

import data.incident_manager.lib.report
import data.incident_manager.lib.view

rule := {"id": "CKV_IM_14", "severity": "MEDIUM"}

_naming_problems := {
	"key_id": "a key ID",
	"alias_arn": "an alias ARN",
	"alias_name": "an alias name",
	"other": "a value that is not a KMS key identifier",
}

findings contains report.finding(rule, address, problems) if {
	some address, rset in view.replication_sets
	problems := [sprintf("Region entry %s names its key by %s (%s): use the key ARN", [report.entry_label(entry), _naming_problems[entry.key.naming], entry.key.text]) |
		some entry in rset.entries
		_naming_problems[entry.key.naming]
	]
	count(problems) > 0
}
