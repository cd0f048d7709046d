# METADATA
# title: Ensure no credentials are inside URLs of Incident Manager resources
# description: |
#   No string anywhere in an Incident Manager resource (runbook parameters,
#   integrations, chat settings, tags) may hold a URL with a password in its
#   user-info or a query parameter named like a credential (token, password,
#   X-Amz-Signature, ...). User-info without a password is not a finding.
# related_resources:
#   - ref: docs/rules/CKV_IM_11.md
#     description: rule page
# custom:
#   id: CKV_IM_11
#   severity: HIGH
package incident_manager.rules.ckv_im_11

import rego.v1

import data.incident_manager.lib.report
import data.incident_manager.lib.text
import data.incident_manager.lib.view

rule := {"id": "CKV_IM_11", "severity": "HIGH"}

findings contains report.finding(rule, address, problems) if {
	some address, resource in view.im_resources
	text.may_hold_url_credentials(json.marshal(resource.config)) # one cheap test on the whole value first
	problems := [sprintf("%s: %s", [text.shown_path(resource.config, scanned[0], scanned[2]), found]) |
		some scanned in text.strings_in(resource.config)
		text.may_hold_url_credentials(scanned[1])
		some found in text.url_credentials(scanned[1])
	]
	count(problems) > 0
}
