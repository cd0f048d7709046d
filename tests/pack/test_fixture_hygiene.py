"""Fixtures stay real: formatted Terraform, CloudFormation that passes cfn-lint, valid JSON, and every
fixture directory in the manifest."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from support.cfn_lint_scan import CKV_IM_OF_LINT_ID
from support.cloudformation_fixtures import TEMPLATE_FIXTURES, templates_of
from support.manifest import FIXTURES_DIR, load_manifest

TERRAFORM = shutil.which("terraform")
# fixtures/terraform_plan/<name>/ holds the plan made from fixtures/terraform/<name>/: its verdicts
# are recorded under that source fixture, and test_plan_fixtures_are_real checks that it has one.
DERIVED_TREES = {"terraform_plan"}
FIXTURE_DIRS = sorted(
    p.relative_to(FIXTURES_DIR).as_posix()
    for p in FIXTURES_DIR.glob("*/*")
    if p.is_dir() and p.parent.name not in DERIVED_TREES
)


def test_every_fixture_directory_has_expectations_and_every_expectation_a_directory():
    manifest = load_manifest()
    assert sorted(manifest) == sorted(set(FIXTURE_DIRS))


@pytest.mark.skipif(TERRAFORM is None, reason="needs the terraform binary for `terraform fmt`")
@pytest.mark.parametrize("tree", ["fixtures", "examples"])
def test_terraform_files_are_formatted(tree):
    completed = subprocess.run(
        [TERRAFORM, "fmt", "-check", "-recursive", "-diff", tree],
        cwd=FIXTURES_DIR.parent,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.mark.parametrize("path", sorted(FIXTURES_DIR.rglob("*.json")), ids=lambda p: p.name)
def test_json_fixtures_parse(path):
    assert isinstance(json.loads(path.read_text()), dict)


CFN_TEMPLATES = [template for fixture in TEMPLATE_FIXTURES for template in templates_of(fixture)]


@pytest.mark.parametrize("template", CFN_TEMPLATES, ids=lambda p: p.relative_to(FIXTURES_DIR).as_posix())
def test_cloudformation_fixtures_pass_cfn_lint(template):
    """No cfn-lint error of its own rules (warnings aside): the fixtures are real templates."""
    from cfnlint.api import lint_file

    errors = [
        f"{match.rule.id} line {match.linenumber}: {match.message}"
        for match in lint_file(template)
        if match.rule.id.startswith("E") and match.rule.id not in CKV_IM_OF_LINT_ID
    ]
    assert errors == []
