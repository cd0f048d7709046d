# METADATA
# title: The normalised resource view
# description: |
#   What every rule reads, whatever the input: KMS keys, replication sets with
#   their Region entries, Incident Manager resources and SNS topics, by the
#   resource name Checkov reports. Each input format has its own view module
#   (plan.rego for Terraform plans, cloudformation.rego for templates) that builds
#   these from its input; this package picks the one that matches the input (a
#   plan by its format_version, a template by its Resources with Type strings),
#   and derives what all formats share (which keys are Incident Manager keys).
#
#   Shapes (a field left out is a value that could not be resolved):
#   - keys[name]: address, type, origin, is_replica, primary, region, key_spec,
#     key_usage, custom_key_store_id, xks_key_id, enabled, deletion_guard,
#     description, tags, policy (null: no key policy; an object: the document,
#     unresolved parts as util.unresolved), policy_source, deletion_guard_hint
#   - replication_sets[name]: address, provider_region, deletion_guard,
#     deletion_guard_hint, plan, entries: [{name, key}] with key null (the AWS
#     owned key) or {text, naming, region, key, certain} (key: the key resource in
#     the scan; certain false: a value that may still be unset at deployment)
#   A Region (a key's, an entry's name) may be iam.stack_region: the Region a
#   CloudFormation stack is deployed to, one Region unknown by name.
#   - destroyed_replication_sets[name]: sets a plan destroys outright
#   - im_resources[name]: address, type, name_fields, tags, config
#   - topics[name]: address, kms_master_key_id, used_by (response plans)
#   - metadata_suppressions[name]: {checkov, cfn_lint}, the rule IDs a template
#     resource's Metadata suppresses; lost_tags: values of a YAML template that
#     lost its short-form tags in parsing (main.rego warns about them)
package incident_manager.lib.view

import rego.v1

import data.incident_manager.lib.cloudformation
import data.incident_manager.lib.iam
import data.incident_manager.lib.plan
import data.incident_manager.lib.util

default keys := {}

default replication_sets := {}

default destroyed_replication_sets := {}

default im_resources := {}

default topics := {}

default metadata_suppressions := {}

default lost_tags := set()

keys := plan.keys if plan.is_plan

else := cloudformation.keys if cloudformation.is_template

replication_sets := plan.replication_sets if plan.is_plan

else := cloudformation.replication_sets if cloudformation.is_template

destroyed_replication_sets := plan.destroyed_replication_sets if plan.is_plan

im_resources := plan.im_resources if plan.is_plan

else := cloudformation.im_resources if cloudformation.is_template

topics := plan.topics if plan.is_plan

else := cloudformation.topics if cloudformation.is_template

metadata_suppressions := cloudformation.metadata_suppressions if {
	not plan.is_plan
	cloudformation.is_template
}

lost_tags := cloudformation.lost_tags if {
	not plan.is_plan
	cloudformation.is_template
}

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

else := "cloudformation" if cloudformation.is_template
