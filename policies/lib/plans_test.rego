# METADATA
# title: Plan documents for the policy tests
# description: |
#   Small plans in the shape `terraform show -json` prints, built from a list of
#   resources, so that tests read like the plans they stand for. Only the parts
#   the policies read are written. (A `_test.rego` file: `python -m ckv_im.opa`
#   does not load it.)
package incident_manager_test.plans

import rego.v1

# A plan of resources: each {"address", "values"} and optionally "expressions" (its
# configuration), "after_unknown", "actions" (default ["create"]), "before", "provider"
# (a provider_config key, default "aws"), "mode", "destroyed" (only in resource_changes).
# Providers: aws in us-east-1, aws.west in us-west-2, aws.eu in eu-west-1.
plan(resources) := {
	"format_version": "1.2",
	"planned_values": {"root_module": {"resources": [_planned(r) | some r in resources; not r.destroyed]}},
	"resource_changes": [_change(r) | some r in resources],
	"prior_state": {"values": {"root_module": {"resources": [_prior(r) | some r in resources; r.before]}}},
	"configuration": {
		"provider_config": providers,
		"root_module": {"resources": [_config(r) | some r in resources]},
	},
}

providers := {
	"aws": {"name": "aws", "expressions": {"region": {"constant_value": "us-east-1"}}},
	"aws.west": {"name": "aws", "alias": "west", "expressions": {"region": {"constant_value": "us-west-2"}}},
	"aws.eu": {"name": "aws", "alias": "eu", "expressions": {"region": {"constant_value": "eu-west-1"}}},
}

type_of(address) := split(address, ".")[0]

_planned(r) := {
	"address": r.address,
	"mode": object.get(r, "mode", "managed"),
	"type": type_of(r.address),
	"values": r.values,
}

_change(r) := {
	"address": r.address,
	"type": type_of(r.address),
	"change": {
		"actions": object.get(r, "actions", ["create"]),
		"before": object.get(r, "before", null),
		"after": object.get(r, "values", null),
		"after_unknown": object.get(r, "after_unknown", {}),
	},
}

_prior(r) := {"address": r.address, "mode": "managed", "type": type_of(r.address), "values": r.before}

_config(r) := {
	"address": regex.replace(r.address, `\[[^\]]*\]`, ""),
	"mode": object.get(r, "mode", "managed"),
	"type": type_of(r.address),
	"provider_config_key": object.get(r, "provider", "aws"),
	"expressions": object.get(r, "expressions", {}),
}

# references as Terraform lists them: the traversal and its shorter prefixes
refs(traversal) := {"references": [traversal, regex.replace(traversal, `\.[^.]*$`, "")]}

arn(region, id) := sprintf("arn:aws:kms:%s:111122223333:key/%s", [region, id])

# A key in the plan; its ARN is known only after apply.
key(name, values) := {
	"address": sprintf("aws_kms_key.%s", [name]),
	"values": object.union({"key_usage": "ENCRYPT_DECRYPT", "customer_master_key_spec": "SYMMETRIC_DEFAULT", "is_enabled": true, "policy": policy}, values),
	"after_unknown": {"arn": true, "id": true, "key_id": true},
	"expressions": {"policy": {"references": ["local.policy"]}},
}

key_in(name, provider, values) := object.union(key(name, values), {"provider": provider})

# The replication set `main`; each entry {"name"} (the AWS owned key), {"name", "ref"} (a key
# reference, its ARN known only after apply) or {"name", "arn"} (an ARN known at plan time).
replication_set(entries) := {
	"address": "aws_ssmincidents_replication_set.main",
	"values": {"region": [_planned_entry(entry) | some entry in entries]},
	"after_unknown": {"region": [{"kms_key_arn": _key_after_apply(entry)} | some entry in entries]},
	"expressions": {"region": [object.union({"name": {"constant_value": entry.name}}, _key_expression(entry)) |
		some entry in entries
	]},
}

_planned_entry(entry) := {"name": entry.name, "kms_key_arn": entry.arn} if {
	entry.arn
} else := {"name": entry.name} if {
	entry.ref
} else := {"name": entry.name, "kms_key_arn": "DefaultKey"}

_key_after_apply(entry) := true if {
	entry.ref
	not entry.arn
} else := false

_key_expression(entry) := {"kms_key_arn": refs(entry.ref)} if {
	entry.ref
} else := {"kms_key_arn": {"constant_value": entry.arn}} if {
	entry.arn
} else := {}

# The policy AWS's data protection guide asks for.
policy := json.marshal({"Version": "2012-10-17", "Statement": [
	{
		"Sid": "EnableRootAccess", "Effect": "Allow", "Action": "kms:*", "Resource": "*",
		"Principal": {"AWS": "arn:aws:iam::111122223333:root"},
	},
	incident_manager_statement,
]})

incident_manager_statement := {
	"Sid": "AllowIncidentManager", "Effect": "Allow", "Resource": "*",
	"Principal": {"AWS": "arn:aws:iam::111122223333:role/IncidentManagerAdmin"},
	"Action": ["kms:CreateGrant", "kms:DescribeKey"],
	"Condition": {"StringLike": {"kms:ViaService": ["ssm-incidents.*.amazonaws.com", "ssm-contacts.*.amazonaws.com"]}},
}

# (rule ID, resource) pairs of a plan's findings
denied(document) := {[finding.id, finding.resource] | some finding in data.incident_manager.deny with input as document}
