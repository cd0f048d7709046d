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


def test_a_cloudformation_template_is_read_once_for_all_checks_and_resources(monkeypatch):
    from checkov_scan import scan_cloudformation
    from ckv_im import checkov_cloudformation

    builds = []
    original = checkov_cloudformation.build_model

    def counting_build_model(*arguments):
        builds.append(1)
        return original(*arguments)

    monkeypatch.setattr(checkov_cloudformation, "build_model", counting_build_model)
    monkeypatch.setattr(checkov_cloudformation, "_MODELS", type(checkov_cloudformation._MODELS)())
    verdicts = checkov_verdicts(scan_cloudformation(FIXTURES_DIR / "cloudformation" / "im_contacts_personal_data"))
    assert len(verdicts) > 10
    assert len(builds) == 1


def test_cfn_lint_builds_one_model_per_template_for_all_its_rules(monkeypatch):
    from cfn_lint_scan import lint
    from ckv_im import cfn_lint_shell

    builds = []
    original = cfn_lint_shell.build_model

    def counting_build_model(*arguments):
        builds.append(1)
        return original(*arguments)

    monkeypatch.setattr(cfn_lint_shell, "build_model", counting_build_model)
    matches = lint(FIXTURES_DIR / "cloudformation" / "im_contacts_personal_data" / "template.yaml")
    assert any(match.rule.id.startswith("W90") for match in matches)
    assert len(builds) == 1
