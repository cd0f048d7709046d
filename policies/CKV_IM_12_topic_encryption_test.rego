package incident_manager_test.rules.ckv_im_12

import rego.v1

import data.incident_manager_test.plans
import data.incident_manager_test.templates

_topic(name, values) := {
	"address": sprintf("aws_sns_topic.%s", [name]),
	"values": object.union({"name": name}, values),
	"after_unknown": {"arn": true},
}

_response_plan(chat_channel) := {
	"address": "aws_ssmincidents_response_plan.outage",
	"values": {"name": "outage"},
	"expressions": {"chat_channel": chat_channel},
}

_findings(resources) := {f.resource | some f in data.incident_manager.deny with input as plans.plan(resources); f.id == "CKV_IM_12"}

test_finding_unencrypted_chat_topic if {
	_findings([_topic("chat", {}), _response_plan(plans.refs("aws_sns_topic.chat.arn"))]) == {"aws_sns_topic.chat"}
}

test_finding_unencrypted_notification_target if {
	plan := object.union(_response_plan({}), {"expressions": {"incident_template": [{"notification_target": [{"sns_topic_arn": plans.refs("aws_sns_topic.notify.arn")}]}]}})
	_findings([_topic("notify", {"kms_master_key_id": ""}), plan]) == {"aws_sns_topic.notify"}
}

test_no_finding_encrypted_topic if {
	_findings([_topic("chat", {"kms_master_key_id": "alias/aws/sns"}), _response_plan(plans.refs("aws_sns_topic.chat.arn"))]) == set()
}

test_no_finding_key_known_only_after_apply if {
	topic := object.union(_topic("chat", {}), {"after_unknown": {"kms_master_key_id": true}, "expressions": {"kms_master_key_id": plans.refs("aws_kms_key.sns.arn")}})
	_findings([topic, _response_plan(plans.refs("aws_sns_topic.chat.arn"))]) == set()
}

test_no_finding_topic_no_response_plan_uses if {
	_findings([_topic("billing", {})]) == set()
}

# --- CloudFormation templates ----------------------------------------------------------------------

_template(topic_properties, chat) := templates.template(templates.merged(templates.baseline, {
	"Topic": {"Type": "AWS::SNS::Topic", "Properties": topic_properties},
	"Plan": {"Type": "AWS::SSMIncidents::ResponsePlan", "Properties": {"Name": "p", "IncidentTemplate": {"Title": "t", "Impact": 3}, "ChatChannel": {"ChatbotSns": [chat]}}},
}))

test_finding_template_topic_without_key if {
	templates.denied_by("CKV_IM_12", _template({"TopicName": "chat"}, templates.ref("Topic"))) == {"AWS::SNS::Topic.Topic"}
}

test_finding_template_topic_named_in_a_sub if {
	chat := {"Fn::Sub": "${Topic}"}
	templates.denied_by("CKV_IM_12", _template({"KmsMasterKeyId": templates.ref("AWS::NoValue")}, chat)) == {"AWS::SNS::Topic.Topic"}
}

test_no_finding_template_topic_with_a_stack_key if {
	templates.denied_by("CKV_IM_12", _template({"KmsMasterKeyId": templates.ref("Key")}, templates.ref("Topic"))) == set()
}

test_no_finding_template_topic_key_known_only_at_deployment if {
	templates.denied_by("CKV_IM_12", _template({"KmsMasterKeyId": {"Fn::ImportValue": "key"}}, templates.ref("Topic"))) == set()
}

test_no_finding_template_topic_no_response_plan_uses if {
	templates.denied_by("CKV_IM_12", _template({}, "arn:aws:sns:us-east-1:111122223333:other")) == set()
}
