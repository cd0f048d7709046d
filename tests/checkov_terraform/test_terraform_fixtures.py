"""Checkov's Terraform runners on every Terraform fixture give exactly the manifest's verdicts."""

from __future__ import annotations

import pytest

from ckv_im import engine_shell
from support.checkov_scan import assert_verdicts_match, checkov_verdicts, scan_terraform, scan_terraform_json
from support.manifest import FIXTURES_DIR, expected_verdicts, fixtures_of


@pytest.mark.parametrize("fixture", fixtures_of("terraform"))
def test_checkov_terraform_matches_manifest(fixture):
    assert_scan_matches_manifest(fixture, scan_terraform)


@pytest.mark.parametrize("fixture", fixtures_of("terraform_json"))
def test_checkov_terraform_json_matches_manifest(fixture):
    assert_scan_matches_manifest(fixture, scan_terraform_json)


def assert_scan_matches_manifest(fixture, scan):
    errors_before = len(engine_shell.INTERNAL_ERRORS)
    reported = checkov_verdicts(scan(FIXTURES_DIR / fixture))
    expected = expected_verdicts(fixture)

    assert_verdicts_match(reported, expected)
    assert engine_shell.INTERNAL_ERRORS[errors_before:] == []
