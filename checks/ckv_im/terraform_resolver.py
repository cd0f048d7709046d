"""Follows Terraform expressions through the graph index and the raw HCL.

The ``Resolver`` reads one expression (a reference, a ``file()`` call, a template, a
collection function) and hands each job to a part: ``ReferenceFollower`` follows
references into locals, data sources and resources, and ``ModuleInterface`` across
module boundaries (variables, outputs); ``ValueTrees`` evaluates structures with
references in them; ``FileReader`` reads ``file()`` and ``templatefile()``;
``ProviderRegions`` finds the Region of a resource.
Whatever cannot be resolved statically becomes an ``Unknown`` with its reason
(docs/semantics.md#how-a-verdict-is-reached).
"""

from __future__ import annotations

from typing import Any

from ckv_im.hcl_expressions import (
    Traversal,
    file_call_in,
    is_expression,
    looks_unrendered,
    parse_traversal,
    reference_in,
)
from ckv_im.model import Resolved, Unknown, Value, is_unknown
from ckv_im.rendered_values import clean, contains_unknown, unwrap
from ckv_im.terraform_files import FileReader
from ckv_im.terraform_graph import MISSING, Block, GraphIndex, RawFiles, join_scope, split_scope
from ckv_im.terraform_references import (
    MAX_DEPTH,
    Context,
    DataRef,
    Literal,
    Ref,
    Resolution,
    as_resolved,
)
from ckv_im.terraform_regions import ProviderRegions
from ckv_im.terraform_types import REGION_ATTRIBUTES
from ckv_im.terraform_value_trees import ValueTrees


class Resolver:
    """What one expression resolves to (``resolve``) or evaluates to (``value``), and the value of an attribute."""

    def __init__(self, index: GraphIndex, raw_files: RawFiles) -> None:
        self.index = index
        self.raw_files = raw_files
        self.references = ReferenceFollower(self)
        self.values = ValueTrees(self)
        self.files = FileReader(self)
        self.regions = ProviderRegions(self)

    def resolve(self, raw: Any, rendered: Any, ctx: Context, depth: int = 0) -> Resolution:
        if depth > MAX_DEPTH:
            return Unknown("reference chain too long")
        raw, rendered = unwrap(raw), unwrap(rendered)
        if raw is MISSING:
            return self.references.follow_rendered(rendered, ctx, depth)
        if ctx.bindings and isinstance(raw, str):
            raw = ctx.bind_indexes(raw)
        traversal = reference_in(raw)
        if traversal is not None:
            return self.follow(traversal, rendered, ctx, depth)
        file_call = file_call_in(raw)
        if file_call is not None:
            return self.files.read(file_call, ctx, depth)
        if not is_expression(raw) and not isinstance(raw, (dict, list)):
            return Literal(raw)
        evaluated = self.values.evaluate(raw, ctx, depth) if isinstance(raw, str) else None
        if evaluated is not None and not is_unknown(evaluated):
            return evaluated
        if ctx.bindings:  # Checkov's rendering of a dynamic block's content is not this element's value
            return evaluated or Unknown(f"expression {raw[:120]} is not evaluated statically")
        # A template or function call: take Checkov's evaluation when it left nothing unrendered.
        value = clean(raw if rendered is MISSING else rendered)
        if rendered is not MISSING and not contains_unknown(value):
            return Literal(value)
        if isinstance(value, (dict, list)):
            return Literal(value)  # a structure with some unknown parts: the consumer decides
        if evaluated is not None:  # the pack's partial rendering (a template with some parts resolved)
            return evaluated
        return value if is_unknown(value) else Unknown(f"expression {str(raw)[:120]} is not evaluated statically")

    def scalar(self, block: Block, name: str, default: Any = None) -> Value:
        """An attribute's value: a literal, the default when unset, or Unknown."""
        raw, rendered = block.attribute(name)
        if raw is MISSING and rendered is MISSING:
            return default
        resolved = self.resolve(raw, rendered, Context.of(block))
        if isinstance(resolved, Literal):
            return default if resolved.value is None else resolved.value
        if isinstance(resolved, (Ref, DataRef)):
            return Unknown(f"{resolved.text} is only known after apply")
        return resolved

    # -- what the parts ask of each other (terraform_references.Resolving) ------------------------
    def value(self, raw: Any, ctx: Context, depth: int = 0) -> Value:
        return self.values.value(raw, ctx, depth)

    def follow(self, traversal: Traversal, rendered: Any, ctx: Context, depth: int) -> Resolution:
        return self.references.follow(traversal, rendered, ctx, depth)

    def follow_value(self, traversal: Traversal, ctx: Context, depth: int) -> Value:
        return self.values.follow_value(traversal, ctx, depth)

    def variable_value(self, name: str, ctx: Context, depth: int) -> Value:
        return self.values.variable_value(name, ctx, depth)

    def data_region(self, block: Block, text: str, depth: int) -> Resolution:
        return self.regions.data_region(block, text, depth)

    def provider_region(self, block: Block, depth: int = 0) -> Resolved[str]:
        return self.regions.provider_region(block, depth)


class ReferenceFollower:
    """``var.x``, ``local.x``, ``module.m.out``, ``data.t.n.attr`` and ``aws_t.n.attr`` to what they resolve to."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.index = resolver.index
        self.module_interface = ModuleInterface(resolver)

    def follow(self, traversal: Traversal, rendered: Any, ctx: Context, depth: int) -> Resolution:
        if depth > MAX_DEPTH:
            return Unknown("reference chain too long")
        steps = traversal.steps
        root = traversal.root
        if ctx.binding(root) is not None:
            return as_resolved(ctx.bound_value(traversal), traversal.text)
        if traversal.text == "each.key" and ctx.each_key is not None:
            return Literal(ctx.each_key)
        if root == "var" and len(steps) == 2:
            return self.module_interface.variable(steps[1], rendered, ctx, depth)
        if root == "local" and len(steps) == 2:
            block = self.index.locals.get((ctx.scope, steps[1]))
            if block is None:
                return Unknown(f"{traversal.text} is not in the scan")
            raw, value = block.attribute(steps[1])
            return self.resolver.resolve(raw, value, Context.of(block), depth + 1)
        if root in ("var", "local") and len(steps) > 2:  # local.keys["us-east-1"], var.regions[0].name
            return as_resolved(self.resolver.follow_value(traversal, ctx, depth + 1), traversal.text)
        if root == "module" and len(steps) >= 3:
            return self.module_interface.output(traversal, ctx, depth)
        if root == "data" and len(steps) >= 4:
            return self._data_source(traversal, ctx, depth)
        if root.startswith("aws_") and len(steps) >= 3:
            return self._resource_attribute(traversal, ctx)
        return Unknown(f"{traversal.text} cannot be resolved statically")

    def follow_rendered(self, rendered: Any, ctx: Context, depth: int) -> Resolution:
        """An attribute only Checkov's rendering shows: a reference it left unrendered is followed."""
        if rendered is MISSING:
            return Literal(None)
        if isinstance(rendered, str):
            unrendered = parse_traversal(rendered.strip()) if looks_unrendered(rendered) else None
            traversal = reference_in(rendered) or unrendered
            if traversal is not None:
                return self.follow(traversal, MISSING, ctx, depth)
        return Literal(clean(rendered))

    def _data_source(self, traversal: Traversal, ctx: Context, depth: int) -> Resolution:
        steps = traversal.steps
        block = self.index.data.get((ctx.scope, steps[1], steps[2]))
        if steps[1] == "aws_region" and len(steps) == 4 and steps[3] in REGION_ATTRIBUTES and block is not None:
            return self.resolver.data_region(block, traversal.text, depth)
        return DataRef(steps[1], steps[3], traversal.text, block)

    def _resource_attribute(self, traversal: Traversal, ctx: Context) -> Resolution:
        steps, root = traversal.steps, traversal.root
        name = steps[1] + (steps[2] if steps[2].startswith("[") else "")
        rest = steps[3:] if steps[2].startswith("[") else steps[2:]
        if len(rest) != 1:
            return Unknown(f"{traversal.text} does not name a resource attribute")
        block = self.index.resources.get(join_scope(ctx.scope, f"{root}.{name}"))
        return Ref(root, rest[0], traversal.text, block)


class ModuleInterface:
    """What crosses a module boundary: ``var.x`` (what the calling module passes in, or the value a root
    variable has) and ``module.m.out`` (what the module's output evaluates to in the module)."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.index = resolver.index

    def variable(self, name: str, rendered: Any, ctx: Context, depth: int) -> Resolution:
        if ctx.scope:  # a module input: follow what the calling module passes in
            parent_scope, module_name = split_scope(ctx.scope)
            call = self.index.module_calls.get((parent_scope, module_name))
            if call is not None:
                raw, value = call.attribute(name)
                if raw is not MISSING or value is not MISSING:
                    return self.resolver.resolve(raw, value, Context.of(call), depth + 1)
            variable = self.index.variables.get((ctx.scope, name))
            if variable is not None and "default" in variable.conf:
                raw, value = variable.attribute("default")
                return self.resolver.resolve(raw, value, Context.of(variable), depth + 1)
            return Unknown(f"variable {name} of {ctx.scope} has no value")
        # Root module: Checkov has applied defaults, tfvars and --var-file to the rendered value.
        value = clean(rendered) if rendered is not MISSING else MISSING
        if value is not MISSING and value is not None and not contains_unknown(value):
            return Literal(value)
        if rendered is MISSING:  # no rendering here (a dynamic block, a template part): the variable's own value
            return as_resolved(self.resolver.variable_value(name, ctx, depth + 1), f"var.{name}")
        return Unknown(f"variable {name} has no value")

    def output(self, traversal: Traversal, ctx: Context, depth: int) -> Resolution:
        steps = traversal.steps
        call = f"module.{steps[1]}" + (steps[2] if steps[2].startswith("[") else "")
        rest = steps[3:] if steps[2].startswith("[") else steps[2:]
        if len(rest) > 1:  # module.keys.arns["us-east-1"]: into the output's value
            return as_resolved(self.resolver.follow_value(traversal, ctx, depth + 1), traversal.text)
        if len(rest) != 1:
            return Unknown(f"{traversal.text} is not a module output")
        output = self.index.outputs.get((join_scope(ctx.scope, call), rest[0]))
        if output is None:
            return Unknown(f"{traversal.text}: the module or its output is not in the scan (registry module?)")
        raw, value = output.attribute("value")
        return self.resolver.resolve(
            raw, value, Context(join_scope(ctx.scope, call), output.module_dir, output.root_dir), depth + 1
        )
