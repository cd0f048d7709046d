"""The commands README.md and the rule pages (docs/) show run as written, on a machine without network.

The commands are read from the documents, never copied here: every line of every ``sh``
(or ``bash``/``shell``) code block, and the ``$ `` lines of ``console`` blocks, in README.md
and docs/**/*.md. A command added to a document is run by the next test run. Each block runs
its commands in order, as a reader types them, through ``bash``.

Offline: every HTTP(S) proxy variable points at a closed local port, so a download attempt
fails at once, as on a runner without network access (Checkov then prints a traceback).

Where the commands run:

- ``scripts/...`` from the repository root: they are this repository's own scripts.
- Every other command from a temporary directory laid out as README's "Use it" describes a
  reader's checkout: the pack's ``checks/`` next to the reader's files. The documents name
  those files with placeholders, which the directory fills with the bundled examples:

  ==============================  ==================================================================
  placeholder                     what it is here
  ==============================  ==================================================================
  ``infra/``                      ``examples/terraform/main.tf`` and ``examples/cloudformation/``
                                  ``incident-manager.yaml``
  ``infra/incident-manager.yaml`` ``examples/cloudformation/incident-manager.yaml``
  ``template.yaml``               ``examples/cloudformation/incident-manager.yaml``
  ``.``                           the directory itself: a Terraform root module
                                  (``examples/terraform/main.tf``) next to ``template.yaml``
  ``cdk.out``                     ``fixtures/cloudformation/cdk_synth/cdk.out`` (real ``cdk synth``
                                  output)
  ``plan.json``                   the real plan of that root module
  ``policies``                    the pack's Rego policies
  ``exceptions.yaml``             the README's example exceptions file (its ``# exceptions.yaml``
                                  block)
  ``.venv``                       the test run's own virtual environment
  ==============================  ==================================================================

  The root module is initialised offline as ``scripts/make-plan-fixtures`` initialises a
  fixture (the provider from the local mirror, fake credentials in an override file, which
  stands in for the reader's credentials). Blocks that need Terraform skip, saying why, where
  Terraform or the mirror is absent.

How a command is judged depends on the program it starts (``JUDGES``); a command of another
kind fails the test until it gets a judge. ``scripts/test`` is not run: it runs this suite.
No ``opa`` or ``conftest`` binary can be installed here: their commands are read (every option
must be one the test knows the meaning of) and carried out on the embedded OPA, conftest's as
``support.conftest_replay`` replays it (``EMULATED``). ``pip install`` needs the package index: its
source is checked to be this pack at this version, and the commands after it run with the pack
installed from its wheel (``support.installed_pack``): ``ckv-im``, and a ``checkov`` that imports it.
"""

from __future__ import annotations

import configparser
import itertools
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from ckv_im import opa
from ckv_im.cfn_json import load_template, plain
from plan_fixtures import initialise_module, missing_tools, plan_initialised_module, render
from support.conftest_replay import conftest_check
from support.installed_pack import pack_environment
from support.manifest import REPO_ROOT

DOCUMENTS = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").rglob("*.md"))]
EXAMPLES = REPO_ROOT / "examples"
CDK_OUT = REPO_ROOT / "fixtures" / "cloudformation" / "cdk_synth" / "cdk.out"
CLOSED_PORT = "http://127.0.0.1:9"  # the discard port: nothing listens there
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")
TIMEOUT_SECONDS = 900

_FENCE = re.compile(r"^```(sh|bash|shell|console)[ \t]*\n(.*?)^```", re.M | re.S)
_COMMENT = re.compile(r"\s+#\s.*$")  # "scripts/example   # run the pack ..."; never '#checkov:skip=...'
_REDIRECT = re.compile(r">\s*(\S+)")
_CHECKOV_CHECK = re.compile(r"^Check: (\S+?):", re.M)
_EXCEPTIONS_BLOCK = re.compile(r"^```yaml\n# exceptions\.yaml\n(.*?)^```", re.M | re.S)
_CFN_LINT_FINDING = re.compile(r"^([EWI])\d{4} (.*)$", re.M)  # "E9007 CKV_IM_7: ...", and cfn-lint's own


# --- the commands, from the documents ---------------------------------------------------------------
@dataclass(frozen=True)
class Block:
    where: str  # "README.md:22", the line of the opening fence (of each copy of the block)
    commands: tuple[str, ...]


def _block_commands(language: str, body: str) -> tuple[str, ...]:
    lines = body.replace("\\\n", " ").splitlines()
    if language == "console":
        lines = [line[2:] for line in lines if line.startswith("$ ")]
    commands = (_COMMENT.sub("", line).strip() for line in lines)
    return tuple(command for command in commands if command and not command.startswith("#"))


def documented_blocks() -> list[Block]:
    """Every block of commands, once: several pages show the same block (the plan commands)."""
    places: dict[tuple[str, ...], list[str]] = {}
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        for fence in _FENCE.finditer(text):
            line = text.count("\n", 0, fence.start()) + 1
            commands = _block_commands(fence.group(1), fence.group(2))
            places.setdefault(commands, []).append(f"{document.relative_to(REPO_ROOT)}:{line}")
    return [Block(", ".join(where), commands) for commands, where in places.items()]


BLOCKS = documented_blocks()


# --- how a command is judged ------------------------------------------------------------------------
def _assert_no_traceback(completed: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in completed.stdout + completed.stderr, completed.stderr[-3000:]


def judge_checkov(command: str, completed: subprocess.CompletedProcess, workspace: Path) -> None:
    """The pack's checks only, none skipped by the command; exit 1 exactly when a check failed."""
    _assert_no_traceback(completed)
    checks = set(_CHECKOV_CHECK.findall(completed.stdout))
    assert checks, f"no check reported:\n{completed.stdout[-3000:]}"
    assert all(check.startswith("CKV_IM_") for check in checks), f"not only the pack's checks: {sorted(checks)}"
    skipped = set(_option_values(command, "--skip-check"))
    assert not checks & skipped, f"skipped checks reported: {sorted(checks & skipped)}"
    failed = "FAILED for resource" in completed.stdout
    assert completed.returncode == (1 if failed else 0), completed.stderr[-3000:]


def judge_cfn_lint(command: str, completed: subprocess.CompletedProcess, workspace: Path) -> None:
    """CKV_IM findings; cfn-lint's exit code adds 2, 4 and 8 for the errors, warnings and informational
    findings it printed (1 would be a failure of cfn-lint itself)."""
    _assert_no_traceback(completed)
    findings = _CFN_LINT_FINDING.findall(completed.stdout)
    assert any(message.startswith("CKV_IM_") for _, message in findings), completed.stdout[-3000:]
    levels = {level for level, _ in findings}
    assert completed.returncode == sum({"E": 2, "W": 4, "I": 8}[level] for level in levels), completed.stderr


def judge_terraform(command: str, completed: subprocess.CompletedProcess, workspace: Path) -> None:
    """Exit 0, and a JSON file it writes is a plan."""
    assert completed.returncode == 0, completed.stderr[-3000:]
    for target in _redirect_targets(command):
        if target.endswith(".json"):
            assert "planned_values" in json.loads((workspace / target).read_text(encoding="utf-8"))


def judge_embedded_opa(command: str, completed: subprocess.CompletedProcess, workspace: Path) -> None:
    """`python -m ckv_im.opa plan.json`: the findings as JSON, exit 1 when there are any."""
    _assert_no_traceback(completed)
    findings = json.loads(completed.stdout)
    assert findings and all(finding["id"].startswith("CKV_IM_") for finding in findings), completed.stdout[-3000:]
    assert completed.returncode == 1, completed.stderr[-3000:]
    [input_file] = [word for word in shlex.split(command) if word.endswith(".json")]
    _assert_exceptions_applied(findings, _option_values(command, "--data"), workspace, input_file)


def judge_cfn_json(command: str, completed: subprocess.CompletedProcess, workspace: Path) -> None:
    """`python -m ckv_im.cfn_json template.yaml > template.json`: exit 0, and the JSON it writes is the
    template with its short-form tags in long form."""
    _assert_no_traceback(completed)
    assert completed.returncode == 0, completed.stderr[-3000:]
    [source] = [word for word in shlex.split(command) if word.endswith((".yaml", ".yml"))]
    for target in _redirect_targets(command):
        written = json.loads((workspace / target).read_text(encoding="utf-8"))
        assert written == plain(load_template(workspace / source))
        assert "Fn::GetAtt" in json.dumps(written), "no long-form function in the converted template"


def judge_python_module(command: str, completed: subprocess.CompletedProcess, workspace: Path) -> None:
    """`PYTHONPATH=checks .venv/bin/python -m ckv_im.<module> ...`, judged by the module it runs."""
    judge = judge_cfn_json if "-m ckv_im.cfn_json" in command else judge_embedded_opa
    judge(command, completed, workspace)


def _assert_exceptions_applied(findings: list[dict], data_files: list[str], workspace: Path, input_file: str) -> None:
    """Each exception of the data files removed a finding that the policies give without them."""
    if not data_files:
        return
    without = opa.deny(opa.engine(workspace / "policies"), _read_data(workspace / input_file))
    for data_file in data_files:
        exceptions = _read_data(workspace / data_file)["incident_manager"]["exceptions"]
        excepted = {(exception["id"], exception["resource"]) for exception in exceptions}
        assert excepted, f"{data_file} lists no exception"
        assert excepted <= {(finding["id"], finding["resource"]) for finding in without}, "nothing to except"
        assert not excepted & {(finding["id"], finding["resource"]) for finding in findings}


def _read_data(path: Path) -> dict:
    return opa.read_document(path)


def _options(words: list[str], with_value: set[str], flags: set[str] = frozenset()) -> tuple[dict, list[str]]:
    """Options (each with its values, in order) and positional arguments; an unknown option fails."""
    options: dict[str, list[str]] = {}
    positional = []
    words = iter(words)
    for word in words:
        name, _, inline = word.partition("=")
        if name in with_value:
            options.setdefault(name, []).append(inline or next(words))
        elif name in flags:
            options.setdefault(name, [])
        else:
            assert not word.startswith("-"), f"an option this test does not know the meaning of: {word}"
            positional.append(word)
    return options, positional


def emulate_opa(command: str, workspace: Path) -> None:
    """`opa eval -d <policies or data> ... -i <input> <query> [--format pretty|json]` on the embedded OPA."""
    subcommand, *words = shlex.split(command)[1:]
    assert subcommand == "eval", f"only `opa eval` is known here, not `opa {subcommand}`"
    options, positional = _options(words, {"-d", "--data", "-i", "--input", "--format", "-f"})
    assert options.get("--format", options.get("-f", ["pretty"])) in (["pretty"], ["json"])
    paths = [workspace / path for path in options.get("-d", []) + options.get("--data", [])]
    policies = [path for path in paths if path.is_dir()]
    data = [_read_data(path) for path in paths if path.is_file()]
    assert len(policies) == 1 and len(paths) == len(policies) + len(data), f"-d names what is not there: {paths}"
    [input_file] = options.get("-i", []) + options.get("--input", [])
    [query] = positional
    assert query == "data.incident_manager.deny", f"a query this test does not judge: {query}"
    engine = opa.engine(policies[0], data)
    findings = engine.eval_document(query.removeprefix("data."), input=_read_data(workspace / input_file))
    assert findings and all(finding["id"].startswith("CKV_IM_") for finding in findings)
    data_files = [str(path.relative_to(workspace)) for path in paths if path.is_file()]
    _assert_exceptions_applied(findings, data_files, workspace, input_file)


def emulate_conftest(command: str, workspace: Path) -> None:
    """`conftest test --policy P --namespace N [--data D] <input>`, as conftest's engine runs it."""
    subcommand, *words = shlex.split(command)[1:]
    assert subcommand == "test", f"only `conftest test` is known here, not `conftest {subcommand}`"
    options, inputs = _options(words, {"--policy", "-p", "--namespace", "-n", "--data", "-d"})
    [policies] = [workspace / path for path in options.get("--policy", []) + options.get("-p", [])]
    [namespace] = options.get("--namespace", []) + options.get("-n", [])
    data_files = options.get("--data", []) + options.get("-d", [])
    engine = opa.engine(policies, [_read_data(workspace / path) for path in data_files])
    for input_file in inputs:
        outcome = conftest_check(engine, _read_data(workspace / input_file), policies, namespace)
        assert outcome["failures"] and all(message.startswith("CKV_IM_") for message in outcome["failures"])
        assert outcome["warnings"] == [], outcome["warnings"]
        for exception in (_read_data(workspace / path)["incident_manager"]["exceptions"] for path in data_files):
            assert not any(
                message.startswith(f"{e['id']} {e['resource']}:") for e in exception for message in outcome["failures"]
            )


def emulate_pip(command: str, workspace: Path) -> None:
    """`pip install SOURCE`: not run (it needs the package index); SOURCE must be the pack: a checkout (`.`),
    a wheel, or a git URL at the tag of this version (`git+https://...@v<setup.cfg version>`)."""
    words = shlex.split(command)
    assert words[:2] == ["pip", "install"], f"only `pip install` is known here: {command}"
    [source] = words[2:]
    config = configparser.ConfigParser()
    config.read(REPO_ROOT / "setup.cfg", encoding="utf-8")
    version = config["metadata"]["version"]
    assert (
        source == "."
        or re.fullmatch(rf"git\+https://\S+@v{re.escape(version)}", source)
        or re.fullmatch(rf"\S*checkov_incident_manager-{re.escape(version)}-\S+\.whl", source)
    ), f"not a source of this pack at version {version}: {source}"


EMULATED: dict[str, Callable[[str, Path], None]] = {
    "opa": emulate_opa,
    "conftest": emulate_conftest,
    "pip": emulate_pip,
}


def judge_ckv_im(command: str, completed: subprocess.CompletedProcess, workspace: Path) -> None:
    """`ckv-im` (the installed pack's command) as the program it runs: cfn-lint, the embedded OPA or Checkov;
    `--checks-dir` / `--policies-dir` print an installed directory."""
    argument = shlex.split(command)[1]
    if argument in ("--checks-dir", "--policies-dir"):
        assert completed.returncode == 0 and Path(completed.stdout.strip()).is_dir(), completed.stderr[-3000:]
        return
    judge = {"cfn-lint": judge_cfn_lint, "opa": judge_embedded_opa}.get(argument, judge_checkov)
    judge(command, completed, workspace)


JUDGES: dict[str, Callable[[str, subprocess.CompletedProcess, Path], None]] = {
    "checkov": judge_checkov,
    "ckv-im": judge_ckv_im,
    "cfn-lint": judge_cfn_lint,
    "terraform": judge_terraform,
    "scripts/example": judge_checkov,  # it runs Checkov on examples/ (first: its other output follows)
    "PYTHONPATH=checks": judge_python_module,  # PYTHONPATH=checks .venv/bin/python -m ckv_im.opa (or cfn_json) ...
}
NOT_RUN = {"scripts/test": "it runs this very test suite"}
NEEDS_TERRAFORM = re.compile(r"^terraform\b|\bplan\.json\b")


def _option_values(command: str, option: str) -> list[str]:
    words = shlex.split(command)
    return [value for word, following in itertools.pairwise(words) if word == option for value in following.split(",")]


def _redirect_targets(command: str) -> list[str]:
    return _REDIRECT.findall(command)


# --- where they run ---------------------------------------------------------------------------------
@dataclass
class Workspace:
    root: Path
    environment: dict[str, str]
    why_no_terraform: str | None


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Workspace:
    """A reader's checkout: the pack's checks/ next to the files the documents' placeholders name."""
    root = tmp_path_factory.mktemp("reader-checkout")
    shutil.copytree(REPO_ROOT / "checks", root / "checks", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(EXAMPLES / "terraform" / "main.tf", root / "main.tf")
    shutil.copy(EXAMPLES / "cloudformation" / "incident-manager.yaml", root / "template.yaml")
    environment, why_no_terraform = dict(os.environ), missing_tools()
    if why_no_terraform is None:  # before infra/ exists: only the root module gets the credentials override
        environment = initialise_module(root, tmp_path_factory.mktemp("terraform-config"))
        (root / "plan.json").write_text(render(plan_initialised_module(root, environment)), encoding="utf-8")
    (root / "infra").mkdir()
    shutil.copy(EXAMPLES / "terraform" / "main.tf", root / "infra")
    shutil.copy(EXAMPLES / "cloudformation" / "incident-manager.yaml", root / "infra")
    shutil.copytree(CDK_OUT, root / "cdk.out")
    shutil.copytree(REPO_ROOT / "policies", root / "policies")
    [exceptions] = _EXCEPTIONS_BLOCK.findall((REPO_ROOT / "README.md").read_text(encoding="utf-8"))
    (root / "exceptions.yaml").write_text(exceptions, encoding="utf-8")
    (root / ".venv").symlink_to(Path(sys.executable).parent.parent, target_is_directory=True)
    offline = _offline(environment)
    # the pack as a reader installs it: `ckv-im`, and a `checkov` that imports the installed library
    offline["PATH"] = os.pathsep.join([str(pack_environment()), offline["PATH"]])
    return Workspace(root, offline, why_no_terraform)


def _offline(environment: dict[str, str]) -> dict[str, str]:
    offline = {name: value for name, value in environment.items() if name not in ("NO_PROXY", "no_proxy")}
    offline.update(dict.fromkeys(PROXY_VARIABLES, CLOSED_PORT))
    offline["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), environment.get("PATH", "")])
    return offline


def _run(command: str, workspace: Workspace) -> subprocess.CompletedProcess:
    cwd = REPO_ROOT if command.startswith("scripts/") else workspace.root
    for target in _redirect_targets(command):
        (cwd / target).unlink(missing_ok=True)  # what the command writes must be its own
    return subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=workspace.environment,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        check=False,
    )


# --- the tests --------------------------------------------------------------------------------------
def test_the_documents_are_read():
    readme_blocks = [block for block in BLOCKS if block.where.startswith("README.md:")]
    assert len(readme_blocks) >= 3 and all(block.commands for block in BLOCKS)
    assert any(command.startswith("checkov -d infra/") for block in readme_blocks for command in block.commands)


@pytest.mark.parametrize("block", BLOCKS, ids=lambda block: block.where.split(",")[0])
def test_documented_commands_run_offline(block, workspace):
    if workspace.why_no_terraform and any(NEEDS_TERRAFORM.search(command) for command in block.commands):
        pytest.skip(f"{block.where} needs Terraform: {workspace.why_no_terraform}")
    for command in block.commands:
        program = command.split()[0]
        if program in NOT_RUN:  # not run, but it must be there to run
            assert os.access(REPO_ROOT / program, os.X_OK), f"{block.where}: {program} is not an executable script"
            continue
        if program in EMULATED:
            try:
                EMULATED[program](command, workspace.root)
            except AssertionError as failure:
                raise AssertionError(f"{block.where}: `{command}` (on the embedded OPA): {failure}") from None
            continue
        assert program in JUDGES, f"{block.where}: no judge for a {program!r} command; add one to JUDGES"
        completed = _run(command, workspace)
        try:
            JUDGES[program](command, completed, workspace.root)
        except AssertionError as failure:
            raise AssertionError(f"{block.where}: `{command}` (exit {completed.returncode}): {failure}") from None


@pytest.mark.parametrize(
    "language, body, commands",
    [
        (
            "sh",
            "scripts/example   # run the pack\n\n# a comment line\nscripts/test\n",
            ("scripts/example", "scripts/test"),
        ),
        ("sh", "checkov -d . \\\n  --external-checks-dir checks\n", ("checkov -d .    --external-checks-dir checks",)),
        (
            "console",
            "$ cfn-lint t.yaml --append-rules checks/cfn_lint\nE9003 CKV_IM_3: output\n$ checkov -f t.yaml\n",
            ("cfn-lint t.yaml --append-rules checks/cfn_lint", "checkov -f t.yaml"),
        ),
        (
            "sh",
            "checkov -d . --skip-check CKV_IM_13  # '#checkov:skip=' stays\n",
            ("checkov -d . --skip-check CKV_IM_13",),
        ),
    ],
)
def test_commands_are_read_from_a_block(language, body, commands):
    assert _block_commands(language, body) == commands
