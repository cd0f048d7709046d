package incident_manager_test.rules.ckv_im_10

import rego.v1

import data.incident_manager_test.plans
import data.incident_manager_test.templates

_response_plan(values) := {
	"address": "aws_ssmincidents_response_plan.outage",
	"values": object.union({"name": "major-outage", "incident_template": [{"title": "Major outage", "impact": 1}]}, values),
}

_findings(resources) := [f | some f in data.incident_manager.deny with input as plans.plan(resources); f.id == "CKV_IM_10"]

test_finding_email_in_a_display_name if {
	[finding] := _findings([_response_plan({"display_name": "Escalate to jane.doe@example.com"})])
	finding.resource == "aws_ssmincidents_response_plan.outage"
	contains(finding.msg, "display_name: e-mail address j***@example.com")
	not contains(finding.msg, "jane.doe")
}

test_finding_phone_number_in_the_incident_template_title if {
	[finding] := _findings([_response_plan({"incident_template": [{"title": "Call +44 20 7946 0958", "impact": 1}]})])
	contains(finding.msg, "incident_template.title: phone number +44 ******** 58")
}

test_finding_email_in_a_tag_key if {
	[finding] := _findings([_response_plan({"tags": {"owner:jane@example.com": "yes"}})])
	contains(finding.msg, "tags[<redacted key>] (key): e-mail address j***@example.com")
}

test_finding_description_of_an_incident_manager_key if {
	[finding] := _findings([
		plans.key("east", {"description": "Ask ops@example.com before rotating"}),
		plans.replication_set([{"name": "us-east-1", "ref": "aws_kms_key.east.arn"}]),
	])
	finding.resource == "aws_kms_key.east"
}

test_finding_email_hidden_by_a_zero_width_space if {
	[finding] := _findings([_response_plan({"display_name": "jane\u200b@example.com"})])
	contains(finding.msg, "display_name: e-mail address j***@example.com")
}

test_finding_email_with_a_json_escaped_at_sign if {
	[finding] := _findings([_response_plan({"display_name": `{"owner": "jane\u0040example.com"}`})])
	contains(finding.msg, "e-mail address j***@example.com")
}

test_no_finding_clean_names_and_tags if {
	_findings([_response_plan({"display_name": "Major outage", "tags": {"Team": "sre"}})]) == []
}

test_no_finding_provider_default_tags if {
	_findings([_response_plan({"tags_all": {"Owner": "jane@example.com"}})]) == []
}

test_no_finding_contact_channel_delivery_address if {
	channel := {"address": "aws_ssmcontacts_contact_channel.email", "values": {"name": "Jane e-mail", "type": "EMAIL", "delivery_address": [{"simple_address": "jane@example.com"}]}}
	_findings([channel]) == []
}

test_no_finding_key_no_replication_set_uses if {
	_findings([plans.key("other", {"description": "ops@example.com", "policy": null})]) == []
}

test_no_finding_phone_number_next_to_an_unresolved_part if {
	# "+4420794609${var.extension}" could be a longer number
	_findings([_response_plan({"display_name": "Call +4420794609${var.extension}"})]) == []
}

# --- CloudFormation templates ----------------------------------------------------------------------

_plan_resource(properties) := {"Type": "AWS::SSMIncidents::ResponsePlan", "Properties": templates.merged({"Name": "checkout-down", "IncidentTemplate": {"Title": "Checkout down", "Impact": 1}}, properties)}

_template(properties, parameters) := templates.with_parameters(templates.merged(templates.baseline, {"Plan": _plan_resource(properties)}), parameters)

_plan_name := "AWS::SSMIncidents::ResponsePlan.Plan"

test_finding_template_tag_value_from_a_parameter_default if {
	document := _template({"Tags": [{"Key": "owner", "Value": templates.ref("Owner")}]}, {"Owner": {"Type": "String", "Default": "oncall@example.com"}})
	templates.denied_by("CKV_IM_10", document) == {_plan_name}
}

test_finding_template_title_built_with_sub if {
	document := _template({"IncidentTemplate": {"Impact": 1, "Title": {"Fn::Sub": ["Call ${Phone}", {"Phone": "+1 206 555 0100"}]}}}, {})
	templates.denied_by("CKV_IM_10", document) == {_plan_name}
}

test_finding_template_key_description if {
	document := templates.template(templates.merged(templates.baseline, {"Key": templates.key({"Description": "Owned by jane@example.com"})}))
	templates.denied_by("CKV_IM_10", document) == {templates.key_name}
}

test_no_finding_template_address_around_an_unresolved_part if {
	document := _template({"DisplayName": {"Fn::Sub": "${Team}@example.com"}}, {"Team": {"Type": "String"}})
	templates.denied_by("CKV_IM_10", document) == set()
}

test_no_finding_template_dynamic_reference if {
	document := _template({"Tags": [{"Key": "owner", "Value": "{{resolve:ssm:/team/owner-mailbox}}"}]}, {})
	templates.denied_by("CKV_IM_10", document) == set()
}

test_finding_template_email_hidden_by_a_zero_width_joiner if {
	document := _template({"DisplayName": "jane@exa\u200dmple.com"}, {})
	templates.denied_by("CKV_IM_10", document) == {_plan_name}
}

test_no_finding_template_escaped_text_without_an_address if {
	document := _template({"DisplayName": `{"owner": "jane\u002dops"}`}, {})
	templates.denied_by("CKV_IM_10", document) == set()
}
