# METADATA
# title: Ensure the provider Region of a replication set is one of its Regions
# description: |
#   The AWS provider: "The Region specified by a Terraform provider must always be
#   one of the Regions specified for the replication set." A finding when the
#   replication set's provider Region is resolved and no entry is named after it.
#   Not applicable to CloudFormation.
# related_resources:
#   - ref: docs/rules/CKV_IM_5.md
#     description: rule page
# custom:
#   id: CKV_IM_5
#   severity: MEDIUM
package incident_manager.rules.ckv_im_5

import rego.v1

import data.incident_manager.lib.report
import data.incident_manager.lib.view

rule := {"id": "CKV_IM_5", "severity": "MEDIUM"}

findings contains report.finding(rule, address, [problem]) if {
	some address, rset in view.replication_sets
	region := rset.provider_region
	entries := rset.entries
	every entry in entries {
		is_string(entry.name)
		entry.name != region
	}
	problem := sprintf("the provider of %s is in %s, which is not one of its Regions (%s): add a %s entry or use a provider in one of them", [address, region, _names(entries), region])
}

_names(entries) := report.entry_names(entries) if count(entries) > 0

else := "none"
