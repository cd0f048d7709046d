"""Checkov on CloudFormation judges every resource from its own template, wherever it sits in it.

Checkov marks the file it opened only on a resource's ``Properties`` and ``Metadata``; the path it
passes to a check is relative to a scan root the check is not told. A resource with neither (a bare
``AWS::SNS::Topic`` or ``AWS::KMS::Key``), first in its template, must still be judged, from that
template and no other: on files and on directories, scanned from another working directory,
in-process and with the real ``checkov`` command.
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from pathlib import Path

import pytest
from checkov.cloudformation.runner import Runner as CloudFormationRunner
from checkov.runner_filter import RunnerFilter

from ckv_im import engine_shell
from support.checkov_cli import CHECKOV
from support.checkov_scan import CHECKS_DIR, RULE_IDS, assert_verdicts_match, checkov_verdicts, scan_serverless
from support.manifest import FIXTURES_DIR, expected_verdicts

BARE_FIRST = ("cloudformation/im_response_plan_bare_topic_first", "cloudformation/key_bare_first")
CHAT_TOPIC = ("CKV_IM_12", "AWS::SNS::Topic.ChatTopic")
PAGING_TOPIC = ("CKV_IM_12", "AWS::SNS::Topic.PagingTopic")

HEADER = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n'
BARE_CHAT_TOPIC = """\
  ChatTopic:
    Type: AWS::SNS::Topic
"""
PLAN_ON_CHAT = """\
  OutagePlan:
    Type: AWS::SSMIncidents::ResponsePlan
    Properties:
      Name: outage
      ChatChannel:
        ChatbotSns:
          - !Ref ChatTopic
      IncidentTemplate:
        Title: Outage
        Impact: 3
"""
# Twin templates: the same file name in two directories, the same bare first resource in both; only
# the first has a response plan that uses it.
PLAN_ON_CHAT_TOPIC = HEADER + BARE_CHAT_TOPIC + PLAN_ON_CHAT
PLAN_ON_PAGING_TOPIC = (
    HEADER
    + BARE_CHAT_TOPIC
    + """\
  PagingTopic:
    Type: AWS::SNS::Topic
    Properties:
      KmsMasterKeyId: alias/aws/sns
  OutagePlan:
    Type: AWS::SSMIncidents::ResponsePlan
    Properties:
      Name: outage
      IncidentTemplate:
        Title: Outage
        Impact: 3
        NotificationTargets:
          - SnsTopicArn: !Ref PagingTopic
"""
)


def run_in_process(root: str | None = None, files: list[str] | None = None):
    errors_before = len(engine_shell.INTERNAL_ERRORS)
    report = CloudFormationRunner().run(
        root_folder=root,
        files=files,
        external_checks_dir=[str(CHECKS_DIR)],
        runner_filter=RunnerFilter(framework=["cloudformation"], checks=RULE_IDS),
    )
    assert engine_shell.INTERNAL_ERRORS[errors_before:] == []
    return report


def twin_templates(tmp_path: Path) -> Path:
    """tmp_path/one/template.yaml and tmp_path/two/template.yaml; returns tmp_path."""
    for directory, text in (("one", PLAN_ON_CHAT_TOPIC), ("two", PLAN_ON_PAGING_TOPIC)):
        (tmp_path / directory).mkdir()
        (tmp_path / directory / "template.yaml").write_text(text)
    return tmp_path


def topic_verdicts(verdicts: dict) -> dict:
    """The CKV_IM_12 verdicts only (the twin templates are about their topics)."""
    return {key: verdict for key, verdict in verdicts.items() if "CKV_IM_12" in key}


def elsewhere(tmp_path: Path) -> Path:
    directory = tmp_path / "elsewhere"
    directory.mkdir()
    return directory


def relative(path: Path, start: Path) -> str:
    return os.path.relpath(path, start)


def cli_verdicts(*arguments: str, cwd: Path) -> dict[tuple[str, str, str], str]:
    """(template directory name, rule ID, resource) -> verdict, from the real command's JSON output
    (one JSON document per ``-d``: Checkov scans each directory on its own)."""
    completed = subprocess.run(
        [
            str(CHECKOV),
            "--skip-download",
            "-o",
            "json",
            "--framework",
            "cloudformation",
            "--external-checks-dir",
            str(CHECKS_DIR),
            "--check",
            "CKV_IM_*",
            *arguments,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode in (0, 1), completed.stderr[-3000:]
    verdicts = {}
    for result in json_results(completed.stdout):
        key = (Path(result["file_abs_path"]).parent.name, result["check_id"], result["resource"])
        assert key not in verdicts, f"{key} reported twice"
        verdicts[key] = result["check_result"]["result"]
    return verdicts


def json_results(output: str) -> list[dict]:
    """The passed and failed results of every JSON report in Checkov's output."""
    decoder, position, results = json.JSONDecoder(), 0, []
    output = output.strip()
    while position < len(output):
        document, end = decoder.raw_decode(output, position)
        position = len(output) - len(output[end:].lstrip())
        for report in document if isinstance(document, list) else [document]:
            for status in ("passed_checks", "failed_checks"):
                results.extend(report.get("results", {}).get(status, []))
    return results


def manifest_by_directory(fixture: str) -> dict[tuple[str, str, str], str]:
    return {
        (Path(fixture).name, *key): verdict
        for key, verdict in expected_verdicts(fixture).items()
        if verdict != "UNKNOWN"
    }


@pytest.mark.parametrize("fixture", BARE_FIRST)
def test_in_process_file_scan_from_another_directory(fixture, tmp_path, monkeypatch):
    """Runner.run(files=[relative path]), root_folder None: Checkov's scanned_file is relative to the cwd."""
    cwd = elsewhere(tmp_path)
    monkeypatch.chdir(cwd)
    report = run_in_process(files=[relative(FIXTURES_DIR / fixture / "template.yaml", cwd)])
    assert_verdicts_match(checkov_verdicts(report), expected_verdicts(fixture))


@pytest.mark.parametrize("fixture", BARE_FIRST)
def test_in_process_directory_scan_from_another_directory(fixture, tmp_path, monkeypatch):
    cwd = elsewhere(tmp_path)
    monkeypatch.chdir(cwd)
    report = run_in_process(root=relative(FIXTURES_DIR / fixture, cwd))
    assert_verdicts_match(checkov_verdicts(report), expected_verdicts(fixture))


def test_in_process_templates_with_the_same_relative_name_are_not_confused(tmp_path):
    """Both scans see "/template.yaml" with a bare ChatTopic first: each is judged from its own file."""
    root = twin_templates(tmp_path)
    first = topic_verdicts(checkov_verdicts(run_in_process(root=str(root / "one"))))
    second = topic_verdicts(checkov_verdicts(run_in_process(root=str(root / "two"))))
    # no plan uses the second ChatTopic: no verdict on it, whatever the first template says
    assert (first, second) == ({CHAT_TOPIC: "FAILED"}, {PAGING_TOPIC: "PASSED"})


def test_a_bare_resource_after_others_is_judged_too(tmp_path):
    (tmp_path / "template.yaml").write_text(HEADER + PLAN_ON_CHAT + BARE_CHAT_TOPIC)
    assert topic_verdicts(checkov_verdicts(run_in_process(root=str(tmp_path)))) == {CHAT_TOPIC: "FAILED"}


def test_serverless_resources_bare_first(tmp_path):
    """The Serverless runner hands a check the parsed resource itself, marked with its file."""
    (tmp_path / "serverless.yml").write_text(
        textwrap.dedent("""\
        service: incidents
        provider:
          name: aws
          region: us-east-1
        resources:
          Resources:
        """)
        + textwrap.indent(BARE_CHAT_TOPIC + PLAN_ON_CHAT, "  ")
    )
    errors_before = len(engine_shell.INTERNAL_ERRORS)
    assert topic_verdicts(checkov_verdicts(scan_serverless(tmp_path))) == {CHAT_TOPIC: "FAILED"}
    assert engine_shell.INTERNAL_ERRORS[errors_before:] == []


def test_outside_a_checkov_runner_a_bare_resource_has_no_template_and_is_unknown():
    """Without the runner that holds the resource, its template is unknown: UNKNOWN, never a guessed file."""
    from ckv_im.checkov_cloudformation import model_for_file, template_file
    from ckv_im.model import is_unknown

    path = template_file({"Type": "AWS::SNS::Topic", "Properties": {}})
    assert path is None and is_unknown(model_for_file(path))


def test_cli_file_scans_from_another_directory(tmp_path):
    cwd = elsewhere(tmp_path)
    arguments = [
        argument
        for fixture in BARE_FIRST
        for argument in ("-f", relative(FIXTURES_DIR / fixture / "template.yaml", cwd))
    ]
    expected = {**manifest_by_directory(BARE_FIRST[0]), **manifest_by_directory(BARE_FIRST[1])}
    assert cli_verdicts(*arguments, cwd=cwd) == expected


@pytest.mark.parametrize("fixture", BARE_FIRST)
def test_cli_directory_scan_from_another_directory(tmp_path, fixture):
    cwd = elsewhere(tmp_path)
    assert cli_verdicts("-d", relative(FIXTURES_DIR / fixture, cwd), cwd=cwd) == manifest_by_directory(fixture)


@pytest.mark.parametrize("option", ["-d", "-f"])
def test_cli_templates_with_the_same_name_in_two_directories_are_not_confused(tmp_path, option):
    root = twin_templates(tmp_path)
    cwd = elsewhere(tmp_path)
    paths = [root] if option == "-d" else [root / "one" / "template.yaml", root / "two" / "template.yaml"]
    arguments = [argument for path in paths for argument in (option, relative(path, cwd))]
    assert topic_verdicts(cli_verdicts(*arguments, cwd=cwd)) == {
        ("one", *CHAT_TOPIC): "FAILED",
        ("two", *PAGING_TOPIC): "PASSED",
    }


def test_checkov_scans_only_the_first_of_several_directories_given_to_one_cloudformation_run(tmp_path):
    """Checkov 3.3.30's CloudFormation runner keeps the definitions of its first -d for the next ones: the
    second directory is never read, and the first is reported again (README: one -d per run, or a parent)."""
    root = twin_templates(tmp_path)
    completed = subprocess.run(
        [
            str(CHECKOV),
            "--skip-download",
            "-o",
            "json",
            "--framework",
            "cloudformation",
            "--external-checks-dir",
            str(CHECKS_DIR),
            "--check",
            "CKV_IM_12",
            "-d",
            str(root / "one"),
            "-d",
            str(root / "two"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    scanned = [Path(result["file_abs_path"]).parent.name for result in json_results(completed.stdout)]
    assert "one" in scanned and "two" not in scanned
