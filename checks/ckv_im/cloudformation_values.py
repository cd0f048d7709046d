"""Static evaluation of CloudFormation intrinsic functions inside one template.

What can be known before deployment is resolved: literals, parameters with a
``Default`` (as Checkov resolves them), ``Fn::Sub`` and ``Fn::Join`` built from
those, references to resources of the same template. What cannot
(``Fn::ImportValue``, ``Fn::If``, ``AWS::AccountId``, a parameter without a
default) becomes an ``Unknown``. ``${AWS::Region}`` is kept as that text: every
key defined in the stack lives in that one Region, and the rules reason about it.

Works on templates as Checkov's and cfn-lint's parsers give them (dict and
list subclasses carrying line marks, Checkov's ``__startline__`` markers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypeAlias

from ckv_im.model import (
    STACK_REGION_TEXT,
    PastLimit,
    Unknown,
    UnknownTemplate,
    interpolation_spans,
    is_unknown,
    past_limit,
)

MAX_DEPTH = 64  # deeper values (or YAML alias loops) are not evaluated
# Characters a string built by Fn::Sub, Fn::Join or Serverless variables may reach: nested or
# repeated substitutions grow exponentially, and no key ARN or policy comes near this.
MAX_BUILT_STRING = 256 * 1024
# Nodes one value may have once evaluated: YAML aliases let a small file stand for a tree of
# billions of nodes (a "billion laughs"), which the evaluation would copy out.
MAX_EVALUATED_NODES = 100_000
_DYNAMIC_REFERENCE = re.compile(r"\{\{(resolve:[^}]*)\}\}")
NO_VALUE = object()  # AWS::NoValue: the property is left out
_PSEUDO_UNKNOWN = {
    "AWS::AccountId",
    "AWS::Partition",
    "AWS::URLSuffix",
    "AWS::StackName",
    "AWS::StackId",
    "AWS::NotificationARNs",
}


def is_marker(key: Any) -> bool:
    """Checkov's parser adds ``__startline__``, ``__endline__`` and ``__file__`` to every dict."""
    return isinstance(key, str) and len(key) > 4 and key.startswith("__") and key.endswith("__")


def entries(node: Any) -> list[tuple[Any, Any]]:
    """A dict's items without Checkov's markers; nothing for anything else."""
    return [(k, v) for k, v in node.items() if not is_marker(k)] if isinstance(node, dict) else []


def intrinsic(node: Any) -> tuple[str, Any] | None:
    """(function, argument) of a one-key ``{"Ref": ...}`` / ``{"Fn::...": ...}`` node."""
    items = entries(node)
    if len(items) == 1 and isinstance(items[0][0], str) and (items[0][0] == "Ref" or items[0][0].startswith("Fn::")):
        return items[0]
    return None


def line_of(node: Any) -> int | None:
    """The 1-based line a parsed node starts on, when the parser recorded it."""
    if isinstance(node, dict) and isinstance(node.get("__startline__"), int):
        return node["__startline__"]
    mark = getattr(node, "start_mark", None)
    line = getattr(mark, "line", None)
    return line + 1 if isinstance(line, int) else None


def shown(node: Any, limit: int = 120) -> str:
    """A short CloudFormation rendering for details lines: ``!GetAtt Key.Arn``, ``!Ref Key``, a literal."""
    function = intrinsic(node)
    if function is None:
        text = node if isinstance(node, str) else repr(node)
    else:
        name, argument = function
        short = "!Ref" if name == "Ref" else "!" + name[4:]
        if name == "Fn::GetAtt" and isinstance(argument, list) and all(isinstance(a, str) for a in argument):
            argument = ".".join(argument)
        elif name == "Fn::Sub" and isinstance(argument, list) and argument:
            argument = argument[0]
        text = f"{short} {argument}" if isinstance(argument, str) else f"{short} ..."
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True)
class ResourceToken:
    """A reference to a resource of the template: ``Ref`` (attribute None) or ``Fn::GetAtt``."""

    logical_id: str
    attribute: str | None = None

    @property
    def text(self) -> str:
        return f"${{{self.logical_id}{'.' + self.attribute if self.attribute else ''}}}"


@dataclass(frozen=True)
class UnknownToken:
    text: str  # as written in Fn::Sub syntax: ${AWS::AccountId}, ${Param}
    reason: str


StackRegionToken = STACK_REGION_TEXT
Part: TypeAlias = str | ResourceToken | UnknownToken


class TemplateValues:
    """Evaluates the values of one template (its ``Parameters`` and ``Resources`` sections)."""

    def __init__(self, template: dict, serverless_file: dict | None = None) -> None:
        self.parameters = dict(entries(template.get("Parameters")))
        self.resources = dict(entries(template.get("Resources")))
        self.mappings = dict(entries(template.get("Mappings")))
        # A Serverless Framework file (the whole of it) holds ${self:...}-style variables in plain strings.
        self.serverless_file = serverless_file
        self.strings = StringParts(self)

    def resource_type(self, logical_id: Any) -> str | None:
        resource = self.resources.get(logical_id) if isinstance(logical_id, str) else None
        kind = resource.get("Type") if isinstance(resource, dict) else None
        return kind if isinstance(kind, str) else None

    def value(self, node: Any, depth: int = 0) -> Any:
        """The node with every intrinsic evaluated: strings, numbers, dicts, lists, Unknowns (never NO_VALUE)."""
        self._nodes_left = MAX_EVALUATED_NODES
        result = self._value(node, depth)
        if self._nodes_left < 0:
            return past_limit(f"a value of more than {MAX_EVALUATED_NODES} nodes")
        return None if result is NO_VALUE else result

    def _value(self, node: Any, depth: int) -> Any:
        if depth > MAX_DEPTH:
            return Unknown("the value is nested too deeply to evaluate")
        self._nodes_left -= 1
        if self._nodes_left < 0:
            return NO_VALUE  # value() turns the whole value into an Unknown
        if isinstance(node, str):
            return self.string(node)
        if isinstance(node, (bool, int, float)) or node is None:
            return node
        if isinstance(node, list):
            return [item for item in (self._value(item, depth + 1) for item in node) if item is not NO_VALUE]
        if not isinstance(node, dict):
            return Unknown(f"unexpected value {type(node).__name__}")
        function = intrinsic(node)
        if function is None:
            result = {}
            for key, item in entries(node):
                item = self._value(item, depth + 1)
                if item is not NO_VALUE:
                    result[key] = item
            return result
        return self.function_value(*function, depth)

    def string(self, text: str) -> Any:
        """A literal string as it is at deployment: Serverless variables resolved, dynamic references unknown."""
        if self.serverless_file is not None and "${" in text:
            value = serverless_string(text, self.serverless_file)
            if not isinstance(value, str):
                return value
            text = value
        if "{{resolve:" in text:  # a dynamic reference: SSM or Secrets Manager, read at deployment
            return UnknownTemplate(_DYNAMIC_REFERENCE.sub(lambda match: "${" + match.group(1) + "}", text))
        return text

    def function_value(self, name: str, argument: Any, depth: int) -> Any:
        if name == "Ref" and argument == "AWS::NoValue":
            return NO_VALUE
        if name in ("Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join"):
            parts = self.strings.parts({name: argument}, depth)
            return parts if is_unknown(parts) else render(parts)
        if name == "Fn::ImportValue":
            return Unknown(f"{shown({name: argument})}: an export of another stack, known only at deployment")
        if name == "Fn::If":
            return Unknown(f"{shown({name: argument})}: depends on a condition known only at deployment")
        if name == "Fn::Select":
            return self._select(argument, depth)
        if name == "Fn::FindInMap":
            return self._find_in_map(argument, depth)
        return Unknown(f"{name} is not evaluated statically")

    def _select(self, argument: Any, depth: int) -> Any:
        """``Fn::Select [index, list]`` of literal (or evaluated) values; Unknown otherwise."""
        if not (isinstance(argument, list) and len(argument) == 2):
            return Unknown("Fn::Select needs an index and a list")
        index, items = self._value(argument[0], depth + 1), self._value(argument[1], depth + 1)
        if isinstance(index, str) and index.isdigit():
            index = int(index)
        if not isinstance(index, int) or isinstance(index, bool) or not isinstance(items, list):
            return Unknown(f"{shown({'Fn::Select': argument})} is known only at deployment")
        if not 0 <= index < len(items):
            return Unknown(f"Fn::Select index {index} is outside its list")
        return items[index]

    def _find_in_map(self, argument: Any, depth: int) -> Any:
        """``Fn::FindInMap [map, top-level key, second-level key]`` from the template's Mappings."""
        if not (isinstance(argument, list) and len(argument) in (3, 4)):
            return Unknown("Fn::FindInMap needs a map name and two keys")
        names = [self._value(item, depth + 1) for item in argument[:3]]
        if not all(isinstance(name, str) for name in names):
            return Unknown(f"{shown({'Fn::FindInMap': argument})} is known only at deployment")
        node: Any = self.mappings
        for name in names:
            node = dict(entries(node)).get(name) if isinstance(node, dict) else None
        if node is None:
            return Unknown(f"Fn::FindInMap {'/'.join(names)} names nothing in the template's Mappings")
        return self._value(node, depth + 1)

    def parts(self, node: Any, depth: int = 0) -> list[Part] | Unknown:
        """A string-valued node as literal text and tokens (Ref, GetAtt, Sub, Join, literals)."""
        return self.strings.parts(node, depth)


class StringParts:
    """String-valued nodes as their parts: literal text, references to resources (``ResourceToken``) and
    values known only at deployment (``UnknownToken``), so that an ARN built with ``Fn::Sub`` can be read."""

    def __init__(self, values: TemplateValues) -> None:
        self.values = values

    def parts(self, node: Any, depth: int = 0) -> "list[Part] | Unknown":
        """A string-valued node as literal text and tokens (Ref, GetAtt, Sub, Join, literals)."""
        if depth > MAX_DEPTH:
            return Unknown("the value is nested too deeply to evaluate")
        if isinstance(node, str):
            text = self.values.string(node)
            if isinstance(text, UnknownTemplate):
                # a Serverless variable or a dynamic reference ({{resolve:...}}) read at deployment
                return [UnknownToken(text.text, f"{text.text[:80]} is known only at deployment")]
            return [text]
        if isinstance(node, bool):
            return ["true" if node else "false"]
        if isinstance(node, (int, float)):
            return [str(node)]
        function = intrinsic(node)
        if function is None:
            return Unknown(f"{shown(node)} is not a string")
        name, argument = function
        if name == "Ref":
            return self._ref_parts(argument)
        if name == "Fn::GetAtt":
            target = _get_att_target(argument)
            if target is None:
                return Unknown(f"{shown(node)} is not a valid Fn::GetAtt")
            return [ResourceToken(*target)]
        if name == "Fn::Sub":
            return self._sub_parts(argument, depth)
        if name == "Fn::Join":
            return self._join_parts(argument, depth)
        value = self.values.function_value(name, argument, depth)
        if isinstance(value, (str, UnknownTemplate)):  # Fn::Select, Fn::FindInMap
            return self.parts(value.text if isinstance(value, UnknownTemplate) else value, depth + 1)
        return value if is_unknown(value) else Unknown(f"{shown(node)} is not a string")

    def _ref_parts(self, name: Any) -> "list[Part] | Unknown":
        if not isinstance(name, str):
            return Unknown("Ref of something that is not a name")
        if name == "AWS::Region":
            return [StackRegionToken]
        if name in _PSEUDO_UNKNOWN:
            return [UnknownToken(f"${{{name}}}", f"{name} is known only at deployment")]
        if name in self.values.parameters:
            default = parameter_default(self.values.parameters.get(name), name)
            return [UnknownToken(f"${{{name}}}", default.reason)] if is_unknown(default) else [default]
        if name in self.values.resources:
            return [ResourceToken(name)]
        return Unknown(f"Ref {name} names nothing in this template")

    def _sub_parts(self, argument: Any, depth: int) -> "list[Part] | Unknown":
        text, variables = argument, {}
        if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], dict):
            text, variables = argument[0], dict(entries(argument[1]))
        if not isinstance(text, str):
            return Unknown("Fn::Sub of something that is not a string")
        parts: list = []
        position, size, substituted = 0, len(text), {}  # each variable evaluated once, however often used
        for start, end in interpolation_spans(text):
            parts.append(text[position:start])
            position = end
            whole, variable = text[start:end], text[start + 2 : end - 1]
            if variable.startswith("!"):  # ${!Literal} is the text ${Literal}
                parts.append("${" + variable[1:] + "}")
            elif variable in variables:
                if variable not in substituted:
                    substituted[variable] = self.parts(variables[variable], depth + 1)
                inner = substituted[variable]
                if isinstance(inner, PastLimit):
                    return inner  # never a partly known string: what was not evaluated may hold anything
                size += _built_size(inner)
                if size > MAX_BUILT_STRING:
                    return past_limit("a string built by Fn::Sub is too long")
                parts.extend(inner if not is_unknown(inner) else [UnknownToken(whole, inner.reason)])
            elif "." in variable and not variable.startswith("AWS::"):
                logical_id, attribute = variable.split(".", 1)
                parts.append(
                    ResourceToken(logical_id, attribute)
                    if logical_id in self.values.resources
                    else UnknownToken(whole, f"{logical_id} names nothing in this template")
                )
            else:
                inner = self._ref_parts(variable)
                parts.extend(inner if not is_unknown(inner) else [UnknownToken(whole, inner.reason)])
        parts.append(text[position:])
        return _merged(parts)

    def _join_parts(self, argument: Any, depth: int) -> "list[Part] | Unknown":
        if not (isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str)):
            return Unknown("Fn::Join needs a delimiter and a list")
        delimiter, items = argument
        if not isinstance(items, list):
            return Unknown("Fn::Join of a list known only at deployment")
        parts: list = []
        size, joined = len(delimiter) * len(items), {}  # an item repeated (a YAML alias) is evaluated once
        for index, item in enumerate(items):
            if id(item) not in joined:
                joined[id(item)] = self.parts(item, depth + 1)
            inner = joined[id(item)]
            if is_unknown(inner):
                return inner
            size += _built_size(inner)
            if size > MAX_BUILT_STRING:
                return past_limit("a string built by Fn::Join is too long")
            parts.extend(([delimiter] if index else []) + inner)
        return _merged(parts)


def _built_size(parts: "list[Part] | Unknown") -> int:
    """Characters of a built string (a token counts as what it stands for in a details line)."""
    if is_unknown(parts):
        return 0
    return sum(len(part) if isinstance(part, str) else len(getattr(part, "text", "")) + 16 for part in parts)


def parameter_default(parameter: Any, name: str) -> Any:
    """A parameter's default as a string (lists joined as CloudFormation does), or Unknown."""
    kind = parameter.get("Type") if isinstance(parameter, dict) else None
    if isinstance(kind, str) and kind.startswith("AWS::SSM::Parameter::Value"):
        return Unknown(
            f"parameter {name} is read from SSM Parameter Store at deployment (its Default is the SSM parameter's name)"
        )
    default = parameter.get("Default") if isinstance(parameter, dict) else None
    if isinstance(default, bool):
        return "true" if default else "false"
    if isinstance(default, (str, int, float)):
        return str(default)
    if isinstance(default, list) and all(isinstance(item, str) for item in default):
        return ",".join(default)
    return Unknown(f"parameter {name} has no Default, so its value is known only at deployment")


_SERVERLESS_VARIABLE = re.compile(r"\$\{([^{}]*)\}")  # innermost first: ${self:custom.${opt:stage}}
_MAX_SERVERLESS_ROUNDS = 10


def serverless_string(text: str, document: dict) -> Any:
    """A Serverless Framework string with its ``${self:path}`` variables resolved from the file itself.

    Other sources (``opt:``, ``env:``, ``ssm:``, ``aws:``, ``file(...)``) are known only at
    deployment: a string that still holds one is an UnknownTemplate. A default
    (``${self:custom.x, 'y'}``) is not taken: whether it applies is decided at deployment.
    """
    try:
        return _serverless_expansion(text, document)
    except _TooLong:
        return past_limit("a Serverless variable expands to too long a string")


class _TooLong(Exception):
    """A Serverless expansion passed MAX_BUILT_STRING (each variable may expand to many more)."""


def _serverless_expansion(text: str, document: dict) -> Any:
    unresolved: list[str] = []
    grown = len(text)

    def replace(match: re.Match) -> str:
        nonlocal grown
        expression = match.group(1)
        if "," not in expression and expression.strip().startswith("self:"):
            value = _serverless_path(document, expression.strip()[len("self:") :])
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                grown += len(str(value))
                if grown > MAX_BUILT_STRING:
                    raise _TooLong
                return str(value)
        unresolved.append(match.group(0))
        return "\x01" + str(len(unresolved) - 1) + "\x02"  # set aside, so the next round does not see it

    for _ in range(_MAX_SERVERLESS_ROUNDS):
        if "${" not in text:
            break
        resolved = _SERVERLESS_VARIABLE.sub(replace, text)
        if resolved == text:
            break
        text = resolved
    for _ in range(_MAX_SERVERLESS_ROUNDS):  # set-aside variables may nest
        if "\x01" not in text:
            break
        text = re.sub("\x01(\\d+)\x02", lambda m: unresolved[int(m.group(1))], text)
        if len(text) > MAX_BUILT_STRING:
            raise _TooLong
    return UnknownTemplate(text) if "${" in text or "\x01" in text else text


def _serverless_path(document: dict, path: str) -> Any:
    node: Any = document
    for step in path.split("."):
        node = node.get(step) if isinstance(node, dict) and not is_marker(step) else None
    return node


def _get_att_target(argument: Any) -> tuple[str, str] | None:
    if isinstance(argument, str) and "." in argument:
        logical_id, attribute = argument.split(".", 1)
        return logical_id, attribute
    if isinstance(argument, list) and len(argument) == 2 and all(isinstance(a, str) for a in argument):
        return argument[0], argument[1]
    return None


def _merged(parts: list) -> list:
    """Adjacent literal texts joined, empty ones dropped."""
    merged: list = []
    for part in parts:
        if (
            isinstance(part, str)
            and part != StackRegionToken
            and merged
            and isinstance(merged[-1], str)
            and merged[-1] != StackRegionToken
        ):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    return merged


def render(parts: list) -> Any:
    """Parts as one value: the string when it is all literal text (the stack Region kept as its
    marker, for kms:ViaService matching), else an UnknownTemplate in Fn::Sub notation."""
    if all(isinstance(part, str) for part in parts):
        return "".join(parts)
    text = "".join(
        ("${AWS::Region}" if part == StackRegionToken else part) if isinstance(part, str) else _token_text(part)
        for part in parts
    )
    value = UnknownTemplate(text)  # still a string: its literal text counts (UnknownTemplate.could_be_wildcard)
    if len(parts) == 1 and isinstance(parts[0], UnknownToken):
        value.reason = parts[0].reason
    return value


def _token_text(token: "ResourceToken | UnknownToken") -> str:
    if isinstance(token, ResourceToken) and token.attribute and token.attribute.endswith("Arn"):
        return "arn:" + token.text  # an ARN is never the wildcard "*"
    return token.text


def referenced_ids(node: Any, depth: int = 0) -> list[str]:
    """Logical IDs a value refers to: Ref, Fn::GetAtt, and ${Name} / ${Name.Attribute} in Fn::Sub."""
    if depth > MAX_DEPTH or node is None:
        return []
    function = intrinsic(node)
    if function is not None:
        name, argument = function
        if name == "Ref" and isinstance(argument, str):
            return [argument]
        if name == "Fn::GetAtt":
            target = _get_att_target(argument)
            return [target[0]] if target else []
        if name == "Fn::Sub":
            text = argument[0] if isinstance(argument, list) and argument else argument
            found = [v.split(".", 1)[0] for v in _sub_names(text)]
            variables = argument[1] if isinstance(argument, list) and len(argument) == 2 else None
            return found + referenced_ids(variables, depth + 1)
    if isinstance(node, dict):
        return [ref for _, item in entries(node) for ref in referenced_ids(item, depth + 1)]
    if isinstance(node, list):
        return [ref for item in node for ref in referenced_ids(item, depth + 1)]
    return []


def _sub_names(text: Any) -> list[str]:
    if not isinstance(text, str):
        return []
    names = (text[start + 2 : end - 1] for start, end in interpolation_spans(text))
    return [name for name in names if not name.startswith("!")]
