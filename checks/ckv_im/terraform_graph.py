"""An index of one Checkov Terraform graph, with the raw HCL behind each block.

Checkov renders variables, locals and module inputs into each block's
configuration and records each resource's provider. Two things get lost on
the way, so the raw HCL (python-hcl2) is read beside the rendered configuration:

* a reference and a string literal with the same text look the same once
  rendered (``aws_kms_key.k.arn`` with and without quotes);
* Checkov points ``module.a.key_arn`` and ``module.b.key_arn`` at the same
  output vertex; scopes built from each block's module chain tell them apart.

The index is built in one pass over the vertices; nothing here walks the
graph per resource. The raw HCL is the pack's main cost next to Checkov's own
(python-hcl2 parses about 14,000 lines a second), so it is read lazily: only a
block the model asks about is parsed, and only its own lines where Checkov
recorded them (``RawFiles``); a block written in plain HCL is read without
python-hcl2 (``ckv_im.terraform_plain_blocks``). A file that holds nothing the
rules read is never parsed. Checkov's own parse cannot serve: the definitions it keeps are rendered,
and its parser's file cache is altered in place (lists of strings sorted,
``"true"`` turned into ``True``).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from typing import Any

from ckv_im.hcl_expressions import parse_traversal
from ckv_im.terraform_plain_blocks import read_plain_block

LOGGER = logging.getLogger(__name__)

MISSING = object()  # an attribute that is not set at all
NOT_RENDERED = frozenset({"count", "for_each"})  # arguments Checkov drops from the instances it expands


@dataclass
class Block:
    kind: str  # resource, data, module, output, locals, variable, provider
    type: str  # resource or data source type; "" for the other kinds
    name: str  # resource name with its index (k[0]); the output, local, variable or module name
    scope: str  # "" for the root module, else "module.a" or "module.a.module.b[\"x\"]"
    address: str  # Checkov's resource address / provider address
    conf: dict  # rendered configuration, Checkov-shaped (values wrapped in one-element lists)
    # the same block as python-hcl2 parsed it (None when not available), or what reads it on first use
    _raw: "dict | Callable[[], dict | None] | None"
    file_path: str
    root_dir: str  # the root module's directory (path.root)
    # variables: the tfvars file (terraform.tfvars, *.auto.tfvars, --var-file) Checkov took the value from
    value_file: str | None = None

    @property
    def raw(self) -> dict | None:
        if callable(self._raw):
            self._raw = self._raw()
        return self._raw

    @property
    def module_dir(self) -> str:  # path.module
        return os.path.dirname(self.file_path)

    def attribute(self, name: str) -> tuple[Any, Any]:
        """The (raw, rendered) pair of an attribute, MISSING where absent.

        Checkov's rendering keeps every argument the block writes (only ``count`` and
        ``for_each`` are dropped from the instances they expand to), so an argument it does
        not hold is not written at all, and the block is not parsed to learn so
        (``tests/checkov_terraform/test_raw_hcl.py`` holds Checkov to that on every fixture).
        """
        rendered = self.conf.get(name, MISSING)
        if rendered is MISSING and callable(self._raw) and name not in NOT_RENDERED:
            return MISSING, MISSING
        raw = self.raw.get(name, MISSING) if isinstance(self.raw, dict) else MISSING
        return raw, rendered


@dataclass
class GraphIndex:
    resources: dict[str, Block] = field(default_factory=dict)  # by address
    data: dict[tuple[str, str, str], Block] = field(default_factory=dict)  # (scope, type, name)
    outputs: dict[tuple[str, str], Block] = field(default_factory=dict)  # (scope, name)
    locals: dict[tuple[str, str], Block] = field(default_factory=dict)  # (scope, name)
    variables: dict[tuple[str, str], Block] = field(default_factory=dict)  # (scope, name)
    module_calls: dict[tuple[str, str], Block] = field(default_factory=dict)  # (calling scope, module name)
    providers: dict[str, Block] = field(default_factory=dict)  # by provider address

    def resources_of(self, types: Collection[str]) -> Iterator[Block]:
        return (block for block in self.resources.values() if block.type in types)


# --- reading the graph ---------------------------------------------------------------------------
def graph_vertices(graph: Any) -> Iterator[tuple[Any, dict[str, Any]]]:
    if hasattr(graph, "node_indices"):  # rustworkx, Checkov's default
        for index in graph.node_indices():
            payload = graph[index]
            attributes = payload[1] if isinstance(payload, tuple) else payload
            if isinstance(attributes, dict):
                yield index, attributes
    else:  # networkx (CHECKOV_GRAPH_FRAMEWORK=NETWORKX)
        for index, attributes in graph.nodes(data=True):
            if isinstance(attributes, dict):
                yield index, attributes


def _module_field(module: Any, name: str) -> Any:
    if isinstance(module, dict):
        return module.get(name)
    return getattr(module, name, None)


def _index_text(index: Any) -> str:
    if index is None:
        return ""
    if isinstance(index, int):
        return f"[{index}]"
    return f'["{index}"]'


def module_scope(module: Any) -> str:
    """``module.a.module.b["x"]`` from Checkov's TFModule chain (innermost first)."""
    parts = []
    for _ in range(64):  # module nesting is shallow; the bound guards against cycles
        if not module:
            break
        parts.append(f"module.{_module_field(module, 'name')}{_index_text(_module_field(module, 'foreach_idx'))}")
        module = _module_field(module, "nested_tf_module")
    return ".".join(reversed(parts))


def _root_dir(module: Any, file_path: str) -> str:
    """The directory of the root module: where the outermost module call is written."""
    outermost_path = file_path
    for _ in range(64):
        if not module:
            break
        outermost_path = _module_field(module, "path") or outermost_path
        module = _module_field(module, "nested_tf_module")
    return os.path.dirname(outermost_path)


def split_scope(scope: str) -> tuple[str, str]:
    """``module.a.module.b["x"]`` -> (``module.a``, ``b``): the calling scope and the module name."""
    traversal = parse_traversal(scope)
    if traversal is None:
        return "", ""
    steps = list(traversal.steps)
    last_module = max(i for i, step in enumerate(steps) if step == "module")
    name = steps[last_module + 1] if last_module + 1 < len(steps) else ""
    parent = join_scope(*_steps_text(steps[:last_module]))
    return parent, name


def _steps_text(steps: list[str]) -> list[str]:
    text = ""
    for step in steps:
        text += step if step.startswith("[") else (f".{step}" if text else step)
    return [text] if text else []


def join_scope(*parts: str) -> str:
    return ".".join(part for part in parts if part)


def build_index(graph: Any, raw_files: RawFiles) -> GraphIndex:
    """The index of a graph of one root module."""
    index = GraphIndex()
    for _, attributes in graph_vertices(graph):
        block = _block_from_vertex(attributes, raw_files)
        if block is not None:
            _add(index, block)
    return index


@dataclass
class RootModules:
    """The indexes of a graph's root modules, by the root module's directory.

    Checkov scans a monorepo's directory as one graph holding every root module found
    under it, and root modules share addresses (each stack's ``aws_kms_key.this``,
    ``local.policy``, its default provider). A root module can reference nothing of
    another, so each gets its own index, and a resource is found in its own by the
    identity of the configuration dict Checkov hands its checks: the vertex's own.
    """

    indexes: dict[str, GraphIndex] = field(default_factory=dict)
    root_of_conf: dict[int, str] = field(default_factory=dict)  # id(resource conf) -> root module directory

    def root_of(self, conf: dict) -> str | None:
        """The directory of the root module whose graph vertex holds ``conf``; None when none does."""
        return self.root_of_conf.get(id(conf))


def build_root_indexes(graph: Any, raw_files: RawFiles) -> RootModules:
    """One index per root module of the graph, in one pass over its vertices.

    The graph (kept by the caller for as long as the result) holds every conf, so their ids stay unique.
    """
    roots = RootModules()
    for _, attributes in graph_vertices(graph):
        block = _block_from_vertex(attributes, raw_files)
        if block is None:
            continue
        if block.root_dir not in roots.indexes:
            roots.indexes[block.root_dir] = GraphIndex()
        _add(roots.indexes[block.root_dir], block)
        if block.kind == "resource":
            roots.root_of_conf[id(block.conf)] = block.root_dir
    return roots


def _add(index: GraphIndex, block: Block) -> None:
    if block.kind == "resource":
        index.resources[block.address] = block
    elif block.kind == "data":
        index.data[(block.scope, block.type, block.name)] = block
    elif block.kind == "output":
        index.outputs[(block.scope, block.name)] = block
    elif block.kind == "locals":
        index.locals[(block.scope, block.name)] = block
    elif block.kind == "variable":
        index.variables[(block.scope, block.name)] = block
    elif block.kind == "module":  # for_each / count instances share one call: key by the bare name
        index.module_calls[(block.scope, block.name.split("[")[0])] = block
    elif block.kind == "provider":
        index.providers[block.address] = block


def _block_from_vertex(attributes: dict, raw_files: "RawFiles") -> Block | None:
    kind = attributes.get("block_type_")
    block_name = attributes.get("block_name_")
    config = attributes.get("config_")
    file_path = attributes.get("file_path_") or ""
    if not isinstance(block_name, str) or not isinstance(config, dict) or not config:
        return None
    module = attributes.get("source_module_object_")
    scope = module_scope(module)
    root_dir = _root_dir(module, file_path)
    if kind in ("resource", "data"):
        resource_type, _, name = block_name.partition(".")
        inner = config.get(resource_type)
        conf = next(iter(inner.values())) if isinstance(inner, dict) and len(inner) == 1 else None
        if not isinstance(conf, dict):
            return None
        address = conf.get("__address__") or attributes.get("__address__") or block_name
        if kind == "resource":
            scope = address[: -len(block_name)].rstrip(".") if address.endswith(block_name) else scope
        raw = raw_files.block_reader(file_path, kind, resource_type, name.split("[")[0], conf)
        return Block(kind, resource_type, name, scope, address, conf, raw, file_path, root_dir)
    if kind == "locals":
        conf = {block_name: config.get(block_name, MISSING)}
        raw = raw_files.local_reader(file_path, block_name)
        return Block(kind, "", block_name, scope, block_name, conf, raw, file_path, root_dir)
    if kind in ("output", "variable", "module", "provider"):
        conf = next(iter(config.values()))
        if not isinstance(conf, dict):
            return None
        address = attributes.get("__address__") or conf.get("__address__") or block_name
        raw_name = block_name.split(".")[0] if kind == "provider" else block_name
        raw = raw_files.block_reader(file_path, kind, "", raw_name, conf)
        value_file = _tfvars_file(attributes) if kind == "variable" else None
        return Block(kind, "", block_name, scope, address, conf, raw, file_path, root_dir, value_file)
    return None


def _tfvars_file(attributes: dict) -> str | None:
    """The tfvars file a variable's value came from, as Checkov records it (the file that wins).

    Checkov renders that value into the vertex with lists of one element unwrapped, so the
    value itself is read again from the file (``RawFiles.tfvars_value``).
    """
    breadcrumbs = attributes.get("rendering_breadcrumbs_")
    trail = breadcrumbs.get("default") if isinstance(breadcrumbs, dict) else None
    for crumb in trail if isinstance(trail, list) else []:
        if isinstance(crumb, dict) and crumb.get("type") == "tfvar" and isinstance(crumb.get("path"), str):
            return crumb["path"]
    return None


# --- raw HCL -------------------------------------------------------------------------------------
class RawFiles:
    """python-hcl2 parses of the ``.tf`` files Checkov built the graph from, read only where the model asks.

    A block Checkov recorded the lines of (``__start_line__``, ``__end_line__``) is parsed
    alone, once; other blocks (outputs, locals) and blocks whose lines do not parse alone
    come from a parse of the whole file, once per file. Either way the block's body is the
    same, line numbers included (``tests/checkov_terraform/test_raw_hcl.py``).

    ``parse`` and ``lines`` are only ever given the file of a graph vertex: a
    file Checkov itself has read. Paths that come from the scanned code
    (``file()``, ``templatefile()``) must pass ``inside_scan``: a pull request
    must not make the pack read anything outside the scanned tree.
    """

    MAX_BYTES = 5 * 1024 * 1024

    def __init__(self) -> None:
        self._root: str | None = None  # unknown until set: then no file() read is allowed
        self._parsed: dict[str, dict] = {}
        self._lines: dict[str, list[str]] = {}
        self._source_lines: dict[str, list[str] | None] = {}
        self._spans: dict[tuple[str, int, int], dict | None] = {}
        self._tfvars = TfvarsFiles()

    def set_scan_root(self, scan_root: str | None) -> None:
        self._root = os.path.realpath(scan_root) if scan_root else None

    def inside_scan(self, path: str) -> bool:
        if not self._root or not path:
            return False
        real = os.path.realpath(path)
        return real == self._root or real.startswith(self._root + os.sep)

    def parse(self, path: str) -> dict:
        """The file's blocks by (kind, type, name), each a list of bodies; parsed and indexed once."""
        if path not in self._parsed:
            self._parsed[path] = _index_blocks(self._load(path))
        return self._parsed[path]

    def _load(self, path: str) -> dict | None:
        if not path.endswith(".tf"):
            return None
        try:
            if os.path.getsize(path) > self.MAX_BYTES:
                return None
            import hcl2  # Checkov's own HCL parser (bc-python-hcl2)

            with open(path, encoding="utf-8-sig") as handle:
                parsed = hcl2.load(handle)
        except Exception:  # a file Checkov could parse and we cannot: fall back to the rendered view
            LOGGER.debug("ckv_im: raw HCL parse failed for %s", path, exc_info=True)
            return None
        return parsed if isinstance(parsed, dict) else None

    def lines(self, path: str) -> list[str]:
        """The file's text lines (inside the scanned tree only), read once."""
        if path not in self._lines:
            self._lines[path] = []
            if path.endswith(".tf") and os.path.isfile(path) and os.path.getsize(path) <= self.MAX_BYTES:
                with open(path, encoding="utf-8-sig", errors="replace") as handle:
                    self._lines[path] = handle.read().splitlines()
        return self._lines[path]

    def tfvars_value(self, path: str, name: str) -> Any:
        """The value a tfvars file assigns to ``name`` (python-hcl2's view: wrapped once), or MISSING."""
        return self._tfvars.value(path, name)

    def block_reader(self, path: str, kind: str, type_: str, name: str, conf: dict) -> Callable[[], dict | None]:
        """What reads the block's raw HCL when the model first asks for it (``Block.raw``)."""
        return lambda: self.block(path, kind, type_, name, conf)

    def local_reader(self, path: str, name: str) -> Callable[[], dict | None]:
        return lambda: self.local(path, name)

    def block(self, path: str, kind: str, type_: str, name: str, conf: dict) -> dict | None:
        span = _line_span(conf)
        alone = self._block_alone(path, span, (kind, type_, name)) if span else None
        if alone is not None:
            return alone
        candidates = self.parse(path).get((kind, type_, name), [])
        if len(candidates) > 1:  # several provider "aws" blocks: the one on the same line
            line = conf.get("__start_line__")
            candidates = [c for c in candidates if c.get("__start_line__") == line]
        return candidates[0] if len(candidates) == 1 else None

    def local(self, path: str, name: str) -> dict | None:
        candidates = self.parse(path).get(("locals", "", name), [])
        return {name: candidates[0]} if len(candidates) == 1 else None

    def _block_alone(self, path: str, span: tuple[int, int], key: tuple[str, str, str]) -> dict | None:
        """The block on lines ``span`` of the file, parsed alone; None when those lines are not that one block."""
        if (path, *span) not in self._spans:
            self._spans[(path, *span)] = self._parse_span(path, span, key)
        return self._spans[(path, *span)]

    def _parse_span(self, path: str, span: tuple[int, int], key: tuple[str, str, str]) -> dict | None:
        lines = self._source(path)
        first, last = span
        if lines is None or last > len(lines):
            return None
        plain = read_plain_block(lines[first - 1 : last], *key)
        if plain is not None:
            return _shift_lines(plain, first - 1)
        try:
            import hcl2

            parsed = hcl2.loads("\n".join(lines[first - 1 : last]) + "\n")
        except Exception:  # not one block on its own: the whole file's parse decides
            return None
        blocks = _index_blocks(parsed if isinstance(parsed, dict) else None)
        bodies = blocks.get(key, [])
        if len(blocks) != 1 or len(bodies) != 1:
            return None
        return _shift_lines(bodies[0], first - 1)

    def _source(self, path: str) -> list[str] | None:
        """The file's lines as python-hcl2 numbers them (read as ``_load`` reads it), once; None if unreadable."""
        if path not in self._source_lines:
            self._source_lines[path] = None
            try:
                if path.endswith(".tf") and os.path.getsize(path) <= self.MAX_BYTES:
                    with open(path, encoding="utf-8-sig") as handle:
                        self._source_lines[path] = handle.read().split("\n")
            except (OSError, UnicodeDecodeError):
                LOGGER.debug("ckv_im: cannot read %s", path, exc_info=True)
        return self._source_lines[path]


def _line_span(conf: dict) -> tuple[int, int] | None:
    """The lines Checkov read the block from, when it recorded them."""
    first, last = conf.get("__start_line__"), conf.get("__end_line__")
    if type(first) is int and type(last) is int and 1 <= first <= last:
        return first, last
    return None


def _shift_lines(body: dict, offset: int) -> dict:
    """A block parsed alone, numbered as in its file: python-hcl2 numbers the block itself only."""
    for field_name in ("__start_line__", "__end_line__"):
        if type(body.get(field_name)) is int:
            body[field_name] += offset
    return body


class TfvarsFiles:
    """The variable files Checkov took values from, parsed once each.

    Only files Checkov itself took a variable's value from are read (see ``_tfvars_file``):
    the scanned tree's terraform.tfvars and *.auto.tfvars, and files the user passed with --var-file.
    """

    MAX_BYTES = RawFiles.MAX_BYTES

    def __init__(self) -> None:
        self._assignments: dict[str, dict[str, Any] | None] = {}

    def value(self, path: str, name: str) -> Any:
        """The value the file assigns to ``name`` (python-hcl2's view: wrapped once), or MISSING."""
        if path not in self._assignments:
            self._assignments[path] = self._load(path)
        assignments = self._assignments[path]
        return assignments.get(name, MISSING) if isinstance(assignments, dict) else MISSING

    def _load(self, path: str) -> dict[str, Any] | None:
        try:
            if not os.path.isfile(path) or os.path.getsize(path) > self.MAX_BYTES:
                return None
            with open(path, encoding="utf-8-sig") as handle:
                if path.endswith(".json"):  # Terraform's JSON variables files: values unwrapped
                    document = json.load(handle)
                    return {k: [v] for k, v in document.items()} if isinstance(document, dict) else None
                import hcl2

                parsed = hcl2.load(handle)
        except Exception:  # an unreadable file: the variable keeps Checkov's rendering only
            LOGGER.debug("ckv_im: tfvars parse failed for %s", path, exc_info=True)
            return None
        return parsed if isinstance(parsed, dict) else None


def _index_blocks(parsed: dict | None) -> dict[tuple[str, str, str], list]:
    index: dict[tuple[str, str, str], list] = {}
    for kind, entries in (parsed or {}).items():
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict):
                continue
            if kind == "locals":
                for name, value in entry.items():
                    index.setdefault((kind, "", name), []).append(value)
            elif kind in ("resource", "data"):
                for type_, bodies in entry.items():
                    for name, body in (bodies or {}).items() if isinstance(bodies, dict) else []:
                        if isinstance(body, dict):
                            index.setdefault((kind, type_, name), []).append(body)
            else:
                for name, body in entry.items():
                    if isinstance(body, dict):
                        index.setdefault((kind, "", name), []).append(body)
    return index
