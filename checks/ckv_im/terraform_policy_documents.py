"""Terraform key policies: an expression, or a ``data "aws_iam_policy_document"`` rendered as Terraform renders it.

A policy may be ``jsonencode(...)``, a JSON string or heredoc, a local or variable, a
``file()`` / ``templatefile()``, or a policy document data source with its statement
blocks, principals, conditions, ``source_policy_documents`` and
``override_policy_documents`` (docs/semantics.md#key-policy).
"""

from __future__ import annotations

from typing import Any

from ckv_im.model import PolicyDocument, Resolved, Unknown, Value, is_unknown, past_limit
from ckv_im.policy_json import parse_policy
from ckv_im.rendered_values import blocks_of, clean, unwrap
from ckv_im.terraform_graph import MISSING, Block
from ckv_im.terraform_references import MAX_DEPTH, Context, DataRef, Ref, Resolving

# Statements one rendered document may hold: a key policy is at most 32 KB, far fewer statements,
# while documents that each include several others multiply theirs at every level.
MAX_STATEMENTS = 1_000


class PolicyReader:
    def __init__(self, resolver: Resolving) -> None:
        self.resolver = resolver
        # Each policy document rendered once: documents that include the same ones at every level
        # would otherwise be rendered a number of times exponential in the depth.
        self._rendered: dict[int, tuple[Block, Resolved[PolicyDocument]]] = {}

    def policy(self, raw: Any, rendered: Any, ctx: Context, depth: int = 0) -> Resolved[PolicyDocument]:
        """A key policy as a dict (with Unknown parts), or an Unknown."""
        resolved = self.resolver.resolve(raw, rendered, ctx, depth)
        if isinstance(resolved, DataRef):
            if resolved.type == "aws_iam_policy_document" and resolved.attribute == "json" and resolved.block:
                return self.policy_document(resolved.block, depth + 1)
            return Unknown(f"{resolved.text} is a data source lookup")
        if isinstance(resolved, Ref):
            return Unknown(f"{resolved.text} is only known after apply")
        if isinstance(resolved, Unknown):
            return resolved
        return parse_policy(resolved.value)

    def policy_document(self, block: Block, depth: int = 0) -> Resolved[PolicyDocument]:
        """Render a ``data.aws_iam_policy_document`` as the JSON policy Terraform would produce."""
        if depth > MAX_DEPTH:
            return Unknown("policy documents nested too deeply")
        if id(block) not in self._rendered:
            self._rendered[id(block)] = (block, self._render(block, depth))  # the block kept: its id stays its own
        return self._rendered[id(block)][1]

    def _render(self, block: Block, depth: int) -> Resolved[PolicyDocument]:
        conf = block.conf
        if "dynamic" in conf:
            return Unknown(f"data.{block.type}.{block.name} uses dynamic blocks")
        # Terraform's order: source documents, then this document's statements, then overrides;
        # a later statement replaces an earlier one with the same Sid.
        layers = [
            *self._documents(block, "source_policy_documents", depth),
            {"Statement": [_statement_from_block(s) for s in blocks_of(conf.get("statement"))]},
            *self._documents(block, "override_policy_documents", depth),
        ]
        statements: list[Any] = []
        for document in layers:
            if isinstance(document, Unknown):
                return document
            statements = _merge_statements(statements, document.get("Statement"))
            if len(statements) > MAX_STATEMENTS:
                return past_limit(f"data.{block.type}.{block.name} renders more than {MAX_STATEMENTS} statements")
        return {"Version": "2012-10-17", "Statement": statements}

    def _documents(self, block: Block, field_name: str, depth: int) -> list[Resolved[PolicyDocument]]:
        raw, rendered = block.attribute(field_name)
        if rendered is MISSING:
            return []
        items = (
            rendered[0]
            if isinstance(rendered, list) and len(rendered) == 1 and isinstance(rendered[0], list)
            else rendered
        )
        raw_items = unwrap(raw) if isinstance(unwrap(raw), list) else None
        documents: list[Resolved[PolicyDocument]] = []
        for position, item in enumerate(items if isinstance(items, list) else [items]):
            item_raw = raw_items[position] if raw_items and position < len(raw_items) else MISSING
            document = self.policy(item_raw, item, Context.of(block), depth + 1)
            documents.append(
                document
                if isinstance(document, dict) or is_unknown(document)
                else Unknown(f"{field_name} of data.{block.type}.{block.name} is not a policy")
            )
        return documents


def _strings(value: Any) -> Value:
    value = unwrap(value)
    if value is None or value is MISSING:
        return None
    return clean(value)


def _statement_from_block(block: dict[str, Any]) -> Value:
    """One ``statement {}`` block of aws_iam_policy_document as a JSON policy statement."""
    if "dynamic" in block:  # dynamic principals or conditions: the statement cannot be known
        return Unknown("a statement of the policy document uses dynamic blocks")
    statement: dict[str, Any] = {"Effect": _strings(block.get("effect")) or "Allow"}
    for field_name, key in (
        ("sid", "Sid"),
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ):
        value = _strings(block.get(field_name))
        if value is not None:
            statement[key] = value
    for field_name, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        principals = blocks_of(block.get(field_name))
        if principals:
            statement[key] = _principal(principals)
    conditions = blocks_of(block.get("condition"))
    if conditions:
        condition: dict[str, Any] = {}
        for entry in conditions:
            test, variable = _strings(entry.get("test")), _strings(entry.get("variable"))
            if not isinstance(test, str) or not isinstance(variable, str):
                return {
                    "Effect": statement["Effect"],
                    "Sid": statement.get("Sid"),
                    "Condition": Unknown("a condition test or variable is not resolved"),
                }
            condition.setdefault(test, {})[variable] = _strings(entry.get("values"))
        statement["Condition"] = condition
    return statement


def _principal(principals: list[dict[str, Any]]) -> Value:
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
    replaced = {sid for s in extra_list if isinstance(s, dict) and isinstance(sid := s.get("Sid"), str) and sid}
    kept = [s for s in base if not (isinstance(s, dict) and s.get("Sid") in replaced)]
    return kept + extra_list
