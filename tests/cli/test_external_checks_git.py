"""``checkov --external-checks-git`` on this repository, against a local clone URL (file:// of a clone of HEAD).

The documented form is ``URL//checks?ref=TAG`` (go-getter's subdirectory syntax). Checkov 3.3 parses it,
clones the repository, but then loads external checks from the whole clone, not from ``checks/``: its graph
check registry reads every YAML file of the clone as a YAML custom policy, and this repository's
CloudFormation templates (short-form intrinsics such as ``!GetAtt``) make that load raise, so the scan
stops with exit 2. This test pins that behaviour, which the README states: when a Checkov release loads
only the subdirectory, it fails, and the README's advice (install the pack) can change.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from support.manifest import REPO_ROOT

CHECKOV = Path(sys.executable).with_name("checkov")


def test_external_checks_git_with_the_subdirectory_syntax(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", "--no-local", str(REPO_ROOT), str(clone)], check=True, timeout=300)
    work = tmp_path / "work"
    shutil.copytree(REPO_ROOT / "examples" / "terraform", work / "infra")
    url = f"{clone.as_uri()}//checks"
    completed = subprocess.run(
        [
            str(CHECKOV),
            "-d",
            "infra",
            "--framework",
            "terraform",
            "--external-checks-git",
            url,
            "--check",
            "CKV_IM_*",
            "--skip-download",
            "--quiet",
            "--compact",
        ],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    # the URL was understood: the repository was cloned (without the //checks suffix) and its files read
    assert f"{work}/" in completed.stderr and "_checks/result/" in completed.stderr, completed.stderr[-3000:]
    # ... from the whole clone, where YAML templates are taken for YAML custom policies
    assert "_checks/result/fixtures/" in completed.stderr or "_checks/result/examples/" in completed.stderr
    assert "could not determine a constructor for the tag" in completed.stderr
    assert completed.returncode == 2 and "Check: CKV_IM_" not in completed.stdout, completed.stdout[-2000:]
