"""Reading Terraform expressions as python-hcl2 and Checkov leave them.

Raw HCL (python-hcl2, and Terraform JSON syntax) writes an expression as
``"${aws_kms_key.primary.arn}"`` and a string literal as plain text, so the
two can be told apart. Checkov's rendered configuration drops the ``${ }``:
there a reference and a string literal with the same text look the same.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_IDENT = r"[A-Za-z_][\w-]*"
_INDEX = r"\[\s*(?:\d+|\"[^\"]*\")\s*\]"
_TRAVERSAL = rf"{_IDENT}(?:\.{_IDENT}|{_INDEX})*"
_WRAPPED_TRAVERSAL = re.compile(rf"\$\{{\s*({_TRAVERSAL})\s*\}}")
_BARE_TRAVERSAL = re.compile(_TRAVERSAL)
_STEP = re.compile(rf"\.?({_IDENT})|({_INDEX})")

# What a reference that Checkov could not render looks like in its output.
_REFERENCE_ROOTS = ("var.", "local.", "module.", "data.", "path.", "each.", "count.", "self.", "terraform.")
_RESOURCE_REFERENCE = re.compile(rf"aws_\w+\.{_IDENT}(?:{_INDEX})?(?:\.{_IDENT}|{_INDEX})+")


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
    return text.startswith(_REFERENCE_ROOTS) or bool(_RESOURCE_REFERENCE.fullmatch(text))


_FILE_CALL = re.compile(r'^\$\{\s*(file|templatefile)\(\s*"((?:[^"\\]|\\.)*)"\s*(,.*)?\)\s*\}$', re.S)


@dataclass(frozen=True)
class FileCall:
    function: str        # file or templatefile
    path: str            # the path argument, with ${path.module} / ${path.root} unexpanded
    vars_text: str       # templatefile's variables argument as python-hcl2 wrote it ("" when absent)

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


_INTERPOLATION = re.compile(r"\$\{\s*([^}]*?)\s*\}")


def render_template(template: str, variables: dict[str, str]) -> str | None:
    """A templatefile() body with ``${name}`` interpolations of the given values; None for anything richer."""
    if "%{" in template:
        return None  # template directives (for, if) are not evaluated
    escaped = "\x00ESCAPED\x00"
    body = template.replace("$${", escaped)
    names = _INTERPOLATION.findall(body)
    if any(name not in variables for name in names):
        return None
    return _INTERPOLATION.sub(lambda match: variables[match.group(1)], body).replace(escaped, "${")
