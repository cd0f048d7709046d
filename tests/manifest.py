"""The expected-results manifest (fixtures/expected_results.yaml), shared by every engine's tests."""
from __future__ import annotations

from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES_DIR = REPO_ROOT / "fixtures"
MANIFEST = FIXTURES_DIR / "expected_results.yaml"
VERDICTS = {"PASSED", "FAILED", "UNKNOWN"}


def load_manifest() -> dict[str, dict[str, dict[str, str]]]:
    with MANIFEST.open(encoding="utf-8") as handle:
        manifest = yaml.safe_load(handle) or {}
    for fixture, rules in manifest.items():
        for rule_id, resources in rules.items():
            for resource, verdict in resources.items():
                if verdict not in VERDICTS:
                    raise ValueError(f"{fixture} {rule_id} {resource}: verdict {verdict!r} is not one of {VERDICTS}")
    return manifest


def expected_verdicts(fixture: str) -> dict[tuple[str, str], str]:
    """(rule ID, resource) -> verdict for one fixture directory."""
    rules = load_manifest()[fixture]
    return {(rule_id, resource): verdict for rule_id, resources in rules.items() for resource, verdict in resources.items()}


def fixtures_of(kind: str) -> list[str]:
    return sorted(name for name in load_manifest() if name.startswith(f"{kind}/"))
