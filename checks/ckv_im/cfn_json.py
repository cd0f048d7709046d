"""Write a CloudFormation template (or a Serverless Framework file) as long-form JSON, for OPA and conftest.

OPA and conftest parse YAML without CloudFormation's short-form tags: ``!Ref Key`` arrives as
the plain string ``Key`` and ``!GetAtt Key.Arn`` as ``Key.Arn``, so the policies would judge a
different template. ``python -m ckv_im.cfn_json template.yaml > template.json`` reads the file
with cfn-lint's decoder, which turns every tag into its long form (``{"Ref": "Key"}``,
``{"Fn::GetAtt": ["Key", "Arn"]}``), and prints JSON. JSON templates and ``cdk synth`` output
need no conversion. Exit status: 0 written, 2 the file could not be read as a template.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

MAX_DEPTH = 256  # deeper documents (or YAML alias loops) are refused rather than written


class ConversionError(Exception):
    """The file is not a YAML or JSON document this command can write as JSON."""


def load_template(path: Path) -> Any:
    """The document in ``path`` with CloudFormation's short-form tags in long form."""
    from cfnlint.decode import decode

    document, matches = decode(str(path))
    if document is None:
        reasons = "; ".join(str(match.message) for match in matches) or "not a YAML or JSON document"
        raise ConversionError(f"{path}: {reasons}")
    return document


def plain(node: Any, depth: int = 0, open_ids: frozenset[int] = frozenset()) -> Any:
    """The parsed document as plain JSON values (the decoder's dict and str subclasses carry line marks)."""
    if depth > MAX_DEPTH or id(node) in open_ids:
        raise ConversionError("the document nests too deeply (or a YAML alias refers to itself)")
    if isinstance(node, dict):
        inner = open_ids | {id(node)}
        return {str(key): plain(value, depth + 1, inner) for key, value in node.items()}
    if isinstance(node, list):
        inner = open_ids | {id(node)}
        return [plain(item, depth + 1, inner) for item in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, (int, float)):
        return node if node == node else None  # NaN (YAML .nan) has no JSON form
    return str(node)  # the decoder's str subclass, or a YAML value JSON has no type for (a date)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ckv_im.cfn_json", description=__doc__.split("\n\n")[0])
    parser.add_argument("template", type=Path, help="a CloudFormation template or serverless.yml (YAML or JSON)")
    arguments = parser.parse_args(argv)
    try:
        document = plain(load_template(arguments.template))
    except (OSError, ConversionError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    json.dump(document, sys.stdout, indent=1, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
