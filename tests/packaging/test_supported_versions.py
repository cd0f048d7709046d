"""The lowest Checkov and cfn-lint that setup.cfg declares give the fixtures' verdicts (slow: pip installs them).

The pinned end of the ranges (requirements.txt) is what every other test runs on. Here a new environment
gets the lowest versions from the package index, and the wheel of this checkout; ``pip check`` confirms the
declared requirements admit them. A few fixtures then go through each entry against the manifest.
"""

from __future__ import annotations

import configparser
import re

import pytest

from support.checkov_scan import assert_verdicts_match
from support.ckv_im_command import entry_verdicts, expected_entry_verdicts, run_ckv_im
from support.installed_pack import versioned_environment
from support.manifest import REPO_ROOT

# (entry, fixture): HCL and plan verdicts on two fixtures, CloudFormation with Checkov and cfn-lint
CASES = [
    ("terraform", "terraform/region_key_in_wrong_region"),
    ("terraform", "terraform/im_personal_data"),
    ("terraform_plan", "terraform/im_personal_data"),
    ("terraform_plan", "terraform/plan_rekey_replication_set"),
    ("cloudformation", "cloudformation/policy_wildcard_principal_without_caller_pin"),
    ("cfn_lint", "cloudformation/policy_wildcard_principal_without_caller_pin"),
    ("cfn_lint", "cloudformation/im_contacts_personal_data"),
]


def lowest_supported() -> dict[str, str]:
    """distribution -> the lowest version install_requires admits (``name[extra]>=X,<Y``)."""
    config = configparser.ConfigParser()
    config.read(REPO_ROOT / "setup.cfg", encoding="utf-8")
    lowest = {}
    for requirement in config["options"]["install_requires"].split("\n"):
        match = re.match(r"^\s*([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?>=([0-9.]+)", requirement)
        if match:
            lowest[match.group(1)] = match.group(2)
    return lowest


def lowest_environment():
    lowest = lowest_supported()
    return versioned_environment(lowest["checkov"], lowest["cfn-lint"])


def test_the_ranges_are_declared():
    assert set(lowest_supported()) >= {"checkov", "cfn-lint"}


@pytest.mark.slow
@pytest.mark.parametrize("entry, fixture", CASES)
def test_the_lowest_supported_versions_give_the_manifest_verdicts(entry, fixture):
    reported = entry_verdicts(entry, fixture, bin_dir=lowest_environment())
    assert "FAILED" in reported.values()
    assert_verdicts_match(reported, expected_entry_verdicts(entry, fixture))


@pytest.mark.slow
def test_without_the_embedded_opa_the_command_says_how_to_install_it():
    """pip does not install the embedded OPA with the pack (its metadata asks for Python 3.14)."""
    plan = REPO_ROOT / "fixtures" / "terraform_plan" / "im_personal_data" / "plan.json"
    completed = run_ckv_im("opa", str(plan), bin_dir=lowest_environment())
    assert completed.returncode == 2 and completed.stdout == ""
    assert "pip install --no-deps --ignore-requires-python opa-golib-python-bindings==" in completed.stderr
    assert "Traceback" not in completed.stderr
