"""The pack as a wheel: what it carries, and the installed ``ckv-im`` command on a fixture through each entry.

The wheel is built from this checkout and installed into a new virtual environment (support.installed_pack),
whose ``ckv-im`` must find the installed checks, rules and policies, not this checkout's.
"""

from __future__ import annotations

import configparser
import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from support.checkov_scan import assert_verdicts_match
from support.ckv_im_command import (
    ENTRIES,
    checkov_json_verdicts,
    entry_verdicts,
    expected_entry_verdicts,
    run_ckv_im,
)
from support.installed_pack import pack_environment, wheel
from support.manifest import REPO_ROOT

# One fixture per entry, each with findings and passes.
ENTRY_FIXTURES = {
    "terraform": "terraform/region_key_in_wrong_region",
    "terraform_plan": "terraform/im_personal_data",
    "cloudformation": "cloudformation/policy_wildcard_principal_without_caller_pin",
    "cfn_lint": "cloudformation/policy_wildcard_principal_without_caller_pin",
    "rego_plan": "terraform/im_personal_data",
}


def _setup_cfg() -> configparser.ConfigParser:
    config = configparser.ConfigParser()
    config.read(REPO_ROOT / "setup.cfg", encoding="utf-8")
    return config


def _expected_wheel_files() -> set[str]:
    """Every file the wheel must carry, by its path inside the wheel."""
    checks = REPO_ROOT / "checks"
    expected = {f"ckv_im/{path.name}" for path in (checks / "ckv_im").glob("*.py")}
    expected |= {
        f"ckv_im_checks/{path.relative_to(checks).as_posix()}"
        for directory in ("terraform", "cloudformation", "cfn_lint")
        for path in (checks / directory).glob("*.py")
    }
    expected.add("ckv_im_checks/__init__.py")
    policies = REPO_ROOT / "policies"
    expected |= {
        f"ckv_im_policies/{path.relative_to(policies).as_posix()}"
        for path in policies.rglob("*.rego")
        if not path.name.endswith("_test.rego")
    }
    return expected


def test_the_wheel_carries_the_library_the_checks_the_rules_and_the_policies():
    with zipfile.ZipFile(wheel()) as archive:
        names = set(archive.namelist())
        [entry_points] = [name for name in names if name.endswith(".dist-info/entry_points.txt")]
        entry_points_text = archive.read(entry_points).decode()
    packaged = {name for name in names if ".dist-info/" not in name}
    missing = _expected_wheel_files() - packaged
    assert not missing, f"not in the wheel: {sorted(missing)}"
    unexpected = packaged - _expected_wheel_files()
    assert not unexpected, f"in the wheel but not expected: {sorted(unexpected)}"
    # Checkov loads every .py file under a directory with an __init__.py as a check: the library has none.
    assert "ckv_im/__init__.py" not in packaged
    assert re.search(r"^ckv-im = ckv_im\.cli:main$", entry_points_text, re.MULTILINE), entry_points_text


def test_the_version_is_set_once_and_the_changelog_names_it():
    version = _setup_cfg()["metadata"]["version"]
    assert Path(wheel()).name.startswith(f"checkov_incident_manager-{version}-")
    changelog = (REPO_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    [latest] = re.findall(r"^## (\S+)", changelog, re.MULTILINE)[:1]
    assert latest == version
    completed = run_ckv_im("--version", bin_dir=pack_environment())
    assert completed.returncode == 0 and completed.stdout.startswith(f"ckv-im {version} (checkov "), completed


def test_the_installed_command_finds_the_installed_checks_and_policies():
    bin_dir = pack_environment()
    environment = bin_dir.parent
    for option, marker in (("--checks-dir", "terraform/CKV_IM_3_key_region.py"), ("--policies-dir", "main.rego")):
        completed = run_ckv_im(option, bin_dir=bin_dir)
        assert completed.returncode == 0, completed.stderr
        printed = Path(completed.stdout.strip())
        assert printed.is_relative_to(environment) and (printed / marker).is_file(), printed


def test_from_a_checkout_the_command_uses_the_checkout():
    assert run_ckv_im("--checks-dir").stdout.strip() == str(REPO_ROOT / "checks")
    assert run_ckv_im("--policies-dir").stdout.strip() == str(REPO_ROOT / "policies")


@pytest.mark.parametrize("entry", ENTRIES)
def test_the_installed_command_scans_a_fixture_through_each_entry(entry):
    fixture = ENTRY_FIXTURES[entry]
    reported = entry_verdicts(entry, fixture, bin_dir=pack_environment())
    assert "FAILED" in reported.values()
    assert_verdicts_match(
        {key: verdict for key, verdict in reported.items() if key[0].startswith("CKV_IM_")},
        expected_entry_verdicts(entry, fixture),
    )
    assert all(rule_id.startswith("CKV_IM_") for rule_id, _ in reported), "ckv-im runs the pack's checks only"


def test_checkov_called_directly_with_the_printed_checks_dir():
    """``checkov --external-checks-dir "$(ckv-im --checks-dir)"``: the installed check files import the
    installed library (the checkout is not on the path)."""
    bin_dir = pack_environment()
    fixture = ENTRY_FIXTURES["terraform"]
    checks_dir = run_ckv_im("--checks-dir", bin_dir=bin_dir).stdout.strip()
    checkov = "import sys; from checkov.main import Checkov; sys.exit(Checkov().run())"
    completed = subprocess.run(
        [
            str(bin_dir / "python"),
            "-c",
            checkov,
            "-d",
            str(REPO_ROOT / "fixtures" / fixture),
            "--external-checks-dir",
            checks_dir,
            "--check",
            "CKV_IM_*",
            "--skip-download",
            "-o",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        cwd=bin_dir.parent,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    assert completed.returncode == 1, completed.stderr[-3000:]
    assert_verdicts_match(checkov_json_verdicts(completed.stdout), expected_entry_verdicts("terraform", fixture))
