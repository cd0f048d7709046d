"""The Rego policies (policies/) on the embedded OPA, for the tests.

One engine with every policy and every ``_test.rego`` file is built per test session
(ckv_im.opa loads them as ``python -m ckv_im.opa`` does). ``rego_tests`` lists the
``test_`` rules of the ``_test.rego`` files the way ``opa test`` finds them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ckv_im import opa

REPO_ROOT = Path(__file__).resolve().parents[2]
POLICIES_DIR = REPO_ROOT / "policies"
_PACKAGE = re.compile(r"^package\s+([\w.]+)", re.M)
_TEST_RULE = re.compile(r"^(test_\w+)\s+if\b", re.M)


@dataclass(frozen=True)
class RegoTest:
    file: str  # relative to policies/
    package: str
    rule: str

    @property
    def path(self) -> str:
        """The rule's document path for eval_document: ``incident_manager_test.x.test_y``."""
        return f"{self.package}.{self.rule}"

    def __str__(self) -> str:
        return f"{self.file}::{self.rule}"


@lru_cache(maxsize=1)
def engine():
    """Every policy and every _test.rego file, loaded once."""
    return opa.engine(POLICIES_DIR, include_tests=True)


@lru_cache(maxsize=1)
def rego_test_results() -> dict[str, list]:
    """Every test rule's value, in one query: each new query costs the embedded OPA a compilation,
    so the tests are evaluated together and each pytest case reads its own. A rule that is not
    true shows as [] (undefined) or [false]."""
    fields = ", ".join(f'"{test.path}": [value | value := data.{test.path}]' for test in rego_tests())
    return engine().eval_query(f"results := {{{fields}}}")[0]["results"]


def deny(document, trim: bool = True) -> list[dict]:
    return opa.deny(engine(), document, trim)


def package_of(path: Path) -> str:
    match = _PACKAGE.search(path.read_text(encoding="utf-8"))
    assert match, f"{path}: no package"
    return match.group(1)


def rego_tests() -> list[RegoTest]:
    tests = []
    for path in sorted(POLICIES_DIR.rglob(f"*{opa.TEST_SUFFIX}")):
        text = path.read_text(encoding="utf-8")
        package = package_of(path)
        relative = path.relative_to(POLICIES_DIR).as_posix()
        tests += [RegoTest(relative, package, rule) for rule in _TEST_RULE.findall(text)]
    return tests


def rule_files() -> dict[str, Path]:
    """CKV_IM ID -> its policy file (policies/CKV_IM_<n>_<name>.rego)."""
    files = {}
    for path in sorted(POLICIES_DIR.glob("CKV_IM_*.rego")):
        if not path.name.endswith(opa.TEST_SUFFIX):
            files["_".join(path.stem.split("_")[:3])] = path
    return files


def metadata_block(path: Path) -> str:
    """The YAML of the METADATA comment block at the top of a policy file (before `package`)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# METADATA", f"{path.name}: the file does not open with a METADATA block"
    block = []
    for line in lines[1:]:
        if not line.startswith("#"):
            break
        block.append(line[2:] if line.startswith("# ") else line[1:])
    return "\n".join(block)
