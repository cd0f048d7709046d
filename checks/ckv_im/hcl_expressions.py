"""Reading Terraform expressions as python-hcl2 and Checkov leave them.

Raw HCL (python-hcl2, and Terraform JSON syntax) writes an expression as
``"${aws_kms_key.primary.arn}"`` and a string literal as plain text, so the
two can be told apart. Checkov's rendered configuration drops the ``${ }``:
there a reference and a string literal with the same text look the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_IDENT = r"[A-Za-z_][\w-]*"
_INDEX = r"\[\s*(?:\d+|\"[^\"]*\")\s*\]"
TRAVERSAL = rf"{_IDENT}(?:\.{_IDENT}|{_INDEX})*"  # a reference: names and literal index keys
_WRAPPED_TRAVERSAL = re.compile(rf"\$\{{\s*({TRAVERSAL})\s*\}}")
_BARE_TRAVERSAL = re.compile(TRAVERSAL)
_STEP = re.compile(rf"\.?({_IDENT})|({_INDEX})")

# What a reference that Checkov could not render looks like in its output.
_REFERENCE_ROOTS = ("var.", "local.", "module.", "data.", "path.", "each.", "count.", "self.", "terraform.")
_RESOURCE_REFERENCE = re.compile(rf"aws_\w+\.{_IDENT}(?:{_INDEX})?(?:\.{_IDENT}|{_INDEX})+")
# A function call Checkov left as text (``try(aws_kms_key.k.arn, "x")``, ``coalesce(...)``,
# ``format(...)``, ``provider::aws::arn_build(...)``): no literal value has this shape.
_FUNCTION_CALL = re.compile(r"(?:provider::\w+::)?[a-z][a-z0-9_]*\(.*\)", re.S)


@dataclass(frozen=True)
class Traversal:
    """``module.keys.key_arn`` as its steps: names, and index keys such as ``[0]`` or ``["a"]``."""

    text: str
    steps: tuple[str, ...]

    @property
    def root(self) -> str:
        return self.steps[0]


def parse_traversal(text: str) -> Traversal | None:
    if not isinstance(text, str) or not _BARE_TRAVERSAL.fullmatch(text):
        return None
    steps = []
    for name, index in _STEP.findall(text):
        steps.append(name or re.sub(r"\s+", "", index))
    return Traversal(text, tuple(steps))


def reference_in(raw: object) -> Traversal | None:
    """The traversal a raw value consists of, if it is exactly one ``${...}`` reference."""
    if not isinstance(raw, str):
        return None
    match = _WRAPPED_TRAVERSAL.fullmatch(raw.strip())
    return parse_traversal(match.group(1)) if match else None


def is_expression(raw: object) -> bool:
    """True when a raw HCL value holds an interpolation or function call rather than a plain literal."""
    return isinstance(raw, str) and "${" in raw


def looks_unrendered(value: object) -> bool:
    """True when a string in Checkov's rendered output is still an expression, not a value."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    if "${" in text:
        return True
    return (
        text.startswith(_REFERENCE_ROOTS)
        or bool(_RESOURCE_REFERENCE.fullmatch(text))
        or bool(_FUNCTION_CALL.fullmatch(text))
    )


_FILE_CALL = re.compile(r'^\$\{\s*(file|templatefile)\(\s*"((?:[^"\\]|\\.)*)"\s*(,.*)?\)\s*\}$', re.S)


@dataclass(frozen=True)
class FileCall:
    function: str  # file or templatefile
    path: str  # the path argument, with ${path.module} / ${path.root} unexpanded
    vars_text: str  # templatefile's variables argument as python-hcl2 wrote it ("" when absent)

    @property
    def has_vars(self) -> bool:
        return bool(self.vars_text)


def file_call_in(raw: object) -> FileCall | None:
    """``file("${path.module}/policy.json")`` or ``templatefile(...)`` with a string-literal path."""
    if not isinstance(raw, str):
        return None
    match = _FILE_CALL.fullmatch(raw.strip())
    if not match:
        return None
    function, path, rest = match.groups()
    return FileCall(function, path, (rest or "").strip(", \n\t"))


# python-hcl2 writes an object argument as a Python-style dict: {'account_id': '${local.id}', 'n': 3}
_TEMPLATE_VAR = r"""'([A-Za-z_][\w-]*)'\s*:\s*('(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?|True|False)"""
_TEMPLATE_VARS = re.compile(rf"\{{\s*(?:{_TEMPLATE_VAR}(?:\s*,\s*{_TEMPLATE_VAR})*)?\s*,?\s*\}}")


def template_vars_in(vars_text: str) -> dict[str, str] | None:
    """The variables map of a templatefile() call: name -> raw value text; None unless every value is a literal."""
    if not _TEMPLATE_VARS.fullmatch(vars_text.strip()):
        return None
    variables = {}
    for name, value in re.findall(_TEMPLATE_VAR, vars_text):
        if value.startswith("'"):
            value = value[1:-1].replace("\\'", "'")
        elif value in ("True", "False"):
            value = value.lower()
        variables[name] = value
    return variables


# A placeholder of a variable; possessive, so that a text of "${" never makes the regex backtrack.
_PLACEHOLDER = re.compile(r"\$\{\s*+([A-Za-z_][\w-]*+)\s*+\}")


def render_template(template: str, variables: dict[str, str]) -> str | None:
    """A templatefile() body with ``${name}`` interpolations of the given values; None for anything richer."""
    if "%{" in template:
        return None  # template directives (for, if) are not evaluated
    escaped = "\x00ESCAPED\x00"
    body = template.replace("$${", escaped)
    names = _PLACEHOLDER.findall(body)
    if len(names) != body.count("${") or any(name not in variables for name in names):
        return None  # an interpolation that is not a variable's name, or a variable without a value
    return _PLACEHOLDER.sub(lambda match: variables[match.group(1)], body).replace(escaped, "${")


# --- the text python-hcl2 writes inside "${...}" -------------------------------------------------
# python-hcl2 writes an expression as HCL with Python reprs of its literals mixed in:
# ``toset(['a', 'b'])``, ``lookup(local.m,"k",None)``, ``list(object({'name': '${string}'}))``.
# ``parse_expression`` reads the small part of that language the pack evaluates: literals,
# lists, objects, references and function calls. Anything else (operators, ``for``
# expressions, conditionals, splats) gives None, which callers turn into an Unknown.


@dataclass(frozen=True)
class Call:
    """A function call: ``toset(var.regions)`` -> Call("toset", (Traversal(...),))."""

    function: str
    arguments: tuple


class Interpolated(str):
    """A quoted string that holds ``${...}``: a template, or (in a type) a nested type expression."""


_KEYWORDS = {"True": True, "true": True, "False": False, "false": False, "None": None, "null": None}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"'}
_MAX_EXPRESSION = 20_000


def whole_expression(raw: object) -> str | None:
    """The text inside ``${...}`` when the raw value is exactly one interpolation, else None."""
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if not text.startswith("${") or _closing_brace(text, 1) != len(text) - 1:
        return None
    return text[2:-1].strip()


def _closing_brace(text: str, opening: int) -> int:
    """The index of the brace closing the one at ``opening`` (quotes respected), or -1.

    The regex engine finds the next brace or quote (and, inside quotes, the closing quote or a
    backslash): a policy of thousands of characters is not walked one character at a time.
    """
    depth, position = 0, opening
    while (found := _BRACE_OR_QUOTE.search(text, position)) is not None:
        char, position = found.group(), found.end()
        if char in "'\"":
            position = _after_quoted(text, position, _QUOTE_END[char])
            if position < 0:
                return -1
        elif char == "{":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return found.start()
    return -1


def _after_quoted(text: str, position: int, quote_end: re.Pattern[str]) -> int:
    """Where the quoted text starting at ``position`` ends (after its closing quote; a backslash escapes
    the next character), or -1 when it does not."""
    while (found := quote_end.search(text, position)) is not None:
        if found.group() != "\\":
            return found.end()
        position = found.end() + 1
    return -1


_BRACE_OR_QUOTE = re.compile(r"""[{}'"]""")
_QUOTE_END = {'"': re.compile(r'[\\"]'), "'": re.compile(r"[\\']")}


def template_parts(raw: object) -> list | None:
    """A template string as its parts: literal text (str) and interpolated references (Traversal).

    None when it holds a directive (``%{``) or an interpolation that is not a plain reference.
    """
    if not isinstance(raw, str) or "%{" in raw.replace("%%{", ""):
        return None
    parts: list = []
    literal, position = "", 0
    while position < len(raw):
        dollar = raw.find("$", position)  # literal text is copied in runs, not character by character
        if dollar != position:
            literal += raw[position:] if dollar < 0 else raw[position:dollar]
            position = len(raw) if dollar < 0 else dollar
            continue
        if raw.startswith("$${", position):
            literal, position = literal + "${", position + 3
            continue
        if raw.startswith("${", position):
            end = _closing_brace(raw, position + 1)
            traversal = parse_traversal(raw[position + 2 : end].strip()) if end > 0 else None
            if traversal is None:
                return None
            if literal:
                parts.append(literal)
            parts.append(traversal)
            literal, position = "", end + 1
            continue
        literal, position = literal + raw[position], position + 1
    if literal:
        parts.append(literal)
    return parts


def parse_expression(text: str) -> Any:
    """The expression python-hcl2 wrote (without its ``${ }``) as Python values, Traversal and Call; None
    when it uses anything else. The result is shared: callers build new values from it, never change it."""
    if not isinstance(text, str) or len(text) > _MAX_EXPRESSION:
        return None
    if len(text) <= _MAX_REMEMBERED_EXPRESSION:  # a module's expressions are read once per instance: once here
        return _remembered_expression(text)
    return _parsed_expression(text)


_MAX_REMEMBERED_EXPRESSION = 16 * 1024  # characters; with 256 expressions remembered, a few MB at most


@lru_cache(maxsize=256)
def _remembered_expression(text: str) -> Any:
    return _parsed_expression(text)


def _parsed_expression(text: str) -> Any:
    parser = _ExpressionParser(text)
    try:
        node = parser.expression()
        parser.space()
        return node if parser.position == len(text) else None
    except (ValueError, IndexError, RecursionError):
        return None


class _ExpressionParser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.position = 0
        self.depth = 0

    def space(self) -> None:
        while self.position < len(self.text) and self.text[self.position] in " \t\r\n":
            self.position += 1

    def peek(self) -> str:
        self.space()
        return self.text[self.position] if self.position < len(self.text) else ""

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise ValueError(f"expected {char}")
        self.position += 1

    def expression(self):
        self.depth += 1
        if self.depth > 64:
            raise ValueError("nested too deeply")
        try:
            return self._expression()
        finally:
            self.depth -= 1

    def _expression(self):
        char = self.peek()
        if char in ("'", '"'):
            return self.string()
        if char == "[":
            return self.sequence()
        if char == "{":
            return self.mapping()
        if self.text.startswith("${", self.position):
            end = _closing_brace(self.text, self.position + 1)
            if end < 0:
                raise ValueError("unclosed interpolation")
            inner = parse_expression(self.text[self.position + 2 : end])
            if inner is None:
                raise ValueError("unreadable interpolation")
            self.position = end + 1
            return inner
        number = _NUMBER.match(self.text, self.position)
        if number:
            self.position = number.end()
            value = number.group(0)
            return float(value) if any(c in value for c in ".eE") else int(value)
        return self.name()

    def name(self):
        match = _BARE_TRAVERSAL.match(self.text, self.position)
        if not match:
            raise ValueError("not an expression")
        self.position = match.end()
        word = match.group(0)
        if word in _KEYWORDS:
            return _KEYWORDS[word]
        if self.peek() == "(" and "." not in word and "[" not in word:
            self.position += 1
            arguments = []
            while self.peek() != ")":
                arguments.append(self.expression())
                if self.peek() == ",":
                    self.position += 1
                elif self.peek() != ")":
                    raise ValueError("expected , or )")
            self.position += 1
            return Call(word, tuple(arguments))
        return parse_traversal(word)

    def string(self) -> str:
        quote = self.text[self.position]
        self.position += 1
        chars = []
        while self.text[self.position] != quote:
            char = self.text[self.position]
            if char == "\\":
                self.position += 1
                char = _ESCAPES.get(self.text[self.position], "\\" + self.text[self.position])
            chars.append(char)
            self.position += 1
        self.position += 1
        value = "".join(chars)
        return Interpolated(value) if "${" in value else value

    def sequence(self) -> list:
        self.expect("[")
        items = []
        while self.peek() != "]":
            items.append(self.expression())
            if self.peek() == ",":
                self.position += 1
            elif self.peek() != "]":
                raise ValueError("expected , or ]")
        self.position += 1
        return items

    def mapping(self) -> dict:
        self.expect("{")
        items = {}
        while self.peek() != "}":
            key = self.string() if self.peek() in ("'", '"') else self.name()
            if not isinstance(key, str) or isinstance(key, Interpolated):
                raise ValueError("object keys must be literal")
            if self.peek() not in (":", "="):
                raise ValueError("expected : or =")
            self.position += 1
            items[key] = self.expression()
            if self.peek() == ",":
                self.position += 1
        self.position += 1
        return items
