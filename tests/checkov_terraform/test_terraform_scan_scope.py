"""Scanning one environment of a repository whose modules live outside the scanned directory."""

from __future__ import annotations

import shutil

from ckv_im import engine_shell
from support.checkov_scan import checkov_verdicts, scan_terraform
from support.manifest import FIXTURES_DIR


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
