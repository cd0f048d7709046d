"""The ready-to-copy CI examples (examples/ci/) and the pre-commit hooks (.pre-commit-hooks.yaml) hold.

Each example parses; every command it runs is one this test knows (the pack's ``ckv-im``, pip installing
the pack, Terraform making the plan); the ``ckv-im`` commands run as written, with the installed wheel, on
the bundled examples laid out where the example expects a user's files (``infra/``, ``templates/``,
``plan.json``), and write the reports the pipeline uploads. The pre-commit hook runs through pre-commit's
own ``try-repo`` against a clone of this repository (pre-commit installs the pack from it: network).
"""

from __future__ import annotations

import configparser
import json
import os
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
import yaml

from support.installed_pack import CACHE_ROOT, pack_environment
from support.manifest import REPO_ROOT

EXAMPLES = REPO_ROOT / "examples"
GITHUB = EXAMPLES / "ci" / "github-actions.yml"
GITLAB = EXAMPLES / "ci" / "gitlab-ci.yml"
HOOKS = REPO_ROOT / ".pre-commit-hooks.yaml"
# Programs the examples may run, besides ckv-im: installing the pack, and Terraform making the plan.
OTHER_PROGRAMS = {"python": "-m pip install", "terraform": "-chdir=", "exit": "", "status=0": ""}


def _version() -> str:
    config = configparser.ConfigParser()
    config.read(REPO_ROOT / "setup.cfg", encoding="utf-8")
    return config["metadata"]["version"]


def github_workflow() -> dict:
    return yaml.safe_load(GITHUB.read_text(encoding="utf-8"))


def gitlab_job() -> tuple[dict, dict]:
    [(_name, job)] = yaml.safe_load(GITLAB.read_text(encoding="utf-8")).items()
    return job, job["variables"]


def github_commands() -> list[str]:
    [job] = github_workflow()["jobs"].values()
    return [line.strip() for step in job["steps"] if "run" in step for line in step["run"].splitlines() if line.strip()]


def gitlab_commands() -> list[str]:
    job, _ = gitlab_job()
    return list(job["script"])


def example_environment() -> dict[str, str]:
    return {key: str(value) for key, value in github_workflow()["env"].items()}


def test_the_examples_parse_and_turn_off_serverless_variables():
    workflow = github_workflow()
    assert workflow["permissions"]["security-events"] == "write"
    job, variables = gitlab_job()
    for environment in (workflow["env"], variables):
        assert environment["CHECKOV_SERVERLESS_DISABLE_VARS"] == "true"
        assert environment["CKV_IM_PACK"].endswith(f"@v{_version()}"), "the examples install this version"
        assert environment["CKV_IM_GUIDELINE_BASE"].startswith("https://")
    assert set(job["artifacts"]["reports"]) == {"junit", "sast"}


@pytest.mark.parametrize("commands", [github_commands, gitlab_commands], ids=["github", "gitlab"])
def test_every_command_is_one_the_pack_or_the_pipeline_has(commands):
    for command in commands():
        program = shlex.split(command)[0]
        if program == "ckv-im":
            continue  # run below
        assert program in OTHER_PROGRAMS, f"unknown program in {command!r}"
        assert OTHER_PROGRAMS[program] in command, command
        if program == "python":
            assert shlex.split(command)[1:] == ["-m", "pip", "install", "$CKV_IM_PACK"], command


@pytest.fixture(scope="module")
def user_repository(tmp_path_factory) -> Path:
    """A user's repository as the examples expect it: infra/ (a root module), templates/, plan.json."""
    root = tmp_path_factory.mktemp("user-repository")
    shutil.copytree(EXAMPLES / "terraform", root / "infra")
    shutil.copytree(EXAMPLES / "cloudformation", root / "templates")
    shutil.copy(EXAMPLES / "terraform_plan" / "plan.json", root / "plan.json")
    (root / "results").mkdir()
    return root


def run_in(root: Path, command: str, environment: dict[str, str]) -> subprocess.CompletedProcess:
    bin_dir = pack_environment()
    return subprocess.run(
        ["bash", "-c", command],
        cwd=root,
        env={**os.environ, **environment, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def assert_sarif_with_pack_findings(path: Path) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["version"] == "2.1.0"
    results = [result for run in document["runs"] for result in run["results"]]
    assert results and all(result["locations"] for result in results), path


def test_the_github_workflow_commands_run_and_write_their_sarif(user_repository):
    environment = example_environment()
    commands = [command for command in github_commands() if command.startswith("ckv-im ")]
    assert len(commands) == 4
    for command in commands:
        completed = run_in(user_repository, command, environment)
        assert completed.returncode in (1, 2, 4, 6, 8, 10, 12, 14), (command, completed.stderr[-3000:])
        assert "Traceback" not in completed.stderr, completed.stderr[-3000:]
    for name in ("terraform", "plan", "cloudformation", "cfn-lint"):
        assert_sarif_with_pack_findings(user_repository / "results" / f"{name}.sarif")
    plan = json.loads((user_repository / "results" / "plan.sarif").read_text(encoding="utf-8"))
    locations = [result["locations"][0]["physicalLocation"] for result in plan["runs"][0]["results"]]
    assert {location["artifactLocation"]["uri"] for location in locations} == {"infra/main.tf"}, "at the .tf source"
    [job] = github_workflow()["jobs"].values()
    uploaded = sorted(step["with"]["sarif_file"] for step in job["steps"] if "sarif_file" in step.get("with", {}))
    assert uploaded == sorted(f"results/{name}.sarif" for name in ("terraform", "plan", "cloudformation", "cfn-lint"))


def test_the_gitlab_job_writes_its_reports(user_repository):
    _, variables = gitlab_job()
    script = "\n".join(gitlab_commands()[1:])  # after installing the pack
    completed = run_in(user_repository, script, {key: str(value) for key, value in variables.items()})
    assert completed.returncode == 1, completed.stderr[-3000:]  # the examples have findings
    for junit in ("ckv-im-terraform.xml", "ckv-im-cloudformation.xml"):
        suites = ElementTree.parse(user_repository / junit).getroot()
        assert any(case.find("failure") is not None for case in suites.iter("testcase")), junit
    for sast in ("gl-sast-terraform.json", "gl-sast-cloudformation.json"):
        report = json.loads((user_repository / sast).read_text(encoding="utf-8"))
        assert report["vulnerabilities"] and all("CKV_IM_" in json.dumps(v) for v in report["vulnerabilities"])


def test_the_pre_commit_hooks_name_the_pack_command():
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert {hook["id"] for hook in hooks} == {"ckv-im", "ckv-im-cfn-lint"}
    for hook in hooks:
        assert hook["language"] == "python" and hook["entry"].split()[0] == "ckv-im", hook


@pytest.mark.slow
def test_the_pre_commit_hook_runs_through_try_repo(tmp_path):
    """pre-commit installs the pack from a clone of this repository's HEAD and runs the hook on a fixture."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", "--no-local", str(REPO_ROOT), str(clone)], check=True, timeout=300)
    user = tmp_path / "user"
    shutil.copytree(EXAMPLES / "terraform", user)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "--quiet"], cwd=user, check=True)
    subprocess.run([*git, "add", "."], cwd=user, check=True)
    pre_commit = Path(sys.executable).with_name("pre-commit")
    completed = subprocess.run(
        [str(pre_commit), "try-repo", str(clone), "ckv-im", "--all-files", "--verbose"],
        cwd=user,
        env={**os.environ, "PRE_COMMIT_HOME": str(CACHE_ROOT / "pre-commit-home")},
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert completed.returncode == 1, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert "Incident Manager rule pack (Checkov)" in completed.stdout and "Failed" in completed.stdout
    assert "CKV_IM_3" in completed.stdout, completed.stdout[-3000:]
