package incident_manager_test.lib.plan

import rego.v1

import data.incident_manager.lib.plan
import data.incident_manager_test.plans

_view(document) := {
	"keys": keys,
	"replication_sets": replication_sets,
	"topics": topics,
	"destroyed": destroyed,
} if {
	keys := plan.keys with input as document
	replication_sets := plan.replication_sets with input as document
	topics := plan.topics with input as document
	destroyed := plan.destroyed_replication_sets with input as document
}

_entries(document) := {entry.name: entry | some entry in _view(document).replication_sets["aws_ssmincidents_replication_set.main"].entries}

# Terraform sorts the Region set: planned entries are joined to their configuration by name.
test_entries_are_joined_by_region_name_not_position if {
	rset := plans.replication_set([{"name": "us-west-2", "ref": "aws_kms_key.west.arn"}, {"name": "us-east-1"}])
	swapped := json.patch(rset, [
		{"op": "replace", "path": "/values/region", "value": [{"name": "us-east-1", "kms_key_arn": "DefaultKey"}, {"name": "us-west-2"}]},
		{"op": "replace", "path": "/after_unknown/region", "value": [{"kms_key_arn": false}, {"kms_key_arn": true}]},
	])
	entries := _entries(plans.plan([plans.key_in("west", "aws.west", {}), swapped]))
	entries["us-west-2"].key.key == "aws_kms_key.west"
	entries["us-west-2"].key.region == "us-west-2"
	entries["us-east-1"].key == null
}

test_data_aws_region_names_an_entry_with_its_provider_region if {
	rset := json.patch(plans.replication_set([{"name": "us-west-2", "ref": "aws_kms_key.west.arn"}]), [{
		"op": "replace", "path": "/expressions/region/0/name",
		"value": {"references": ["data.aws_region.west.name", "data.aws_region.west"]},
	}])
	region := {"address": "data.aws_region.west", "mode": "data", "values": {"name": "us-west-2"}, "provider": "aws.west"}
	entries := _entries(plans.plan([plans.key_in("west", "aws.west", {}), rset, region]))
	entries["us-west-2"].key.key == "aws_kms_key.west"
}

test_entry_name_from_another_expression_is_not_joined if {
	rset := json.patch(plans.replication_set([{"name": "us-west-2", "ref": "aws_kms_key.west.arn"}]), [{
		"op": "replace", "path": "/expressions/region/0/name",
		"value": {"references": ["var.region", "data.aws_region.west.name", "data.aws_region.west"]},
	}])
	region := {"address": "data.aws_region.west", "mode": "data", "values": {"name": "us-west-2"}, "provider": "aws.west"}
	entries := _entries(plans.plan([plans.key_in("west", "aws.west", {}), rset, region]))
	not "key" in object.keys(entries["us-west-2"])
}

# Terraform's configuration JSON leaves dynamic blocks out: their entries keep only what the plan knows.
test_entries_of_dynamic_blocks_keep_what_the_plan_knows if {
	rset := json.patch(plans.replication_set([{"name": "us-west-2", "ref": "aws_kms_key.west.arn"}, {"name": "eu-west-1", "arn": plans.arn("us-east-1", "9")}]), [
		{"op": "remove", "path": "/expressions/region"},
	])
	entries := _entries(plans.plan([plans.key_in("west", "aws.west", {}), rset]))
	not "key" in object.keys(entries["us-west-2"])
	entries["eu-west-1"].key.region == "us-east-1"
}

test_entries_known_only_after_apply_are_unresolved if {
	rset := object.union(plans.replication_set([{"name": "us-east-1"}]), {"after_unknown": {"region": true}})
	not "entries" in object.keys(_view(plans.plan([rset])).replication_sets["aws_ssmincidents_replication_set.main"])
}

test_key_reference_through_an_alias if {
	alias := {"address": "aws_kms_alias.west", "values": {}, "expressions": {"target_key_id": plans.refs("aws_kms_key.west.key_id")}}
	entries := _entries(plans.plan([plans.key_in("west", "aws.west", {}), alias, plans.replication_set([{"name": "us-west-2", "ref": "aws_kms_alias.west.target_key_arn"}])]))
	entries["us-west-2"].key.key == "aws_kms_key.west"
	entries["us-west-2"].key.naming == "key_arn"
}

test_key_instances_of_for_each if {
	keys := [object.union(plans.key_in("k", provider, {}), {"address": sprintf("aws_kms_key.k[%q]", [region])}) |
		some [region, provider] in [["us-east-1", "aws"], ["us-west-2", "aws.west"]]
	]
	rset := plans.replication_set([{"name": "us-west-2", "ref": `aws_kms_key.k["us-west-2"].arn`}])
	rset_with_refs := json.patch(rset, [{"op": "replace", "path": "/expressions/region/0/kms_key_arn/references", "value": [`aws_kms_key.k["us-west-2"].arn`, `aws_kms_key.k["us-west-2"]`, "aws_kms_key.k"]}])
	entries := _entries(plans.plan(array.concat(keys, [rset_with_refs])))
	entries["us-west-2"].key.key == `aws_kms_key.k["us-west-2"]`
	entries["us-west-2"].key.region == "us-west-2"
}

_module_plan := {
	"format_version": "1.2",
	"planned_values": {"root_module": {
		"resources": [{"address": "aws_ssmincidents_replication_set.main", "mode": "managed", "type": "aws_ssmincidents_replication_set", "values": {"region": [{"name": "us-west-2"}]}}],
		"child_modules": [{"address": "module.keys", "resources": [{"address": "module.keys.aws_kms_key.this", "mode": "managed", "type": "aws_kms_key", "values": {"is_enabled": true}}]}],
	}},
	"resource_changes": [{"address": "aws_ssmincidents_replication_set.main", "type": "aws_ssmincidents_replication_set", "change": {"actions": ["create"], "after_unknown": {"region": [{"kms_key_arn": true}]}}}],
	"configuration": {
		"provider_config": plans.providers,
		"root_module": {
			"resources": [{"address": "aws_ssmincidents_replication_set.main", "type": "aws_ssmincidents_replication_set", "provider_config_key": "aws", "expressions": {"region": [{"name": {"constant_value": "us-west-2"}, "kms_key_arn": {"references": ["module.keys.key_arn", "module.keys"]}}]}}],
			"module_calls": {"keys": {"module": {
				"outputs": {"key_arn": {"expression": {"references": ["aws_kms_key.this.arn", "aws_kms_key.this"]}}},
				"resources": [{"address": "aws_kms_key.this", "type": "aws_kms_key", "provider_config_key": "aws.west", "expressions": {}}],
			}}},
		},
	},
}

test_key_through_a_module_output_in_the_module_provider_region if {
	entries := _entries(_module_plan)
	entries["us-west-2"].key.key == "module.keys.aws_kms_key.this"
	entries["us-west-2"].key.region == "us-west-2"
	entries["us-west-2"].key.naming == "key_arn"
	_view(_module_plan).keys["module.keys.aws_kms_key.this"].policy == null
}

test_key_policy_resource_wins_over_the_inline_policy if {
	key_policy := {"address": "aws_kms_key_policy.east", "values": {"policy": "{\"Statement\": []}"}, "expressions": {"key_id": plans.refs("aws_kms_key.east.id")}}
	keys := _view(plans.plan([plans.key("east", {}), key_policy])).keys
	keys["aws_kms_key.east"].policy == {"Statement": []}
	keys["aws_kms_key.east"].policy_source == "aws_kms_key_policy.east"
}

_key_policy(name) := {"address": sprintf("aws_kms_key_policy.%s", [name]), "values": {"policy": "{}"}, "expressions": {"key_id": plans.refs("aws_kms_key.east.id")}}

test_two_key_policy_resources_leave_the_policy_unresolved if {
	key := _view(plans.plan([plans.key("east", {}), _key_policy("a"), _key_policy("b")])).keys["aws_kms_key.east"]
	not "policy" in object.keys(key)
}

test_policy_strings_that_look_unrendered_are_unresolved_values if {
	policy := json.marshal({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "aws_iam_role.admin.arn"}, "Action": "kms:*"}]})
	key := _view(plans.plan([plans.key("east", {"policy": policy})])).keys["aws_kms_key.east"]
	key.policy.Statement[0].Principal.AWS == {"$unresolved": "aws_iam_role.admin.arn", "template": true}
}

test_replica_key_primary if {
	replica := {"address": "aws_kms_replica_key.west", "values": {"enabled": true}, "provider": "aws.west", "expressions": {"primary_key_arn": plans.refs("aws_kms_key.east.arn")}}
	keys := _view(plans.plan([plans.key("east", {}), replica])).keys
	keys["aws_kms_replica_key.west"].primary == "aws_kms_key.east"
	keys["aws_kms_replica_key.west"].region == "us-west-2"
}

_topic(address) := {"address": address, "values": {"name": "chat"}, "after_unknown": {"arn": true}}

_plan_using(chat_channel, values) := {
	"address": "aws_ssmincidents_response_plan.p",
	"values": object.union({"name": "p"}, values),
	"expressions": {"chat_channel": chat_channel},
}

test_topic_instance_named_by_a_reference_is_the_one_used if {
	refs := {"references": [`aws_sns_topic.t["chat"].arn`, `aws_sns_topic.t["chat"]`, "aws_sns_topic.t"]}
	topics := _view(plans.plan([_topic(`aws_sns_topic.t["chat"]`), _topic(`aws_sns_topic.t["billing"]`), _plan_using(refs, {})])).topics
	topics[`aws_sns_topic.t["chat"]`].used_by == {"aws_ssmincidents_response_plan.p"}
	topics[`aws_sns_topic.t["billing"]`].used_by == set()
}

test_topic_resource_named_alone_uses_every_instance if {
	refs := {"references": ["aws_sns_topic.t"]}
	topics := _view(plans.plan([_topic("aws_sns_topic.t[0]"), _topic("aws_sns_topic.t[1]"), _plan_using(refs, {})])).topics
	topics["aws_sns_topic.t[0]"].used_by == {"aws_ssmincidents_response_plan.p"}
	topics["aws_sns_topic.t[1]"].used_by == {"aws_ssmincidents_response_plan.p"}
}

test_topic_named_by_a_literal_arn if {
	values := {"chat_channel": ["arn:aws:sns:us-east-1:111122223333:chat"]}
	topics := _view(plans.plan([_topic("aws_sns_topic.chat"), _plan_using({"constant_value": values.chat_channel}, values)])).topics
	topics["aws_sns_topic.chat"].used_by == {"aws_ssmincidents_response_plan.p"}
}

test_topic_of_another_region_is_not_named_by_the_arn if {
	values := {"chat_channel": ["arn:aws:sns:eu-west-1:111122223333:chat"]}
	topics := _view(plans.plan([_topic("aws_sns_topic.chat"), _plan_using({"constant_value": values.chat_channel}, values)])).topics
	topics["aws_sns_topic.chat"].used_by == set()
}

test_topic_through_a_module_output if {
	document := {
		"format_version": "1.2",
		"planned_values": {"root_module": {
			"resources": [{"address": "aws_ssmincidents_response_plan.p", "mode": "managed", "type": "aws_ssmincidents_response_plan", "values": {"name": "p"}}],
			"child_modules": [{"address": "module.chat", "resources": [{"address": "module.chat.aws_sns_topic.this", "mode": "managed", "type": "aws_sns_topic", "values": {"name": "chat"}}]}],
		}},
		"configuration": {"provider_config": plans.providers, "root_module": {
			"resources": [{"address": "aws_ssmincidents_response_plan.p", "type": "aws_ssmincidents_response_plan", "provider_config_key": "aws", "expressions": {"chat_channel": {"references": ["module.chat.topic_arn", "module.chat"]}}}],
			"module_calls": {"chat": {"module": {
				"outputs": {"topic_arn": {"expression": {"references": ["aws_sns_topic.this.arn", "aws_sns_topic.this"]}}},
				"resources": [{"address": "aws_sns_topic.this", "type": "aws_sns_topic", "provider_config_key": "aws", "expressions": {}}],
			}}},
		}},
	}
	_view(document).topics["module.chat.aws_sns_topic.this"].used_by == {"aws_ssmincidents_response_plan.p"}
}

test_destroyed_replication_sets_come_from_resource_changes if {
	destroyed := {"address": "aws_ssmincidents_replication_set.old", "values": null, "destroyed": true, "actions": ["delete"]}
	view := _view(plans.plan([destroyed, plans.replication_set([{"name": "us-east-1"}])]))
	object.keys(view.destroyed) == {"aws_ssmincidents_replication_set.old"}
	object.keys(view.replication_sets) == {"aws_ssmincidents_replication_set.main"}
}

test_only_plans_are_read if {
	not plan.is_plan with input as {"format_version": "0.1"}
	not plan.is_plan with input as {"format_version": "1.2", "errored": true}
	not plan.is_plan with input as {"Resources": {}}
	plan.is_plan with input as {"format_version": "1.2"}
}

test_repeated_addresses_keep_the_last_resource if {
	first := plans.key("east", {"description": "first"})
	last := plans.key("east", {"description": "last"})
	_view(plans.plan([first, last])).keys["aws_kms_key.east"].description == "last"
}
