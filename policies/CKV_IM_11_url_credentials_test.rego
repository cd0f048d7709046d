package incident_manager_test.rules.ckv_im_11

import rego.v1

import data.incident_manager_test.plans
import data.incident_manager_test.templates

_runbook_parameter(value) := {
	"address": "aws_ssmincidents_response_plan.webhook",
	"values": {"name": "webhook", "action": [{"ssm_automation": [{"document_name": "Notify", "parameter": [{"name": "Url", "values": [value]}]}]}]},
}

_findings(value) := [f | some f in data.incident_manager.deny with input as plans.plan([_runbook_parameter(value)]); f.id == "CKV_IM_11"]

test_finding_password_in_user_info if {
	[finding] := _findings("https://user:s3cret@hooks.example.com/notify")
	contains(finding.msg, "action[0].ssm_automation[0].parameter[0].values: URL https://user:***@hooks.example.com/notify carries a password in its user-info")
	not contains(finding.msg, "s3cret")
}

test_finding_token_query_parameter if {
	[finding] := _findings("https://hooks.example.com/notify?channel=sre&Access_Token=abc123")
	contains(finding.msg, "carries credentials in query parameter \"Access_Token\"")
	not contains(finding.msg, "abc123")
}

test_finding_percent_encoded_parameter_name if {
	[finding] := _findings("https://hooks.example.com/?tok%65n=abc")
	contains(finding.msg, "query parameter \"token\"")
	not contains(finding.msg, "abc")
}

test_no_finding_user_without_password if {
	_findings("https://user@hooks.example.com/notify?channel=sre") == []
}

test_no_finding_parameter_that_only_contains_a_credential_name if {
	_findings("https://hooks.example.com/notify?tokens=1&my_token=2") == []
}

test_finding_fragment_token if {
	[finding] := _findings("https://status.example.com/#access_token=abc123")
	contains(finding.msg, "URL https://status.example.com/#access_token=*** carries credentials in fragment parameter \"access_token\"")
	not contains(finding.msg, "abc123")
}

test_finding_url_inside_a_url if {
	[finding] := _findings("https://login.example.com/?next=https%3A%2F%2Fbot%3As3cret%40hooks.example.com")
	contains(finding.msg, "URL https://bot:***@hooks.example.com carries a password in its user-info")
	not contains(finding.msg, "s3cret")
}

test_finding_comma_joined_urls if {
	[finding] := _findings("https://a.example.com,https://bot:s3cret@b.example.com/")
	contains(finding.msg, "URL https://bot:***@b.example.com/ carries a password in its user-info")
	not contains(finding.msg, "s3cret")
}

test_finding_json_escaped_slashes if {
	[finding] := _findings(`https:\/\/bot:s3cret@hooks.example.com\/notify`)
	contains(finding.msg, "URL https://bot:***@hooks.example.com/notify carries a password")
}

test_finding_zero_width_character_in_the_scheme if {
	count(_findings("https:/\u200b/bot:s3cret@hooks.example.com/")) == 1
}

test_no_finding_fragment_without_a_credential_name if {
	_findings("https://status.example.com/#section=tokens") == []
}

# --- CloudFormation templates ----------------------------------------------------------------------

_template(url, parameters) := templates.with_parameters(templates.merged(templates.baseline, {"Plan": {
	"Type": "AWS::SSMIncidents::ResponsePlan",
	"Properties": {
		"Name": "status", "IncidentTemplate": {"Title": "Status", "Impact": 4},
		"Actions": [{"SsmAutomation": {"DocumentName": "Notify", "RoleArn": "arn:aws:iam::111122223333:role/r", "Parameters": [{"Key": "Url", "Values": [url]}]}}],
	},
}}), parameters)

test_finding_template_token_joined_into_a_url if {
	url := {"Fn::Join": ["", ["https://status.example.com/hook?token=", templates.ref("Token")]]}
	templates.denied_by("CKV_IM_11", _template(url, {"Token": {"Type": "String", "Default": "3b9f0c2a"}})) == {"AWS::SSMIncidents::ResponsePlan.Plan"}
}

test_no_finding_template_url_from_a_parameter_without_default if {
	templates.denied_by("CKV_IM_11", _template(templates.ref("Url"), {"Url": {"Type": "String", "NoEcho": true}})) == set()
}

test_no_finding_template_user_without_password if {
	templates.denied_by("CKV_IM_11", _template("https://bot@status.example.com/hook", {})) == set()
}

test_finding_template_fragment_token if {
	templates.denied_by("CKV_IM_11", _template("https://status.example.com/#access_token=abc123", {})) == {"AWS::SSMIncidents::ResponsePlan.Plan"}
}

test_finding_template_percent_encoded_inner_url if {
	url := "https://login.example.com/?next=https%3A%2F%2Fbot%3As3cret%40hooks.example.com"
	templates.denied_by("CKV_IM_11", _template(url, {})) == {"AWS::SSMIncidents::ResponsePlan.Plan"}
}

test_no_finding_template_inner_url_without_credentials if {
	url := "https://login.example.com/?next=https%3A%2F%2Fhooks.example.com%2Fnotify"
	templates.denied_by("CKV_IM_11", _template(url, {})) == set()
}
