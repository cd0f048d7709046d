# METADATA
# title: The normalised resource view
# description: |
#   What every rule reads, whatever the input: KMS keys, replication sets with
#   their Region entries, Incident Manager resources and SNS topics, by the
#   resource name Checkov reports. Each input format has its own view module
#   (plan.rego today; a CloudFormation one beside it) that builds these from its
#   input; this package picks the one that matches the input, and derives what
#   all formats share (which keys are Incident Manager keys).
#
#   Shapes (a field left out is a value that could not be resolved):
#   - keys[name]: address, type, origin, is_replica, primary, region, key_spec,
#     key_usage, custom_key_store_id, xks_key_id, enabled, deletion_guard,
#     description, tags, policy (null: no key policy; an object: the document,
#     unresolved parts as util.unresolved), policy_source
#   - replication_sets[name]: address, provider_region, deletion_guard, plan,
#     entries: [{name, key}] with key null (the AWS owned key) or
#     {text, naming, region, key} (key: the key resource in the scan)
#   - destroyed_replication_sets[name]: sets a plan destroys outright
#   - im_resources[name]: address, type, name_fields, tags, config
#   - topics[name]: address, kms_master_key_id, used_by (response plans)
package incident_manager.lib.view

import rego.v1

import data.incident_manager.lib.iam
import data.incident_manager.lib.plan
import data.incident_manager.lib.util

default keys := {}

default replication_sets := {}

default destroyed_replication_sets := {}

default im_resources := {}

default topics := {}

keys := plan.keys if plan.is_plan

replication_sets := plan.replication_sets if plan.is_plan

destroyed_replication_sets := plan.destroyed_replication_sets if plan.is_plan

im_resources := plan.im_resources if plan.is_plan

topics := plan.topics if plan.is_plan

# Keys a Region entry of a replication set in the scan points at.
used_keys := {entry.key.key |
	some rset in replication_sets
	some entry in util.array_of(object.get(rset, "entries", []))
	is_string(entry.key.key)
}

# RULES.md "Incident Manager key": used by a replication set of the scan, or its key
# policy is written for Incident Manager. Key-level rules judge only these.
incident_manager_keys := {address |
	some address, _ in keys
	address in used_keys
} | {address |
	some address, key in keys
	is_object(key.policy)
	iam.names_incident_manager(key.policy)
}

# What the input is, when a view reads it (the rules judge nothing otherwise).
input_kind := "terraform_plan" if plan.is_plan
