"""Comments and docstrings point inside the repository: at docs/semantics.md#<section> or a rule page.

Users never see the specification the pack was written from, so code cites the pack's own
documentation, and every section or page it cites exists.
"""

from __future__ import annotations

import re

from support.manifest import REPO_ROOT

SOURCE_DIRS = ("checks", "tests", "scripts", "benchmarks")
SEMANTICS = REPO_ROOT / "docs" / "semantics.md"
OUTSIDE_POINTERS = ("RULES" + ".md", "shared" + "/spec", "../" + "shared")
SEMANTICS_SECTION = re.compile(r"docs/semantics\.md#([a-z0-9-]+)")
RULE_PAGE = re.compile(r"docs/rules/(CKV_IM_\d+)\.md")


def source_files() -> list:
    return sorted(
        path
        for directory in SOURCE_DIRS
        for path in (REPO_ROOT / directory).rglob("*.py")
        if ".venv" not in path.parts and "node_modules" not in path.parts
    )


def anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading."""
    return re.sub(r"[^a-z0-9 -]", "", heading.strip().lower()).replace(" ", "-")


def test_sources_are_read():
    assert len(source_files()) > 50


def test_no_pointer_leaves_the_repository():
    outside = [
        f"{path.relative_to(REPO_ROOT)}:{number}: {line.strip()}"
        for path in source_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if any(pointer in line for pointer in OUTSIDE_POINTERS)
    ]
    assert not outside, "point at docs/semantics.md#<section> or docs/rules/CKV_IM_<n>.md instead:\n" + "\n".join(
        outside
    )


def test_cited_sections_and_pages_exist():
    sections = {
        anchor(line.lstrip("#"))
        for line in SEMANTICS.read_text(encoding="utf-8").splitlines()
        if line.startswith("## ")
    }
    assert "how-a-verdict-is-reached" in sections
    missing = []
    for path in source_files():
        text = path.read_text(encoding="utf-8")
        missing += [
            f"{path.relative_to(REPO_ROOT)}: docs/semantics.md#{section}"
            for section in SEMANTICS_SECTION.findall(text)
            if section not in sections
        ]
        missing += [
            f"{path.relative_to(REPO_ROOT)}: docs/rules/{page}.md"
            for page in RULE_PAGE.findall(text)
            if not (REPO_ROOT / "docs" / "rules" / f"{page}.md").is_file()
        ]
    assert not missing, "\n".join(missing)
