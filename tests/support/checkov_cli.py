"""The real ``checkov`` command, run as users run it, and its JSON results read back."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from support.installed_pack import PACKAGED
from support.manifest import REPO_ROOT

CHECKOV = Path(sys.executable).with_name("checkov")


def run_checkov(*arguments: str, env: dict | None = None, cwd: Path = REPO_ROOT) -> list[dict]:
    command = [str(CHECKOV), "--skip-download", "--framework", "terraform", "-o", "json", *arguments]
    completed = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=600, env={**os.environ, **(env or {})}
    )
    assert completed.returncode in (0, 1), completed.stderr[-3000:]
    report = json.loads(completed.stdout)
    reports = report if isinstance(report, list) else [report]
    results = []
    for one in reports:
        for status in ("passed_checks", "failed_checks"):
            results.extend(one.get("results", {}).get(status, []))
    return results


def by_id_and_resource(results: list[dict]) -> dict[tuple[str, str], dict]:
    return {(r["check_id"], r["resource"]): r for r in results if r["check_id"].startswith("CKV_IM_")}


def install_library(tmp_path: Path) -> Path:
    """``pip install`` the pack into a directory of its own; returns that directory."""
    source = tmp_path / "source"  # build from a copy: setuptools writes build/ beside the sources
    for name in PACKAGED:
        if (REPO_ROOT / name).is_dir():
            shutil.copytree(REPO_ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy(REPO_ROOT / name, source / name)
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(site),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    assert (site / "ckv_im" / "rules.py").is_file()
    return site
