# METADATA
# title: Ensure no e-mail addresses or phone numbers are in Incident Manager tags and name fields
# description: |
#   No e-mail address or E.164 phone number in a tag key or value, or a name-like
#   field, of an Incident Manager resource or an Incident Manager key (its
#   description). Provider default tags (tags_all) do not count. Values that stay
#   unresolved are outside this rule's reach.
# related_resources:
#   - ref: docs/rules/CKV_IM_10.md
#     description: rule page
# custom:
#   id: CKV_IM_10
#   severity: MEDIUM
package incident_manager.rules.ckv_im_10

import rego.v1

import data.incident_manager.lib.report
import data.incident_manager.lib.text
import data.incident_manager.lib.view

rule := {"id": "CKV_IM_10", "severity": "MEDIUM"}

findings contains report.finding(rule, address, problems) if {
	some address, fields in _scanned_fields
	text.may_hold_personal_data(json.marshal(fields)) # one cheap test on the whole value first
	problems := [sprintf("%s: %s", [text.shown_path(fields, scanned[0], scanned[2]), found]) |
		some scanned in text.strings_in(fields)
		text.may_hold_personal_data(scanned[1])
		some found in text.personal_data(scanned[1])
	]
	count(problems) > 0
}

# The fields each subject shows: name fields and tags of Incident Manager resources, the
# description and tags of Incident Manager keys (unresolved ones are left out).
_scanned_fields[address] := object.union(resource.name_fields, {"tags": resource.tags | resource.tags}) if {
	some address, resource in view.im_resources
}

_scanned_fields[address] := {name: key[name] | some name in ["description", "tags"]; name in object.keys(key)} if {
	some address in view.incident_manager_keys
	key := view.keys[address]
}
