"""The CloudFormation fixtures of the manifest, and the template files each one holds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ckv_im.cfn_json import load_template, plain
from support.manifest import FIXTURES_DIR, fixtures_of

SERVERLESS_FILES = ("serverless.yml", "serverless.yaml")
TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")


def is_serverless(fixture: str) -> bool:
    return any((FIXTURES_DIR / fixture / name).is_file() for name in SERVERLESS_FILES)


def templates_of(fixture: str) -> list[Path]:
    """The CloudFormation templates of a fixture (cdk.out/*.template.json included)."""
    return sorted(
        path
        for path in (FIXTURES_DIR / fixture).rglob("*")
        if path.suffix in TEMPLATE_SUFFIXES
        and path.name not in SERVERLESS_FILES
        and path.name not in ("manifest.json", "tree.json", "cdk.json", "package.json", "package-lock.json")
        and not path.name.endswith(".assets.json")
    )


CFN_FIXTURES = fixtures_of("cloudformation")
TEMPLATE_FIXTURES = [fixture for fixture in CFN_FIXTURES if not is_serverless(fixture)]


def documents_of(fixture: str) -> list[tuple[Path, Any]]:
    """(file, long-form JSON document) of each template of a fixture, as the Rego policies read them:
    YAML (and a Serverless file) converted by ``python -m ckv_im.cfn_json``'s reader, JSON as it is."""
    paths = serverless_files(fixture) if is_serverless(fixture) else templates_of(fixture)
    return [(path, _document(path)) for path in paths]


def serverless_files(fixture: str) -> list[Path]:
    return [FIXTURES_DIR / fixture / name for name in SERVERLESS_FILES if (FIXTURES_DIR / fixture / name).is_file()]


def _document(path: Path) -> Any:
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    return plain(load_template(path))
