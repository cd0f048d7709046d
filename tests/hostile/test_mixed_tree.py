"""A tree that mixes valid files with broken ones (truncated HCL, invalid YAML, binary junk named
``.tf``, a 20 MB JSON template generated here): the scan completes, reports on the valid files
as the manifest says, and no check hits an internal error."""

from __future__ import annotations

import json
import os
import shutil
import time

import pytest

from ckv_im import engine_shell
from support.checkov_scan import assert_verdicts_match, checkov_verdicts, scan_cloudformation, scan_terraform
from support.manifest import FIXTURES_DIR, expected_verdicts

# Checkov parses a 20 MB template and runs every pack check on it; generous on a shared runner.
SCAN_SECONDS = 300.0
BIG_TAG_BYTES = 20 * 1024 * 1024


@pytest.fixture(scope="module")
def mixed_tree(tmp_path_factory):
    tree = tmp_path_factory.mktemp("mixed")
    shutil.copytree(FIXTURES_DIR / "terraform" / "im_url_credentials", tree / "valid_tf")
    shutil.copytree(FIXTURES_DIR / "cloudformation" / "im_url_credentials", tree / "valid_cfn")
    broken = tree / "broken"
    broken.mkdir()
    valid_hcl = (FIXTURES_DIR / "terraform" / "im_url_credentials" / "main.tf").read_text()
    (broken / "truncated.tf").write_text(valid_hcl[: len(valid_hcl) // 2])
    (broken / "junk.tf").write_bytes(os.urandom(64 * 1024))
    (broken / "invalid.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: [unclosed\n    - b: {\n"
    )
    (broken / "aliases.yaml").write_text("Resources: &a\n  X: *a\n")
    (broken / "not_json.json").write_text('{"Resources": {"A": ')
    big_plan = {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "BigPlan": {
                "Type": "AWS::SSMIncidents::ResponsePlan",
                "Properties": {
                    "Name": "big",
                    "IncidentTemplate": {"Title": "big", "Impact": 3},
                    "Tags": [{"Key": "notes", "Value": "ops+" * (BIG_TAG_BYTES // 4) + " https://u:p@h.example.com"}],
                },
            }
        },
    }
    (broken / "big.json").write_text(json.dumps(big_plan))
    return tree


def test_terraform_scan_of_a_mixed_tree_reports_the_valid_files(mixed_tree):
    errors_before = len(engine_shell.INTERNAL_ERRORS)
    report = scan_terraform(mixed_tree)
    assert engine_shell.INTERNAL_ERRORS[errors_before:] == []
    assert_verdicts_match(checkov_verdicts(report), expected_verdicts("terraform/im_url_credentials"))


def test_cloudformation_scan_of_a_mixed_tree_reports_the_valid_files_and_the_big_one(mixed_tree):
    errors_before = len(engine_shell.INTERNAL_ERRORS)
    start = time.monotonic()
    report = scan_cloudformation(mixed_tree)
    assert time.monotonic() - start < SCAN_SECONDS
    assert engine_shell.INTERNAL_ERRORS[errors_before:] == []
    verdicts = checkov_verdicts(report)
    assert verdicts.pop(("CKV_IM_11", "AWS::SSMIncidents::ResponsePlan.BigPlan")) == "FAILED"
    verdicts = {key: verdict for key, verdict in verdicts.items() if "BigPlan" not in key[1]}
    assert_verdicts_match(verdicts, expected_verdicts("cloudformation/im_url_credentials"))
