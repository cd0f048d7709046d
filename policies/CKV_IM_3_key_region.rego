# METADATA
# title: Ensure every replication set Region entry uses a KMS key in that same Region
# description: |
#   Incident Manager needs the customer managed key of each Region entry in that
#   same Region. An entry whose key's Region or name is not resolved gives no
#   finding. Keys that live in a CloudFormation stack's Region all share one
#   Region: they cannot serve entries named by two different literal Regions,
#   nor a literal one beside an entry that is the stack Region itself.
# related_resources:
#   - ref: docs/rules/CKV_IM_3.md
#     description: rule page
# custom:
#   id: CKV_IM_3
#   severity: HIGH
package incident_manager.rules.ckv_im_3

import rego.v1

import data.incident_manager.lib.iam
import data.incident_manager.lib.report
import data.incident_manager.lib.view

rule := {"id": "CKV_IM_3", "severity": "HIGH"}

findings contains report.finding(rule, address, problems) if {
	some address, rset in view.replication_sets
	problems := array.concat(_mismatches(rset.entries), _stack_region_problems(rset.entries))
	count(problems) > 0
}

_mismatches(entries) := [sprintf("Region entry %s uses %s, a key in %v: use a key in %s", [entry.name, entry.key.text, region, entry.name]) |
	some entry in entries
	region := entry.key.region
	region != iam.stack_region
	entry.name != iam.stack_region
	region != entry.name
]

# Entries served by keys in the stack Region, other than the stack-Region entry itself.
_stack_served(entries) := [entry |
	some entry in entries
	entry.key.region == iam.stack_region
	not _named_stack_region(entry)
]

_named_stack_region(entry) if entry.name == iam.stack_region

_literal_names(entries) := {entry.name | some entry in _stack_served(entries); is_string(entry.name)}

_described(entries) := concat(", ", [sprintf("%s uses %s", [report.entry_label(entry), entry.key.text]) | some entry in _stack_served(entries)])

_stack_region_problems(entries) := [sprintf("keys of this stack live in one Region (the stack's) but serve entries for %s: %s", [concat(", ", sort(_literal_names(entries))), _described(entries)])] if {
	count(_literal_names(entries)) > 1
} else := [sprintf("a key of this stack serves the literal Region %s while another entry is the stack Region itself, so that literal cannot be the stack Region: %s", [name, _described(entries)])] if {
	count(_literal_names(entries)) == 1
	some entry in entries
	_named_stack_region(entry)
	some name in _literal_names(entries)
} else := []
