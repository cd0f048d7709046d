# METADATA
# title: IAM key policy matching (CKV_IM_7, CKV_IM_8)
# description: |
#   RULES.md, "Matching IAM policy elements": actions (case-insensitive globs),
#   principals, NotAction / NotPrincipal / NotResource, Deny statements, condition operators
#   (ForAnyValue: / ForAllValues: prefixes, IfExists suffix) and kms:ViaService
#   values against the key's Region. Condition values are compared
#   case-sensitively, as AWS does, except by the ...IgnoreCase operators.
#
#   Every question is answered in three-valued logic, as numbers: no (0) <
#   maybe (1) < yes (2), so "and" is min and "or" is max. An unresolved part
#   (util.unresolved) makes an answer "maybe" only where it could change it. A
#   rule reports a finding only on a "yes" (or a certain "no") reached without
#   any "maybe". A malformed statement is read in the direction that cannot hide
#   a problem: it grants nothing to CKV_IM_7, but it may deny, and it may be a
#   wildcard grant for CKV_IM_8. A statement that covers no resource (`NotResource: "*"`,
#   `Resource: []`) or names no principal (`{"AWS": []}`) grants and denies nothing; an Allow
#   with NotPrincipal may or may not grant the service, and is a wildcard grant for CKV_IM_8.
#   The same reading as checks/ckv_im/iam_policy.py (tests/rego/test_rego_iam.py compares them).
package incident_manager.lib.iam

import rego.v1

import data.incident_manager.lib.util

services := ["ssm-incidents", "ssm-contacts"]

required_actions := ["kms:CreateGrant", "kms:DescribeKey"]

no := 0

maybe := 1

yes := 2

_all(truths) := min(truths) if count(truths) > 0

else := yes

_any(truths) := max(truths) if count(truths) > 0

else := no

_not(truth) := yes - truth

_unknown(value) if util.is_unresolved(value)

# --- globs -----------------------------------------------------------------------------------------
# A glob as an anchored regular expression: `*` any run of characters, `?` one character,
# everything else literal (no glob library: they treat `:` or `.` specially).

glob_regex(glob, flags) := sprintf("(?%s)^%s$", [flags, concat("", [_glob_piece(piece) |
	some piece in regex.find_all_string_submatch_n(`([^*?]*)([*?]*)`, glob, -1)
])])

_glob_piece(piece) := concat("", [regex.replace(piece[1], `[\\.+*?()|\[\]{}^$]`, `\$0`), _wildcards(piece[2])])

# One quantifier per wildcard run ("*?*" is ".{1,}").
_wildcards(run) := sprintf(".{%d,}", [count(replace(run, "*", ""))]) if contains(run, "*")

else := sprintf(".{%d}", [count(run)]) if count(run) > 0

else := ""

# yes / no whether the glob matches the text; maybe for a glob no regular expression can
# hold (a run of more than 1000 `?`: RE2's repeat limit).
glob_truth(glob, text, flags) := maybe if {
	some run in regex.find_n(`[*?]+`, glob, -1)
	count(replace(run, "*", "")) > 1000
} else := yes if {
	regex.match(glob_regex(glob, flags), text)
} else := no

# IAM action matching: case-insensitive. Whether IAM folds non-ASCII characters that fold to ASCII
# ones (the long s to "s", the Kelvin sign to "k") is not documented: a pattern that matches only
# under a Unicode folding is undecided, never a match.
action_truth(pattern, action) := maybe if {
	_unknown(pattern)
} else := glob_truth(pattern, action, "is") if {
	is_string(pattern)
	_is_ascii(pattern)
} else := yes if {
	is_string(pattern)
	glob_truth(ascii_lower(pattern), ascii_lower(action), "s") == yes
} else := maybe if {
	is_string(pattern)
	glob_truth(pattern, action, "is") != no
} else := no

_is_ascii(text) if regex.match(`^[\x00-\x7f]*$`, text)

# IAM compares names (actions, condition keys, operators) ignoring case, in ASCII only (see above).
ascii_lower(text) := lower(text) if _is_ascii(text)

else := concat("", [_ascii_lower_character(character) | some character in split(text, "")])

_ascii_lower_character(character) := lower(character) if _is_ascii(character)

else := character

# --- kms:ViaService values -------------------------------------------------------------------------

# A CloudFormation key lives in the stack's Region (AWS::Region): a view writes that Region
# as this marker, both as the key's Region and inside policy values built with it. A value
# pinned to a Region by name may or may not be the stack's.
stack_region := "\u001dAWS::Region\u001d"

_service_suffix := ".amazonaws.com"

# The key Region a value is compared with (null: not known). The stack Region is known only
# to values written with the marker.
_region_for(value, region) := null if {
	region == stack_region
	not contains(value, stack_region)
} else := region

# The key's Region as given by a view (a string, or null when not resolved). Text that is no
# Region name (us-east-1, us-gov-west-1, cn-northwest-1...) is no evidence of the key Region.
key_region(region) := stack_region if {
	region == stack_region
} else := lower(util.strip(region)) if {
	is_string(region)
	regex.match(`^[a-z]{2}(?:-[a-z]{1,16}){1,3}-[0-9]{1,2}$`, lower(util.strip(region)))
} else := null

_service_name(service, region) := concat("", [service, ".", region, _service_suffix])

_value_equals(value, service, region, ignore_case) := maybe if {
	_unknown(value)
} else := no if {
	not is_string(value)
} else := _equal_truth(value, _service_name(service, _region_for(value, region)), ignore_case) if {
	_region_for(value, region) != null
} else := maybe if {
	# no value equals the service name in every Region: at best it is pinned to one
	regex.match(sprintf(`%s^%s\.[a-z0-9-]+\.amazonaws\.com$`, [_case_flag(ignore_case), service]), value)
} else := no

_case_flag(true) := "(?i)"

_case_flag(false) := ""

_equal_truth(a, b, ignore_case) := yes if {
	not ignore_case
	a == b
} else := yes if {
	ignore_case
	lower(a) == lower(b)
} else := no

_value_like(value, service, region) := maybe if {
	_unknown(value)
} else := no if {
	not is_string(value)
} else := glob_truth(value, _service_name(service, _region_for(value, region)), "s") if {
	_region_for(value, region) != null
} else := yes if {
	_matches_every_region(value, service)
} else := maybe if {
	_may_match_some_region(value, service)
} else := no

_max_analysed_glob := 512

# Unknown-Region checks stand a Region in with this character, which only a wildcard matches.
_sentinel := "\u0000"

_collapse(glob) := regex.replace(glob, `\*+`, "*")

# Whether the glob matches the service name whatever the (non-empty) Region is: matching the
# sentinel Region at length n means matching every Region of that length; from one more than
# the glob's number of `?` on, some `*` must absorb it, so that length stands for all longer.
_matches_every_region(glob, service) if {
	collapsed := _collapse(glob)
	not contains(collapsed, _sentinel)
	count(collapsed) <= _max_analysed_glob
	every length in numbers.range(1, count(collapsed) - count(replace(collapsed, "?", "")) + 1) {
		glob_truth(collapsed, _service_name(service, _repeat(_sentinel, length)), "s") == yes
	}
}

_repeat(text, times) := concat("", [text | some _ in numbers.range(1, times)])

# Over-approximation: whether the glob shares a match with `<service>.<anything non-empty>.amazonaws.com`.
# The glob must split into a part matching "<service>." exactly, a non-empty middle and a part
# matching ".amazonaws.com" exactly; a `*` at a boundary may serve both sides.
_may_match_some_region(glob, _) if count(_collapse(glob)) > _max_analysed_glob

_may_match_some_region(glob, service) if {
	collapsed := _collapse(glob)
	count(collapsed) <= _max_analysed_glob
	some start in _prefix_ends(collapsed, concat("", [service, "."]))
	some end in _suffix_starts(collapsed, _service_suffix)
	start < end
}

# Positions a where the glob's first a characters (with the `*` at a, if any) match `text`.
_prefix_ends(glob, text) := {position |
	some position in numbers.range(0, count(glob))
	count(replace(substring(glob, 0, position), "*", "")) <= count(text)
	some prefix in {substring(glob, 0, position), substring(glob, 0, position + 1)}
	_ends_at_or_keeps_star(glob, prefix, position)
	glob_truth(prefix, text, "s") == yes
}

_ends_at_or_keeps_star(_, prefix, position) if count(prefix) == position

_ends_at_or_keeps_star(glob, prefix, position) if {
	count(prefix) == position + 1
	substring(glob, position, 1) == "*"
}

# Positions b where the glob from b (with the `*` before b, if any) matches `text`.
_suffix_starts(glob, text) := {position |
	some position in numbers.range(0, count(glob))
	count(replace(substring(glob, position, -1), "*", "")) <= count(text)
	some suffix in _suffixes(glob, position)
	glob_truth(suffix, text, "s") == yes
}

_suffixes(glob, position) := {substring(glob, position, -1), substring(glob, position - 1, -1)} if {
	position > 0
	substring(glob, position - 1, 1) == "*"
} else := {substring(glob, position, -1)}

# --- conditions ------------------------------------------------------------------------------------

_via_service := {"kms:viaservice"}

_caller_pin_keys := {"kms:calleraccount", "aws:principalaccount", "aws:principalorgid", "aws:principalarn"}

_matching_operators := {"stringequals", "stringequalsignorecase", "stringlike"}

_excluding_operators := {"stringnotequals", "stringnotequalsignorecase", "stringnotlike"}

# `ForAnyValue:StringLikeIfExists` -> `stringlike`
base_operator(operator) := _without_if_exists(_without_set_prefix(ascii_lower(operator)))

_without_set_prefix(name) := substring(name, count(prefix), -1) if {
	some prefix in ["forallvalues:", "foranyvalue:"]
	startswith(name, prefix)
} else := name

_without_if_exists(name) := substring(name, 0, count(name) - 8) if endswith(name, "ifexists")

else := name

_is_block(block) if {
	is_object(block)
	not _unknown(block)
}

# [base operator, values] of each listed condition key in a condition object.
_condition_entries(condition, keys) := [[base_operator(operator), util.as_list(values)] |
	some operator, block in condition
	_is_block(block)
	is_string(operator)
	some key, values in block
	is_string(key)
	ascii_lower(key) in keys
]

# a maybe for each operator block that is not resolved, and for each condition key that names a
# listed key only under a Unicode case folding ("\u212ams:CallerAccount")
_unresolved_blocks(condition) := [maybe | some _, block in condition; not _is_block(block)]

_folded_keys(condition, keys) := [maybe |
	some _, block in condition
	_is_block(block)
	some key, _ in block
	is_string(key)
	not ascii_lower(key) in keys
	_casefolded(key) in keys
]

# Python's casefold, as far as it can reach a listed key: the long s and the Kelvin sign.
_casefolded(text) := lower(replace(replace(text, "\u017f", "s"), "\u212a", "k"))

_undecided_blocks(condition, keys) := array.concat(_unresolved_blocks(condition), _folded_keys(condition, keys))

# Whether one kms:ViaService condition entry holds for a call made via the service.
_entry_truth(entry, service, region) := _any([_value_truth(entry[0], value, service, region) | some value in entry[1]]) if {
	entry[0] in _matching_operators
} else := _not(_any([_value_truth(entry[0], value, service, region) | some value in entry[1]])) if {
	entry[0] in _excluding_operators
} else := maybe # an operator the table does not cover (Null, ArnLike, ...): cannot be decided

_value_truth(operator, value, service, region) := _value_like(value, service, region) if {
	endswith(operator, "like")
} else := _value_equals(value, service, region, endswith(operator, "ignorecase"))

# Allow statement: whether its kms:ViaService condition scopes it to the service. Only
# StringEquals / StringLike establish the grant; StringNot* alone restricts an unscoped one.
via_service_admits(condition, service, region) := no if {
	condition == null
} else := maybe if {
	_unknown(condition)
} else := _all(array.concat(
	array.concat([_entry_truth(entry, service, region) | some entry in entries], _undecided_blocks(condition, _via_service)),
	[_unscoped(condition) | not _has_matching_operator(entries)],
)) if {
	is_object(condition)
	entries := _condition_entries(condition, _via_service)
} else := no

_has_matching_operator(entries) if {
	some entry in entries
	entry[0] in _matching_operators
}

_unscoped(condition) := maybe if count(_undecided_blocks(condition, _via_service)) > 0

else := no

# Deny statement: whether its kms:ViaService condition holds for a call via the service
# (no condition at all: it denies unconditionally).
via_service_denies(condition, service, region) := yes if {
	condition == null
} else := maybe if {
	_unknown(condition)
} else := _all(array.concat(
	[_entry_truth(entry, service, region) | some entry in _condition_entries(condition, _via_service)],
	_undecided_blocks(condition, _via_service),
)) if {
	is_object(condition)
} else := maybe

_has_other_condition_keys(condition) if {
	_is_block(condition)
	some _, block in condition
	_is_block(block)
	some key, _ in block
	ascii_lower(key) != "kms:viaservice"
}

# --- statement shape -------------------------------------------------------------------------------

_is_text(value) if is_string(value)

_is_text(value) if _unknown(value)

_is_text_list(value) if _is_text(value)

_is_text_list(value) if {
	is_array(value)
	every item in value {
		_is_text(item)
	}
}

_is_scalar(value) if is_string(value)

_is_scalar(value) if is_boolean(value)

_is_scalar(value) if is_number(value)

_is_scalar(value) if _unknown(value)

_is_condition_values(value) if _is_scalar(value)

_is_condition_values(value) if {
	is_array(value)
	every item in value {
		_is_scalar(item)
	}
}

_is_principal(value) if _is_text(value)

_is_principal(value) if {
	_is_block(value)
	every _, item in value {
		_is_text_list(item)
	}
}

_is_condition(value) if _unknown(value)

_is_condition(value) if {
	_is_block(value)
	every _, block in value {
		_is_condition_block(block)
	}
}

_is_condition_block(block) if _unknown(block)

_is_condition_block(block) if {
	_is_block(block)
	every _, values in block {
		_is_condition_values(values)
	}
}

# A statement whose every element has a shape IAM accepts (any element may be unresolved).
well_formed(statement) if {
	_is_block(statement)
	_is_text(object.get(statement, "Effect", null))
	count({"Action", "NotAction"} & object.keys(statement)) == 1
	_is_text_list(object.get(statement, "Action", object.get(statement, "NotAction", null)))
	every key in {"Principal", "NotPrincipal"} & object.keys(statement) {
		_is_principal(statement[key])
	}
	_condition_shaped(statement)
}

_condition_shaped(statement) if not "Condition" in object.keys(statement)

_condition_shaped(statement) if _is_condition(statement.Condition)

statements(policy) := util.as_list(object.get(policy, "Statement", []))

# --- statement questions ---------------------------------------------------------------------------

effect_truth(statement, "Allow") := maybe if {
	_unknown(statement.Effect)
} else := yes if {
	statement.Effect == "Allow"
} else := no

# IAM's Effect is case-sensitive; a lower-case "deny" still counts, so that it can never help a pass.
effect_truth(statement, "Deny") := maybe if {
	_unknown(statement.Effect)
} else := yes if {
	is_string(statement.Effect)
	ascii_lower(statement.Effect) == "deny"
} else := no

_effect_certainly_not(statement, effect) if {
	is_string(statement.Effect)
	effect_truth(statement, effect) == no
}

actions_truth(statement, action) := _any([action_truth(pattern, action) | some pattern in util.as_list(statement.Action)]) if {
	"Action" in object.keys(statement)
} else := _not(_any([action_truth(pattern, action) | some pattern in util.as_list(statement.NotAction)])) if {
	"NotAction" in object.keys(statement)
} else := no

# Whether the statement names some principal ({"AWS": []} names none). NotPrincipal names
# everyone but a list, which may or may not leave the caller in.
has_principal(statement) := maybe if {
	"NotPrincipal" in object.keys(statement)
} else := yes if {
	_unknown(statement.Principal)
} else := _any([_names_someone(value) | some _, value in statement.Principal]) if {
	is_object(statement.Principal)
} else := yes if {
	is_string(statement.Principal)
	statement.Principal != ""
} else := no

# A principal list names someone unless it is literally empty (an unresolved entry is someone).
_names_someone(value) := _any([_someone(item) | some item in util.as_list(value)])

_someone(item) := no if item == ""

else := yes

# Whether the statement covers the key: `NotResource: "*"` or `Resource: []` covers nothing. In
# a key policy the resource is the key itself, so any other NotResource may exclude it.
applies_to_the_key(statement) := no if {
	"NotResource" in object.keys(statement)
	some item in util.as_list(statement.NotResource)
	item == "*"
} else := maybe if {
	"NotResource" in object.keys(statement)
} else := maybe if {
	_unknown(object.get(statement, "Resource", "*"))
} else := no if {
	object.get(statement, "Resource", "*") == []
} else := yes

_condition(statement) := object.get(statement, "Condition", null)

# Everything the rules ask of one statement, answered once (a policy's statements are asked
# about four service/action pairs, for grants and for denies).
analysis(statement, index, region) := object.union(
	{"statement": statement, "index": index, "label": label(statement, index), "shape": _shape(statement)},
	_answers(statement, region),
)

_shape(statement) := "unknown" if {
	_unknown(statement)
} else := "well_formed" if {
	well_formed(statement)
} else := "malformed"

_answers(statement, region) := {
	"allow": effect_truth(statement, "Allow"),
	"deny": effect_truth(statement, "Deny"),
	"principal": has_principal(statement),
	"applies": applies_to_the_key(statement),
	"actions": {action: actions_truth(statement, action) | some action in required_actions},
	"admits": {service: via_service_admits(_condition(statement), service, region) | some service in services},
	"denies_via": {service: via_service_denies(_condition(statement), service, region) | some service in services},
	"other_condition_keys": _holds_other_condition_keys(_condition(statement)),
} if {
	well_formed(statement)
} else := {
	# a malformed statement: only whether its Effect is readable and certainly not Allow / Deny
	"certainly_not_allow": _effect_is_certainly_not(statement, "Allow"),
	"certainly_not_deny": _effect_is_certainly_not(statement, "Deny"),
}

# true / false forms of the questions above, for the analysis object
_holds_other_condition_keys(condition) := true if _has_other_condition_keys(condition)

else := false

_effect_is_certainly_not(statement, effect) := true if _effect_certainly_not(statement, effect)

else := false

# Whether an Allow statement lets the service call the action (CKV_IM_7's sense of a grant);
# `malformed`: the answer for a malformed statement whose Effect may be Allow.
grant_from(analysis, service, action, malformed) := maybe if {
	analysis.shape == "unknown"
} else := no if {
	analysis.shape == "malformed"
	analysis.certainly_not_allow
} else := malformed if {
	analysis.shape == "malformed"
} else := _all([analysis.allow, analysis.principal, analysis.applies, analysis.actions[action], analysis.admits[service]])

# Whether a Deny statement stops the service calling the action. A Deny with condition keys
# other than kms:ViaService cannot be decided statically and is ignored (RULES.md).
deny_from(analysis, service, action) := maybe if {
	analysis.shape == "unknown"
} else := no if {
	analysis.shape == "malformed"
	analysis.certainly_not_deny
} else := maybe if {
	analysis.shape == "malformed"
} else := no if {
	analysis.other_condition_keys
} else := _all([analysis.deny, analysis.applies, analysis.actions[action], analysis.denies_via[service]])

grant_truth(statement, service, action, region, malformed) := grant_from(analysis(statement, 0, region), service, action, malformed)

denies_truth(statement, service, action, region) := deny_from(analysis(statement, 0, region), service, action)

principal_wildcard(principal) := no if {
	principal == null
} else := _could_be_wildcard(principal) if {
	_unknown(principal)
} else := _any([_principal_item_wildcard(item) | some _, value in principal; some item in util.as_list(value)]) if {
	is_object(principal)
} else := yes if {
	principal == "*"
} else := no

_principal_item_wildcard(item) := _could_be_wildcard(item) if _unknown(item)

else := yes if item == "*"

else := no

# An unresolved principal whose literal text rules out "*" ("arn:aws:iam::${account}:root") is no wildcard.
_could_be_wildcard(value) := maybe if {
	text := value["$unresolved"]
	literal := regex.replace(text, `\$\{[^}]*\}`, "")
	_literal_could_be_wildcard(text, literal)
} else := no

_literal_could_be_wildcard(text, literal) if literal == text # a bare reference such as var.principal

_literal_could_be_wildcard(_, literal) if trim(literal, "*") == ""

# Whether a StringEquals / wildcard-free StringLike condition pins the caller to concrete values.
# An ...IfExists or ForAllValues: operator holds when the request has no such key: it pins nothing.
caller_pinned(condition) := no if {
	condition == null
} else := maybe if {
	_unknown(condition)
} else := _any(array.concat(
	[_pin_truth(entry) | some entry in _condition_entries(_binding_blocks(condition), _caller_pin_keys); entry[0] in {"stringequals", "stringlike"}],
	array.concat(_unresolved_blocks(condition), _folded_keys(_binding_blocks(condition), _caller_pin_keys)),
)) if {
	is_object(condition)
} else := no

_binding_blocks(condition) := {operator: block |
	some operator, block in condition
	not _holds_without_key(operator)
}

_holds_without_key(operator) if endswith(ascii_lower(operator), "ifexists")

_holds_without_key(operator) if startswith(ascii_lower(operator), "forallvalues:")

_pin_truth(entry) := no if count(entry[1]) == 0

else := _all([_concrete_truth(value, entry[0]) | some value in entry[1]])

_concrete_truth(value, operator) := yes if {
	# a string known only later: StringEquals compares it literally
	_unknown(value)
	value.template == true
	operator != "stringlike"
} else := maybe if {
	_unknown(value)
} else := no if {
	is_string(value)
	regex.match(`[*?]`, value)
} else := yes

# CKV_IM_8: an Incident Manager grant to principal "*" with no caller pin.
wildcard_grant(statement, region) := _wildcard_from(analysis(as_wildcard(statement), 0, region))

# An Allow with NotPrincipal grants everyone it does not list: judged as principal "*".
as_wildcard(statement) := object.union(object.remove(statement, ["NotPrincipal"]), {"Principal": "*"}) if {
	is_object(statement)
	"NotPrincipal" in object.keys(statement)
} else := statement

_wildcard_from(analysis) := grant if {
	grant := _any([grant_from(analysis, service, action, maybe) | some service in services; some action in required_actions])
	_grant_is_final(analysis, grant)
} else := _all([
	_any([grant_from(analysis, service, action, maybe) | some service in services; some action in required_actions]),
	principal_wildcard(object.get(analysis.statement, "Principal", null)),
	_not(caller_pinned(_condition(analysis.statement))),
])

_grant_is_final(_, grant) if grant == no

_grant_is_final(analysis, _) if analysis.shape != "well_formed"

# --- details lines ---------------------------------------------------------------------------------

_max_sid_shown := 80

label(statement, index) := sprintf("statement \"%s\"", [_shown_sid(statement.Sid)]) if {
	is_string(statement.Sid)
	statement.Sid != ""
} else := sprintf("statement %d", [index])

_shown_sid(sid) := sid if count(sid) <= _max_sid_shown

else := concat("", [substring(sid, 0, _max_sid_shown), "..."])

_analyses(policy, region) := [analysis(statement, index, key_region(region)) | some index, statement in statements(policy)]

# CKV_IM_7: what stops each Incident Manager service calling each required action.
required_grant_problems(policy, region) := [line |
	analyses := _analyses(policy, region)
	some service in services
	some action in required_actions
	some line in _pair_problems(analyses, service, action)
]

_pair_problems(analyses, service, action) := array.concat(
	[_not_granted_line(analyses, service, action) |
		_any([grant_from(analysis, service, action, no) | some analysis in analyses]) == no
	],
	[sprintf("%s denies %s via %s", [analysis.label, action, service]) |
		some analysis in analyses
		deny_from(analysis, service, action) == yes
	],
)

_not_granted_line(analyses, service, action) := concat("", [
	sprintf("%s cannot call %s: no Allow statement grants it via kms:ViaService", [service, action]),
	concat("", [hint |
		some analysis in analyses
		some hint in _region_missing_hints(analysis, service, action)
	]),
])

# The statement AWS's own guide shows names the services without a Region: say so.
_region_missing_hints(analysis, service, action) := {hint |
	analysis.shape == "well_formed"
	analysis.allow == yes
	analysis.actions[action] == yes
	_is_block(_condition(analysis.statement))
	some entry in _condition_entries(_condition(analysis.statement), _via_service)
	some value in entry[1]
	is_string(value)
	lower(value) == concat("", [service, _service_suffix])
	hint := sprintf(" (%s names %s in kms:ViaService, without a Region: write %s.<region>.amazonaws.com or %s.*.amazonaws.com)", [analysis.label, value, service, service])
}

# CKV_IM_8: statements that grant Incident Manager key access to "*" without a caller pin.
wildcard_principal_problems(policy, region) := [line |
	some index, statement in statements(policy)
	judged := analysis(as_wildcard(statement), index, key_region(region))
	_wildcard_from(judged) == yes
	line := sprintf("%s grants Incident Manager key access to principal \"*\" without a condition pinning the caller (StringEquals on kms:CallerAccount, aws:PrincipalAccount, aws:PrincipalOrgID or aws:PrincipalArn)", [judged.label])
]

# --- Incident Manager key (RULES.md "Terms", (b)) ---------------------------------------------------

# Whether the key policy is written for Incident Manager: a kms:ViaService value names one of
# its services (case-insensitive), or the seed's Allow kms:CreateGrant statement lost its values.
names_incident_manager(policy) if {
	some statement in statements(policy)
	_statement_names_incident_manager(statement)
}

_via_service_values(statement) := [value |
	_is_block(statement)
	_is_block(statement.Condition)
	some entry in _condition_entries(statement.Condition, _via_service)
	some value in entry[1]
]

_statement_names_incident_manager(statement) if {
	some value in _via_service_values(statement)
	is_string(value)
	some service in services
	contains(lower(value), service)
}

_statement_names_incident_manager(statement) if {
	values := _via_service_values(statement)
	count(values) > 0
	every value in values {
		value == ""
	}
	statement.Effect == "Allow"
	actions_truth(statement, "kms:CreateGrant") == yes
}
