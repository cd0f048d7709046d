"""Checkov's CloudFormation (and Serverless) runner and cfn-lint with the pack's rules, on every
CloudFormation fixture, give exactly the manifest's verdicts (cfn-lint: its FAILED ones)."""

from __future__ import annotations

import pytest

from ckv_im import engine_shell
from support.cfn_lint_scan import cfn_lint_verdicts
from support.checkov_scan import assert_verdicts_match, checkov_verdicts, scan_cloudformation, scan_serverless
from support.cloudformation_fixtures import CFN_FIXTURES, TEMPLATE_FIXTURES, is_serverless, templates_of
from support.manifest import FIXTURES_DIR, expected_verdicts


@pytest.mark.parametrize("fixture", CFN_FIXTURES)
def test_checkov_cloudformation_matches_manifest(fixture):
    scan = scan_serverless if is_serverless(fixture) else scan_cloudformation
    errors_before = len(engine_shell.INTERNAL_ERRORS)
    reported = checkov_verdicts(scan(FIXTURES_DIR / fixture))

    assert_verdicts_match(reported, expected_verdicts(fixture))
    assert engine_shell.INTERNAL_ERRORS[errors_before:] == []


@pytest.mark.parametrize("fixture", TEMPLATE_FIXTURES)
def test_cfn_lint_reports_the_manifest_failures(fixture):
    errors_before = len(engine_shell.INTERNAL_ERRORS)
    reported = {}
    for template in templates_of(fixture):
        reported.update(cfn_lint_verdicts(template))
    expected_failures = {key: verdict for key, verdict in expected_verdicts(fixture).items() if verdict == "FAILED"}

    assert reported == expected_failures
    assert engine_shell.INTERNAL_ERRORS[errors_before:] == []
