"""python-hcl2's reading of a block written in plain HCL, without running its parser.

python-hcl2 (Checkov's HCL parser) reads about 14,000 lines a second: on a monorepo where
every stack holds Incident Manager resources, parsing the blocks the rules read was most of
the pack's cost. Most of those blocks are plain: arguments on one line each whose values
are quoted strings, whole numbers, Booleans, ``null``, references (``module.east.key_arn``)
and one-line lists of those; maps of such values; nested blocks. This module reads such a
block line by line, into exactly what python-hcl2 gives for it (values wrapped in a list
at the block level, not inside maps; references as ``${...}``; the block's line numbers).

Anything else, and anything doubtful (escapes, interpolations, function calls, operators,
heredocs, comments spanning lines, labelled nested blocks such as ``dynamic``), makes it
answer None: python-hcl2 then reads the block (``ckv_im.terraform_graph.RawFiles``).
``tests/checkov_terraform/test_plain_blocks.py`` holds it to python-hcl2's result on every
block of the fixtures and on generated blocks.
"""

from __future__ import annotations

import re
from typing import Any

# Block kinds python-hcl2 records the lines of, and how many labels each takes.
LABELS = {"resource": 2, "data": 2, "module": 1, "variable": 1, "provider": 1}
_LABEL = r'"([A-Za-z0-9_.-]+)"'
_IDENTIFIER = r"[A-Za-z_][A-Za-z0-9_-]*"
_HEADER = re.compile(rf"({_IDENTIFIER})((?:\s+{_LABEL})*)\s*\{{")
_LABELS = re.compile(_LABEL)
_ATTRIBUTE = re.compile(rf'({_IDENTIFIER}|"[A-Za-z0-9_.:/-]+")\s*=\s*(.*)')
_NESTED_BLOCK = re.compile(rf"({_IDENTIFIER})\s*\{{")
# A quoted string without escapes, interpolations or template directives.
_STRING = re.compile(r'"([^"\\$%]*)"')
_INTEGER = re.compile(r"0|[1-9][0-9]{0,15}")
# A reference: names, attributes and literal indexes (no splats, no spaces).
_REFERENCE = re.compile(rf'{_IDENTIFIER}(?:\.{_IDENTIFIER}|\[[0-9]+\]|\["[A-Za-z0-9_. -]*"\])*')
_LIST_ITEM = re.compile(r'\s*(?:"([^"\\$%]*)"|([^\s,"\[\]{}()]+))\s*(?:,|$)')
_KEYWORDS = {"true": True, "false": False, "null": None}


class _NotPlain(Exception):
    """The block holds something this reader leaves to python-hcl2."""


def read_plain_block(lines: list[str], kind: str, type_: str, name: str) -> dict[str, Any] | None:
    """The body python-hcl2 gives the block on ``lines`` (its first line the header, its last the
    closing brace), numbered from 1; None unless it is that one block, written in plain HCL."""
    try:
        return _Reader(lines).block(kind, (type_, name) if LABELS.get(kind) == 2 else (name,))
    except _NotPlain:
        return None


class _Reader:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.position = 0

    def block(self, kind: str, labels: tuple[str, ...]) -> dict[str, Any]:
        header = _HEADER.fullmatch(self._next_line() or "")
        if header is None or header.group(1) != kind or tuple(_LABELS.findall(header.group(2))) != labels:
            raise _NotPlain
        body = self._body()
        if self.position != len(self.lines) or kind not in LABELS:
            raise _NotPlain
        body["__start_line__"], body["__end_line__"] = 1, len(self.lines)
        return body

    def _body(self) -> dict[str, Any]:
        """Arguments and nested blocks up to the closing brace."""
        body: dict[str, Any] = {}
        arguments: set[str] = set()
        while (line := self._next_line()) != "}":
            if line is None:
                raise _NotPlain
            nested = _NESTED_BLOCK.fullmatch(line)
            if nested is not None:
                if nested.group(1) in arguments:
                    raise _NotPlain
                body.setdefault(nested.group(1), []).append(self._body())
                continue
            name, value = self._attribute(line)
            if name in body or line.startswith('"'):  # a quoted name belongs in a map, not in a block
                raise _NotPlain
            arguments.add(name)
            body[name] = [value]
        return body

    def _map(self) -> dict[str, Any]:
        """A map written over several lines, one ``key = value`` a line, up to its closing brace."""
        entries: dict[str, Any] = {}
        while (line := self._next_line()) != "}":
            if line is None:
                raise _NotPlain
            key, value = self._attribute(line)
            if key in entries:
                raise _NotPlain
            entries[key] = value
        return entries

    def _attribute(self, line: str) -> tuple[str, Any]:
        attribute = _ATTRIBUTE.fullmatch(line)
        if attribute is None:
            raise _NotPlain
        name, text = attribute.group(1).strip('"'), attribute.group(2)
        if text == "{":
            return name, self._map()
        return name, _value(_without_comment(text))

    def _next_line(self) -> str | None:
        """The next line that holds something, stripped; None past the end."""
        while self.position < len(self.lines):
            line = self.lines[self.position].strip()
            self.position += 1
            if line and not line.startswith(("#", "//")):
                if "/*" in line:
                    raise _NotPlain
                return line
        return None


def _without_comment(text: str) -> str:
    """The value of an argument line without a trailing ``#`` or ``//`` comment."""
    if text.startswith('"'):
        string = _STRING.match(text)
        if string is None:
            raise _NotPlain
        value, rest = text[: string.end()], text[string.end() :].strip()
    else:
        if '"' in text:  # a list of strings: a comment sign may be inside one, so no comment is cut
            return text.strip()
        cut = min((i for i in (text.find("#"), text.find("//")) if i >= 0), default=len(text))
        value, rest = text[:cut].strip(), text[cut:]
    if rest and not rest.startswith(("#", "//")):
        raise _NotPlain
    return value


def _value(text: str) -> Any:
    if text.startswith("[") and text.endswith("]"):
        return _list(text[1:-1])
    return _scalar(text)


def _list(text: str) -> list[Any]:
    """The items of a one-line list: strings and scalars separated by commas, a trailing comma allowed."""
    items, position, text = [], 0, text.strip()
    while position < len(text):
        item = _LIST_ITEM.match(text, position)
        if item is None or item.end() == position:
            raise _NotPlain
        items.append(item.group(1) if item.group(1) is not None else _scalar(item.group(2)))
        position = item.end()
    return items


def _scalar(text: str) -> Any:
    string = _STRING.fullmatch(text)
    if string is not None:
        return string.group(1)
    if text in _KEYWORDS:
        return _KEYWORDS[text]
    if _INTEGER.fullmatch(text):
        return int(text)
    if _REFERENCE.fullmatch(text):
        return "${" + text + "}"
    raise _NotPlain
