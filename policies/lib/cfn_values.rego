# METADATA
# title: CloudFormation values
# description: |
#   The values of a CloudFormation template as the Python adapter evaluates them
#   (checks/ckv_im/cloudformation_values.py): literals, parameters with a Default,
#   Ref and Fn::GetAtt to resources of the template, Fn::Sub (string and list
#   forms) and Fn::Join built from those, the pseudo parameter AWS::Region kept as
#   the stack-Region marker (iam.stack_region). Whatever is known only at
#   deployment (Fn::ImportValue, Fn::If, AWS::AccountId, parameters without a
#   Default, SSM parameter types, dynamic references) is unresolved.
#
#   Rego has no recursion: the intrinsic functions of the resources the view reads
#   are evaluated in rounds, innermost first (a Fn::Sub whose variable is a
#   Fn::Join waits one round for it), up to 24 levels of nesting; a deeper one
#   stays unresolved.
#
#   An evaluation is {"parts": [...]} (literal text, the stack-Region marker,
#   {"resource": id, "attribute": name or null} for Ref / Fn::GetAtt of a
#   resource, {"unknown": text, "reason": why} for a part known only at
#   deployment) or {"unknown": why} when the whole value is unresolved.
package incident_manager.lib.cfn_values

import rego.v1

import data.incident_manager.lib.iam
import data.incident_manager.lib.util

# --- the template ----------------------------------------------------------------------------------

# A CloudFormation template (JSON, `cdk synth` output, long-form YAML), or the `resources:` of a
# Serverless Framework file. Nothing else: a plan never has a Resources object of typed resources.
template := input if {
	is_object(input)
	_typed_resources(input.Resources)
} else := input.resources if {
	is_object(input)
	is_object(input.resources)
	_typed_resources(input.resources.Resources)
}

_typed_resources(resources) if {
	is_object(resources)
	some _, resource in resources
	is_string(resource.Type)
}

is_template if template

# The whole Serverless file (its ${self:...} variables resolve from it).
serverless_file := input if {
	is_object(input)
	template == input.resources
}

# Checkov's parser adds __startline__ / __endline__ markers: the Python adapter skips such keys.
is_marker(key) if {
	is_string(key)
	count(key) > 4
	startswith(key, "__")
	endswith(key, "__")
}

without_markers(value) := _without(value, sort([path | walk(value, [path, _]); count(path) > 0; is_marker(path[count(path) - 1])]))

_without(value, []) := value

_without(value, paths) := json.patch(value, [{"op": "remove", "path": path} | some path in paths; not _under_marker(path)]) if {
	count(paths) > 0
}

_under_marker(path) if {
	some key in array.slice(path, 0, count(path) - 1)
	is_marker(key)
}

resources := {id: resource |
	some id, resource in util.object_of(template.Resources)
	not is_marker(id)
}

parameters := {name: parameter |
	some name, parameter in util.object_of(object.get(template, "Parameters", {}))
	not is_marker(name)
}

resource_type(id) := resources[id].Type if is_string(resources[id].Type)

# --- intrinsic functions ---------------------------------------------------------------------------

# [name, argument] of a one-key {"Ref": ...} / {"Fn::...": ...} node.
function(node) := [name, argument] if {
	is_object(node)
	count(node) == 1
	some name, argument in node
	is_string(name)
	_function_name(name)
}

_function_name("Ref")

_function_name(name) if startswith(name, "Fn::")

is_function(node) if function(node)

# AWS::NoValue: the property is left out.
is_no_value(node) if function(node) == ["Ref", "AWS::NoValue"]

# The parts of resources the view reads ({id: {"Properties": ..., "DeletionPolicy": ...}}, set by
# the view), without Checkov's markers: only their functions are evaluated.
default read_sections := {}

read_sections := data.incident_manager.lib.cloudformation.read_sections

_sections := {id: without_markers(section) | some id, section in read_sections}

# (Functions deeper than _max_path steps are left out: whatever holds them stays unresolved, as the
# Python adapter leaves values deeper than its MAX_DEPTH.)
intrinsics := {[id, path]: node |
	some id, section in _sections
	walk(section, [path, node])
	count(path) <= _max_path
	is_function(node)
}

_max_path := 64

# [id, path] -> evaluation of every intrinsic function (innermost first, one level per round).
evaluations := r24.done if {
	r1 := _round({"done": {}, "finished": false})
	r2 := _round(r1)
	r3 := _round(r2)
	r4 := _round(r3)
	r5 := _round(r4)
	r6 := _round(r5)
	r7 := _round(r6)
	r8 := _round(r7)
	r9 := _round(r8)
	r10 := _round(r9)
	r11 := _round(r10)
	r12 := _round(r11)
	r13 := _round(r12)
	r14 := _round(r13)
	r15 := _round(r14)
	r16 := _round(r15)
	r17 := _round(r16)
	r18 := _round(r17)
	r19 := _round(r18)
	r20 := _round(r19)
	r21 := _round(r20)
	r22 := _round(r21)
	r23 := _round(r22)
	r24 := _round(r23)
}

# A round evaluates the functions whose inner functions are all evaluated. Once a round adds
# nothing (every function done, or the rest waiting on functions too deep to evaluate), the
# evaluation is finished and the remaining rounds cost nothing.
_round(state) := state if {
	state.finished
} else := {"done": object.union(state.done, new), "finished": false} if {
	new := {key: result |
		some key, node in intrinsics
		not state.done[key]
		result := _evaluate(key, node, state.done)
	}
	count(new) > 0
} else := {"done": state.done, "finished": true}

# The evaluation of the function at [id, path]; one nested deeper than the rounds reach is unresolved.
evaluation(key) := result if {
	result := evaluations[key]
} else := {"unknown": "the value is nested too deeply to evaluate"}

# Undefined while a function inside it (a Fn::Sub variable, a Fn::Join item) waits for its round.
_evaluate(key, node, done) := result if {
	[name, argument] := function(node)
	result := _evaluate_function(name, argument, key, done)
}

_evaluate_function("Ref", argument, _, _) := _ref_parts(argument)

_evaluate_function("Fn::GetAtt", argument, _, _) := _get_att(argument)

_evaluate_function("Fn::Sub", argument, key, done) := _sub_text(key, shape[0], shape[1], shape[2], done) if {
	shape := _sub_shape(argument)
}

_evaluate_function("Fn::Join", argument, key, done) := _join(key, argument, done)

_evaluate_function(name, argument, _, _) := {"unknown": sprintf("%s is known only at deployment", [shown({name: argument})])} if {
	name in {"Fn::ImportValue", "Fn::If"}
}

_evaluate_function(name, _, _, _) := {"unknown": sprintf("%s is not evaluated statically", [name])} if {
	not name in {"Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::ImportValue", "Fn::If"}
}

_pseudo_unknown := {"AWS::AccountId", "AWS::Partition", "AWS::URLSuffix", "AWS::StackName", "AWS::StackId", "AWS::NotificationARNs"}

_ref_parts(name) := {"unknown": "Ref of something that is not a name"} if {
	not is_string(name)
} else := {"parts": [iam.stack_region]} if {
	name == "AWS::Region"
} else := {"parts": [{"unknown": sprintf("${%s}", [name]), "reason": sprintf("%s is known only at deployment", [name])}]} if {
	name in _pseudo_unknown
} else := {"parts": [_parameter_part(name, parameter_default(parameters[name], name))]} if {
	parameters[name]
} else := {"parts": [{"resource": name, "attribute": null}]} if {
	resources[name]
} else := {"unknown": sprintf("Ref %s names nothing in this template", [name])}

_parameter_part(_, found) := found.value if "value" in object.keys(found)

_parameter_part(name, found) := {"unknown": sprintf("${%s}", [name]), "reason": found.reason} if {
	not "value" in object.keys(found)
}

# A parameter's Default as a string ({"value": text}), or {"reason": why} when it has none.
parameter_default(parameter, name) := {"reason": sprintf("parameter %s is read from SSM Parameter Store at deployment", [name])} if {
	is_string(parameter.Type)
	startswith(parameter.Type, "AWS::SSM::Parameter::Value")
} else := {"value": _scalar_text(parameter.Default)} if {
	_is_scalar(parameter.Default)
} else := {"value": concat(",", parameter.Default)} if {
	is_array(parameter.Default)
	every item in parameter.Default {
		is_string(item)
	}
} else := {"reason": sprintf("parameter %s has no Default, so its value is known only at deployment", [name])}

_is_scalar(value) if is_string(value)

_is_scalar(value) if is_number(value)

_is_scalar(value) if is_boolean(value)

_scalar_text(value) := value if is_string(value)

else := "true" if value == true

else := "false" if value == false

else := format_int(value, 10) if value == floor(value)

else := sprintf("%v", [value])

_get_att(argument) := {"parts": [{"resource": target[0], "attribute": target[1]}]} if {
	target := get_att_target(argument)
} else := {"unknown": "not a valid Fn::GetAtt"}

# [logical id, attribute] of a Fn::GetAtt argument ("Key.Arn" or ["Key", "Arn"]).
get_att_target(argument) := [substring(argument, 0, i), substring(argument, i + 1, -1)] if {
	is_string(argument)
	i := indexof(argument, ".")
	i >= 0
} else := argument if {
	is_array(argument)
	count(argument) == 2
	is_string(argument[0])
	is_string(argument[1])
}

# The parts of a value a function reads (a Fn::Sub variable, a Fn::Join item); undefined while a
# function inside it waits for its round.
_child_parts(key, step, value, done) := {"parts": literal_parts(value)} if {
	is_string(value)
} else := {"parts": [_scalar_text(value)]} if {
	_is_scalar(value)
} else := done[[key[0], array.concat(key[1], step)]] if {
	is_function(value)
} else := {"unknown": sprintf("%s is not a string", [shown(value)])} if {
	not is_function(value)
}

# A literal string as it is at deployment: a dynamic reference ({{resolve:...}}) and a Serverless
# variable that stays unresolved are known only then.
literal_parts(text) := _deployed_parts(_deployed_text(text))

_deployed_text(text) := serverless_text(text) if {
	serverless_file
	contains(text, "${")
} else := text

_deployed_parts(text) := [{"unknown": text.template, "reason": "a Serverless variable known only at deployment"}] if {
	is_object(text)
} else := [{"unknown": regex.replace(text, `\{\{(resolve:[^}]*)\}\}`, "$${$1}"), "reason": "a dynamic reference, read at deployment"}] if {
	contains(text, "{{resolve:")
} else := [text]

# --- Serverless Framework variables ----------------------------------------------------------------
# ${self:path} resolves from the file itself, innermost first (${self:custom.${self:custom.stage}});
# any other source (opt:, env:, ssm:, aws:, file(...)) or a default (${self:x, 'y'}) is known only at
# deployment: such a variable is set aside (encoded between \x01 and \x02) and put back at the end.
# The result is the text, or {"template": text} when a variable stays unresolved.

_serverless_variable := `\$\{([^{}]*)\}`

_set_aside := "\u0001([A-Za-z0-9_=-]*)\u0002"

serverless_text(text) := _serverless_result(_restore(_restore(_restore(_restore(_restore(t10)))))) if {
	t1 := _serverless_round(text)
	t2 := _serverless_round(t1)
	t3 := _serverless_round(t2)
	t4 := _serverless_round(t3)
	t5 := _serverless_round(t4)
	t6 := _serverless_round(t5)
	t7 := _serverless_round(t6)
	t8 := _serverless_round(t7)
	t9 := _serverless_round(t8)
	t10 := _serverless_round(t9)
}

_serverless_round(text) := text if {
	not contains(text, "${")
} else := strings.replace_n(
	{match[0]: _serverless_replacement(match[0], match[1]) | some match in regex.find_all_string_submatch_n(_serverless_variable, text, -1)},
	text,
)

_serverless_replacement(_, expression) := _scalar_text(_self_value(expression))

_serverless_replacement(original, expression) := concat("", ["\u0001", base64url.encode(original), "\u0002"]) if {
	not _self_value(expression)
}

# The value of ${self:path}, when the file has a string or a number there.
_self_value(expression) := value if {
	not contains(expression, ",")
	startswith(trim_space(expression), "self:")
	value := object.get(serverless_file, split(substring(trim_space(expression), 5, -1), "."), null)
	_is_scalar(value)
	not is_boolean(value)
}

_restore(text) := text if {
	not contains(text, "\u0001")
} else := strings.replace_n(
	{match[0]: base64url.decode(match[1]) | some match in regex.find_all_string_submatch_n(_set_aside, text, -1)},
	text,
)

_serverless_result(text) := {"template": text} if {
	regex.match(`\$\{|\x{01}`, text)
} else := text

# [text, variables, path of the variables] of a Fn::Sub argument (string and list forms).
_sub_shape(argument) := [argument[0], argument[1], ["Fn::Sub", 1]] if {
	is_array(argument)
	count(argument) == 2
	is_object(argument[1])
} else := [argument, {}, []]

_sub_text(key, text, variables, step, done) := {"unknown": "Fn::Sub of something that is not a string"} if {
	not is_string(text)
} else := {"parts": merged(parts)} if {
	names := [match[1] | some match in regex.find_all_string_submatch_n(`\$\{([^}]*)\}`, text, -1)]
	used := {name | some name in names; name in object.keys(variables)}
	values := {name: value |
		some name in used
		value := _child_parts(key, array.concat(step, [name]), variables[name], done)
	}
	count(values) == count(used) # every variable evaluated
	pieces := regex.split(`\$\{[^}]*\}`, text)
	parts := [part |
		some i, piece in pieces
		some part in array.concat([piece], _variable_parts(names, i, values))
	]
}

_variable_parts(names, i, _) := [] if i >= count(names)

_variable_parts(names, i, values) := _sub_variable(names[i], values) if i < count(names)

_sub_variable(name, values) := [concat("", ["${", substring(name, 1, -1), "}"])] if {
	startswith(name, "!") # ${!Literal} is the text ${Literal}
} else := values[name].parts if {
	values[name].parts
} else := [{"unknown": sprintf("${%s}", [name]), "reason": values[name].unknown}] if {
	values[name]
} else := [_sub_attribute(name, substring(name, 0, i), substring(name, i + 1, -1))] if {
	not startswith(name, "AWS::")
	i := indexof(name, ".")
	i >= 0
} else := _ref_parts(name).parts if {
	_ref_parts(name).parts
} else := [{"unknown": sprintf("${%s}", [name]), "reason": _ref_parts(name).unknown}]

_sub_attribute(_, id, attribute) := {"resource": id, "attribute": attribute} if {
	resources[id]
} else := {"unknown": sprintf("${%s}", [name]), "reason": sprintf("%s names nothing in this template", [id])} if name := concat(".", [id, attribute])

_join(key, argument, done) := {"unknown": "Fn::Join needs a delimiter and a list"} if {
	not _join_shaped(argument)
} else := {"unknown": "Fn::Join of a list known only at deployment"} if {
	not is_array(argument[1])
} else := _joined(argument[0], items) if {
	items := [item |
		some i, value in argument[1]
		item := _child_parts(key, ["Fn::Join", 1, i], value, done)
	]
	count(items) == count(argument[1]) # every item evaluated
}

_join_shaped(argument) if {
	is_array(argument)
	count(argument) == 2
	is_string(argument[0])
}

_joined(delimiter, items) := {"unknown": unknown.unknown} if {
	some unknown in items
	unknown.unknown
} else := {"parts": merged([part |
	some i, item in items
	some part in array.concat([delimiter | i > 0], item.parts)
])}

# Adjacent literal texts joined and empty ones dropped, as the Python adapter's _merged does (the
# stack-Region marker and the tokens stay parts of their own).
merged(parts) := [part |
	some i, run in _runs(parts)
	part := _run_value(parts, run)
	part != ""
]

_plain_text(part) if {
	is_string(part)
	part != iam.stack_region
}

_runs(parts) := [[i, _run_end(parts, i)] | some i, part in parts; _starts_run(parts, i)]

_starts_run(parts, i) if not _plain_text(parts[i])

_starts_run(parts, 0) if _plain_text(parts[0])

_starts_run(parts, i) if {
	i > 0
	_plain_text(parts[i])
	previous := parts[i - 1] # (bound outside `not`: an undefined operand there would not negate)
	not _plain_text(previous)
}

_run_end(parts, i) := i + 1 if not _plain_text(parts[i])

else := min(array.concat([j | some j, part in parts; j > i; not _plain_text(part)], [count(parts)]))

_run_value(parts, run) := parts[run[0]] if not _plain_text(parts[run[0]])

else := concat("", array.slice(parts, run[0], run[1]))

# --- values ----------------------------------------------------------------------------------------

# The value of an evaluation: the string when all of it is literal text (the stack Region kept as
# its marker), else unresolved: a template in Fn::Sub notation when some parts are known
# (`arn:aws:kms:${AWS::Region}:${AWS::AccountId}:key/${Key}`), which IAM matching reads for its
# literal text. In "scan" mode (CKV_IM_10, CKV_IM_11) a template is its text, which the text
# scanners mask, and an unresolved value is null.
rendered(evaluation, mode) := _unresolved(evaluation.unknown, mode) if {
	evaluation.unknown
} else := concat("", evaluation.parts) if {
	every part in evaluation.parts {
		is_string(part)
	}
} else := _template(template_text(evaluation.parts), mode)

_unresolved(_, "scan") := null

_unresolved(reason, mode) := util.unresolved(replace(reason, "${", "$ {")) if mode != "scan"

_template(text, "scan") := text

_template(text, mode) := util.unresolved_template(text) if mode != "scan"

# Parts in Fn::Sub notation; an ARN attribute is never the wildcard "*", so it keeps a literal prefix.
template_text(parts) := concat("", [_part_text(part) | some part in parts])

_part_text(part) := "${AWS::Region}" if part == iam.stack_region

else := part if is_string(part)

else := part.unknown if is_string(part.unknown)

else := sprintf("arn:${%s.%s}", [part.resource, part.attribute]) if {
	is_string(part.attribute)
	endswith(part.attribute, "Arn")
}

else := sprintf("${%s.%s}", [part.resource, part.attribute]) if is_string(part.attribute)

else := sprintf("${%s}", [part.resource])

# The value of the node at `path` of resource `id`'s sections, every function evaluated:
# {"value": v}, or {} when the node is AWS::NoValue (the property is left out).
value_at(id, path, mode) := _node_value([id, path], object.get(_sections[id], path, null), mode)

_node_value(key, node, mode) := {} if {
	is_no_value(node)
} else := {"value": rendered(evaluation(key), mode)} if {
	is_function(node)
} else := {"value": _string_value(node, mode)} if {
	is_string(node)
} else := {"value": node} if {
	not _may_change(node)
} else := {"value": json.patch(node, array.concat(replacements, removals))} if {
	found := [[path, inner] |
		walk(node, [path, inner])
		count(path) > 0
		_changes(inner)
		not _under_function(key, path)
	]
	replacements := [{"op": "replace", "path": path, "value": _inner_value(key, path, inner, mode)} |
		some [path, inner] in found
		not is_no_value(inner)
	]
	removals := [{"op": "remove", "path": path} |
		some path in array.reverse(sort([removed | some [removed, inner] in found; is_no_value(inner)]))
	]
}

_inner_value(key, path, inner, mode) := rendered(evaluation([key[0], array.concat(key[1], path)]), mode) if {
	is_function(inner)
} else := _string_value(inner, mode)

_may_change(node) if regex.match(`"(?:Ref|Fn::[^"]*)":|\{\{resolve:|\$\{`, json.marshal(node))

_changes(node) if is_function(node)

_changes(node) if {
	is_string(node)
	_literal_changes(node)
}

_literal_changes(text) if contains(text, "{{resolve:")

_literal_changes(text) if {
	serverless_file
	contains(text, "${")
}

# A path inside a function: only the outermost function is replaced.
_under_function(key, path) if {
	some i in numbers.range(0, count(path) - 1)
	i < count(path)
	intrinsics[[key[0], array.concat(key[1], array.slice(path, 0, i))]]
	i > 0
}

_string_value(text, mode) := rendered({"parts": literal_parts(text)}, mode)

# A short rendering for details lines: `!GetAtt Key.Arn`, `!Ref Key`, a literal.
shown(node) := _shortened(_shown(node))

_shown(node) := node if is_string(node)

else := sprintf("!GetAtt %s", [concat(".", argument)]) if {
	[name, argument] := function(node)
	name == "Fn::GetAtt"
	is_array(argument)
	every part in argument {
		is_string(part)
	}
} else := sprintf("!Sub %s", [argument[0]]) if {
	[name, argument] := function(node)
	name == "Fn::Sub"
	is_array(argument)
	is_string(argument[0])
} else := sprintf("%s %s", [_short_name(name), argument]) if {
	[name, argument] := function(node)
	is_string(argument)
} else := sprintf("%s ...", [_short_name(function(node)[0])]) if {
	is_function(node)
} else := sprintf("%v", [node])

_short_name("Ref") := "!Ref"

_short_name(name) := concat("", ["!", substring(name, 4, -1)]) if name != "Ref"

_shortened(text) := text if count(text) <= 120

else := concat("", [substring(text, 0, 117), "..."])
