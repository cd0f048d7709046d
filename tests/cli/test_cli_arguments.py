"""What ckv-im adds to the arguments it passes on to Checkov and cfn-lint (no scan: see the other tests)."""

from __future__ import annotations

import pytest

from ckv_im import cli
from support.manifest import REPO_ROOT

CHECKS_DIR = ["--external-checks-dir", str(REPO_ROOT / "checks")]
PACK_ONLY = ["--check", "CKV_IM_*"]
OFFLINE = ["--skip-download"]


@pytest.mark.parametrize(
    "arguments, added",
    [
        (["-d", "infra"], [*CHECKS_DIR, *PACK_ONLY, *OFFLINE]),
        (["-d", "infra", "--check", "HIGH"], [*CHECKS_DIR, *OFFLINE]),
        (["-d", "infra", "--check=CKV_IM_3"], [*CHECKS_DIR, *OFFLINE]),
        (["--skip-check", "CKV_IM_13"], [*CHECKS_DIR, *PACK_ONLY, *OFFLINE]),
    ],
)
def test_checkov_arguments(arguments, added):
    assert cli.checkov_arguments(arguments) == [*arguments, *added]


def test_ckv_im_s_own_options_are_not_passed_on():
    assert cli.checkov_arguments(["-d", "infra", "--all-checks"]) == ["-d", "infra", *CHECKS_DIR, *OFFLINE]
    assert cli.checkov_arguments(["-d", "infra", "--download"]) == ["-d", "infra", *CHECKS_DIR, *PACK_ONLY]


def test_cfn_lint_arguments_put_the_rules_last():
    rules = ["--append-rules", str(REPO_ROOT / "checks" / "cfn_lint")]
    assert cli.cfn_lint_arguments(["a.yaml", "b.yaml"]) == ["a.yaml", "b.yaml", "--include-checks", "I", *rules]
    assert cli.cfn_lint_arguments(["a.yaml", "--include-checks", "W"]) == ["a.yaml", "--include-checks", "W", *rules]


def test_option_values_in_both_forms():
    arguments = ["--repo-root-for-plan-enrichment", "infra", "--repo-root-for-plan-enrichment=other", "-f", "p.json"]
    assert sorted(cli.option_values(arguments, "--repo-root-for-plan-enrichment")) == ["infra", "other"]


def test_the_version_is_setup_cfg_s(capsys):
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.startswith(f"ckv-im {cli.pack_version()} (checkov ")
