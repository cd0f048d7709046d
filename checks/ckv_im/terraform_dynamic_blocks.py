"""Nested blocks as Terraform sees them: static ones, and ``dynamic`` ones expanded (docs/semantics.md#key-region).

A dynamic block whose ``for_each`` resolves expands to one nested block per element,
in Terraform's order, its expressions evaluated with the iterator bound to that
element. One whose ``for_each`` does not resolve stands for all its elements, unresolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ckv_im.hcl_expressions import parse_traversal, reference_in
from ckv_im.model import Unknown, Value
from ckv_im.rendered_values import blocks_of, unwrap
from ckv_im.terraform_graph import MISSING, Block
from ckv_im.terraform_references import Context, Resolving, expression_text, tree_of
from ckv_im.terraform_values import for_each_items

MAX_DYNAMIC_ELEMENTS = 256  # a dynamic block with more elements is not expanded


@dataclass
class NestedBlock:
    """A nested block (a Region entry, a notification target) as Terraform sees it."""

    raw: dict[str, Any] | None  # its body as python-hcl2 wrote it (for a dynamic block: the content)
    rendered: dict[str, Any]  # Checkov's rendering of it ({} inside a dynamic block: not the element's)
    ctx: Context  # where its expressions are evaluated (with the dynamic block's iterator)
    line: int | None = None
    unresolved: Unknown | None = None  # a dynamic block whose elements are not known stands for them all
    element: Any = None  # the for_each key of a dynamic block's element

    @classmethod
    def whole(cls, block: Block) -> NestedBlock:
        """The resource block itself, as the parent of its nested blocks."""
        return cls(block.raw if isinstance(block.raw, dict) else None, block.conf, Context.of(block))

    def pair(self, name: str) -> tuple[Any, Any]:
        return (self.raw.get(name, MISSING) if self.raw is not None else MISSING), self.rendered.get(name, MISSING)

    def describe(self, text: str) -> str:
        """An expression of a dynamic block's content, with the element it was evaluated for."""
        return text if not self.ctx.bindings else f"{text} (for_each element {_element_text(self.element)})"


class NestedBlocks:
    def __init__(self, resolver: Resolving) -> None:
        self.resolver = resolver

    def of(self, block: Block, label: str, parent: NestedBlock | None = None) -> list[NestedBlock]:
        """The ``label`` blocks of a resource (or of its nested ``parent`` block) as Terraform sees them:
        static ones, and dynamic ones expanded.

        Checkov's graph expands dynamic blocks only partly (and mixes the result into the
        static blocks), so with a dynamic block present everything is read from the raw HCL.
        """
        own_blocks = parent is None

        def lines(name: str) -> list[int]:  # only a resource's own nested blocks are told apart by line
            return self._block_lines(block, name) if own_blocks else []

        if parent is None:
            parent = NestedBlock.whole(block)
        raw, conf, ctx = parent.raw, parent.rendered, parent.ctx
        if raw is None:
            if "dynamic" in conf:
                return [NestedBlock(None, {}, ctx, None, Unknown("the dynamic blocks here cannot be read"))]
            return [
                NestedBlock(None, entry, ctx, line)
                for entry, line in _with_lines(blocks_of(conf.get(label)), lines(label))
            ]
        dynamic = [body[label] for body in blocks_of(raw.get("dynamic")) if isinstance(body.get(label), dict)]
        static_raw, rendered = blocks_of(raw.get(label)), blocks_of(conf.get(label))
        if dynamic or len(rendered) != len(static_raw):
            rendered = [{}] * len(static_raw)
        nested = [
            NestedBlock(entry_raw, entry, ctx, line)
            for (entry_raw, entry), line in _with_lines(list(zip(static_raw, rendered, strict=False)), lines(label))
        ]
        for body, line in _with_lines(dynamic, lines(f'dynamic\\s+"{label}"')):
            nested += self._expand(body, label, ctx, line)
        return nested

    def _expand(self, body: dict[str, Any], label: str, ctx: Context, line: int | None) -> list[NestedBlock]:
        """One dynamic block: one nested block per for_each element, in Terraform's order."""
        elements = self._elements(body, label, ctx)
        if isinstance(elements, Unknown):
            text = expression_text(body.get("for_each"), MISSING)
            unresolved = Unknown(
                f'the for_each of dynamic "{label}" ({text}) is not resolved ({elements.reason})',
                expression=f'dynamic "{label}" over {text}',
            )
            return [NestedBlock(None, {}, ctx, line, unresolved)]
        iterator, content, items = elements
        return [NestedBlock(content, {}, ctx.bind(iterator, key, value), line, element=key) for key, value in items]

    def _elements(
        self, body: dict[str, Any], label: str, ctx: Context
    ) -> tuple[str, dict[str, Any], list[tuple[Any, Value]]] | Unknown:
        """A dynamic block's iterator name, its content and its for_each elements (key, value)."""
        iterator = _iterator_name(body.get("iterator", MISSING), label)
        contents = blocks_of(body.get("content"))
        raw_for_each = body.get("for_each")
        if iterator is None or len(contents) != 1 or not (isinstance(raw_for_each, list) and len(raw_for_each) == 1):
            return Unknown("its iterator, for_each or content is not read")
        items = for_each_items(self.resolver.value(raw_for_each[0], ctx))
        if isinstance(items, Unknown):
            return items
        if len(items) > MAX_DYNAMIC_ELEMENTS:
            return Unknown(f"more than {MAX_DYNAMIC_ELEMENTS} elements")
        return iterator, contents[0], items

    def _block_lines(self, block: Block, name: str) -> list[int]:
        """Line numbers of the nested ``name {`` blocks inside a resource block, in order (``name`` is a regex)."""
        start, end = block.conf.get("__start_line__"), block.conf.get("__end_line__")
        if not isinstance(start, int) or not isinstance(end, int):
            return []
        opening = re.compile(rf"\s*{name}\s*{{")
        lines = self.resolver.raw_files.lines(block.file_path)
        return [number for number in range(start, min(end, len(lines)) + 1) if opening.match(lines[number - 1])]

    def value_of(self, nested: NestedBlock, name: str) -> Value:
        """The value tree of a nested block's attribute (the element's value inside a dynamic block)."""
        raw, rendered = nested.pair(name)
        if nested.unresolved is not None:
            return nested.unresolved
        if isinstance(raw, list) and len(raw) == 1:
            return self.resolver.value(raw[0], nested.ctx)  # python-hcl2 wraps each value in one list
        return tree_of(self.resolver.resolve(raw, rendered, nested.ctx))


def leaves(value: Value, depth: int = 0) -> list[Value]:
    """The scalars, references and Unknowns of a value tree."""
    if depth > 32:
        return []
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in leaves(item, depth + 1)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in leaves(item, depth + 1)]
    return [value]


def _element_text(key: Any) -> str:
    return f'"{key}"' if isinstance(key, str) else str(key)


def _with_lines(items: list[Any], lines: list[int]) -> list[tuple[Any, int | None]]:
    """Items paired with their lines, or with None when the lines found do not match them one to one."""
    return list(zip(items, lines, strict=False)) if len(lines) == len(items) else [(item, None) for item in items]


def _iterator_name(raw: Any, label: str) -> str | None:
    """A dynamic block's iterator: ``iterator = r`` (python-hcl2 writes ``${r}``), else the block's label."""
    if raw is MISSING:
        return label
    value = unwrap(raw)
    traversal = reference_in(value) or parse_traversal(value) if isinstance(value, str) else None
    return traversal.root if traversal is not None and len(traversal.steps) == 1 else None
