"""Terraform values the pack evaluates itself: variable types, a few functions, ``for_each``.

A *value tree* is what an expression evaluates to: Python scalars, lists and dicts, a
``TfSet`` for a set, and, where a part is not a literal, the resolver's ``Ref`` / ``DataRef``
objects or an ``Unknown``. Only what Terraform would do is done here: a variable's value is
converted to its declared type (absent ``optional()`` attributes become their default or
null), sets of strings are sorted, and ``for_each`` iterates a list by index, a set by its
elements and a map or object by its keys in lexical order. Whatever else is not evaluated
becomes an ``Unknown``: never a guess.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ckv_im.hcl_expressions import Call, Interpolated, Traversal, parse_expression, whole_expression
from ckv_im.model import Unknown, is_unknown


class TfSet(list):
    """A Terraform set: ``for_each`` binds each element as both key and value."""


# --- variable types ------------------------------------------------------------------------------
@dataclass(frozen=True)
class TypeSpec:
    kind: str  # primitive, any, list, set, map, tuple, object
    element: "TypeSpec | None" = None  # list, set, map
    attributes: "tuple[tuple[str, Attribute], ...]" = ()  # object
    elements: "tuple[TypeSpec | None, ...]" = ()  # tuple


@dataclass(frozen=True)
class Attribute:
    type: "TypeSpec | None"
    optional: bool = False
    default: Any = None  # the optional() default, None for null


_PRIMITIVES = {"string", "number", "bool"}
_COLLECTIONS = {"list", "set", "map"}


def parse_type(raw: Any) -> "TypeSpec | None":
    """A variable's ``type`` as python-hcl2 writes it (``${list(object({'name': '${string}'}))}``); None when
    unreadable (the value is then used as it is: an attribute it lacks stays unresolved)."""
    if isinstance(raw, str) and raw.strip().startswith("${"):
        raw = whole_expression(raw)
    return _type_of(parse_expression(raw) if isinstance(raw, str) else None)


def _type_of(node: Any) -> "TypeSpec | None":
    if isinstance(node, Interpolated):
        inner = whole_expression(node)
        return _type_of(parse_expression(inner)) if inner is not None else None
    if isinstance(node, Traversal) and len(node.steps) == 1:
        name = node.root
        return TypeSpec("primitive") if name in _PRIMITIVES else TypeSpec("any") if name == "any" else None
    if not isinstance(node, Call) or len(node.arguments) != 1:
        return None
    argument = node.arguments[0]
    if node.function in _COLLECTIONS:
        element = _type_of(argument)
        return TypeSpec(node.function, element=element) if element else None
    if node.function == "object" and isinstance(argument, dict):
        attributes = [(name, _attribute(value)) for name, value in argument.items()]
        readable = tuple((name, attribute) for name, attribute in attributes if attribute is not None)
        return TypeSpec("object", attributes=readable) if len(readable) == len(attributes) else None
    if node.function == "tuple" and isinstance(argument, list):
        elements = tuple(_type_of(item) for item in argument)
        return None if None in elements else TypeSpec("tuple", elements=elements)
    return None


def _attribute(node: Any) -> "Attribute | None":
    if isinstance(node, Interpolated):
        inner = whole_expression(node)
        node = parse_expression(inner) if inner is not None else None
    if isinstance(node, Call) and node.function == "optional" and 1 <= len(node.arguments) <= 2:
        attribute_type = _type_of(node.arguments[0])
        default = node.arguments[1] if len(node.arguments) == 2 else None
        if isinstance(default, (Interpolated, Traversal, Call)):
            default = Unknown("an optional() default that is not a literal value")
        return Attribute(attribute_type, True, default) if attribute_type else None
    attribute_type = _type_of(node)
    return Attribute(attribute_type) if attribute_type else None


def convert(value: Any, spec: "TypeSpec | None", depth: int = 0) -> Any:
    """``value`` converted to the declared type as far as the rules need: optional attributes filled in,
    sets made sets. Values of the wrong shape are left as they are (Terraform would reject them)."""
    if spec is None or spec.kind in ("any", "primitive") or is_unknown(value) or depth > 32:
        return value
    if spec.kind in ("list", "set") and isinstance(value, list):
        items = [convert(item, spec.element, depth + 1) for item in value]
        return as_set(items) if spec.kind == "set" else items
    if spec.kind == "tuple" and isinstance(value, list) and len(value) == len(spec.elements):
        return [convert(item, element, depth + 1) for item, element in zip(value, spec.elements, strict=False)]
    if spec.kind == "map" and isinstance(value, dict):
        return {key: convert(item, spec.element, depth + 1) for key, item in value.items()}
    if spec.kind == "object" and isinstance(value, dict):
        converted = {}
        for name, attribute in spec.attributes:
            if name in value:
                converted[name] = convert(value[name], attribute.type, depth + 1)
            elif attribute.optional:
                converted[name] = convert(attribute.default, attribute.type, depth + 1)
        return converted
    return value


def as_set(items: list) -> Any:
    """A set of the items: strings sorted and unique, as Terraform orders them; other elements keep
    their order (Terraform orders those by hash, which only changes the order of details lines)."""
    if any(is_unknown(item) for item in items):
        return Unknown("a set with unresolved elements")
    if all(isinstance(item, str) for item in items):
        return TfSet(sorted(set(items)))
    return TfSet(items)


# --- functions -----------------------------------------------------------------------------------
def call_function(name: str, arguments: list) -> Any:
    """The few collection functions real replication sets use, on evaluated arguments."""
    unknown = next((a for a in arguments if is_unknown(a)), None)
    if unknown is not None:
        return unknown
    function = FUNCTIONS.get(name)
    if function is None:
        return Unknown(f"the function {name}() is not evaluated")
    try:
        return function(*arguments)
    except (TypeError, ValueError, KeyError):
        return Unknown(f"{name}() of these arguments is not evaluated")


def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    if not isinstance(mapping, dict) or not isinstance(key, str) or len(default) > 1:
        raise TypeError
    if key in mapping:
        return mapping[key]
    if default:
        return default[0]
    raise KeyError(key)


def _to_list(value: Any) -> list:
    if not isinstance(value, list):
        raise TypeError
    return list(value)


def _to_map(value: Any) -> dict:
    if not isinstance(value, dict):
        raise TypeError
    return dict(value)


def _keys(value: Any) -> list:
    return sorted(_to_map(value))


def _values(value: Any) -> list:
    mapping = _to_map(value)
    return [mapping[key] for key in sorted(mapping)]


def _concat(*lists: Any) -> list:
    return [item for value in lists for item in _to_list(value)]


def _merge(*maps: Any) -> dict:
    merged: dict = {}
    for value in maps:
        merged.update(_to_map(value))
    return merged


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "toset": lambda value: as_set(_to_list(value)),
    "tolist": _to_list,
    "tomap": _to_map,
    "lookup": _lookup,
    "keys": _keys,
    "values": _values,
    "concat": _concat,
    "merge": _merge,
}


# --- for_each ------------------------------------------------------------------------------------
def for_each_items(value: Any) -> "list[tuple[Any, Any]] | Unknown":
    """(key, value) pairs in the order Terraform expands them."""
    if is_unknown(value):
        return value
    if isinstance(value, TfSet):
        return [(item, item) for item in value]
    if isinstance(value, list):
        return list(enumerate(value))
    if isinstance(value, dict):
        return [(key, value[key]) for key in sorted(value)]
    return Unknown("the for_each value is not a list, set or map")


def navigate(value: Any, steps: "tuple[str, ...]", text: str) -> Any:
    """``value.name`` / ``value["key"]`` / ``value[0]`` steps into a value tree."""
    for step in steps:
        if is_unknown(value):
            return value
        key = _step_key(step)
        if _has_step(value, key):
            value = value[key]
        elif hasattr(value, "attribute_of"):  # a resource instance: its attribute is a reference
            value = value.attribute_of(key) if isinstance(key, str) else Unknown(f"{text} is not evaluated")
        else:
            return Unknown(f"{text}: the value has no {step.strip('[]')}")
    return value


def _has_step(value: Any, key: Any) -> bool:
    """A map with the key, or a list (not a set: sets have no index) with the index."""
    if isinstance(value, dict):
        return isinstance(key, str) and key in value
    return isinstance(value, list) and not isinstance(value, TfSet) and isinstance(key, int) and 0 <= key < len(value)


def _step_key(step: str) -> Any:
    if step.startswith("["):
        inner = step[1:-1].strip()
        return int(inner) if inner.isdigit() else inner.strip('"')
    return step
