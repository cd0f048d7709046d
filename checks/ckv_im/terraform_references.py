"""What a Terraform expression resolves to, and where it is evaluated.

``Resolver.resolve`` answers with a ``Literal``, a ``Ref`` to a resource attribute, a
``DataRef`` to a data source attribute, or an ``Unknown``. A *value tree* (see
``terraform_values``) may hold ``Ref``, ``DataRef`` and ``ResourceInstance`` objects where
a part is not a literal. A ``Context`` says where an expression is written: its module
scope and directories, the element of each dynamic block being expanded, and the
``each.key`` of a resource instance. ``Resolving`` is what the resolver's parts ask of
each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

from ckv_im.hcl_expressions import TRAVERSAL, Traversal, parse_traversal
from ckv_im.model import Resolved, Unknown, Value, is_unknown
from ckv_im.rendered_values import unwrap
from ckv_im.terraform_graph import MISSING, Block
from ckv_im.terraform_values import navigate

if TYPE_CHECKING:
    from ckv_im.terraform_graph import GraphIndex, RawFiles

MAX_DEPTH = 16  # reference chains longer than this are not followed
_BOUND_INDEX = re.compile(rf"\[\s*({TRAVERSAL})\s*\]")


@dataclass(frozen=True)
class Literal:
    value: Value


@dataclass(frozen=True)
class Ref:
    """A reference to a resource attribute; ``block`` is None when the resource is not in the scan."""

    type: str
    attribute: str
    text: str
    block: Block | None = None


@dataclass(frozen=True)
class DataRef:
    """A data source attribute: resolved only by Terraform, except policy documents."""

    type: str
    attribute: str
    text: str
    block: Block | None


@dataclass(frozen=True)
class ResourceInstance:
    """A whole resource instance as a value (``for_each = aws_kms_key.k`` binds these): its attributes are
    references."""

    block: Block

    def attribute_of(self, name: str) -> Ref:
        return Ref(self.block.type, name, f"{self.block.type}.{self.block.name}.{name}", self.block)


Resolution: TypeAlias = Literal | Ref | DataRef | Unknown


@dataclass(frozen=True)
class Context:
    scope: str
    module_dir: str
    root_dir: str
    # (iterator name, key, value) of the dynamic blocks being expanded, innermost first
    bindings: tuple[tuple[str, Any, Value], ...] = ()
    each_key: str | None = None  # each.key of a for_each resource instance (its address says it)

    @classmethod
    def of(cls, block: Block) -> Context:
        index = block.name[block.name.find("[") :] if block.kind == "resource" and "[" in block.name else ""
        each_key = index_key(index) if index else None
        return cls(
            block.scope, block.module_dir, block.root_dir, each_key=each_key if isinstance(each_key, str) else None
        )

    def bind(self, iterator: str, key: Any, value: Value) -> Context:
        return replace(self, bindings=((iterator, key, value), *self.bindings))

    def binding(self, name: str) -> tuple[Any, Value] | None:
        return next(((key, value) for iterator, key, value in self.bindings if iterator == name), None)

    def bound_value(self, traversal: Traversal) -> Value:
        """``region.key``, ``region.value``, ``region.value.name`` of the element being expanded."""
        binding = self.binding(traversal.root)
        if binding is None:
            return Unknown(f"{traversal.text} is not the iterator of a dynamic block")
        key, value = binding
        steps = traversal.steps
        if len(steps) >= 2 and steps[1] == "key":
            return key if len(steps) == 2 else Unknown(f"{traversal.text} is not evaluated")
        if len(steps) >= 2 and steps[1] == "value":
            return navigate(value, steps[2:], traversal.text)
        return Unknown(f"{traversal.text} is not the key or value of the dynamic block's element")

    def bind_indexes(self, raw: str) -> str:
        """``aws_kms_key.k[region.key].arn`` -> ``aws_kms_key.k["us-east-1"].arn`` inside a dynamic block."""

        def literal_index(match: re.Match[str]) -> str:
            traversal = parse_traversal(match.group(1))
            if traversal is None or self.binding(traversal.root) is None:
                return match.group(0)
            key = self.bound_value(traversal)
            if isinstance(key, bool) or not isinstance(key, (str, int)) or '"' in str(key):
                return match.group(0)  # left as written: the expression stays unresolved
            return f"[{key}]" if isinstance(key, int) else f'["{key}"]'

        return _BOUND_INDEX.sub(literal_index, raw)


class Resolving(Protocol):
    """What the parts of the resolver ask of each other (``terraform_resolver.Resolver`` answers)."""

    index: GraphIndex
    raw_files: RawFiles

    def resolve(self, raw: Any, rendered: Any, ctx: Context, depth: int = 0) -> Resolution: ...

    def value(self, raw: Any, ctx: Context, depth: int = 0) -> Value: ...

    def follow(self, traversal: Traversal, rendered: Any, ctx: Context, depth: int) -> Resolution: ...

    def follow_value(self, traversal: Traversal, ctx: Context, depth: int) -> Value: ...

    def variable_value(self, name: str, ctx: Context, depth: int) -> Value: ...

    def data_region(self, block: Block, text: str, depth: int) -> Resolution: ...

    def provider_region(self, block: Block, depth: int = 0) -> Resolved[str]: ...


# --- between resolutions and value trees ---------------------------------------------------------
def tree_of(resolved: Resolution) -> Value:
    """A ``resolve`` answer as a value tree: a Literal's value, references and Unknowns as they are."""
    return resolved.value if isinstance(resolved, Literal) else resolved


def as_resolved(tree: Value, text: str = "") -> Resolution:
    """A value tree as ``resolve`` answers: Literal, Ref, DataRef or Unknown."""
    if isinstance(tree, (Ref, DataRef)) or is_unknown(tree):
        return tree
    if isinstance(tree, ResourceInstance):
        return Unknown(f"{text or tree.block.address} is a whole resource, not a value")
    return Literal(literal_structure(tree))


def literal_structure(tree: Value, depth: int = 0) -> Value:
    """A value tree for consumers of literal values: sets as lists, references inside as Unknowns."""
    if depth > 64:
        return Unknown("structure nested too deeply")
    if isinstance(tree, dict):
        return {k: literal_structure(v, depth + 1) for k, v in tree.items()}
    if isinstance(tree, list):  # TfSet included
        return [literal_structure(item, depth + 1) for item in tree]
    if isinstance(tree, (Ref, DataRef)):
        return Unknown(f"{tree.text} is only known after apply", expression=tree.text)
    if isinstance(tree, ResourceInstance):
        return Unknown(f"{tree.block.address} is a whole resource, not a value")
    return tree


def template_text(value: Any) -> str | None:
    """How Terraform writes a resolved value into a template; None when it is not a known scalar."""
    if isinstance(value, Literal):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int)):
        return str(value)
    return None


def string_or_unknown(resolved: Resolution, what: str) -> Resolved[str]:
    """A resolution that must be a non-empty string (a Region, a name)."""
    if isinstance(resolved, Literal) and isinstance(resolved.value, str) and resolved.value:
        return resolved.value
    return resolved if isinstance(resolved, Unknown) else Unknown(f"{what} is not a literal Region")


def index_key(index: str) -> Any:
    """``[0]`` -> 0, ``["a"]`` -> "a"."""
    inner = index[1:-1]
    return int(inner) if inner.isdigit() else inner.strip('"')


def expression_text(raw: Any, rendered: Any) -> str:
    """An attribute's expression as written (raw HCL, else Checkov's rendering), for details lines."""
    value = unwrap(raw) if raw is not MISSING else unwrap(rendered)
    text = str(value)
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1]
    return text[:200]
