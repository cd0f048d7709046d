"""The model of a scan is built once per Checkov graph, plan file or template, not once per resource or check."""

from __future__ import annotations

from support.checkov_scan import checkov_verdicts, scan_cloudformation, scan_plan, scan_terraform
from support.manifest import FIXTURES_DIR


def count_calls(monkeypatch, module, name: str) -> list:
    """Replace module.name by a wrapper that records each call; the list of calls is returned."""
    calls = []
    original = getattr(module, name)

    def counting(*arguments, **keywords):
        calls.append(1)
        return original(*arguments, **keywords)

    monkeypatch.setattr(module, name, counting)
    return calls


def test_one_model_build_per_graph(monkeypatch):
    from ckv_im import terraform_graph  # the shell imports it on first use: its name is looked up there

    builds = count_calls(monkeypatch, terraform_graph, "build_root_indexes")
    verdicts = checkov_verdicts(scan_terraform(FIXTURES_DIR / "terraform" / "region_module_outputs"))
    assert len(verdicts) > 10  # many checks on many resources ...
    assert len(builds) == 1  # ... one index of the graph


def test_a_plan_file_is_read_once(monkeypatch):
    from ckv_im import checkov_terraform, plan_model

    loads = count_calls(monkeypatch, plan_model, "plan_model")
    checkov_terraform.PLAN_MODELS.clear()
    plan = FIXTURES_DIR / "terraform_plan" / "region_module_outputs" / "plan.json"
    assert len(checkov_verdicts(scan_plan(plan))) > 10
    assert len(loads) == 1


def test_a_cloudformation_template_is_read_once_for_all_checks_and_resources(monkeypatch):
    from ckv_im import checkov_cloudformation, cloudformation_model

    builds = count_calls(monkeypatch, cloudformation_model, "build_model")
    checkov_cloudformation.TEMPLATE_MODELS.clear()
    verdicts = checkov_verdicts(scan_cloudformation(FIXTURES_DIR / "cloudformation" / "im_contacts_personal_data"))
    assert len(verdicts) > 10
    assert len(builds) == 1


def test_cfn_lint_builds_one_model_per_template_for_all_its_rules(monkeypatch):
    from ckv_im import cfn_lint_shell
    from support.cfn_lint_scan import lint

    builds = count_calls(monkeypatch, cfn_lint_shell, "build_model")
    matches = lint(FIXTURES_DIR / "cloudformation" / "im_contacts_personal_data" / "template.yaml")
    assert any(match.rule.id.startswith("W90") for match in matches)
    assert len(builds) == 1
