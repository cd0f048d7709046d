package incident_manager_test.rules.ckv_im_13

import rego.v1

import data.incident_manager_test.plans
import data.incident_manager_test.templates

_findings(entries) := [f |
	document := plans.plan([plans.key("east", {}), plans.replication_set(entries)])
	some f in data.incident_manager.deny with input as document
	f.id == "CKV_IM_13"
]

test_finding_aws_owned_key if {
	[finding] := _findings([{"name": "us-east-1"}, {"name": "us-west-2"}])
	contains(finding.msg, "entries us-east-1, us-west-2 use the AWS owned key")
}

test_no_finding_customer_managed_key if {
	_findings([{"name": "us-east-1", "ref": "aws_kms_key.east.arn"}]) == []
}

test_no_finding_key_that_may_be_set if {
	# known only after apply, and not a key of the plan: could be anything
	_findings([{"name": "us-east-1", "ref": "var.key_arn"}]) == []
}

# --- CloudFormation templates ----------------------------------------------------------------------

_set(entries) := templates.template({"Key": templates.key({}), "Set": templates.replication_set(entries)})

test_finding_template_entry_without_key if {
	templates.denied_by("CKV_IM_13", _set([templates.entry(templates.ref("AWS::Region"), null)])) == {templates.set_name}
}

test_finding_template_key_left_out_with_no_value if {
	entries := [templates.entry(templates.ref("AWS::Region"), templates.ref("AWS::NoValue"))]
	templates.denied_by("CKV_IM_13", _set(entries)) == {templates.set_name}
}

test_no_finding_template_every_entry_with_a_key if {
	templates.denied_by("CKV_IM_13", templates.template(templates.baseline)) == set()
}

test_no_finding_template_regions_known_only_at_deployment if {
	document := templates.template({"Set": templates.replication_set_with([], {"Regions": {"Fn::If": ["Two", [], []]}}, {})})
	templates.denied_by("CKV_IM_13", document) == set()
}
