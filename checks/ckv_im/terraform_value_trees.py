"""Evaluating Terraform expressions into value trees (see ``terraform_values``).

``ValueTrees`` evaluates what the pack evaluates itself: structures, templates of
references, calls of a few collection functions, and references into values
(``var.regions[0].name``, ``module.keys.arns["us-east-1"]``). ``Definitions`` gives the
value of what such a reference names: a variable converted to its type, a local, a
module output, a resource and its instances.
"""

from __future__ import annotations

from typing import Any

from ckv_im.hcl_expressions import (
    Call,
    Interpolated,
    Traversal,
    is_expression,
    parse_expression,
    template_parts,
    whole_expression,
)
from ckv_im.model import Unknown, UnknownTemplate, Value
from ckv_im.rendered_values import unwrap
from ckv_im.terraform_graph import MISSING, Block, join_scope, split_scope
from ckv_im.terraform_references import (
    MAX_DEPTH,
    Context,
    Literal,
    Resolution,
    Resolving,
    ResourceInstance,
    as_resolved,
    index_key,
    template_text,
    tree_of,
)
from ckv_im.terraform_values import FUNCTIONS, call_function, convert, navigate, parse_type


class ValueTrees:
    """The value tree an expression evaluates to."""

    def __init__(self, resolver: Resolving) -> None:
        self.resolver = resolver
        self.definitions = Definitions(resolver)

    def value(self, raw: Any, ctx: Context, depth: int = 0) -> Value:
        """What a raw python-hcl2 value (unwrapped once) evaluates to: a value tree (see terraform_values)."""
        if depth > MAX_DEPTH:
            return Unknown("value nested too deeply")
        if isinstance(raw, dict):
            if any(isinstance(k, str) and "${" in k for k in raw):
                return Unknown("an object with computed keys is not evaluated")
            return {
                k: self.value(v, ctx, depth + 1)
                for k, v in raw.items()
                if not (isinstance(k, str) and k.startswith("__"))
            }
        if isinstance(raw, list):
            return [self.value(item, ctx, depth + 1) for item in raw]
        if not is_expression(raw):
            return raw
        if ctx.bindings:
            raw = ctx.bind_indexes(raw)
        inner = whole_expression(raw)
        node = parse_expression(inner) if inner is not None else None
        if node is not None:
            return self.node_value(node, ctx, depth + 1)
        return tree_of(self.resolver.resolve(raw, MISSING, ctx, depth + 1))

    def evaluate(self, raw: str, ctx: Context, depth: int) -> Resolution | None:
        """The pack's own evaluation of a template of references or a call of a collection function;
        None for anything else (Checkov's rendering is then the only view)."""
        inner = whole_expression(raw)
        node = parse_expression(inner) if inner is not None else None
        if isinstance(node, Call) and node.function in FUNCTIONS:
            return as_resolved(self.node_value(node, ctx, depth + 1), raw)
        parts = template_parts(raw) if inner is None else None
        if parts is None:
            return None
        rendered, complete = "", True
        for part in parts:
            value = part if isinstance(part, str) else self.resolver.follow(part, MISSING, ctx, depth + 1)
            text = template_text(value)
            complete = complete and text is not None
            rendered += text if text is not None else "${" + part.text + "}"
        return Literal(rendered) if complete else UnknownTemplate(rendered)

    def node_value(self, node: Any, ctx: Context, depth: int) -> Value:
        if depth > MAX_DEPTH:
            return Unknown("expression nested too deeply")
        if isinstance(node, Traversal):
            return self.follow_value(node, ctx, depth + 1)
        if isinstance(node, Interpolated):
            return tree_of(self.resolver.resolve(str(node), MISSING, ctx, depth + 1))
        if isinstance(node, Call):
            arguments = [self.node_value(argument, ctx, depth + 1) for argument in node.arguments]
            return call_function(node.function, arguments)
        if isinstance(node, dict):
            return {k: self.node_value(v, ctx, depth + 1) for k, v in node.items()}
        if isinstance(node, list):
            return [self.node_value(item, ctx, depth + 1) for item in node]
        return node

    def follow_value(self, traversal: Traversal, ctx: Context, depth: int) -> Value:
        """The value tree a reference leads to: into variables, locals, module outputs and resources."""
        steps, root = traversal.steps, traversal.root
        if ctx.binding(root) is not None:
            return ctx.bound_value(traversal)
        # how many steps name the definition: var.x, local.x, module.m.out or module.m["k"].out
        base = {"var": 2, "local": 2}.get(root, 0)
        if root == "module" and len(steps) >= 3:
            base = 4 if steps[2].startswith("[") else 3
        if base and len(steps) >= base:
            return navigate(self.definitions.value_of(steps[:base], ctx, depth), steps[base:], traversal.text)
        if root.startswith("aws_") and (len(steps) == 2 or (len(steps) == 3 and steps[2].startswith("["))):
            return self.definitions.resource_value(traversal, ctx)
        return tree_of(self.resolver.follow(traversal, MISSING, ctx, depth + 1))

    def variable_value(self, name: str, ctx: Context, depth: int) -> Value:
        return self.definitions.variable_value(name, ctx, depth)


class Definitions:
    """The value trees of variables, locals, module outputs and resources."""

    def __init__(self, resolver: Resolving) -> None:
        self.resolver = resolver
        self.index = resolver.index

    def value_of(self, steps: tuple[str, ...], ctx: Context, depth: int) -> Value:
        """The value tree of ``var.x``, ``local.x`` or ``module.m.out``."""
        if steps[0] == "var":
            return self.variable_value(steps[1], ctx, depth)
        if steps[0] == "local":
            block = self.index.locals.get((ctx.scope, steps[1]))
            if block is None:
                return Unknown(f"local.{steps[1]} is not in the scan")
            return self._attribute_value(block, steps[1], Context.of(block), depth)
        call = f"module.{steps[1]}" + (steps[2] if steps[2].startswith("[") else "")
        output = self.index.outputs.get((join_scope(ctx.scope, call), steps[-1]))
        if output is None:
            return Unknown(f"{'.'.join(steps)}: the module or its output is not in the scan (registry module?)")
        return self._attribute_value(
            output, "value", Context(join_scope(ctx.scope, call), output.module_dir, output.root_dir), depth
        )

    def _attribute_value(self, block: Block, name: str, ctx: Context, depth: int) -> Value:
        raw, rendered = block.attribute(name)
        if isinstance(raw, list) and len(raw) == 1:
            return self.resolver.value(raw[0], ctx, depth + 1)  # python-hcl2 wraps each value in one list
        return tree_of(self.resolver.resolve(raw, rendered, ctx, depth + 1))

    def variable_value(self, name: str, ctx: Context, depth: int) -> Value:
        """A variable's value converted to its type: the module call's argument, a tfvars value or the default."""
        variable = self.index.variables.get((ctx.scope, name))
        value: Any = MISSING
        if ctx.scope:
            parent_scope, module_name = split_scope(ctx.scope)
            call = self.index.module_calls.get((parent_scope, module_name))
            if call is not None and call.attribute(name) != (MISSING, MISSING):
                value = self._attribute_value(call, name, Context.of(call), depth)
        elif variable is not None and variable.value_file:
            assigned = self.resolver.raw_files.tfvars_value(variable.value_file, name)
            if isinstance(assigned, list) and len(assigned) == 1:
                value = self.resolver.value(assigned[0], Context.of(variable), depth + 1)
        if value is MISSING and variable is not None and variable.attribute("default") != (MISSING, MISSING):
            value = self._attribute_value(variable, "default", Context.of(variable), depth)
        if value is MISSING:
            return Unknown(f"variable {name} has no value", expression=f"var.{name}")
        raw_type = variable.raw.get("type") if variable is not None and isinstance(variable.raw, dict) else None
        return convert(value, parse_type(unwrap(raw_type))) if raw_type is not None else value

    def resource_value(self, traversal: Traversal, ctx: Context) -> Value:
        """``aws_kms_key.k`` (every instance, as for_each or count made them) or ``aws_kms_key.k["a"]``."""
        address = join_scope(ctx.scope, traversal.text)
        block = self.index.resources.get(address)
        if block is not None:
            return ResourceInstance(block)
        instances = {a[len(address) :]: b for a, b in self.index.resources.items() if a.startswith(address + "[")}
        if not instances or len(traversal.steps) != 2:
            return Unknown(f"{traversal.text} is not a resource in the scan")
        keys = [index_key(index) for index in instances]
        if all(isinstance(key, int) for key in keys):  # count: a list by index
            return (
                [ResourceInstance(instances[f"[{key}]"]) for key in sorted(keys)]
                if sorted(keys) == list(range(len(keys)))
                else Unknown(f"{traversal.text}: count instances missing")
            )
        return {key: ResourceInstance(block) for key, block in zip(keys, instances.values(), strict=False)}
