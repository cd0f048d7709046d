"""The raw HCL beside Checkov's graph (``ckv_im.terraform_graph.RawFiles``) is read only where the model needs it.

A block Checkov recorded the lines of is parsed alone: it must be exactly the body the whole
file's parse holds, line numbers included, or the verdicts could change. A file that holds
nothing the rules read is never parsed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ckv_im import checkov_terraform
from ckv_im.terraform_graph import NOT_RENDERED, RawFiles
from support.checkov_scan import scan_source, scan_terraform
from support.manifest import FIXTURES_DIR, REPO_ROOT

TF_DIRS = sorted({path.parent for path in (FIXTURES_DIR / "terraform").rglob("*.tf")})
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

        resource "aws_kms_key" "logs" {
          description = "Logs of the service"
        }

        resource "aws_sns_topic" "alarms" {
          kms_master_key_id = aws_kms_key.logs.arn
        }
    """
    verdicts = scan_source(
        tmp_path,
        """
        resource "aws_ssmincidents_replication_set" "set" {
          region {
            name        = "us-east-1"
            kms_key_arn = aws_kms_key.chat.arn
          }
        }

        resource "aws_kms_key" "chat" {
          description = "Incident chat"
        }
        """,
        {"ordinary.tf": ordinary},
    )
    assert verdicts[("CKV_IM_1", "aws_kms_key.chat")] == "PASSED"  # the replication set's key was judged ...
    assert ("CKV_IM_1", "aws_kms_key.logs") not in verdicts  # ... not the other key, nor the topic no plan uses
    assert set(read) == {"main.tf"}  # ... and only the file that holds the set and its key was read


@pytest.mark.parametrize("directory", TF_DIRS, ids=lambda path: str(path.relative_to(REPO_ROOT)))
def test_checkov_keeps_every_argument_a_block_writes(directory):
    """``Block.attribute`` takes an argument Checkov's rendering lacks for one the block does not
    write, and parses nothing to learn so: Checkov must keep every argument but count and for_each."""
    checkov_terraform.GRAPH_MODELS.clear()
    scan_terraform(directory)
    [graph_models] = checkov_terraform.GRAPH_MODELS.models()
    blocks = [
        block
        for index in graph_models.roots.indexes.values()
        for kind in ("resources", "data", "outputs", "variables", "module_calls", "providers")
        for block in getattr(index, kind).values()
    ]
    dropped = {
        block.address: sorted(set(block.raw) - set(block.conf) - NOT_RENDERED)
        for block in blocks
        if isinstance(block.raw, dict) and not set(block.raw) - set(block.conf) <= NOT_RENDERED
    }
    assert blocks and not dropped
