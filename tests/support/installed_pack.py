"""The pack as users install it: a wheel built from this checkout, installed into a virtual environment.

Built and installed once per state of the sources and kept under the system's temporary directory
(``ckv-im-tests/``, keyed by a digest of the packaged files and the versions asked for), so that
several tests, and several runs, share it. Two kinds of environment:

- ``pack_environment()``: a new virtual environment with the wheel installed without its
  dependencies, which it borrows from the test run's own environment (a ``.pth`` file): the
  wheel's files, entry point and imports are tested without resolving Checkov's dependencies
  again (Checkov itself is installed there, at the test run's version, for its ``checkov`` command).
- ``versioned_environment(checkov, cfn_lint)``: a new virtual environment where pip installs
  the wheel with the given Checkov and cfn-lint versions from the package index (network).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import venv
from pathlib import Path

from support.manifest import REPO_ROOT

CACHE_ROOT = Path(tempfile.gettempdir()) / "ckv-im-tests"
# What the wheel is built from (the tests build from a copy: setuptools writes build/ beside the sources).
PACKAGED = ("setup.cfg", "pyproject.toml", "README.md", "checks", "policies")
BIN = "Scripts" if os.name == "nt" else "bin"
PIP_TIMEOUT = 1800


def _packaged_files() -> list[Path]:
    files = []
    for name in PACKAGED:
        path = REPO_ROOT / name
        files.extend(sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts) or [path])
    return [path for path in files if path.is_file()]


def source_digest(*extra: str) -> str:
    digest = hashlib.sha256("\0".join(extra).encode())
    for path in _packaged_files():
        digest.update(path.relative_to(REPO_ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _pip(python: Path, *arguments: str) -> None:
    completed = subprocess.run(
        [str(python), "-m", "pip", "--disable-pip-version-check", *arguments],
        capture_output=True,
        text=True,
        timeout=PIP_TIMEOUT,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-2000:] + completed.stderr[-3000:]


def build_wheel(out_dir: Path) -> Path:
    """The pack's wheel, built from a copy of the packaged files with this Python's setuptools."""
    source = out_dir / "source"
    for name in PACKAGED:
        if (REPO_ROOT / name).is_dir():
            shutil.copytree(REPO_ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            source.mkdir(parents=True, exist_ok=True)
            shutil.copy(REPO_ROOT / name, source / name)
    _pip(Path(sys.executable), "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(out_dir), str(source))
    shutil.rmtree(source)
    [wheel] = out_dir.glob("checkov_incident_manager-*.whl")
    return wheel


def _cached(key: str, build) -> Path:
    """A directory made once by ``build(directory)`` and kept (made in place: a virtual environment
    cannot move); one left incomplete by an interrupted run is made again."""
    target = CACHE_ROOT / key
    if (target / ".complete").is_file():
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    build(target)
    (target / ".complete").touch()
    return target


def _new_environment(directory: Path) -> Path:
    venv.EnvBuilder(with_pip=True, symlinks=os.name != "nt").create(directory / "venv")
    return directory / "venv" / BIN / "python"


def _site_packages(python: Path) -> Path:
    return Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )


def wheel() -> Path:
    """The wheel of the sources as they are, built once."""
    [built] = (_cached(f"wheel-{source_digest()}", build_wheel)).glob("*.whl")
    return built


def pack_environment() -> Path:
    """The bin directory of an environment with the wheel installed (dependencies from the test run's)."""

    def build(directory: Path) -> None:
        python = _new_environment(directory)
        borrowed = sysconfig.get_paths()["purelib"]
        (_site_packages(python) / "test-run-dependencies.pth").write_text(borrowed + "\n", encoding="utf-8")
        # Checkov's own command too, as pip puts it beside ckv-im (the documents run `checkov` there)
        checkov = f"checkov=={importlib.metadata.version('checkov')}"
        _pip(python, "install", "--quiet", "--no-deps", str(wheel()), checkov)

    return _cached(f"pack-{source_digest()}", build) / "venv" / BIN


def versioned_environment(checkov: str, cfn_lint: str) -> Path:
    """The bin directory of an environment with Checkov ``checkov``, cfn-lint ``cfn_lint`` and the wheel.

    The environment with the two versions is made once (pip resolves their dependencies from the
    index); the wheel of the current sources is installed into it when they change, and ``pip check``
    then confirms that the pack's declared requirements admit the two versions."""

    def build(directory: Path) -> None:
        python = _new_environment(directory)
        _pip(python, "install", "--quiet", f"checkov=={checkov}", f"cfn-lint=={cfn_lint}")

    bin_dir = _cached(f"versions-checkov-{checkov}-cfn-lint-{cfn_lint}", build) / "venv" / BIN
    installed = bin_dir.parent / f"pack-{source_digest()}"
    if not installed.is_file():
        _pip(bin_dir / "python", "install", "--quiet", "--no-deps", "--force-reinstall", str(wheel()))
        _pip(bin_dir / "python", "install", "--quiet", str(wheel()))  # what else it requires (cfn-lint's [sarif])
        _pip(bin_dir / "python", "check")
        installed.touch()
    return bin_dir
