# METADATA
# title: CloudFormation template view
# description: |
#   A CloudFormation template (JSON, `cdk synth` output, long-form YAML converted
#   to JSON, or the `resources:` of a Serverless Framework file) turned into the
#   normalised resource view the rules read (see view.rego), as the Python
#   CloudFormation adapter (checks/ckv_im/cloudformation_model.py and its parts)
#   builds it. Resources are named as Checkov names them
#   (`AWS::KMS::Key.IncidentKey`). Every key defined in the template lives in the
#   stack Region (iam.stack_region). Values come from cfn_values.rego; one that
#   cannot be resolved is left out of its object (or, inside a key policy,
#   replaced by util.unresolved): rules give no finding on it.
package incident_manager.lib.cloudformation

import rego.v1

import data.incident_manager.lib.cfn_values as cfn
import data.incident_manager.lib.iam
import data.incident_manager.lib.terraform as tf
import data.incident_manager.lib.util

key_type := "AWS::KMS::Key"

replica_key_type := "AWS::KMS::ReplicaKey"

key_types := {key_type, replica_key_type}

alias_type := "AWS::KMS::Alias"

replication_set_type := "AWS::SSMIncidents::ReplicationSet"

topic_type := "AWS::SNS::Topic"

response_plan_type := "AWS::SSMIncidents::ResponsePlan"

im_prefixes := ["AWS::SSMIncidents::", "AWS::SSMContacts::"]

retaining_policies := {"Retain", "RetainExceptOnCreate"}

# CKV_IM_10: the name-like fields of each Incident Manager resource type, as property paths.
name_fields := {
	response_plan_type: [
		["Name"], ["DisplayName"], ["IncidentTemplate", "Title"], ["IncidentTemplate", "Summary"],
		["IncidentTemplate", "DedupeString"], ["IncidentTemplate", "IncidentTags"],
	],
	"AWS::SSMContacts::Contact": [["Alias"], ["DisplayName"]],
	"AWS::SSMContacts::ContactChannel": [["ChannelName"]],
	"AWS::SSMContacts::Rotation": [["Name"]],
}

# Where a response plan names the SNS topics incident details flow through.
topic_fields := [["ChatChannel"], ["IncidentTemplate", "NotificationTargets"]]

is_template if cfn.is_template

is_im_type(resource_type) if {
	some prefix in im_prefixes
	startswith(resource_type, prefix)
}

_is_read_type(resource_type) if resource_type in (key_types | {alias_type, replication_set_type, topic_type})

_is_read_type(resource_type) if is_im_type(resource_type)

# The resources the view reads: their values are evaluated (cfn_values.rego), no other's. An SNS
# topic is read only when a response plan notifies through it (CKV_IM_12 judges no other topic;
# templates may hold thousands).
read_ids := {id |
	some id, _ in cfn.resources
	resource_type := cfn.resource_type(id)
	resource_type != topic_type
	_is_read_type(resource_type)
} | {id | some id, _ in _topic_users}

_typed(kind) := {id | some id in read_ids; cfn.resource_type(id) == kind}

# What the view reads of each of those resources: an SNS topic's key and an alias's target only
# (templates may hold thousands of topics), every property of the others, and DeletionPolicy.
# (One object built once: a lookup by key in a partial rule would evaluate its body again.)
read_sections := {id: object.union(
	object.filter(util.object_of(cfn.resources[id]), {"DeletionPolicy"}),
	{"Properties": _read_properties(cfn.resource_type(id), _properties(id))},
) |
	some id in read_ids
}

_read_properties(resource_type, properties) := object.filter(util.object_of(properties), {"KmsMasterKeyId"}) if {
	resource_type == topic_type
} else := object.filter(util.object_of(properties), {"TargetKeyId"}) if {
	resource_type == alias_type
} else := properties

name(id) := sprintf("%s.%s", [cfn.resource_type(id), id])

_properties(id) := object.get(util.object_of(cfn.resources[id]), "Properties", null)

# The raw node at a property path (undefined when a step is missing or not an object). A node may
# be false: test whether a property is set with _is_set.
_property(id, path) := node if {
	node := object.get(util.object_of(cfn.resources[id]), array.concat(["Properties"], path), null)
	node != null
}

_is_set(id, path) if _property(id, path) != null

# The value of a property: {"value": v} ({} for AWS::NoValue); undefined when not set.
_property_value(id, path, mode) := cfn.value_at(id, array.concat(["Properties"], path), mode) if _is_set(id, path)

# A string property: {"value": text} (the default when not set), {} when unresolved or no string.
_text(id, path, fallback) := {"value": fallback} if {
	not _is_set(id, path)
} else := value if {
	value := _property_value(id, path, "value")
	is_string(value.value)
} else := {}

# A Boolean property: true/false or the strings "true"/"false" in any case; AWS::NoValue is the default.
_flag(id, path, fallback) := {"value": fallback} if {
	not _is_set(id, path)
} else := _flag_of(_property_value(id, path, "value"), fallback)

_flag_of(value, fallback) := {"value": fallback} if {
	value.value == null
} else := {"value": fallback} if {
	not "value" in object.keys(value)
} else := value if {
	is_boolean(value.value)
} else := {"value": lower(value.value) == "true"} if {
	is_string(value.value)
	lower(value.value) in {"true", "false"}
} else := {}

# DeletionPolicy Retain or RetainExceptOnCreate keeps the resource when it or its stack is deleted.
_retained(id) := {"value": false} if {
	object.get(util.object_of(cfn.resources[id]), "DeletionPolicy", null) == null
} else := {} if {
	value := cfn.value_at(id, ["DeletionPolicy"], "value")
	util.is_unresolved(value.value)
} else := {"value": value.value in retaining_policies} if {
	value := cfn.value_at(id, ["DeletionPolicy"], "value")
} else := {"value": false}

# Tags ([{Key, Value}]) as an object, in scan form; tags whose key is not a string are left out.
_tags(id) := {"value": {}} if {
	not _is_set(id, ["Tags"])
} else := {"value": util.by_key([[tag.Key, object.get(tag, "Value", null)] |
	some tag in tags.value
	is_string(tag.Key)
])} if {
	tags := _property_value(id, ["Tags"], "scan")
	is_array(tags.value)
} else := {}

_known(value) if "value" in object.keys(value)

# --- keys ------------------------------------------------------------------------------------------

_key_ids := {id | some id in read_ids; cfn.resource_type(id) in key_types}

keys[name(id)] := object.union(
	{
		"address": name(id),
		"type": cfn.resource_type(id),
		"is_replica": cfn.resource_type(id) == replica_key_type,
		"region": iam.stack_region,
		"policy_source": "KeyPolicy",
		"deletion_guard_hint": "set DeletionPolicy: Retain (and UpdateReplacePolicy: Retain)",
	},
	{field: value.value | some field, value in _key_fields(id); _known(value)},
) if {
	some id in _key_ids
}

_key_fields(id) := object.union(_spec_fields(id), {
	"policy": _key_policy(id),
	"enabled": _flag(id, ["Enabled"], true),
	"deletion_guard": _retained(id),
	"description": _description(id),
	"tags": _tags(id),
	"primary": _primary(id),
})

_spec_fields(id) := {
	"key_spec": _text(id, ["KeySpec"], "SYMMETRIC_DEFAULT"),
	"key_usage": _text(id, ["KeyUsage"], "ENCRYPT_DECRYPT"),
	"origin": _text(id, ["Origin"], "AWS_KMS"),
} if {
	cfn.resource_type(id) == key_type
} else := {"key_spec": {"value": "SYMMETRIC_DEFAULT"}, "key_usage": {"value": "ENCRYPT_DECRYPT"}, "origin": _replica_origin(id)}

_description(id) := {"value": null} if not _is_set(id, ["Description"])

else := _property_value(id, ["Description"], "scan")

# A replica takes its spec and origin from its primary: a key of the template named by !GetAtt X.Arn.
_primary(id) := {"value": name(target)} if {
	cfn.resource_type(id) == replica_key_type
	target := _primary_id(id)
} else := {}

_primary_id(id) := target if {
	_is_set(id, ["PrimaryKeyArn"])
	evaluation := _evaluation_at(id, ["PrimaryKeyArn"])
	[token] := evaluation.parts
	token.attribute == "Arn"
	target := token.resource
	cfn.resource_type(target) == key_type
}

# One AWS::KMS::ReplicaKey type serves AWS_KMS and EXTERNAL primaries alike: the origin is the primary's.
_replica_origin(id) := {"value": "AWS_KMS"} if _primary_id(id)

else := {}

# The parts of a string-valued property (a literal or a function).
_evaluation_at(id, path) := _parts_of([id, array.concat(["Properties"], path)], _property(id, path))

_parts_of(key, node) := cfn.evaluation(key) if {
	cfn.is_function(node)
} else := {"parts": cfn.literal_parts(node)} if {
	is_string(node)
} else := {"parts": [sprintf("%v", [node])]} if {
	is_number(node)
} else := {"parts": [sprintf("%v", [node])]} if {
	is_boolean(node)
} else := {"unknown": sprintf("%s is not a string", [cfn.shown(node)])}

# KeyPolicy: an object (functions evaluated, unresolved parts util.unresolved), or a JSON string.
_key_policy(id) := {"value": null} if {
	not _is_set(id, ["KeyPolicy"])
} else := _policy_document(_property_value(id, ["KeyPolicy"], "value"))

_policy_document(value) := {} if {
	not _known(value) # AWS::NoValue: not a policy document
} else := {} if {
	util.is_unresolved(value.value)
} else := value if {
	is_object(value.value)
} else := {"value": document} if {
	is_string(value.value)
	json.is_valid(value.value)
	document := json.unmarshal(value.value)
	is_object(document)
} else := {}

# --- replication sets ------------------------------------------------------------------------------

replication_sets[name(id)] := object.union(
	{
		"address": name(id),
		"type": replication_set_type,
		"deletion_guard_hint": "set DeletionPolicy: Retain or DeletionProtected: true",
	},
	{field: value.value | some field, value in {"entries": _entries(id), "deletion_guard": _guard(id)}; _known(value)},
) if {
	some id in _typed(replication_set_type)
}

_entries(id) := {"value": [_entry(id, i, item) | some i, item in regions]} if {
	regions := _property(id, ["Regions"])
	is_array(regions)
} else := {}

# An entry: {"name", "key"}; a name or key that is not resolved is left out.
_entry(id, i, item) := object.union(_entry_name(id, i, item), _entry_key(id, i, item)) if {
	is_object(item)
	not cfn.is_function(item)
} else := {}

_entry_name(id, i, item) := {"name": region} if {
	"RegionName" in object.keys(item)
	item.RegionName != null
	region := _region(_parts_of([id, ["Properties", "Regions", i, "RegionName"]], item.RegionName))
} else := {}

_region(evaluation) := iam.stack_region if {
	evaluation.parts == [iam.stack_region]
} else := region if {
	[region] := evaluation.parts
	is_string(region)
}

_entry_key(id, i, item) := {"key": null} if {
	not _has_key_node(item)
	_plain_configuration(object.get(item, "RegionConfiguration", null))
} else := {} if {
	not _has_key_node(item)
} else := _key_ref([id, ["Properties", "Regions", i, "RegionConfiguration", "SseKmsKeyId"]], item.RegionConfiguration.SseKmsKeyId)

_has_key_node(item) if item.RegionConfiguration.SseKmsKeyId != null

_plain_configuration(null)

_plain_configuration(configuration) if {
	is_object(configuration)
	not cfn.is_function(configuration)
}

# How SseKmsKeyId names its key: {"key": null} for the AWS owned key, {"key": reference} with
# reference {"text", "naming"?, "region"?, "key"?, "certain"?}, {} when it may be unset.
_key_ref(key, node) := {"key": null} if {
	cfn.is_no_value(node)
} else := {"key": {"text": cfn.shown(node), "certain": false}} if {
	cfn.function(node)[0] == "Fn::ImportValue" # known only at deployment: "DefaultKey" is the AWS owned key
} else := {} if {
	not cfn.function(node)[0] in {"Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join"}
	cfn.is_function(node)
} else := {"key": _parts_key_ref(cfn.shown(node), _parts_of(key, node))}

_parts_key_ref(text, evaluation) := {"text": text, "certain": false} if {
	evaluation.unknown
} else := _resource_key_ref(text, token) if {
	[token] := evaluation.parts
	is_object(token)
	token.resource
} else := _literal_key_ref(text, evaluation.parts) if {
	every part in evaluation.parts {
		is_string(part)
	}
} else := _built_key_ref(text, evaluation.parts)

_literal_key_ref(text, parts) := null if {
	concat("", parts) == "DefaultKey"
} else := object.union(
	object.remove(tf.literal_key(concat("", parts)), ["text", "region"]),
	object.union({"text": text}, _literal_region(parts)),
)

_literal_region(parts) := {"region": iam.stack_region} if {
	iam.stack_region in parts
} else := {"region": region} if {
	region := tf.literal_key(concat("", parts)).region
} else := {}

_key_ids_by_logical_id := {id: name(id) | some id in _key_ids}

_resource_key_ref(text, token) := {"text": text, "naming": _key_naming(token.attribute), "key": _key_ids_by_logical_id[token.resource], "region": iam.stack_region} if {
	_key_ids_by_logical_id[token.resource]
	token.attribute in {null, "KeyId", "Arn"}
} else := object.union({"text": text, "naming": "alias_name", "region": iam.stack_region}, _alias_target(token.resource)) if {
	cfn.resource_type(token.resource) == alias_type
	token.attribute == null
} else := {"text": text, "certain": false}

_key_naming("Arn") := "key_arn"

_key_naming(attribute) := "key_id" if attribute != "Arn" # Ref of a key is its key ID

_alias_target(alias) := {"key": _key_ids_by_logical_id[token.resource]} if {
	evaluation := _evaluation_at(alias, ["TargetKeyId"])
	[token] := evaluation.parts
	_key_ids_by_logical_id[token.resource]
} else := {}

# A Fn::Sub / Fn::Join value: an ARN shape whose Region and key ID may be parts known later.
_built_key_ref(text, parts) := object.union(
	{"text": text, "naming": {"key": "key_arn", "alias": "alias_arn"}[arn.type]},
	object.union(_arn_region(arn.region), _built_key(arn.id)),
) if {
	arn := _split_arn(parts)
} else := {"text": text, "naming": "alias_name"} if {
	is_string(parts[0])
	startswith(parts[0], "alias/")
} else := {"text": text, "certain": false}

_built_key(id_parts) := {"key": _key_ids_by_logical_id[token.resource]} if {
	[token] := id_parts
	token.attribute in {null, "KeyId"}
	_key_ids_by_logical_id[token.resource]
} else := {}

_arn_region(region_parts) := {"region": iam.stack_region} if {
	region_parts == [iam.stack_region]
} else := {"region": region} if {
	[region] := region_parts
	is_string(region)
	region != ""
} else := {}

_separator := {"\u001d:": true}

# {"type": "key" or "alias", "region": parts, "id": parts} of `arn:P:kms:R:A:key/ID` written in parts.
_split_arn(parts) := {"type": head, "region": fields[3], "id": array.concat([rest | rest != ""], array.slice(resource, 1, count(resource)))} if {
	pieces := [piece | some part in parts; some piece in _pieces(part)]
	separators := [i | some i, piece in pieces; piece == _separator]
	bounds := array.concat(array.concat([-1], separators), [count(pieces)])
	fields := [array.slice(pieces, bounds[j] + 1, bounds[j + 1]) | some j in numbers.range(0, count(bounds) - 2)]
	count(fields) == 6
	fields[0] == ["arn"]
	fields[2] == ["kms"]
	resource := fields[5]
	count(resource) > 0
	is_string(resource[0])
	resource[0] != iam.stack_region
	slash := indexof(resource[0], "/")
	slash >= 0
	head := substring(resource[0], 0, slash)
	head in {"key", "alias"}
	rest := substring(resource[0], slash + 1, -1)
}

_pieces(part) := [part] if not _plain_text(part)

else := [piece |
	some i, text in split(part, ":")
	some piece in array.concat([_separator | i > 0], [text | text != ""])
]

_plain_text(part) if {
	is_string(part)
	part != iam.stack_region
}

_guard(id) := {"value": true} if {
	_retained(id).value == true
} else := {"value": true} if {
	_flag(id, ["DeletionProtected"], false).value == true
} else := {} if {
	not _known(_retained(id))
} else := _flag(id, ["DeletionProtected"], false)

# --- Incident Manager resources and SNS topics --------------------------------------------------

im_resources[name(id)] := {
	"address": name(id),
	"type": cfn.resource_type(id),
	"name_fields": {concat(".", path): value.value |
		some path in object.get(name_fields, cfn.resource_type(id), [])
		_is_set(id, path)
		value := _property_value(id, path, "scan")
		_known(value)
	},
	"tags": object.get(_tags(id), "value", {}),
	"config": _config(id),
} if {
	some id in read_ids
	is_im_type(cfn.resource_type(id))
}

_config(id) := value.value if {
	_properties(id) != null
	value := cfn.value_at(id, ["Properties"], "scan")
	util.truthy(value.value)
} else := {}

# The SNS topics response plans notify through (the only ones the view reads).
topics[name(id)] := object.union(
	{"address": name(id), "used_by": _topic_users[id]},
	{"kms_master_key_id": key.value | key := _topic_key(id); _known(key)},
) if {
	some id in _typed(topic_type)
}

# A reference to a key or alias of the stack is never empty, even though its value is known only later.
_topic_key(id) := {"value": null} if {
	not _is_set(id, ["KmsMasterKeyId"])
} else := {"value": concat("", [_token_text(part) | some part in evaluation.parts])} if {
	evaluation := _evaluation_at(id, ["KmsMasterKeyId"])
	count(evaluation.parts) > 0
	every part in evaluation.parts {
		_string_or_resource(part)
	}
} else := {"value": null} if {
	not _known(_property_value(id, ["KmsMasterKeyId"], "value"))
} else := {} if {
	util.is_unresolved(_property_value(id, ["KmsMasterKeyId"], "value").value)
} else := _property_value(id, ["KmsMasterKeyId"], "value")

_string_or_resource(part) if is_string(part)

_string_or_resource(part) if is_string(part.resource)

_token_text(part) := part if is_string(part)

else := sprintf("${%s.%s}", [part.resource, part.attribute]) if is_string(part.attribute)

else := sprintf("${%s}", [part.resource])

# topic id -> the response plans that notify through it
_topic_users := util.group_by([[topic, name(plan)] |
	some plan, _ in cfn.resources
	cfn.resource_type(plan) == response_plan_type
	some path in topic_fields
	node := _property(plan, path)
	some topic in _referenced_ids(node)
	cfn.resource_type(topic) == topic_type
])

# Logical IDs a value refers to: Ref, Fn::GetAtt, and ${Name} / ${Name.Attribute} in Fn::Sub.
_referenced_ids(node) := {id |
	walk(node, [_, inner])
	some id in _function_references(inner)
}

_function_references(node) := {node.Ref} if {
	is_string(node.Ref)
	cfn.is_function(node)
} else := {target[0]} if {
	[name, argument] := cfn.function(node)
	name == "Fn::GetAtt"
	target := cfn.get_att_target(argument)
} else := {split(match[1], ".")[0] |
	[name, argument] := cfn.function(node)
	name == "Fn::Sub"
	text := _sub_text(argument)
	some match in regex.find_all_string_submatch_n(`\$\{([^}]*)\}`, text, -1)
	not startswith(match[1], "!")
}

_sub_text(argument) := argument[0] if is_array(argument)

else := argument if is_string(argument)

# --- suppressions in resource Metadata -------------------------------------------------------------
# Checkov skips a check listed under Metadata `checkov: {skip: [{id, comment}]}` (or `bridgecrew:`);
# cfn-lint ignores a rule ID listed under Metadata `cfn-lint: {config: {ignore_checks: [...]}}`.
# resource -> {"checkov": {rule IDs}, "cfn_lint": {cfn-lint rule IDs}}, for resources that list any.
metadata_suppressions[name(id)] := suppression if {
	some id, resource in cfn.resources
	is_string(resource.Type)
	metadata := resource.Metadata
	is_object(metadata)
	suppression := {
		"checkov": {skip.id |
			some tool in ["checkov", "bridgecrew"]
			some skip in util.array_of(object.get(util.object_of(metadata[tool]), "skip", []))
			is_string(skip.id)
		},
		"cfn_lint": {rule |
			some rule in util.array_of(object.get(util.object_of(util.object_of(metadata["cfn-lint"]).config), "ignore_checks", []))
			is_string(rule)
		},
	}
	count(suppression.checkov) + count(suppression.cfn_lint) > 0
}

# --- templates that lost their short-form tags ----------------------------------------------------
# OPA and conftest read YAML without CloudFormation's tags: `!Ref Key` arrives as "Key", `!GetAtt
# Key.Arn` as "Key.Arn", `!Sub "...${Key}"` as a plain string. Such values are judged as the
# literals they became, so the view cannot be trusted: main.rego warns about each one found.
_pseudo_parameters := {"AWS::Region", "AWS::AccountId", "AWS::Partition", "AWS::URLSuffix", "AWS::StackName", "AWS::StackId", "AWS::NotificationARNs", "AWS::NoValue"}

# Properties where a template names another resource (a key, an alias, a topic) or a Region.
_reference_properties := {"RegionName", "SseKmsKeyId", "PrimaryKeyArn", "TargetKeyId", "KmsMasterKeyId", "SnsTopicArn", "ChatbotSns"}

lost_tags contains sprintf("%s %s: %s", [name(id), concat(".", [sprintf("%v", [step]) | some step in path]), _quoted(value)]) if {
	some id, section in read_sections
	walk(section.Properties, [path, value])
	is_string(value)
	not _inside_function(path)
	_looks_like_lost_tag(path, value)
}

# (a string inside a long-form function is where it belongs)
_inside_function(path) if {
	some step in path
	is_string(step)
	_function_key(step)
}

_function_key("Ref")

_function_key(step) if startswith(step, "Fn::")

_looks_like_lost_tag(_, value) if value in _pseudo_parameters

_looks_like_lost_tag(path, value) if {
	some step in path
	step in _reference_properties
	_names_template_entity(split(value, ".")[0])
	regex.match(`^[A-Za-z0-9]+(?:\.[A-Za-z0-9.]+)?$`, value)
}

_names_template_entity(name) if cfn.resources[name]

_names_template_entity(name) if cfn.parameters[name]

_looks_like_lost_tag(_, value) if {
	not cfn.serverless_file
	contains(value, "${")
}

_quoted(value) := json.marshal(value) if count(value) <= 80

else := json.marshal(concat("", [substring(value, 0, 77), "..."]))
