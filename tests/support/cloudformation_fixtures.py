"""The CloudFormation fixtures of the manifest, and the template files each one holds."""

from __future__ import annotations

from pathlib import Path

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
