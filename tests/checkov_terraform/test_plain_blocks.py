"""A block read without python-hcl2 (``ckv_im.terraform_plain_blocks``) is exactly what python-hcl2 gives.

Every block of the fixtures, the examples and the benchmark corpus, and generated blocks,
are read both ways: where the plain reader answers, its answer must equal python-hcl2's,
key order included (rules iterate tags and statements in that order). Where it does not
answer, python-hcl2 reads the block, so a refusal is never wrong, only slower.
"""

from __future__ import annotations

import json
import sys

import hcl2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckv_im.terraform_graph import RawFiles, _index_blocks
from ckv_im.terraform_plain_blocks import LABELS, read_plain_block
from support.manifest import FIXTURES_DIR, REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "benchmarks"))
import run as benchmark  # the corpus whose cost the plain reader is for

TF_FILES = sorted([*(FIXTURES_DIR / "terraform").rglob("*.tf"), *(REPO_ROOT / "examples").rglob("*.tf")])


def exact(value) -> str:
    """Values compared with their key order and types (True is not 1)."""
    return json.dumps(value)


def blocks_of_text(text: str) -> list[tuple[tuple[str, str, str], dict, list[str]]]:
    """Each block python-hcl2 numbers, with the lines it spans."""
    lines = text.split("\n")
    return [
        (key, body, lines[body["__start_line__"] - 1 : body["__end_line__"]])
        for key, bodies in _index_blocks(hcl2.loads(text)).items()
        for body in bodies
        if isinstance(body, dict) and "__start_line__" in body
    ]


def plain_readings(text: str) -> tuple[int, int]:
    """(blocks, blocks the plain reader read); asserts each reading equals python-hcl2's."""
    blocks = blocks_of_text(text)
    read = 0
    for (kind, type_, name), body, lines in blocks:
        plain = read_plain_block(lines, kind, type_, name)
        if plain is not None:
            first = body["__start_line__"] - 1
            expected = dict(
                body, __start_line__=body["__start_line__"] - first, __end_line__=body["__end_line__"] - first
            )
            assert exact(plain) == exact(expected), (kind, type_, name)
            read += 1
    return len(blocks), read


@pytest.mark.parametrize("path", TF_FILES, ids=lambda path: str(path.relative_to(REPO_ROOT)))
def test_plain_blocks_of_the_fixtures_read_as_python_hcl2_reads_them(path):
    plain_readings(path.read_text(encoding="utf-8-sig"))


def test_the_plain_reader_reads_most_blocks_of_the_fixtures_and_the_benchmark():
    fixtures = [plain_readings(path.read_text(encoding="utf-8-sig")) for path in TF_FILES]
    blocks, read = sum(b for b, _ in fixtures), sum(r for _, r in fixtures)
    assert blocks > 300 and read > blocks / 3
    stack = benchmark.scale.PROVIDERS + benchmark.IM_PART.format(i=0) + benchmark.ORDINARY_PART.format(i=0)
    blocks, read = plain_readings(stack)
    assert read >= blocks * 2 / 3


@pytest.mark.parametrize(
    "text",
    [
        'resource "a" "b" {\n  x = "a" "b"\n}',  # two strings
        'resource "a" "b" {\n  x = "a\\"b"\n}',  # an escape
        'resource "a" "b" {\n  x = "${var.a}"\n}',  # an interpolation
        'resource "a" "b" {\n  x = "%{ if true }a%{ endif }"\n}',  # a directive
        'resource "a" "b" {\n  x = -1\n}',  # python-hcl2 writes "${-1}"
        'resource "a" "b" {\n  x = 1.5\n}',
        'resource "a" "b" {\n  x = var.a + 1\n}',
        'resource "a" "b" {\n  x = upper("a")\n}',
        'resource "a" "b" {\n  x = aws_kms_key.k[*].arn\n}',
        'resource "a" "b" {\n  x = <<EOF\na\nEOF\n}',
        'resource "a" "b" {\n  x = [\n    "a",\n  ]\n}',  # a list over several lines
        'resource "a" "b" {\n  /* x = 1 */\n  y = 2\n}',
        'resource "a" "b" {\n  dynamic "region" {\n    for_each = []\n    content {}\n  }\n}',
        'resource "a" "b" {\n  lifecycle { prevent_destroy = true }\n}',
        'resource "a" "b" {\n  x = 1\n  x = 2\n}',
        'resource "a" "b" {\n  "x" = 1\n}',
        'resource "a" "b" {\n  x = 1\n} # trailing',
        'resource "a" "b" {\n  x = 1\n}\nresource "a" "c" {\n}',  # two blocks
        'resource "a" "b" {\n  x = { a = 1 }\n}',
        'resource "a" "b" {\n  x = {\n    a = 1,\n  }\n}',
        'output "b" {\n  value = 1\n}',  # python-hcl2 gives outputs no line numbers
    ],
)
def test_what_is_not_plain_is_left_to_python_hcl2(text):
    lines = text.split("\n")
    header = lines[0].split('"')
    kind = header[0].strip()
    labels = header[1::2]
    type_, name = (labels[0], labels[1]) if LABELS.get(kind) == 2 else ("", labels[0])
    assert read_plain_block(lines, kind, type_, name) is None


def test_a_block_is_read_without_python_hcl2_where_plain(tmp_path, monkeypatch):
    path = tmp_path / "main.tf"
    path.write_text('resource "aws_kms_key" "k" {\n  description = "k"\n}\n')
    monkeypatch.setattr(hcl2, "loads", lambda text: pytest.fail("python-hcl2 was asked"))
    body = RawFiles().block(str(path), "resource", "aws_kms_key", "k", {"__start_line__": 1, "__end_line__": 3})
    assert body == {"description": ["k"], "__start_line__": 1, "__end_line__": 3}


# Generated blocks: plain values and a few that are not, in every position the reader takes.
_words = st.text(alphabet="abcXYZ019_-./: #=/*{}[]@,'", min_size=0, max_size=12)
_strings = _words.map(lambda text: '"' + text.replace('"', "") + '"')
_references = st.from_regex(
    r'[a-z_][a-z0-9_-]{0,6}(\.[a-z_][a-z0-9_]{0,5}|\[[0-9]\]|\["[a-z .]{0,4}"\]){0,3}', fullmatch=True
)
_scalars = st.one_of(
    _strings, _references, st.sampled_from(["true", "false", "null", "0", "42", "-1", "1.5", "007", "x + 1"])
)
_lists = st.lists(_scalars, max_size=4).map(lambda items: "[" + ", ".join(items) + "]") | st.lists(
    _scalars, min_size=1, max_size=3
).map(lambda items: "[" + ", ".join(items) + ",]")
_values = st.one_of(_scalars, _lists)
_comments = st.sampled_from(["", " # note", " // note", ' # "quoted"', " /* c */"])
_names = st.from_regex(r"[a-z_][a-z0-9_-]{0,8}", fullmatch=True)


@st.composite
def _body_lines(draw, depth: int = 0) -> list[str]:
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["argument", "argument", "map", "block", "comment"] if depth < 2 else ["argument"]))
        name = draw(_names)
        if kind == "argument":
            lines.append(f"{name} = {draw(_values)}{draw(_comments)}")
        elif kind == "map":
            entries = [f"{draw(_names | _strings)} = {draw(_values)}" for _ in range(draw(st.integers(0, 3)))]
            lines += [f"{name} = {{", *entries, "}"]
        elif kind == "block":
            lines += [f"{name} {{", *draw(_body_lines(depth + 1)), "}"]
        else:
            lines.append(draw(st.sampled_from(["# a comment", "// a comment", "", "/* a comment */"])))
    return ["  " * (depth + 1) + line for line in lines]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(sorted(LABELS)), body=_body_lines())
def test_generated_blocks_read_as_python_hcl2_reads_them(kind, body):
    header = f'{kind} "t" "n" {{' if LABELS[kind] == 2 else f'{kind} "n" {{'
    text = "\n".join([header, *body, "}"]) + "\n"
    try:
        blocks = blocks_of_text(text)
    except Exception:  # not HCL at all (python-hcl2 refuses it): then neither may the plain reader read it
        assert read_plain_block(text.split("\n")[:-1], kind, "t" if LABELS[kind] == 2 else "", "n") is None
        return
    for (block_kind, type_, name), body_read, lines in blocks:
        plain = read_plain_block(lines, block_kind, type_, name)
        if plain is not None:
            assert exact(plain) == exact(body_read)
