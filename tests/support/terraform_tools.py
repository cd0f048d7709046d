"""Real Terraform for the tests that need it: re-exported from scripts/plan_fixtures.py.

The binary, the offline provider mirror (CKV_IM_TF_PLUGIN_MIRROR, or discovered) and a real
offline plan are made in one place, the plan fixture script; tests import them from here
or from ``plan_fixtures`` directly (conftest puts scripts/ on ``sys.path``).
"""

from __future__ import annotations

from pathlib import Path

from plan_fixtures import missing_tools, plan_module, provider_mirror, render, terraform_binary

__all__ = ["missing_tools", "plan_json", "provider_mirror", "terraform_binary"]


def plan_json(root_module: Path, work: Path, aliases: tuple[str, ...] = ()) -> Path:
    """``terraform plan`` of a copy of the module, offline, with fake credentials; returns plan.json.

    ``aliases`` is kept for old callers: the aliased providers are now read from the module.
    """
    plan = work / f"{root_module.name}.plan.json"
    plan.write_text(render(plan_module(root_module, work)), encoding="utf-8")
    return plan
