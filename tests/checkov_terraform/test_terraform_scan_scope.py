"""Scanning one environment of a repository whose modules live outside the scanned directory."""

from __future__ import annotations

import shutil

from ckv_im import engine_shell
from support.checkov_scan import assert_verdicts_match, checkov_verdicts, scan_terraform
from support.manifest import FIXTURES_DIR, expected_verdicts


def test_modules_outside_the_scanned_directory_resolve(tmp_path):
    source = FIXTURES_DIR / "terraform" / "region_module_outputs_swapped"
    environment = tmp_path / "envs" / "prod"
    environment.mkdir(parents=True)
    shutil.copytree(source / "modules", tmp_path / "modules")
    main = (source / "main.tf").read_text().replace('"./modules/incident-key"', '"../../modules/incident-key"')
    (environment / "main.tf").write_text(main)

    errors_before = len(engine_shell.INTERNAL_ERRORS)
    verdicts = checkov_verdicts(scan_terraform(environment))
    assert engine_shell.INTERNAL_ERRORS[errors_before:] == []
    # The swapped module outputs are still told apart: the module files are ones Checkov itself read.
    assert verdicts[("CKV_IM_3", "aws_ssmincidents_replication_set.main")] == "FAILED"
    assert verdicts[("CKV_IM_7", "module.west.aws_kms_key.this")] == "PASSED"


MONOREPO_STACKS = (  # root modules with the same addresses (aws_kms_key.east, ...) and different verdicts
    "guard_missing",
    "ref_conditional_key",
    "policy_wildcard_principal",
    "region_module_outputs",
    "region_module_outputs_swapped",
)


def test_root_modules_of_one_scan_are_judged_apart(tmp_path):
    """A monorepo scanned at once is one Checkov graph of many root modules that share addresses."""
    for name in MONOREPO_STACKS:
        shutil.copytree(FIXTURES_DIR / "terraform" / name, tmp_path / "stacks" / name)
    errors_before = len(engine_shell.INTERNAL_ERRORS)
    report = scan_terraform(tmp_path)
    assert engine_shell.INTERNAL_ERRORS[errors_before:] == []
    reported: dict[str, dict] = {name: {} for name in MONOREPO_STACKS}
    for status, records in (("PASSED", report.passed_checks), ("FAILED", report.failed_checks)):
        for record in records:
            stack = record.file_path.split("/")[2]  # /stacks/<name>/...
            assert (record.check_id, record.resource) not in reported[stack], record
            reported[stack][(record.check_id, record.resource)] = status
    for name in MONOREPO_STACKS:
        assert_verdicts_match(reported[name], expected_verdicts(f"terraform/{name}"))
