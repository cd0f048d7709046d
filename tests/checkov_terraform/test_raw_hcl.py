"""The raw HCL beside Checkov's graph (``ckv_im.terraform_graph.RawFiles``) is read only where the model needs it.

A block Checkov recorded the lines of is parsed alone: it must be exactly the body the whole
file's parse holds, line numbers included, or the verdicts could change. A file that holds
nothing the rules read is never parsed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ckv_im.terraform_graph import RawFiles
from support.checkov_scan import scan_source
from support.manifest import FIXTURES_DIR, REPO_ROOT

TF_FILES = sorted([*(FIXTURES_DIR / "terraform").rglob("*.tf"), *(REPO_ROOT / "examples").rglob("*.tf")])


def blocks_with_lines(path: Path) -> list[tuple[tuple[str, str, str], dict]]:
    """Every block of the file's whole parse that carries its lines (outputs and locals carry none)."""
    return [
        (key, body)
        for key, bodies in RawFiles().parse(str(path)).items()
        for body in bodies
        if key[0] != "locals" and isinstance(body, dict) and "__start_line__" in body
    ]


@pytest.mark.parametrize("path", TF_FILES, ids=lambda path: str(path.relative_to(REPO_ROOT)))
def test_a_block_parsed_alone_is_the_block_of_the_whole_file(path, monkeypatch):
    blocks = blocks_with_lines(path)
    whole_file_parses: list[str] = []
    monkeypatch.setattr(RawFiles, "_load", lambda self, file: whole_file_parses.append(file))
    for (kind, type_, name), body in blocks:
        lines = {"__start_line__": body["__start_line__"], "__end_line__": body["__end_line__"]}
        assert RawFiles().block(str(path), kind, type_, name, lines) == body, (kind, type_, name)
    assert whole_file_parses == []


def test_every_fixture_has_blocks_parsed_alone():
    assert sum(len(blocks_with_lines(path)) for path in TF_FILES) > 300


def test_lines_that_are_not_the_block_fall_back_to_the_whole_file(tmp_path):
    path = tmp_path / "main.tf"
    path.write_text('resource "aws_sns_topic" "a" {\n  name = "a"\n}\n\nresource "aws_sns_topic" "b" {\n}\n')
    [(key, body)] = [item for item in blocks_with_lines(path) if item[0][2] == "a"]
    for lines in ({"__start_line__": 1, "__end_line__": 6}, {"__start_line__": 2, "__end_line__": 3}):
        assert RawFiles().block(str(path), *key, lines) == body  # the whole file's parse answers
    assert RawFiles().block(str(path), *key, {"__start_line__": 1, "__end_line__": 99}) == body


def test_files_without_what_the_rules_read_are_not_parsed(tmp_path, monkeypatch):
    read: list[str] = []
    for method in ("_load", "_source"):
        original = getattr(RawFiles, method)
        monkeypatch.setattr(
            RawFiles,
            method,
            lambda self, file, original=original: read.append(Path(file).name) or original(self, file),
        )
    ordinary = """
        resource "aws_s3_bucket" "data" {
          bucket = "company-data"
        }

        resource "aws_cloudwatch_log_group" "logs" {
          name = "/service/logs"
        }
    """
    verdicts = scan_source(
        tmp_path,
        """
        resource "aws_ssmcontacts_contact" "oncall" {
          alias = "oncall"
          type  = "PERSONAL"
        }

        resource "aws_kms_key" "chat" {
          description = "Incident chat"
        }
        """,
        {"ordinary.tf": ordinary},
    )
    assert verdicts  # the contact and the key were judged ...
    assert set(read) == {"main.tf"}  # ... and only the file that holds them was read
