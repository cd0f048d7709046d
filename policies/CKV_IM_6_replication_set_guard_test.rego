package incident_manager_test.rules.ckv_im_6

import rego.v1

import data.incident_manager_test.plans
import data.incident_manager_test.templates

_set(properties, attributes) := templates.template({
	"Key": templates.key({}),
	"Set": templates.replication_set_with([templates.entry(templates.ref("AWS::Region"), templates.get_att("Key", "Arn"))], properties, attributes),
})

_with_parameter(parameter) := object.union(_set({"DeletionProtected": templates.ref("Protected")}, {"DeletionPolicy": "Delete"}), {"Parameters": {"Protected": parameter}})

test_finding_template_deletion_policy_delete if {
	templates.denied_by("CKV_IM_6", _set({}, {"DeletionPolicy": "Delete"})) == {templates.set_name}
	[finding] := [f | some f in data.incident_manager.deny with input as _set({}, {"DeletionPolicy": "Delete"}); f.id == "CKV_IM_6"]
	contains(finding.msg, "set DeletionPolicy: Retain or DeletionProtected: true")
}

test_finding_template_no_deletion_policy_and_deletion_protected_false if {
	document := _set({"DeletionProtected": false}, {})
	set_only := json.patch(document, [{"op": "remove", "path": ["Resources", "Set", "DeletionPolicy"]}])
	templates.denied_by("CKV_IM_6", set_only) == {templates.set_name}
}

test_finding_template_deletion_protected_from_a_parameter_default_false if {
	templates.denied_by("CKV_IM_6", _with_parameter({"Type": "String", "Default": "false"})) == {templates.set_name}
}

test_no_finding_template_retained if {
	templates.denied_by("CKV_IM_6", _set({}, {"DeletionPolicy": "RetainExceptOnCreate"})) == set()
}

test_no_finding_template_deletion_protected_as_a_string if {
	templates.denied_by("CKV_IM_6", _set({"DeletionProtected": "True"}, {"DeletionPolicy": "Delete"})) == set()
}

test_no_finding_template_deletion_protected_from_a_parameter_without_default if {
	templates.denied_by("CKV_IM_6", _with_parameter({"Type": "String"})) == set()
}

test_no_finding_template_deletion_policy_known_only_at_deployment if {
	document := _set({}, {"DeletionPolicy": {"Fn::If": ["Production", "Retain", "Delete"]}})
	templates.denied_by("CKV_IM_6", document) == set()
}

# a plan carries no lifecycle block: the guard is not visible
test_no_finding_on_a_plan if {
	document := plans.plan([plans.replication_set([{"name": "us-east-1"}])])
	[] == [f | some f in data.incident_manager.deny with input as document; f.id == "CKV_IM_6"]
}
