package incident_manager_test.lib.iam

import rego.v1

import data.incident_manager.lib.iam
import data.incident_manager.lib.util

_grant(condition) := {
	"Sid": "IncidentManager", "Effect": "Allow", "Resource": "*",
	"Principal": {"AWS": "arn:aws:iam::111122223333:role/Admin"},
	"Action": ["kms:CreateGrant", "kms:DescribeKey"],
	"Condition": condition,
}

_like_both := {"StringLike": {"kms:ViaService": ["ssm-incidents.*.amazonaws.com", "ssm-contacts.*.amazonaws.com"]}}

_problems(statements, region) := iam.required_grant_problems({"Statement": statements}, region)

# --- globs ---

test_action_globs_are_case_insensitive_and_treat_colon_and_dot_as_text if {
	iam.action_truth("kms:Create*", "kms:CreateGrant") == iam.yes
	iam.action_truth("KMS:creategrant", "kms:CreateGrant") == iam.yes
	iam.action_truth("kms:?reateGrant", "kms:CreateGrant") == iam.yes
	iam.action_truth("*", "kms:DescribeKey") == iam.yes
	iam.action_truth("kms.CreateGrant", "kms:CreateGrant") == iam.no
	iam.action_truth("kms:Create", "kms:CreateGrant") == iam.no
	iam.action_truth("(kms:CreateGrant)", "kms:CreateGrant") == iam.no
	iam.action_truth(util.unresolved("var.action"), "kms:CreateGrant") == iam.maybe
	iam.action_truth(3, "kms:CreateGrant") == iam.no
}

test_glob_with_a_huge_run_of_question_marks_is_undecided if {
	iam.glob_truth(concat("", ["a" | some _ in numbers.range(1, 1001)]), "x", "s") == iam.no
	iam.glob_truth(concat("", ["?" | some _ in numbers.range(1, 1001)]), "x", "s") == iam.maybe
}

# --- kms:ViaService against the key Region ---

test_finding_none_for_the_guide_statement if {
	_problems([_grant(_like_both)], "us-east-1") == []
	_problems([_grant(_like_both)], null) == []
}

test_string_equals_pinned_to_the_key_region if {
	condition := {"StringEquals": {"kms:ViaService": ["ssm-incidents.us-east-1.amazonaws.com", "ssm-contacts.us-east-1.amazonaws.com"]}}
	_problems([_grant(condition)], "us-east-1") == []
	count(_problems([_grant(condition)], "us-west-2")) == 4
	# the key Region is not known: the pinned value may or may not be it, so no finding
	_problems([_grant(condition)], null) == []
}

test_condition_values_are_case_sensitive if {
	condition := {"StringLike": {"kms:ViaService": ["SSM-INCIDENTS.*.amazonaws.com", "ssm-contacts.*.amazonaws.com"]}}
	problems := _problems([_grant(condition)], "us-east-1")
	problems == [
		"ssm-incidents cannot call kms:CreateGrant: no Allow statement grants it via kms:ViaService",
		"ssm-incidents cannot call kms:DescribeKey: no Allow statement grants it via kms:ViaService",
	]
}

test_ignore_case_operators_compare_case_insensitively if {
	condition := {"ForAnyValue:StringEqualsIgnoreCaseIfExists": {"KMS:ViaService": ["SSM-INCIDENTS.US-EAST-1.AMAZONAWS.COM", "ssm-contacts.us-east-1.amazonaws.com"]}}
	_problems([_grant(condition)], "us-east-1") == []
}

test_value_without_a_region_never_matches_and_the_statement_is_named if {
	condition := {"StringEquals": {"kms:ViaService": ["ssm-incidents.amazonaws.com", "ssm-contacts.amazonaws.com"]}}
	problems := _problems([_grant(condition)], "us-east-1")
	count(problems) == 4
	every problem in problems {
		contains(problem, "(statement \"IncidentManager\" names ")
		contains(problem, "without a Region")
	}
}

test_glob_pinned_to_one_region_with_an_unknown_key_region_is_undecided if {
	condition := {"StringLike": {"kms:ViaService": ["ssm-incidents.us-*-1.amazonaws.com", "ssm-contacts.*.amazonaws.com"]}}
	_problems([_grant(condition)], null) == []
	# ...and a glob that can match no Region of the service is a certain no
	never := {"StringLike": {"kms:ViaService": ["ssm-incidents.*.example.com", "ssm-contacts.*.amazonaws.com"]}}
	count(_problems([_grant(never)], null)) == 2
}

test_stack_region_values if {
	condition := {"StringEquals": {"kms:ViaService": [concat("", ["ssm-incidents.", iam.stack_region, ".amazonaws.com"]), concat("", ["ssm-contacts.", iam.stack_region, ".amazonaws.com"])]}}
	_problems([_grant(condition)], iam.stack_region) == []
	pinned := {"StringEquals": {"kms:ViaService": ["ssm-incidents.us-east-1.amazonaws.com", "ssm-contacts.us-east-1.amazonaws.com"]}}
	_problems([_grant(pinned)], iam.stack_region) == []
}

test_string_not_operators_never_establish_the_grant if {
	condition := {"StringNotLike": {"kms:ViaService": "ec2.*.amazonaws.com"}}
	count(_problems([_grant(condition)], "us-east-1")) == 4
}

test_statement_without_kms_via_service_does_not_count if {
	count(_problems([object.remove(_grant({}), ["Condition"])], "us-east-1")) == 4
}

test_statement_split_per_action_and_service if {
	statements := [
		object.union(_grant({"StringLike": {"kms:ViaService": "ssm-incidents.*.amazonaws.com"}}), {"Action": "kms:CreateGrant"}),
		object.union(_grant({"StringLike": {"kms:ViaService": "ssm-incidents.*.amazonaws.com"}}), {"Action": "kms:DescribeKey"}),
		_grant({"StringLike": {"kms:ViaService": "ssm-contacts.*.amazonaws.com"}}),
	]
	_problems(statements, "us-east-1") == []
}

test_not_action_and_not_principal if {
	not_action := object.union(object.remove(_grant(_like_both), ["Action"]), {"NotAction": "kms:Decrypt"})
	_problems([not_action], "us-east-1") == []
	excluded := object.union(object.remove(_grant(_like_both), ["Action"]), {"NotAction": "kms:*"})
	count(_problems([excluded], "us-east-1")) == 4
	# NotPrincipal names everyone but a list, which may or may not leave the service's caller in: undecided
	not_principal := object.union(object.remove(_grant(_like_both), ["Principal"]), {"NotPrincipal": {"AWS": "arn:aws:iam::111122223333:root"}})
	_problems([not_principal], "us-east-1") == []
}

# --- statements that grant nothing (CKV_IM_7) ---

_grants_nothing := [
	object.union(object.remove(_grant(_like_both), ["Resource"]), {"NotResource": "*"}),
	object.union(object.remove(_grant(_like_both), ["Resource"]), {"NotResource": ["arn:aws:kms:us-east-1:111122223333:key/x", "*"]}),
	object.union(_grant(_like_both), {"Resource": []}),
	object.union(_grant(_like_both), {"Principal": {"AWS": []}}),
	object.union(_grant(_like_both), {"Principal": {"AWS": ""}}),
	object.union(object.remove(_grant(_like_both), ["Principal"]), {"Principal": {}}),
]

test_finding_a_statement_that_covers_no_resource_or_names_no_principal_grants_nothing if {
	every statement in _grants_nothing {
		count(_problems([statement], "us-east-1")) == 4
	}
}

test_no_finding_when_another_statement_grants if {
	every statement in _grants_nothing {
		_problems([statement, _grant(_like_both)], "us-east-1") == []
	}
}

test_no_finding_a_not_resource_other_than_star_may_cover_the_key if {
	statement := object.union(object.remove(_grant(_like_both), ["Resource"]), {"NotResource": "arn:aws:kms:us-east-1:111122223333:key/x"})
	_problems([statement], "us-east-1") == []
	_problems([object.union(_grant(_like_both), {"Resource": util.unresolved("var.arn")})], "us-east-1") == []
}

test_no_finding_a_not_resource_deny_denies_nothing if {
	deny := {"Effect": "Deny", "Principal": "*", "Action": "kms:*", "NotResource": "*"}
	_problems([_grant(_like_both), deny], "us-east-1") == []
}

test_finding_a_resource_list_deny_denies if {
	deny := {"Sid": "Deny", "Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": ["*"]}
	count(_problems([_grant(_like_both), deny], "us-east-1")) == 4
}

# --- the key Region ---

test_text_that_is_no_region_name_is_no_evidence_of_the_key_region if {
	condition := {"StringLike": {"kms:ViaService": ["ssm-incidents.not a region.amazonaws.com", "ssm-contacts.not a region.amazonaws.com"]}}
	_problems([_grant(condition)], "not a region") == []
	iam.key_region("not a region") == null
	iam.key_region(" US-Gov-West-1 ") == "us-gov-west-1"
}

# --- Deny statements ---

_deny(condition) := object.union({"Sid": "Deny", "Effect": "Deny", "Principal": "*", "Action": "kms:CreateGrant", "Resource": "*"}, condition)

test_unconditional_deny if {
	_problems([_grant(_like_both), _deny({})], "us-east-1") == [
		"statement \"Deny\" denies kms:CreateGrant via ssm-incidents",
		"statement \"Deny\" denies kms:CreateGrant via ssm-contacts",
	]
}

test_deny_unless_via_incident_manager_denies_the_other_service if {
	deny := _deny({"Condition": {"StringNotEquals": {"kms:ViaService": "ssm-incidents.us-east-1.amazonaws.com"}}})
	_problems([_grant(_like_both), deny], "us-east-1") == ["statement \"Deny\" denies kms:CreateGrant via ssm-contacts"]
}

test_deny_with_other_condition_keys_is_ignored if {
	deny := _deny({"Condition": {"Bool": {"aws:SecureTransport": "false"}}})
	_problems([_grant(_like_both), deny], "us-east-1") == []
}

test_deny_with_a_lower_case_effect_still_counts if {
	count(_problems([_grant(_like_both), object.union(_deny({}), {"Effect": "deny"})], "us-east-1")) == 2
}

test_unresolved_deny_is_no_finding if {
	deny := _deny({"Condition": {"StringEquals": {"kms:ViaService": util.unresolved_template("var.service")}}})
	_problems([_grant(_like_both), deny], "us-east-1") == []
}

# --- malformed statements ---

test_malformed_statements_grant_nothing if {
	count(_problems(["not a statement", {"Effect": "Allow"}, object.union(_grant(_like_both), {"Action": 3})], "us-east-1")) == 4
	_problems(["not a statement", _grant(_like_both)], "us-east-1") == []
}

# --- wildcard principals (CKV_IM_8) ---

_wildcard(condition) := iam.wildcard_principal_problems({"Statement": [object.union(_grant(condition), {"Principal": "*"})]}, "us-east-1")

test_wildcard_principal_without_a_caller_pin if {
	count(_wildcard(_like_both)) == 1
	count(iam.wildcard_principal_problems({"Statement": [object.union(_grant(_like_both), {"Principal": {"AWS": ["*"]}})]}, "us-east-1")) == 1
}

test_wildcard_principal_pinned_to_the_account if {
	_wildcard(object.union(_like_both, {"StringEquals": {"kms:CallerAccount": "111122223333"}})) == []
	_wildcard(object.union(_like_both, {"StringEquals": {"aws:PrincipalOrgID": util.unresolved_template("${var.org}")}})) == []
	count(_wildcard(object.union(_like_both, {"StringEquals": {"kms:CallerAccount": []}}))) == 1
}

test_a_pin_that_holds_without_the_key_pins_nothing if {
	count(_wildcard(object.union(_like_both, {"StringEqualsIfExists": {"kms:CallerAccount": "111122223333"}}))) == 1
	count(_wildcard(object.union(_like_both, {"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}))) == 1
}

_not_principal(condition) := object.union(object.remove(_grant(condition), ["Principal"]), {"NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/ex"}})

test_finding_a_not_principal_allow_is_a_wildcard_grant if {
	[line] := iam.wildcard_principal_problems({"Statement": [_not_principal(_like_both)]}, "us-east-1")
	startswith(line, "statement \"IncidentManager\" grants Incident Manager key access to principal \"*\"")
}

test_no_finding_a_not_principal_allow_pinned_to_the_account if {
	pinned := object.union(_like_both, {"StringEquals": {"kms:CallerAccount": "111122223333"}})
	iam.wildcard_principal_problems({"Statement": [_not_principal(pinned)]}, "us-east-1") == []
	unpinned := object.union(_like_both, {"StringEqualsIfExists": {"kms:CallerAccount": "111122223333"}})
	count(iam.wildcard_principal_problems({"Statement": [_not_principal(unpinned)]}, "us-east-1")) == 1
}

test_unresolved_principal_that_cannot_be_a_wildcard if {
	statement := object.union(_grant(_like_both), {"Principal": {"AWS": util.unresolved_template("arn:aws:iam::${var.account}:root")}})
	iam.wildcard_grant(statement, "us-east-1") == iam.no
	bare := object.union(_grant(_like_both), {"Principal": {"AWS": util.unresolved_template("var.principal")}})
	iam.wildcard_grant(bare, "us-east-1") == iam.maybe
}

# --- Incident Manager keys (RULES.md "Terms", (b)) ---

test_policy_written_for_incident_manager if {
	iam.names_incident_manager({"Statement": [_grant({"StringEquals": {"kms:ViaService": "SSM-Contacts.eu-west-1.amazonaws.com"}})]})
	iam.names_incident_manager({"Statement": _grant({"StringLike": {"kms:ViaService": ["", ""]}})})
	not iam.names_incident_manager({"Statement": [_grant({"StringLike": {"kms:ViaService": "ec2.*.amazonaws.com"}})]})
	not iam.names_incident_manager({"Statement": [object.union(_grant({"StringLike": {"kms:ViaService": [""]}}), {"Action": "kms:Decrypt"})]})
	not iam.names_incident_manager({"Statement": [_grant(util.unresolved_template("var.condition"))]})
}

# --- names are folded in ASCII only ---

test_a_name_that_matches_only_under_a_unicode_folding_is_undecided if {
	iam.action_truth("km\u017f:CreateGrant", "kms:CreateGrant") == iam.maybe
	iam.action_truth("\u212aMS:CreateGrant", "kms:CreateGrant") == iam.maybe
	iam.action_truth("kms:CreateGrant\u00e9", "kms:CreateGrant") == iam.no
	iam.ascii_lower("\u212aMS:\u00c9") == "\u212ams:\u00c9"
}

test_no_finding_deny_that_names_the_key_only_under_a_unicode_folding if {
	deny := {"Sid": "Deny", "Effect": "Deny", "Principal": "*", "Action": "kms:CreateGrant", "Resource": "*"}
	_problems([_grant(_like_both), object.union(deny, {"Action": "km\u017f:CreateGrant"})], "us-east-1") == []
	kelvin_key := object.union(deny, {"Condition": {"StringLike": {"\u212ams:ViaService": "ssm-incidents.*"}}})
	_problems([_grant(_like_both), kelvin_key], "us-east-1") == []
}

test_a_kelvin_caller_pin_is_undecided if {
	condition := object.union(_like_both, {"StringEquals": {"\u212ams:CallerAccount": "111122223333"}})
	# undecided (no finding), not pinned: the wildcard grant is not judged safe
	iam.wildcard_grant(object.union(_grant(condition), {"Principal": "*"}), "us-east-1") == iam.maybe
}
