"""Checkov's Terraform runner on every Terraform fixture gives exactly the manifest's verdicts."""
from __future__ import annotations

import pytest

from checkov_scan import checkov_verdicts, scan_terraform
from ckv_im import checkov_terraform
from manifest import FIXTURES_DIR, expected_verdicts, fixtures_of


@pytest.mark.parametrize("fixture", fixtures_of("terraform"))
def test_checkov_terraform_matches_manifest(fixture):
    errors_before = len(checkov_terraform.INTERNAL_ERRORS)
    report = scan_terraform(FIXTURES_DIR / fixture)
    reported = checkov_verdicts(report)
    expected = expected_verdicts(fixture)

    wrong = {key: (verdict, reported.get(key, "not reported (UNKNOWN)")) for key, verdict in expected.items()
             if reported.get(key, "UNKNOWN") != verdict}
    unlisted = {key: verdict for key, verdict in reported.items() if key not in expected}
    assert not wrong, f"expected vs reported: {wrong}"
    assert not unlisted, f"reported but not in the manifest: {unlisted}"
    assert checkov_terraform.INTERNAL_ERRORS[errors_before:] == []
