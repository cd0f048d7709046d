"""The expected-results manifest (fixtures/expected_results.yaml), shared by every engine's tests.

Per fixture: rule ID -> resource -> verdict, as Checkov on Terraform HCL (or on the
fixture's own format) reports it. An engine whose verdicts differ on that fixture (its
Terraform plan, say) lists only the differences, each with its reason, under the
engine's name: engine -> rule ID -> resource -> {verdict, reason}. An engine may build on
another one (ENGINE_BASES): the Rego policies on a plan give Checkov's plan verdicts plus
their own differences. The Rego policies on a template (``rego_cloudformation``) start from the
fixture's own (CloudFormation) verdicts.
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES_DIR = REPO_ROOT / "fixtures"
MANIFEST = FIXTURES_DIR / "expected_results.yaml"
VERDICTS = {"PASSED", "FAILED", "UNKNOWN"}
ENGINES = {"terraform_plan", "rego_plan", "rego_cloudformation"}
# engine -> the engine whose verdicts it starts from (its own differences are applied on top)
ENGINE_BASES = {"rego_plan": "terraform_plan"}


@functools.lru_cache(maxsize=1)  # parsed once per test run; callers only read it
def load_manifest() -> dict[str, dict]:
    with MANIFEST.open(encoding="utf-8") as handle:
        manifest = yaml.safe_load(handle) or {}
    for fixture, rules in manifest.items():
        for rule_id, resources in rules.items():
            if rule_id in ENGINES:
                for engine_rule, engine_resources in resources.items():
                    for resource, difference in engine_resources.items():
                        _check(fixture, f"{rule_id} {engine_rule}", resource, difference.get("verdict"))
                        if not difference.get("reason"):
                            raise ValueError(
                                f"{fixture} {rule_id} {engine_rule} {resource}: a difference needs a reason"
                            )
            else:
                for resource, verdict in resources.items():
                    _check(fixture, rule_id, resource, verdict)
    return manifest


def _check(fixture: str, rule: str, resource: str, verdict: object) -> None:
    if verdict not in VERDICTS:
        raise ValueError(f"{fixture} {rule} {resource}: verdict {verdict!r} is not one of {VERDICTS}")


def expected_verdicts(fixture: str, engine: str | None = None) -> dict[tuple[str, str], str]:
    """(rule ID, resource) -> verdict for one fixture, as the given engine should report it."""
    rules = load_manifest()[fixture]
    verdicts = {
        (rule_id, resource): verdict
        for rule_id, resources in rules.items()
        if rule_id not in ENGINES
        for resource, verdict in resources.items()
    }
    for layer in _engine_layers(engine):
        for rule_id, resources in (rules.get(layer) or {}).items():
            for resource, difference in resources.items():
                verdicts[(rule_id, resource)] = difference["verdict"]
    return verdicts


def _engine_layers(engine: str | None) -> list[str]:
    """The engines whose differences apply, base first: rego_plan -> [terraform_plan, rego_plan]."""
    layers = []
    while engine:
        layers.insert(0, engine)
        engine = ENGINE_BASES.get(engine)
    return layers


def fixtures_of(kind: str) -> list[str]:
    return sorted(name for name in load_manifest() if name.startswith(f"{kind}/"))
