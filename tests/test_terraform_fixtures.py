"""Checkov's Terraform runners on every Terraform fixture give exactly the manifest's verdicts."""
from __future__ import annotations

import pytest

from checkov_scan import checkov_verdicts, scan_terraform, scan_terraform_json
from ckv_im import checkov_terraform
from manifest import FIXTURES_DIR, expected_verdicts, fixtures_of


@pytest.mark.parametrize("fixture", fixtures_of("terraform"))
def test_checkov_terraform_matches_manifest(fixture):
    assert_scan_matches_manifest(fixture, scan_terraform)


@pytest.mark.parametrize("fixture", fixtures_of("terraform_json"))
def test_checkov_terraform_json_matches_manifest(fixture):
    assert_scan_matches_manifest(fixture, scan_terraform_json)


def assert_scan_matches_manifest(fixture, scan):
    errors_before = len(checkov_terraform.INTERNAL_ERRORS)
    reported = checkov_verdicts(scan(FIXTURES_DIR / fixture))
    expected = expected_verdicts(fixture)

    wrong = {key: (verdict, reported.get(key, "not reported (UNKNOWN)")) for key, verdict in expected.items()
             if reported.get(key, "UNKNOWN") != verdict}
    unlisted = {key: verdict for key, verdict in reported.items() if key not in expected}
    assert not wrong, f"expected vs reported: {wrong}"
    assert not unlisted, f"reported but not in the manifest: {unlisted}"
    assert checkov_terraform.INTERNAL_ERRORS[errors_before:] == []
