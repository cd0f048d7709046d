"""The model of a scan is built once per Checkov graph, not once per resource or per check."""
from __future__ import annotations

from checkov_scan import checkov_verdicts, scan_terraform
from ckv_im import checkov_terraform
from manifest import FIXTURES_DIR


def test_one_model_build_per_graph(monkeypatch):
    builds = []
    original = checkov_terraform.build_index

    def counting_build_index(*arguments, **keywords):
        builds.append(1)
        return original(*arguments, **keywords)

    monkeypatch.setattr(checkov_terraform, "build_index", counting_build_index)
    verdicts = checkov_verdicts(scan_terraform(FIXTURES_DIR / "terraform" / "region_module_outputs"))
    assert len(verdicts) > 10  # many checks on many resources ...
    assert len(builds) == 1    # ... one index of the graph


def test_a_plan_file_is_read_once(monkeypatch):
    from checkov_scan import scan_plan
    from ckv_im import plan_model

    loads = []
    original = plan_model._load

    def counting_load(*arguments):
        loads.append(1)
        return original(*arguments)

    monkeypatch.setattr(plan_model, "_load", counting_load)
    monkeypatch.setattr(plan_model, "_CACHE", type(plan_model._CACHE)())
    plan = FIXTURES_DIR / "terraform_plan" / "region_module_outputs" / "plan.json"
    assert len(checkov_verdicts(scan_plan(plan))) > 10
    assert len(loads) == 1
