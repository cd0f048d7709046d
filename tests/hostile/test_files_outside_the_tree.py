"""``file()``, ``templatefile()``, ``${path.module}/..``, absolute paths and symlinks that point
out of the scanned tree: nothing outside is read, no byte of it reaches any output, and the key
policy is UNKNOWN with a debug log line (docs/semantics.md#key-policy)."""

from __future__ import annotations

import json
import logging

import pytest

from ckv_im import engine_shell
from support.checkov_scan import PROVIDER, checkov_verdicts, scan_terraform

MARKER = "OUTSIDE-THE-TREE-7f3a"
# A policy that would pass CKV_IM_7 if it were read: reading it would show as a PASSED.
OUTSIDE_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": MARKER,
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
            "Action": ["kms:CreateGrant", "kms:DescribeKey"],
            "Resource": "*",
            "Condition": {
                "StringLike": {"kms:ViaService": ["ssm-incidents.*.amazonaws.com", "ssm-contacts.*.amazonaws.com"]}
            },
        }
    ],
}


def stack(policy_expression: str) -> str:
    return (
        PROVIDER
        + f"""
resource "aws_kms_key" "k" {{
  description = "incident data"
  policy      = {policy_expression}
}}

resource "aws_ssmincidents_replication_set" "rs" {{
  region {{
    name        = "us-east-1"
    kms_key_arn = aws_kms_key.k.arn
  }}
}}
"""
    )


@pytest.fixture
def layout(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "policy.json").write_text(json.dumps(OUTSIDE_POLICY))
    (outside / "policy.tpl").write_text(json.dumps(OUTSIDE_POLICY))
    root = tmp_path / "scan"
    root.mkdir()
    (root / "linked.json").symlink_to(outside / "policy.json")
    (root / "linked_dir").symlink_to(outside, target_is_directory=True)
    return root, outside


CASES = {
    "parent directory": 'file("${path.module}/../outside/policy.json")',
    "absolute path": 'file("{outside}/policy.json")',
    "templatefile outside": 'templatefile("${path.module}/../outside/policy.tpl", {})',
    "symlinked file": 'file("${path.module}/linked.json")',
    "symlinked directory": 'file("${path.module}/linked_dir/policy.json")',
    "relative from root": 'file("../outside/policy.json")',
}


@pytest.mark.parametrize("expression", CASES.values(), ids=CASES.keys())
def test_nothing_outside_the_scanned_tree_is_read_or_shown(layout, expression, caplog):
    root, outside = layout
    (root / "main.tf").write_text(stack(expression.replace("{outside}", str(outside))))
    errors_before = len(engine_shell.INTERNAL_ERRORS)
    with caplog.at_level(logging.DEBUG, logger="ckv_im"):
        report = scan_terraform(root)
    assert engine_shell.INTERNAL_ERRORS[errors_before:] == []
    assert checkov_verdicts(report).get(("CKV_IM_7", "aws_kms_key.k")) is None  # UNKNOWN: not reported
    shown = json.dumps(report.get_dict(), default=str)
    assert MARKER not in shown
    assert "not a file inside the scanned tree" in caplog.text


def test_a_file_inside_the_tree_is_still_read(tmp_path):
    root = tmp_path / "scan"
    root.mkdir()
    (root / "policy.json").write_text(json.dumps(OUTSIDE_POLICY))
    (root / "main.tf").write_text(stack('file("${path.module}/policy.json")'))
    assert checkov_verdicts(scan_terraform(root)).get(("CKV_IM_7", "aws_kms_key.k")) == "PASSED"
