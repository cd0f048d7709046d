"""Terraform adapter: a Checkov Terraform graph (and the raw HCL behind it) -> ScanModel.

Resolution follows RULES.md: key references through ``.arn``, aliases and
module outputs; key Regions through the v6 ``region`` argument, provider
aliases and providers handed to modules; ``data "aws_region"`` as the Region
of its provider; ``dynamic`` blocks whose ``for_each`` resolves, expanded as
Terraform expands them; key policies through ``jsonencode``, JSON strings and
heredocs, ``locals``, variables, ``aws_iam_policy_document`` data sources,
``aws_kms_key_policy`` resources and ``file()``. Whatever cannot be resolved
becomes an ``Unknown`` with its reason.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from typing import Any

from ckv_im.arns import classify_key_template, sns_topic_arn_parts
from ckv_im.hcl_expressions import (
    TRAVERSAL,
    Call,
    Interpolated,
    Traversal,
    file_call_in,
    is_expression,
    looks_unrendered,
    parse_expression,
    parse_traversal,
    reference_in,
    render_template,
    template_parts,
    template_vars_in,
    whole_expression,
)
from ckv_im.model import (
    IncidentManagerResource,
    KeyRef,
    KmsKey,
    RegionEntry,
    ReplicationSet,
    ScanModel,
    SnsTopic,
    Unknown,
    UnknownTemplate,
    is_unknown,
)
from ckv_im.policy_json import MAX_POLICY_BYTES, parse_policy
from ckv_im.rendered_values import clean, contains_unknown, unwrap
from ckv_im.terraform_graph import MISSING, Block, GraphIndex, RawFiles, join_scope, split_scope
from ckv_im.terraform_types import (
    EXTERNAL_KEY_TYPES,
    IM_PREFIXES,
    KEY_TYPES,
    REGION_ATTRIBUTES,
    REPLICA_TYPES,
    REPLICATION_SET,
    RESPONSE_PLAN,
    SNS_TOPIC,
    key_ref_from_literal,
    name_fields_of,
    naming_of,
)
from ckv_im.terraform_values import FUNCTIONS, call_function, convert, for_each_items, navigate, parse_type

MAX_DEPTH = 16            # reference chains longer than this are not followed
MAX_DYNAMIC_ELEMENTS = 256  # a dynamic block with more elements is not expanded
_BOUND_INDEX = re.compile(rf"\[\s*({TRAVERSAL})\s*\]")


@dataclass(frozen=True)
class Literal:
    value: Any


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
    """A whole resource instance as a value (``for_each = aws_kms_key.k`` binds these): its attributes are references."""

    block: Block

    def attribute_of(self, name: str) -> Ref:
        return Ref(self.block.type, name, f"{self.block.type}.{self.block.name}.{name}", self.block)


@dataclass(frozen=True)
class Context:
    scope: str
    module_dir: str
    root_dir: str
    # (iterator name, key, value) of the dynamic blocks being expanded, innermost first
    bindings: tuple = ()
    each_key: "str | None" = None   # each.key of a for_each resource instance (its address says it)

    @classmethod
    def of(cls, block: Block) -> "Context":
        index = block.name[block.name.find("["):] if block.kind == "resource" and "[" in block.name else ""
        each_key = _index_key(index) if index else None
        return cls(block.scope, block.module_dir, block.root_dir, each_key=each_key if isinstance(each_key, str) else None)

    def bind(self, iterator: str, key: Any, value: Any) -> "Context":
        return replace(self, bindings=((iterator, key, value),) + self.bindings)

    def binding(self, name: str) -> "tuple[Any, Any] | None":
        return next(((key, value) for iterator, key, value in self.bindings if iterator == name), None)


class Resolver:
    """Follows Terraform expressions through the graph index and the raw HCL."""

    def __init__(self, index: GraphIndex, raw_files: RawFiles) -> None:
        self.index = index
        self.raw_files = raw_files

    # -- expressions ------------------------------------------------------------------------------
    def resolve(self, raw: Any, rendered: Any, ctx: Context, depth: int = 0) -> Literal | Ref | DataRef | Unknown:
        if depth > MAX_DEPTH:
            return Unknown("reference chain too long")
        raw, rendered = unwrap(raw), unwrap(rendered)
        if raw is MISSING:
            return self._resolve_rendered_only(rendered, ctx, depth)
        if ctx.bindings and isinstance(raw, str):
            raw = self._bind_indexes(raw, ctx)
        traversal = reference_in(raw)
        if traversal is not None:
            return self._follow(traversal, rendered, ctx, depth)
        file_call = file_call_in(raw)
        if file_call is not None:
            return self._read_file(file_call, ctx, depth)
        if not is_expression(raw) and not isinstance(raw, (dict, list)):
            return Literal(raw)
        evaluated = self._evaluate(raw, ctx, depth) if isinstance(raw, str) else None
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

    def _evaluate(self, raw: str, ctx: Context, depth: int):
        """The pack's own evaluation of a template of references or a call of a collection function;
        None for anything else (Checkov's rendering is then the only view)."""
        inner = whole_expression(raw)
        node = parse_expression(inner) if inner is not None else None
        if isinstance(node, Call) and node.function in FUNCTIONS:
            return self._as_resolved(self._node_value(node, ctx, depth + 1), raw)
        parts = template_parts(raw) if inner is None else None
        if parts is None:
            return None
        rendered, complete = "", True
        for part in parts:
            value = part if isinstance(part, str) else self._follow(part, MISSING, ctx, depth + 1)
            text = _template_text(value)
            complete = complete and text is not None
            rendered += text if text is not None else "${" + part.text + "}"
        return Literal(rendered) if complete else UnknownTemplate(rendered)

    def _bind_indexes(self, raw: str, ctx: Context) -> str:
        """``aws_kms_key.k[region.key].arn`` -> ``aws_kms_key.k["us-east-1"].arn`` inside a dynamic block."""
        def literal_index(match: re.Match) -> str:
            traversal = parse_traversal(match.group(1))
            if traversal is None or ctx.binding(traversal.root) is None:
                return match.group(0)
            key = self._bound_value(traversal, ctx)
            if isinstance(key, bool) or not isinstance(key, (str, int)) or '"' in str(key):
                return match.group(0)  # left as written: the expression stays unresolved
            return f"[{key}]" if isinstance(key, int) else f'["{key}"]'
        return _BOUND_INDEX.sub(literal_index, raw)

    # -- value trees (structures with references in them) ----------------------------------------
    def value(self, raw: Any, ctx: Context, depth: int = 0) -> Any:
        """What a raw python-hcl2 value (unwrapped once) evaluates to: a value tree (see terraform_values)."""
        if depth > MAX_DEPTH:
            return Unknown("value nested too deeply")
        if isinstance(raw, dict):
            if any(isinstance(k, str) and "${" in k for k in raw):
                return Unknown("an object with computed keys is not evaluated")
            return {k: self.value(v, ctx, depth + 1) for k, v in raw.items()
                    if not (isinstance(k, str) and k.startswith("__"))}
        if isinstance(raw, list):
            return [self.value(item, ctx, depth + 1) for item in raw]
        if not is_expression(raw):
            return raw
        if ctx.bindings:
            raw = self._bind_indexes(raw, ctx)
        inner = whole_expression(raw)
        node = parse_expression(inner) if inner is not None else None
        if node is not None:
            return self._node_value(node, ctx, depth + 1)
        return _tree_of(self.resolve(raw, MISSING, ctx, depth + 1))

    def _node_value(self, node: Any, ctx: Context, depth: int) -> Any:
        if depth > MAX_DEPTH:
            return Unknown("expression nested too deeply")
        if isinstance(node, Traversal):
            return self._follow_value(node, ctx, depth + 1)
        if isinstance(node, Interpolated):
            return _tree_of(self.resolve(str(node), MISSING, ctx, depth + 1))
        if isinstance(node, Call):
            arguments = [self._node_value(argument, ctx, depth + 1) for argument in node.arguments]
            return call_function(node.function, arguments)
        if isinstance(node, dict):
            return {k: self._node_value(v, ctx, depth + 1) for k, v in node.items()}
        if isinstance(node, list):
            return [self._node_value(item, ctx, depth + 1) for item in node]
        return node

    def _follow_value(self, traversal: Traversal, ctx: Context, depth: int) -> Any:
        """The value tree a reference leads to: into variables, locals, module outputs and resources."""
        steps, root = traversal.steps, traversal.root
        if ctx.binding(root) is not None:
            return self._bound_value(traversal, ctx)
        # how many steps name the definition: var.x, local.x, module.m.out or module.m["k"].out
        base = {"var": 2, "local": 2}.get(root, 0)
        if root == "module" and len(steps) >= 3:
            base = 4 if steps[2].startswith("[") else 3
        if base and len(steps) >= base:
            return navigate(self._definition_value(steps[:base], ctx, depth), steps[base:], traversal.text)
        if root.startswith("aws_") and (len(steps) == 2 or (len(steps) == 3 and steps[2].startswith("["))):
            return self._resource_value(traversal, ctx)
        return _tree_of(self._follow(traversal, MISSING, ctx, depth + 1))

    def _definition_value(self, steps: tuple, ctx: Context, depth: int) -> Any:
        """The value tree of ``var.x``, ``local.x`` or ``module.m.out``."""
        if steps[0] == "var":
            return self._variable_value(steps[1], ctx, depth)
        if steps[0] == "local":
            block = self.index.locals.get((ctx.scope, steps[1]))
            if block is None:
                return Unknown(f"local.{steps[1]} is not in the scan")
            return self._attribute_value(block, steps[1], Context.of(block), depth)
        call = f"module.{steps[1]}" + (steps[2] if steps[2].startswith("[") else "")
        output = self.index.outputs.get((join_scope(ctx.scope, call), steps[-1]))
        if output is None:
            return Unknown(f"{'.'.join(steps)}: the module or its output is not in the scan (registry module?)")
        return self._attribute_value(output, "value", Context(join_scope(ctx.scope, call), output.module_dir,
                                                              output.root_dir), depth)

    def _attribute_value(self, block: Block, name: str, ctx: Context, depth: int) -> Any:
        raw, rendered = block.attribute(name)
        if isinstance(raw, list) and len(raw) == 1:
            return self.value(raw[0], ctx, depth + 1)  # python-hcl2 wraps each value in one list
        return _tree_of(self.resolve(raw, rendered, ctx, depth + 1))

    def _variable_value(self, name: str, ctx: Context, depth: int) -> Any:
        """A variable's value converted to its type: the module call's argument, a tfvars value or the default."""
        variable = self.index.variables.get((ctx.scope, name))
        value: Any = MISSING
        if ctx.scope:
            parent_scope, module_name = split_scope(ctx.scope)
            call = self.index.module_calls.get((parent_scope, module_name))
            if call is not None and call.attribute(name) != (MISSING, MISSING):
                value = self._attribute_value(call, name, Context.of(call), depth)
        elif variable is not None and variable.value_file:
            assigned = self.raw_files.tfvars_value(variable.value_file, name)
            if isinstance(assigned, list) and len(assigned) == 1:
                value = self.value(assigned[0], Context.of(variable), depth + 1)
        if value is MISSING and variable is not None and variable.attribute("default") != (MISSING, MISSING):
            value = self._attribute_value(variable, "default", Context.of(variable), depth)
        if value is MISSING:
            return Unknown(f"variable {name} has no value", expression=f"var.{name}")
        raw_type = variable.raw.get("type") if variable is not None and isinstance(variable.raw, dict) else None
        return convert(value, parse_type(unwrap(raw_type))) if raw_type is not None else value

    def _resource_value(self, traversal: Traversal, ctx: Context) -> Any:
        """``aws_kms_key.k`` (every instance, as for_each or count made them) or ``aws_kms_key.k["a"]``."""
        address = join_scope(ctx.scope, traversal.text)
        block = self.index.resources.get(address)
        if block is not None:
            return ResourceInstance(block)
        instances = {a[len(address):]: b for a, b in self.index.resources.items() if a.startswith(address + "[")}
        if not instances or len(traversal.steps) != 2:
            return Unknown(f"{traversal.text} is not a resource in the scan")
        keys = [_index_key(index) for index in instances]
        if all(isinstance(key, int) for key in keys):  # count: a list by index
            return [ResourceInstance(instances[f"[{key}]"]) for key in sorted(keys)] \
                if sorted(keys) == list(range(len(keys))) else Unknown(f"{traversal.text}: count instances missing")
        return {key: ResourceInstance(block) for key, block in zip(keys, instances.values())}

    def _bound_value(self, traversal: Traversal, ctx: Context) -> Any:
        """``region.key``, ``region.value``, ``region.value.name`` of the element being expanded."""
        key, value = ctx.binding(traversal.root)
        steps = traversal.steps
        if len(steps) >= 2 and steps[1] == "key":
            return key if len(steps) == 2 else Unknown(f"{traversal.text} is not evaluated")
        if len(steps) >= 2 and steps[1] == "value":
            return navigate(value, steps[2:], traversal.text)
        return Unknown(f"{traversal.text} is not the key or value of the dynamic block's element")

    @staticmethod
    def _as_resolved(tree: Any, text: str = ""):
        """A value tree as ``resolve`` answers: Literal, Ref, DataRef or Unknown."""
        if isinstance(tree, (Ref, DataRef)) or is_unknown(tree):
            return tree
        if isinstance(tree, ResourceInstance):
            return Unknown(f"{text or tree.block.address} is a whole resource, not a value")
        return Literal(_literal_structure(tree))

    def _resolve_rendered_only(self, rendered: Any, ctx: Context, depth: int):
        if rendered is MISSING:
            return Literal(None)
        if isinstance(rendered, str):
            traversal = reference_in(rendered) or (parse_traversal(rendered.strip()) if looks_unrendered(rendered) else None)
            if traversal is not None:
                return self._follow(traversal, MISSING, ctx, depth)
        return Literal(clean(rendered))

    def _follow(self, traversal, rendered: Any, ctx: Context, depth: int):
        if depth > MAX_DEPTH:
            return Unknown("reference chain too long")
        steps = traversal.steps
        root = traversal.root
        if ctx.binding(root) is not None:
            return self._as_resolved(self._bound_value(traversal, ctx), traversal.text)
        if traversal.text == "each.key" and ctx.each_key is not None:
            return Literal(ctx.each_key)
        if root == "var" and len(steps) == 2:
            return self._variable(steps[1], rendered, ctx, depth)
        if root == "local" and len(steps) == 2:
            block = self.index.locals.get((ctx.scope, steps[1]))
            if block is None:
                return Unknown(f"{traversal.text} is not in the scan")
            raw, value = block.attribute(steps[1])
            return self.resolve(raw, value, Context.of(block), depth + 1)
        if root in ("var", "local") and len(steps) > 2:  # local.keys["us-east-1"], var.regions[0].name
            return self._as_resolved(self._follow_value(traversal, ctx, depth + 1), traversal.text)
        if root == "module" and len(steps) >= 3:
            return self._module_output(traversal, ctx, depth)
        if root == "data" and len(steps) >= 4:
            block = self.index.data.get((ctx.scope, steps[1], steps[2]))
            if steps[1] == "aws_region" and len(steps) == 4 and steps[3] in REGION_ATTRIBUTES and block is not None:
                return self._data_region(block, traversal.text, depth)
            return DataRef(steps[1], steps[3], traversal.text, block)
        if root.startswith("aws_") and len(steps) >= 3:
            name = steps[1] + (steps[2] if steps[2].startswith("[") else "")
            rest = steps[3:] if steps[2].startswith("[") else steps[2:]
            if len(rest) != 1:
                return Unknown(f"{traversal.text} does not name a resource attribute")
            block = self.index.resources.get(join_scope(ctx.scope, f"{root}.{name}"))
            return Ref(root, rest[0], traversal.text, block)
        return Unknown(f"{traversal.text} cannot be resolved statically")

    def _variable(self, name: str, rendered: Any, ctx: Context, depth: int):
        if ctx.scope:  # a module input: follow what the calling module passes in
            parent_scope, module_name = split_scope(ctx.scope)
            call = self.index.module_calls.get((parent_scope, module_name))
            if call is not None:
                raw, value = call.attribute(name)
                if raw is not MISSING or value is not MISSING:
                    return self.resolve(raw, value, Context.of(call), depth + 1)
            variable = self.index.variables.get((ctx.scope, name))
            if variable is not None and "default" in variable.conf:
                raw, value = variable.attribute("default")
                return self.resolve(raw, value, Context.of(variable), depth + 1)
            return Unknown(f"variable {name} of {ctx.scope} has no value")
        # Root module: Checkov has applied defaults, tfvars and --var-file to the rendered value.
        value = clean(rendered) if rendered is not MISSING else MISSING
        if value is not MISSING and value is not None and not contains_unknown(value):
            return Literal(value)
        if rendered is MISSING:  # no rendering here (a dynamic block, a template part): the variable's own value
            return self._as_resolved(self._variable_value(name, ctx, depth + 1), f"var.{name}")
        return Unknown(f"variable {name} has no value")

    def _module_output(self, traversal, ctx: Context, depth: int):
        steps = traversal.steps
        call = f"module.{steps[1]}" + (steps[2] if steps[2].startswith("[") else "")
        rest = steps[3:] if steps[2].startswith("[") else steps[2:]
        if len(rest) > 1:  # module.keys.arns["us-east-1"]: into the output's value
            return self._as_resolved(self._follow_value(traversal, ctx, depth + 1), traversal.text)
        if len(rest) != 1:
            return Unknown(f"{traversal.text} is not a module output")
        output = self.index.outputs.get((join_scope(ctx.scope, call), rest[0]))
        if output is None:
            return Unknown(f"{traversal.text}: the module or its output is not in the scan (registry module?)")
        raw, value = output.attribute("value")
        return self.resolve(raw, value, Context(join_scope(ctx.scope, call), output.module_dir, output.root_dir),
                            depth + 1)

    def _read_file(self, call, ctx: Context, depth: int):
        path = call.path.replace("${path.module}", ctx.module_dir).replace("${path.root}", ctx.root_dir)
        path = path.replace("${path.cwd}", ctx.root_dir)
        if "${" in path:
            return Unknown(f"{call.function}() path {call.path} is not a literal")
        if not os.path.isabs(path):
            path = os.path.join(ctx.root_dir, path)  # Terraform resolves relative paths from the root module
        if not self.raw_files.inside_scan(path) or not os.path.isfile(path):
            return Unknown(f"{call.function}() reads {call.path}, which is not a file inside the scanned tree")
        try:
            if os.path.getsize(path) > MAX_POLICY_BYTES:
                return Unknown(f"{call.path} is too large to evaluate")
            with open(path, encoding="utf-8") as handle:
                content = handle.read()
        except (OSError, UnicodeDecodeError) as error:
            return Unknown(f"{call.path} cannot be read ({error.__class__.__name__})")
        if call.function == "templatefile":
            return self._render_template(call, content, ctx, depth)
        return Literal(content)

    def _render_template(self, call, content: str, ctx: Context, depth: int):
        raw_variables = template_vars_in(call.vars_text or "{}")
        if raw_variables is None:
            return Unknown(f"the variables of templatefile({call.path}) are not literal values")
        variables = {}
        for name, raw_value in raw_variables.items():
            value = self.resolve(raw_value, MISSING, ctx, depth + 1)
            if not isinstance(value, Literal) or not isinstance(value.value, (str, int, float, bool)):
                return Unknown(f"templatefile({call.path}) variable {name} is not resolved statically")
            variables[name] = str(value.value).lower() if isinstance(value.value, bool) else str(value.value)
        rendered = render_template(content, variables)
        if rendered is None:
            return Unknown(f"templatefile() of {call.path} uses template syntax the pack does not evaluate")
        return Literal(rendered)

    # -- policies ---------------------------------------------------------------------------------
    def policy(self, raw: Any, rendered: Any, ctx: Context, depth: int = 0) -> Any:
        """A key policy as a dict (with Unknown parts), or an Unknown."""
        resolved = self.resolve(raw, rendered, ctx, depth)
        if isinstance(resolved, DataRef):
            if resolved.type == "aws_iam_policy_document" and resolved.attribute == "json" and resolved.block:
                return self.policy_document(resolved.block, depth + 1)
            return Unknown(f"{resolved.text} is a data source lookup")
        if isinstance(resolved, Ref):
            return Unknown(f"{resolved.text} is only known after apply")
        if is_unknown(resolved):
            return resolved
        return parse_policy(resolved.value)

    def policy_document(self, block: Block, depth: int = 0) -> Any:
        """Render a ``data.aws_iam_policy_document`` as the JSON policy Terraform would produce."""
        if depth > MAX_DEPTH:
            return Unknown("policy documents nested too deeply")
        conf = block.conf
        if "dynamic" in conf:
            return Unknown(f"data.{block.type}.{block.name} uses dynamic blocks")
        # Terraform's order: source documents, then this document's statements, then overrides;
        # a later statement replaces an earlier one with the same Sid.
        layers = [*self._documents(block, "source_policy_documents", depth),
                  {"Statement": [_statement_from_block(s) for s in _blocks(conf.get("statement"))]},
                  *self._documents(block, "override_policy_documents", depth)]
        statements: list[Any] = []
        for document in layers:
            if is_unknown(document):
                return document
            statements = _merge_statements(statements, document.get("Statement"))
        return {"Version": "2012-10-17", "Statement": statements}

    def _documents(self, block: Block, field_name: str, depth: int) -> list[Any]:
        raw, rendered = block.attribute(field_name)
        if rendered is MISSING:
            return []
        items = rendered[0] if isinstance(rendered, list) and len(rendered) == 1 and isinstance(rendered[0], list) \
            else rendered
        raw_items = unwrap(raw) if isinstance(unwrap(raw), list) else None
        documents = []
        for position, item in enumerate(items if isinstance(items, list) else [items]):
            item_raw = raw_items[position] if raw_items and position < len(raw_items) else MISSING
            document = self.policy(item_raw, item, Context.of(block), depth + 1)
            documents.append(document if isinstance(document, dict) or is_unknown(document)
                             else Unknown(f"{field_name} of data.{block.type}.{block.name} is not a policy"))
        return documents

    # -- model building ---------------------------------------------------------------------------
    def region_of_resource(self, block: Block) -> Any:
        raw, rendered = block.attribute("region")  # provider v6: a resource-level region argument
        if rendered is not MISSING or raw is not MISSING:
            return self._string_or_unknown(self.resolve(raw, rendered, Context.of(block)), "region argument")
        return self.provider_region(block)

    def _data_region(self, block: Block, text: str, depth: int):
        """``data.aws_region.x.name``: the Region the data source selects (v6 ``region`` or v5 ``name``
        argument), else the Region of the provider it is configured with. No lookup is made."""
        for argument in ("region", "name"):
            raw, rendered = block.attribute(argument)
            if raw is not MISSING or rendered is not MISSING:
                return self.resolve(raw, rendered, Context.of(block), depth + 1)
        if block.attribute("endpoint") != (MISSING, MISSING):
            return Unknown(f"{text}: data.aws_region selects its Region by endpoint", expression=text)
        region = self.provider_region(block, depth + 1)
        return Literal(region) if isinstance(region, str) else Unknown(region.reason, expression=text)

    def provider_address(self, block: Block) -> str | None:
        """The root-module provider a resource uses, following ``providers`` maps of module calls.

        Checkov's own ``__provider_address__`` loses the chain for nested modules,
        so the chain is followed here from the raw HCL.
        """
        raw, rendered = block.attribute("provider")
        name = _provider_name(raw if raw is not MISSING else rendered) or "aws"
        scope = block.scope
        for _ in range(64):
            if not scope:
                return "aws.default" if name == "aws" else name
            parent, module_name = split_scope(scope)
            call = self.index.module_calls.get((parent, module_name))
            if call is None:
                return None
            raw_map, rendered_map = call.attribute("providers")
            mapping = unwrap(raw_map if raw_map is not MISSING else rendered_map)
            if isinstance(mapping, dict):
                name = _provider_name(mapping.get(name)) if name in mapping else (None if "." in name else name)
            elif "." in name:
                return None  # an aliased provider must be passed explicitly
            if name is None:
                return None
            scope = parent
        return None

    def provider_region(self, block: Block, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:  # a provider Region given by a data source of the same provider: a cycle
            return Unknown("the provider Region depends on itself")
        provider_address = self.provider_address(block)
        provider = self.index.providers.get(provider_address) if provider_address else None
        if provider is None:
            return Unknown("no aws provider configuration in the scan for this resource")
        raw, rendered = provider.attribute("region")
        if raw is MISSING and rendered is MISSING:
            return Unknown(f"provider {provider_address} sets no region (it comes from the environment)")
        return self._string_or_unknown(self.resolve(raw, rendered, Context.of(provider), depth + 1),
                                       f"region of provider {provider_address}")

    @staticmethod
    def _string_or_unknown(resolved: Any, what: str) -> Any:
        if isinstance(resolved, Literal) and isinstance(resolved.value, str) and resolved.value:
            return resolved.value
        return resolved if is_unknown(resolved) else Unknown(f"{what} is not a literal Region")

    def scalar(self, block: Block, name: str, default: Any = None) -> Any:
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


def _tree_of(resolved: Any) -> Any:
    """A ``resolve`` answer as a value tree: a Literal's value, references and Unknowns as they are."""
    return resolved.value if isinstance(resolved, Literal) else resolved


def _literal_structure(tree: Any, depth: int = 0) -> Any:
    """A value tree for consumers of literal values: sets as lists, references inside as Unknowns."""
    if depth > 64:
        return Unknown("structure nested too deeply")
    if isinstance(tree, dict):
        return {k: _literal_structure(v, depth + 1) for k, v in tree.items()}
    if isinstance(tree, list):  # TfSet included
        return [_literal_structure(item, depth + 1) for item in tree]
    if isinstance(tree, (Ref, DataRef)):
        return Unknown(f"{tree.text} is only known after apply", expression=tree.text)
    if isinstance(tree, ResourceInstance):
        return Unknown(f"{tree.block.address} is a whole resource, not a value")
    return tree


def _template_text(value: Any) -> "str | None":
    """How Terraform writes a resolved value into a template; None when it is not a known scalar."""
    if isinstance(value, Literal):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int)):
        return str(value)
    return None


def _index_key(index: str) -> Any:
    """``[0]`` -> 0, ``["a"]`` -> "a"."""
    inner = index[1:-1]
    return int(inner) if inner.isdigit() else inner.strip('"')


def _blocks(value: Any) -> list[dict]:
    if isinstance(value, dict):
        return [value]
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _strings(value: Any) -> Any:
    value = unwrap(value)
    if value is None or value is MISSING:
        return None
    return clean(value)


def _statement_from_block(block: dict) -> Any:
    """One ``statement {}`` block of aws_iam_policy_document as a JSON policy statement."""
    if "dynamic" in block:  # dynamic principals or conditions: the statement cannot be known
        return Unknown("a statement of the policy document uses dynamic blocks")
    statement: dict[str, Any] = {"Effect": _strings(block.get("effect")) or "Allow"}
    for field_name, key in (("sid", "Sid"), ("actions", "Action"), ("not_actions", "NotAction"),
                            ("resources", "Resource"), ("not_resources", "NotResource")):
        value = _strings(block.get(field_name))
        if value is not None:
            statement[key] = value
    for field_name, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        principals = _blocks(block.get(field_name))
        if principals:
            statement[key] = _principal(principals)
    conditions = _blocks(block.get("condition"))
    if conditions:
        condition: dict[str, Any] = {}
        for entry in conditions:
            test, variable = _strings(entry.get("test")), _strings(entry.get("variable"))
            if not isinstance(test, str) or not isinstance(variable, str):
                return {"Effect": statement["Effect"], "Sid": statement.get("Sid"),
                        "Condition": Unknown("a condition test or variable is not resolved")}
            condition.setdefault(test, {})[variable] = _strings(entry.get("values"))
        statement["Condition"] = condition
    return statement


def _principal(principals: list[dict]) -> Any:
    merged: dict[str, Any] = {}
    for entry in principals:
        kind = _strings(entry.get("type"))
        identifiers = _strings(entry.get("identifiers"))
        if not isinstance(kind, str):
            return Unknown("a principal type is not resolved")
        if kind == "*":
            return "*"
        values = identifiers if isinstance(identifiers, list) else [identifiers]
        merged.setdefault(kind, []).extend(values)
    return merged


def _merge_statements(base: list[Any], extra: Any) -> list[Any]:
    """Later statements replace earlier ones with the same Sid, as Terraform merges documents."""
    extra_list = extra if isinstance(extra, list) else ([extra] if isinstance(extra, dict) else [])
    replaced = {s.get("Sid") for s in extra_list if isinstance(s, dict) and isinstance(s.get("Sid"), str) and s.get("Sid")}
    kept = [s for s in base if not (isinstance(s, dict) and s.get("Sid") in replaced)]
    return kept + extra_list


# --- nested blocks -------------------------------------------------------------------------------
@dataclass
class NestedBlock:
    """A nested block (a Region entry, a notification target) as Terraform sees it."""

    raw: "dict | None"          # its body as python-hcl2 wrote it (for a dynamic block: the content)
    rendered: dict              # Checkov's rendering of it ({} inside a dynamic block: not the element's)
    ctx: Context                # where its expressions are evaluated (with the dynamic block's iterator)
    line: "int | None" = None
    unresolved: "Unknown | None" = None   # a dynamic block whose elements are not known stands for them all
    element: Any = None         # the for_each key of a dynamic block's element

    def pair(self, name: str) -> tuple[Any, Any]:
        return (self.raw.get(name, MISSING) if self.raw is not None else MISSING), self.rendered.get(name, MISSING)

    def describe(self, text: str) -> str:
        """An expression of a dynamic block's content, with the element it was evaluated for."""
        return text if not self.ctx.bindings else f"{text} (for_each element {_element_text(self.element)})"


def _leaves(value: Any, depth: int = 0) -> list:
    """The scalars, references and Unknowns of a value tree."""
    if depth > 32:
        return []
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item, depth + 1)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item, depth + 1)]
    return [value]


def _element_text(key: Any) -> str:
    return f'"{key}"' if isinstance(key, str) else str(key)


def _with_lines(items: list, lines: list[int]) -> list[tuple[Any, "int | None"]]:
    """Items paired with their lines, or with None when the lines found do not match them one to one."""
    return list(zip(items, lines)) if len(lines) == len(items) else [(item, None) for item in items]


def _iterator_name(raw: Any, label: str) -> "str | None":
    """A dynamic block's iterator: ``iterator = r`` (python-hcl2 writes ``${r}``), else the block's label."""
    if raw is MISSING:
        return label
    value = unwrap(raw)
    traversal = reference_in(value) or parse_traversal(value) if isinstance(value, str) else None
    return traversal.root if traversal is not None and len(traversal.steps) == 1 else None


# --- the model -----------------------------------------------------------------------------------
class TerraformModelBuilder:
    def __init__(self, index: GraphIndex, raw_files: RawFiles) -> None:
        self.index = index
        self.resolver = Resolver(index, raw_files)
        self.model = ScanModel()
        self._identities: "dict[str, tuple[Any, Any]] | None" = None

    def build(self) -> ScanModel:
        for block in self.index.resources_of(KEY_TYPES):
            self.model.keys[block.address] = self._key(block)
        self._attach_policies_and_primaries()
        for block in self.index.resources_of({REPLICATION_SET}):
            self.model.replication_sets[block.address] = self._replication_set(block)
        for block in self.index.resources.values():
            if block.type.startswith(IM_PREFIXES):
                self.model.im_resources[block.address] = self._im_resource(block)
        self._topics()
        return self.model

    # keys
    def _key(self, block: Block) -> KmsKey:
        scalar = self.resolver.scalar
        enabled_attribute = "is_enabled" if block.type == "aws_kms_key" else "enabled"
        key = KmsKey(
            name=block.address,
            resource_type=block.type,
            region=self.resolver.region_of_resource(block),
            key_spec=scalar(block, "customer_master_key_spec", MISSING),
            key_usage=scalar(block, "key_usage", "ENCRYPT_DECRYPT"),
            origin="EXTERNAL" if block.type in EXTERNAL_KEY_TYPES else "AWS_KMS",
            custom_key_store_id=scalar(block, "custom_key_store_id"),
            xks_key_id=scalar(block, "xks_key_id"),
            enabled=_boolean(scalar(block, enabled_attribute, True)),
            deletion_guard=prevent_destroy(block),
            description=scalar(block, "description"),
            tags=_tags(block),
        )
        if key.key_spec is MISSING:
            key.key_spec = scalar(block, "key_spec", "SYMMETRIC_DEFAULT")
        return key

    def _attach_policies_and_primaries(self) -> None:
        policy_resources: dict[str, list[Block]] = {}
        untargeted: list[str] = []  # aws_kms_key_policy resources whose key could be any key here
        for block in self.index.resources_of({"aws_kms_key_policy"}):
            target = self._key_behind(block, "key_id")
            if isinstance(target, KmsKey):
                policy_resources.setdefault(target.name, []).append(block)
            elif self._may_target_a_key_here(block):
                untargeted.append(block.address)
        for address, key in self.model.keys.items():
            block = self.index.resources[address]
            attached = policy_resources.get(address, [])
            if len(attached) > 1:
                key.policy = Unknown("several aws_kms_key_policy resources target this key")
                key.policy_source = ", ".join(b.address for b in attached)
            else:
                source = attached[0] if attached else block
                raw, rendered = source.attribute("policy")
                if raw is MISSING and rendered is MISSING:
                    key.policy, key.policy_source = None, "no key policy (the AWS default key policy)"
                else:
                    key.policy = self.resolver.policy(raw, rendered, Context.of(source))
                    key.policy_source = source.address if attached else f"the policy argument of {address}"
            if untargeted and not attached:
                key.policy = Unknown(f"{', '.join(untargeted)} may replace this key's policy: its key_id is not resolved")
            if block.type in REPLICA_TYPES:
                key.primary = self._key_behind(block, "primary_key_arn")

    def _may_target_a_key_here(self, block: Block) -> bool:
        """False only when key_id names a key outside the scan (a literal ID or ARN, another resource)."""
        raw, rendered = block.attribute("key_id")
        resolved = self.resolver.resolve(raw, rendered, Context.of(block))
        return not isinstance(resolved, (Literal, Ref))

    def _key_behind(self, block: Block, attribute: str) -> "KmsKey | Unknown":
        raw, rendered = block.attribute(attribute)
        resolved = self.resolver.resolve(raw, rendered, Context.of(block))
        return self._key_of(resolved) or (resolved if is_unknown(resolved)
                                              else Unknown(f"{attribute} does not point at a key in the scan"))

    def _key_of(self, resolved: Any) -> "KmsKey | None":
        """The key resource a resolved reference leads to, directly or through an alias."""
        if isinstance(resolved, Ref) and resolved.block is not None:
            if resolved.block.type in KEY_TYPES:
                return self.model.keys.get(resolved.block.address)
            if resolved.block.type == "aws_kms_alias":
                raw, rendered = resolved.block.attribute("target_key_id")
                target = self.resolver.resolve(raw, rendered, Context.of(resolved.block))
                if isinstance(target, Ref) and target.block is not None and target.block.type in KEY_TYPES:
                    return self.model.keys.get(target.block.address)
        return None

    # replication sets
    def _replication_set(self, block: Block) -> ReplicationSet:
        return ReplicationSet(
            name=block.address,
            resource_type=block.type,
            entries=self._entries(block),
            provider_region=self.resolver.provider_region(block),
            deletion_guard=prevent_destroy(block),
        )

    def _entries(self, block: Block):
        entries = [self._entry(block, nested) for attribute in ("region", "regions")  # provider v5 and v6 names
                   for nested in self._nested_blocks(block, attribute)]
        if not entries:  # Terraform requires one at least: a dynamic block over an empty collection, say
            return Unknown("the replication set has no Region entries")
        if all(entry.line for entry in entries):  # static and dynamic blocks in the order they are written
            entries.sort(key=lambda entry: entry.line)
        return entries

    def _nested_blocks(self, block: Block, label: str, parent: "NestedBlock | None" = None) -> "list[NestedBlock]":
        """The ``label`` blocks of a resource (or of its nested ``parent`` block) as Terraform sees them:
        static ones, and dynamic ones expanded.

        Checkov's graph expands dynamic blocks only partly (and mixes the result into the
        static blocks), so with a dynamic block present everything is read from the raw HCL.
        """
        own_blocks = parent is None

        def lines(name: str) -> list[int]:  # only a resource's own nested blocks are told apart by line
            return self._block_lines(block, name) if own_blocks else []

        if parent is None:
            parent = NestedBlock(block.raw if isinstance(block.raw, dict) else None, block.conf, Context.of(block))
        raw, conf, ctx = parent.raw, parent.rendered, parent.ctx
        if raw is None:
            if "dynamic" in conf:
                return [NestedBlock(None, {}, ctx, None, Unknown("the dynamic blocks here cannot be read"))]
            return [NestedBlock(None, entry, ctx, line) for entry, line in _with_lines(_blocks(conf.get(label)),
                                                                                        lines(label))]
        dynamic = [body[label] for body in _blocks(raw.get("dynamic")) if isinstance(body.get(label), dict)]
        static_raw, rendered = _blocks(raw.get(label)), _blocks(conf.get(label))
        if dynamic or len(rendered) != len(static_raw):
            rendered = [{}] * len(static_raw)
        nested = [NestedBlock(entry_raw, entry, ctx, line) for (entry_raw, entry), line in
                  _with_lines(list(zip(static_raw, rendered)), lines(label))]
        for body, line in _with_lines(dynamic, lines(f'dynamic\\s+"{label}"')):
            nested += self._expand(body, label, ctx, line)
        return nested

    def _expand(self, body: dict, label: str, ctx: Context, line: "int | None") -> "list[NestedBlock]":
        """One dynamic block: one nested block per for_each element, in Terraform's order."""
        iterator = _iterator_name(body.get("iterator", MISSING), label)
        contents = _blocks(body.get("content"))
        raw_for_each = body.get("for_each")
        text = _expression_text(raw_for_each, MISSING)
        if iterator is None or len(contents) != 1 or not (isinstance(raw_for_each, list) and len(raw_for_each) == 1):
            items: Any = Unknown("its iterator, for_each or content is not read")
        else:
            items = for_each_items(self.resolver.value(raw_for_each[0], ctx))
            if not is_unknown(items) and len(items) > MAX_DYNAMIC_ELEMENTS:
                items = Unknown(f"more than {MAX_DYNAMIC_ELEMENTS} elements")
        if is_unknown(items):
            unresolved = Unknown(f'the for_each of dynamic "{label}" ({text}) is not resolved ({items.reason})',
                                 expression=f'dynamic "{label}" over {text}')
            return [NestedBlock(None, {}, ctx, line, unresolved)]
        return [NestedBlock(contents[0], {}, ctx.bind(iterator, key, value), line, element=key)
                for key, value in items]

    def _block_lines(self, block: Block, name: str) -> list[int]:
        """Line numbers of the nested ``name {`` blocks inside a resource block, in order (``name`` is a regex)."""
        start, end = block.conf.get("__start_line__"), block.conf.get("__end_line__")
        if not isinstance(start, int) or not isinstance(end, int):
            return []
        opening = re.compile(rf"\s*{name}\s*{{")
        lines = self.resolver.raw_files.lines(block.file_path)
        return [number for number in range(start, min(end, len(lines)) + 1) if opening.match(lines[number - 1])]

    def _entry(self, block: Block, nested: "NestedBlock") -> RegionEntry:
        if nested.unresolved is not None:  # entries of a dynamic block not expanded: how many, and which, is unknown
            return RegionEntry(nested.unresolved, Unknown(nested.unresolved.reason), nested.line)
        ctx = nested.ctx
        name = self.resolver._string_or_unknown(self.resolver.resolve(*nested.pair("name"), ctx), "Region entry name")
        if is_unknown(name):  # details lines name the entry by its expression as written
            name = Unknown(name.reason, expression=nested.describe(_expression_text(*nested.pair("name"))))
        raw_key, rendered_key = nested.pair("kms_key_arn")
        if raw_key is MISSING and rendered_key is MISSING:
            return RegionEntry(name, None, nested.line)
        resolved = self.resolver.resolve(raw_key, rendered_key, ctx)
        bound_reference = ctx.bindings and isinstance(resolved, (Ref, DataRef))  # aws_kms_key.k["us-east-1"].arn
        text = resolved.text if bound_reference else nested.describe(_expression_text(raw_key, rendered_key))
        key_ref = self._key_ref(resolved, text)
        if isinstance(key_ref, KeyRef) and key_ref.key is not None:
            users = self.model.key_users.setdefault(key_ref.key.name, [])
            if block.address not in users:
                users.append(block.address)
        return RegionEntry(name, key_ref, nested.line)

    def _key_ref(self, resolved: Any, text: str) -> "KeyRef | Unknown | None":
        if isinstance(resolved, Literal):
            if resolved.value in (None, "DefaultKey"):
                return None
            if not isinstance(resolved.value, str):
                return Unknown(f"{text} is not a string")
            return key_ref_from_literal(resolved.value)
        if isinstance(resolved, UnknownTemplate):  # "arn:aws:kms:${data.aws_region.west.name}:${local.account}:key/..."
            classified = classify_key_template(resolved.text)
            if classified is not None:
                return KeyRef(text, classified[0], region=classified[1])
        if isinstance(resolved, DataRef):
            return KeyRef(text, naming_of(resolved.type, resolved.attribute, resolved.text),
                          region=Unknown(f"{resolved.text} is a data source lookup"))
        if isinstance(resolved, Ref):
            key = self._key_of(resolved)
            region = key.region if key else Unknown(f"{resolved.text} does not lead to a key in the scan")
            return KeyRef(text, naming_of(resolved.type, resolved.attribute, resolved.text), key=key, region=region)
        return resolved  # Unknown: the value could be anything, null included

    # Incident Manager resources and SNS topics
    def _im_resource(self, block: Block) -> IncidentManagerResource:
        config = clean(block.conf)
        return IncidentManagerResource(block.address, block.type, name_fields_of(block.type, config), _tags(block),
                                       config)

    def _topic_key(self, block: Block) -> Any:
        """The topic's KMS key: a literal, a reference to a key or alias (set, even if only known after apply)."""
        raw, rendered = block.attribute("kms_master_key_id")
        if raw is MISSING and rendered is MISSING:
            return None
        resolved = self.resolver.resolve(raw, rendered, Context.of(block))
        if isinstance(resolved, (Ref, DataRef)) and resolved.type in (*KEY_TYPES, "aws_kms_alias"):
            return resolved.text
        if isinstance(resolved, Literal):
            return resolved.value if isinstance(resolved.value, str) else None
        return resolved if is_unknown(resolved) else Unknown(f"{resolved.text} is not a KMS key")

    def _topics(self) -> None:
        for block in self.index.resources_of({SNS_TOPIC}):
            self.model.topics[block.address] = SnsTopic(block.address, self._topic_key(block))
        for plan in self.index.resources_of({RESPONSE_PLAN}):
            for address in self._topics_used_by(plan):
                topic = self.model.topics[address]
                if plan.address not in topic.used_by:
                    topic.used_by.append(plan.address)

    def _topics_used_by(self, plan: Block) -> list[str]:
        """Topics of the scan a response plan's chat channel and notification targets name, through
        every path a key reference is followed through (locals, module outputs, instances, literal ARNs)."""
        whole_plan = NestedBlock(plan.raw if isinstance(plan.raw, dict) else None, plan.conf, Context.of(plan))
        values = [self._value_of(whole_plan, "chat_channel")]
        for template in self._nested_blocks(plan, "incident_template"):
            values += [self._value_of(target, "sns_topic_arn")
                       for target in self._nested_blocks(plan, "notification_target", template)]
        return list(dict.fromkeys(address for value in values for leaf in _leaves(value)
                                  for address in self._topics_named_by(leaf)))

    def _value_of(self, nested: "NestedBlock", name: str) -> Any:
        raw, rendered = nested.pair(name)
        if nested.unresolved is not None:
            return nested.unresolved
        if isinstance(raw, list) and len(raw) == 1:
            return self.resolver.value(raw[0], nested.ctx)  # python-hcl2 wraps each value in one list
        return _tree_of(self.resolver.resolve(raw, rendered, nested.ctx))

    def _topics_named_by(self, value: Any) -> list[str]:
        if isinstance(value, Ref) and value.block is not None and value.block.type == SNS_TOPIC \
                and value.attribute in ("arn", "id"):  # a topic's id is its ARN
            return [value.block.address]
        text = value.text if isinstance(value, UnknownTemplate) else value
        parts = sns_topic_arn_parts(text) if isinstance(text, str) else None
        if parts is None:
            return []
        region, name = parts
        return [address for address, identity in self._topic_identities().items() if identity == (name, region)]

    def _topic_identities(self) -> "dict[str, tuple[Any, Any]]":
        """Topic address -> (name, Region), for literal ARNs. The account is never compared: a
        configuration rarely says which account it is applied to."""
        if self._identities is None:
            self._identities = {block.address: (self.resolver.scalar(block, "name"),
                                                self.resolver.region_of_resource(block))
                                for block in self.index.resources_of({SNS_TOPIC})}
        return self._identities


def _provider_name(value: Any) -> str | None:
    """``aws.west`` from ``${aws.west}`` (raw HCL) or ``aws.west`` (rendered)."""
    value = unwrap(value)
    if not isinstance(value, str):
        return None
    traversal = reference_in(value) or parse_traversal(value.strip())
    if traversal is None or len(traversal.steps) > 2 or traversal.root != "aws":
        return None
    return traversal.text


def _expression_text(raw: Any, rendered: Any) -> str:
    value = unwrap(raw) if raw is not MISSING else unwrap(rendered)
    text = str(value)
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1]
    return text[:200]


def _boolean(value: Any) -> Any:
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if isinstance(value, bool) or is_unknown(value):
        return value
    return Unknown(f"{value!r} is not a boolean")


def prevent_destroy(block: Block) -> Any:
    lifecycle = unwrap(block.conf.get("lifecycle"))
    if not isinstance(lifecycle, dict):
        return False
    guard = _boolean(unwrap(lifecycle.get("prevent_destroy", False)))
    return guard


def _tags(block: Block) -> Any:
    tags = unwrap(block.conf.get("tags"))
    if tags is None:
        return {}
    tags = clean(tags)
    return tags if isinstance(tags, dict) or is_unknown(tags) else Unknown("tags are not a map")
