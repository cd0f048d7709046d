"""The committed plan fixtures are real: what scripts/make-plan-fixtures makes from fixtures/terraform.

Where Terraform and the offline hashicorp/aws 5.100.0 mirror are present, every plan is made
again (in parallel, in temporary directories) and compared with the committed one; the
fixtures the script skips must still fail to plan, for the reason it gives. Elsewhere those
tests skip, saying why. The bookkeeping tests need no Terraform.
"""

from __future__ import annotations

import json
import os

import pytest

import plan_fixtures
from plan_fixtures import EXAMPLE_PLAN, PLAN_FILE, PLAN_FIXTURES, SKIPPED, SOURCE_FIXTURES

COMMITTED = plan_fixtures.committed_plans()
PLANNABLE = [name for name in plan_fixtures.source_fixtures() if name not in SKIPPED]
REGENERATE = "regenerate them with scripts/make-plan-fixtures"


def test_every_plan_fixture_has_a_source_fixture():
    assert COMMITTED, f"no plan fixtures under {PLAN_FIXTURES}"
    orphans = [name for name in COMMITTED if not (SOURCE_FIXTURES / name).is_dir()]
    assert not orphans, f"plans without a fixtures/terraform/<name>/ directory: {orphans}"
    strays = sorted(path.name for path in PLAN_FIXTURES.iterdir() if path.is_dir() and not (path / PLAN_FILE).is_file())
    assert not strays, f"directories under {PLAN_FIXTURES} without a {PLAN_FILE}: {strays}"


def test_every_fixture_has_a_plan_or_a_reason_for_none():
    assert COMMITTED == PLANNABLE, (
        "every fixtures/terraform directory needs a committed plan, or an entry in SKIPPED "
        f"(scripts/plan_fixtures.py) saying why it cannot be planned; {REGENERATE}"
    )
    assert set(SKIPPED) <= set(plan_fixtures.source_fixtures()), "SKIPPED names a fixture that does not exist"
    readme = (PLAN_FIXTURES / "README.md").read_text(encoding="utf-8")
    undocumented = [name for name in SKIPPED if f"| `{name}` |" not in readme]
    assert not undocumented, f"fixtures/terraform_plan/README.md does not say why these have no plan: {undocumented}"


def test_committed_plans_carry_no_timestamp():
    stamped = [
        name
        for name in COMMITTED
        if "timestamp" in json.loads((PLAN_FIXTURES / name / PLAN_FILE).read_text(encoding="utf-8"))
    ]
    assert not stamped


def _why_not_regenerate() -> str | None:
    missing = plan_fixtures.missing_tools()
    if missing:
        return f"needs terraform and an offline hashicorp/aws {plan_fixtures.PROVIDER_VERSION} mirror: {missing}"
    committed_versions = {
        json.loads((PLAN_FIXTURES / name / PLAN_FILE).read_text(encoding="utf-8")).get("terraform_version")
        for name in COMMITTED
    }
    local = plan_fixtures.terraform_version()
    if committed_versions != {local}:
        return (
            f"the committed plans were made by Terraform {sorted(map(str, committed_versions))}, "
            f"this is Terraform {local}: its plans differ in format"
        )
    return None


@pytest.fixture(scope="module")
def regenerated():
    why_not = _why_not_regenerate()
    if why_not:
        pytest.skip(why_not)
    return plan_fixtures.plan_fixtures(PLANNABLE + sorted(SKIPPED), jobs=max(2, os.cpu_count() or 2))


@pytest.mark.parametrize("name", PLANNABLE)
def test_committed_plan_is_what_terraform_makes(regenerated, name):
    result = regenerated[name]
    assert result.plan is not None, f"Terraform could not plan {name}: {result.error}"
    committed = json.loads((PLAN_FIXTURES / name / PLAN_FILE).read_text(encoding="utf-8"))
    assert result.plan == committed, f"{name}: the committed plan is not what Terraform makes now; {REGENERATE}"


@pytest.mark.parametrize("name", sorted(SKIPPED))
def test_skipped_fixture_still_cannot_be_planned(regenerated, name):
    assert plan_fixtures.skip_problem(name, regenerated[name]) is None


def test_example_plan_is_what_terraform_makes():
    """examples/terraform_plan/plan.json (scripts/example gives it to the Rego policies) is real too."""
    why_not = _why_not_regenerate()
    if why_not:
        pytest.skip(why_not)
    result = plan_fixtures.plan_example()
    assert result.plan is not None, f"Terraform could not plan examples/terraform: {result.error}"
    assert result.plan == json.loads(EXAMPLE_PLAN.read_text(encoding="utf-8")), (
        f"the example plan is stale; {REGENERATE}"
    )
