# METADATA
# title: CloudFormation templates for the policy tests
# description: |
#   Small long-form CloudFormation templates (as `python -m ckv_im.cfn_json` writes
#   them) for the rules' _test.rego files: a stack key with the policy AWS's guide
#   asks for, a replication set whose entries name their keys, response plans and
#   topics. `denied` gives the (rule ID, resource) pairs of the findings.
package incident_manager_test.templates

import rego.v1

import data.incident_manager_test.plans

template(resources) := {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}

with_parameters(resources, parameters) := object.union(template(resources), {"Parameters": parameters})

# `base` with the top-level keys of `replacements` replaced (object.union would merge nested objects)
merged(base, replacements) := object.union(object.remove(base, object.keys(replacements)), replacements)

# A key of the stack, guarded and enabled, with the guide's key policy; `properties` adds or overrides.
key(properties) := key_with(properties, {})

# `attributes`: resource attributes such as DeletionPolicy (Retain unless given).
key_with(properties, attributes) := merged(
	{"Type": "AWS::KMS::Key", "DeletionPolicy": "Retain", "Properties": merged({"KeyPolicy": policy}, properties)},
	attributes,
)

policy := {"Version": "2012-10-17", "Statement": [
	{
		"Sid": "EnableRootAccess", "Effect": "Allow", "Action": "kms:*", "Resource": "*",
		"Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
	},
	plans.incident_manager_statement,
]}

get_att(id, attribute) := {"Fn::GetAtt": [id, attribute]}

ref(name) := {"Ref": name}

# A Region entry: the AWS owned key when `key_id` is null.
entry(region, null) := {"RegionName": region}

entry(region, key_id) := {"RegionName": region, "RegionConfiguration": {"SseKmsKeyId": key_id}} if key_id != null

# The replication set `Set`, guarded by DeletionPolicy Retain unless `attributes` say otherwise.
replication_set(entries) := replication_set_with(entries, {}, {})

replication_set_with(entries, properties, attributes) := merged(
	{
		"Type": "AWS::SSMIncidents::ReplicationSet",
		"DeletionPolicy": "Retain",
		"Properties": merged({"Regions": entries}, properties),
	},
	attributes,
)

set_name := "AWS::SSMIncidents::ReplicationSet.Set"

key_name := "AWS::KMS::Key.Key"

# The stack key `Key` serving the stack Region: every rule passes.
baseline := {
	"Key": key({}),
	"Set": replication_set([entry(ref("AWS::Region"), get_att("Key", "Arn"))]),
}

# (rule ID, resource) pairs of a template's findings
denied(document) := {[finding.id, finding.resource] | some finding in data.incident_manager.deny with input as document}

# The findings of one rule
denied_by(rule_id, document) := {resource | some [id, resource] in denied(document); id == rule_id}
