package incident_manager_test.rules.ckv_im_10

import rego.v1

import data.incident_manager_test.plans

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
