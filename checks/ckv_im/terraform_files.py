"""``file()`` and ``templatefile()`` of a file inside the scanned tree (docs/semantics.md#key-policy).

A path that comes from the scanned code is read only when it lies inside the scanned
tree (``RawFiles.inside_scan``): a pull request must not make the pack read anything else.
"""

from __future__ import annotations

import os

from ckv_im.hcl_expressions import FileCall, render_template, template_vars_in
from ckv_im.model import LOGGER, Unknown
from ckv_im.policy_json import MAX_POLICY_BYTES
from ckv_im.terraform_graph import MISSING
from ckv_im.terraform_references import Context, Literal, Resolution, Resolving


class FileReader:
    def __init__(self, resolver: Resolving) -> None:
        self.resolver = resolver

    def read(self, call: FileCall, ctx: Context, depth: int) -> Resolution:
        path = call.path.replace("${path.module}", ctx.module_dir).replace("${path.root}", ctx.root_dir)
        path = path.replace("${path.cwd}", ctx.root_dir)
        if "${" in path:
            return Unknown(f"{call.function}() path {call.path} is not a literal")
        if not os.path.isabs(path):
            path = os.path.join(ctx.root_dir, path)  # Terraform resolves relative paths from the root module
        if not self.resolver.raw_files.inside_scan(path) or not os.path.isfile(path):
            LOGGER.debug("ckv_im: %s() of %s not read: not a file inside the scanned tree", call.function, call.path)
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

    def _render_template(self, call: FileCall, content: str, ctx: Context, depth: int) -> Resolution:
        raw_variables = template_vars_in(call.vars_text or "{}")
        if raw_variables is None:
            return Unknown(f"the variables of templatefile({call.path}) are not literal values")
        variables = {}
        for name, raw_value in raw_variables.items():
            value = self.resolver.resolve(raw_value, MISSING, ctx, depth + 1)
            if not isinstance(value, Literal) or not isinstance(value.value, (str, int, float, bool)):
                return Unknown(f"templatefile({call.path}) variable {name} is not resolved statically")
            variables[name] = str(value.value).lower() if isinstance(value.value, bool) else str(value.value)
        rendered = render_template(content, variables)
        if rendered is None:
            return Unknown(f"templatefile() of {call.path} uses template syntax the pack does not evaluate")
        return Literal(rendered)
