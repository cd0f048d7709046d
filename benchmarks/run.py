"""The pack's cost next to each engine's own: every engine alone, with the pack and with a floor pack, in one run.

    .venv/bin/python benchmarks/run.py            # the corpus of the README's table (takes a while)
    .venv/bin/python benchmarks/run.py --quick    # a small corpus: checks the command works
    .venv/bin/python benchmarks/run.py --help     # sizes, repeats, a subset of the cases

It generates the corpora in a temporary directory:

- Terraform, Incident Manager everywhere (the pack's worst case): N stacks, each its own root
  module, each with two keys and aliases made by a shared module (with `jsonencode` key
  policies), a key whose policy is an `aws_iam_policy_document`, a replication set over the
  module keys, an SNS topic, a response plan and a contact, next to ordinary resources (a
  bucket encrypted with its own key, its versioning, a role with an assume-role policy
  document, a log group, a security group); the same at 2N, to see that cost grows linearly;
- Terraform where Incident Manager is rare: the same ordinary stacks, one in 50 with the
  Incident Manager part;
- CloudFormation templates (`scale_cloudformation.stack`: key, alias, replication set, topic,
  response plan) and templates where Incident Manager is rare;
- a plan of 10,000 resources (`opa_plan.generate_plan`).

Each case runs in a fresh Python process, alone and with the pack, and for Checkov also with
the floor pack (``floor_pack.py``: the pack's check IDs and resource types, every check
returning at once; what Checkov charges per check call, the least any pack of these checks
costs). The sides run one after another, their order rotated every round, and the medians
are printed: wall time of the scan (not the imports the checkov and cfn-lint commands make
before they scan; loading the checks is counted), CPU time, and the process's peak resident
memory (its children's too, where Checkov forks). The engines: the checkov command as users
run it on a repository (``checkov -d``: every framework, every default check, one process
forked per framework, each loading the pack's check files); Checkov's own runner with all
its default checks (no --check) on HCL, on the plan and on CloudFormation, the pack's cost
with nothing else beside it; cfn-lint with its own rules; the Rego policies on the embedded
OPA (the baseline there is one empty policy given the whole plan, which is what any policy
costs: the pack's cost is what comes on top of converting the input).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
REPO_ROOT = BENCHMARKS.parent
CHECKS = REPO_ROOT / "checks"
sys.path[:0] = [str(CHECKS), str(BENCHMARKS)]

import floor_pack  # noqa: E402
import opa_plan  # noqa: E402
import scale  # noqa: E402
import scale_cloudformation  # noqa: E402

RARE_EVERY = 50  # one stack or template in 50 holds Incident Manager resources in the "rare" corpora

IM_PART = """
module "east" {{
  source = "../../modules/key"
  name   = "east-{i}"
}}

module "west" {{
  source = "../../modules/key"
  name   = "west-{i}"
  providers = {{
    aws = aws.west
  }}
}}

data "aws_iam_policy_document" "chat_key" {{
  statement {{
    sid       = "Root"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {{
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }}
  }}
  statement {{
    sid       = "IncidentManager"
    actions   = ["kms:CreateGrant", "kms:DescribeKey"]
    resources = ["*"]
    principals {{
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:role/IncidentManager{i}"]
    }}
    condition {{
      test     = "StringLike"
      variable = "kms:ViaService"
      values   = ["ssm-incidents.*.amazonaws.com", "ssm-contacts.*.amazonaws.com"]
    }}
  }}
}}

resource "aws_kms_key" "chat" {{
  description         = "Incident chat {i}"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.chat_key.json
}}

resource "aws_kms_alias" "chat" {{
  name          = "alias/incident-chat-{i}"
  target_key_id = aws_kms_key.chat.key_id
}}

resource "aws_sns_topic" "chat" {{
  name              = "incident-chat-{i}"
  kms_master_key_id = aws_kms_alias.chat.name
}}

resource "aws_ssmincidents_replication_set" "set" {{
  region {{
    name        = "us-east-1"
    kms_key_arn = module.east.key_arn
  }}
  region {{
    name        = "us-west-2"
    kms_key_arn = module.west.key_arn
  }}
}}

resource "aws_ssmincidents_response_plan" "plan" {{
  name = "incident-{i}"
  incident_template {{
    title  = "Service {i} degraded"
    impact = 3
    notification_target {{
      sns_topic_arn = aws_sns_topic.chat.arn
    }}
  }}
  depends_on = [aws_ssmincidents_replication_set.set]
}}

resource "aws_ssmcontacts_contact" "oncall" {{
  alias      = "oncall-{i}"
  type       = "PERSONAL"
  depends_on = [aws_ssmincidents_replication_set.set]
}}
"""

ORDINARY_PART = """
resource "aws_kms_key" "data" {{
  description         = "Data of service {i}"
  enable_key_rotation = true
}}

resource "aws_s3_bucket" "data" {{
  bucket = "company-data-{i}"
}}

resource "aws_s3_bucket_versioning" "data" {{
  bucket = aws_s3_bucket.data.id
  versioning_configuration {{
    status = "Enabled"
  }}
}}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {{
  bucket = aws_s3_bucket.data.id
  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }}
  }}
}}

data "aws_iam_policy_document" "assume" {{
  statement {{
    actions = ["sts:AssumeRole"]
    principals {{
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }}
  }}
}}

resource "aws_iam_role" "service" {{
  name               = "service-{i}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}}

resource "aws_cloudwatch_log_group" "service" {{
  name              = "/service/{i}"
  retention_in_days = 365
  kms_key_id        = aws_kms_key.data.arn
}}

resource "aws_security_group" "service" {{
  name        = "service-{i}"
  description = "Service {i}"
  egress {{
    description = "HTTPS out"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }}
}}
"""

ORDINARY_TEMPLATE_RESOURCES = {
    "Bucket": {
        "Type": "AWS::S3::Bucket",
        "Properties": {"VersioningConfiguration": {"Status": "Enabled"}},
    },
    "Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"RetentionInDays": 365}},
    "Queue": {"Type": "AWS::SQS::Queue", "Properties": {"MessageRetentionPeriod": 345600}},
}


# --- the corpora ---------------------------------------------------------------------------------
def terraform_tree(root: Path, stacks: int, im_every: int) -> Path:
    """A monorepo of ``stacks`` root modules; every ``im_every``-th holds the Incident Manager part."""
    (root / "modules" / "key").mkdir(parents=True)
    (root / "modules" / "key" / "main.tf").write_text(scale.MODULE)
    for i in range(stacks):
        stack = root / "stacks" / f"stack_{i}"
        stack.mkdir(parents=True)
        im_part = IM_PART.format(i=i) if i % im_every == 0 else ""
        (stack / "main.tf").write_text(scale.PROVIDERS + im_part + ORDINARY_PART.format(i=i))
    return root


def cloudformation_tree(root: Path, templates: int, im_every: int, stacks_per_template: int = 4) -> Path:
    """``templates`` templates; every ``im_every``-th holds Incident Manager stacks, every one ordinary resources."""
    root.mkdir(parents=True)
    for t in range(templates):
        resources = dict(ORDINARY_TEMPLATE_RESOURCES)
        if t % im_every == 0:
            for i in range(stacks_per_template):
                resources.update(scale_cloudformation.stack(i))
        document = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}
        (root / f"template_{t}.json").write_text(json.dumps(document, indent=1))
    return root


def plan_file(root: Path, resources: int) -> Path:
    root.mkdir(parents=True)
    path = root / "plan.json"
    path.write_text(json.dumps(opa_plan.generate_plan(resources)))
    return path


# --- one measurement, in its own process -----------------------------------------------------------
# Each engine runs on a target with a checks directory (the pack's, or the floor pack for Checkov) or alone (None).
def _checkov(runner_module: str, framework: str, target: Path, checks: Path | None) -> None:
    import importlib

    from checkov.runner_filter import RunnerFilter

    runner = importlib.import_module(runner_module).Runner()
    where = {"files": [str(target)]} if target.is_file() else {"root_folder": str(target)}
    runner.run(
        **where,
        external_checks_dir=[str(checks)] if checks else None,
        runner_filter=RunnerFilter(framework=[framework]),
    )


def _checkov_command(target: Path, checks: Path | None) -> None:
    """The checkov command as users run it on a repository: every framework, every default check."""
    from checkov.main import Checkov

    pack = ["--external-checks-dir", str(checks)] if checks else []
    arguments = ["-d", str(target), *pack, "--skip-download", "--quiet", "--compact", "-o", "json"]
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):  # the findings, not the measure
        Checkov(argv=arguments).run()


def _cfn_lint(target: Path, checks: Path | None) -> None:
    from cfnlint.config import ConfigMixIn
    from cfnlint.runner import Runner

    options = {"append_rules": [str(checks / "cfn_lint")], "include_checks": ["I"]} if checks else {}
    templates = sorted(str(path) for path in target.glob("*.json"))
    for _ in Runner(ConfigMixIn(templates, **options)).run():
        pass


def _rego(target: Path, checks: Path | None) -> None:
    from ckv_im import opa

    document = opa.read_document(target)
    if checks:  # as `python -m ckv_im.opa plan.json` runs it
        opa.deny(opa.engine(), document)
        return
    with tempfile.TemporaryDirectory() as policies:
        (Path(policies) / "empty.rego").write_text("package incident_manager\n\ndeny := []\n")
        opa.deny(opa.engine(Path(policies)), document, trim=False)


ENGINES = {
    "checkov-command": _checkov_command,
    "checkov-hcl": lambda target, checks: _checkov("checkov.terraform.runner", "terraform", target, checks),
    "checkov-plan": lambda target, checks: _checkov("checkov.terraform.plan_runner", "terraform_plan", target, checks),
    "checkov-cfn": lambda target, checks: _checkov("checkov.cloudformation.runner", "cloudformation", target, checks),
    "cfn-lint": _cfn_lint,
    "rego": _rego,
}
# The checkov command's framework processes are not counted in this process's children's CPU time
# (a test run showed 1.3 s of CPU for 22 s of wall time on 2 busy cores): its wall time is the measure.
CPU_NOT_COUNTED = {"checkov-command"}
# Checkov runs a floor pack (floor_pack.py) as it runs the pack: its cost per check call, none of the pack's work.
FLOOR_ENGINES = {"checkov-command", "checkov-hcl", "checkov-plan", "checkov-cfn"}
SIDES = ("alone", "floor", "pack")
IMPORTS = {  # imported before the clock starts, as the checkov and cfn-lint commands have: both sides pay them alike
    "checkov-command": ["checkov.main"],
    "checkov-hcl": ["checkov.main"],
    "checkov-plan": ["checkov.main"],
    "checkov-cfn": ["checkov.main"],
    "cfn-lint": ["cfnlint.runner", "cfnlint.config"],
    "rego": ["opa_bindings"],
}


def worker(engine: str, target: Path, checks: Path | None) -> None:
    """Run one scan and print {seconds, cpu_seconds, peak_kb} as JSON on the last line."""
    import importlib

    for module in IMPORTS[engine]:
        importlib.import_module(module)
    cpu_start, start = _cpu_seconds(), time.perf_counter()
    ENGINES[engine](target, checks)
    seconds, cpu_seconds = time.perf_counter() - start, _cpu_seconds() - cpu_start
    peak_kb = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    )
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "peak_kb": peak_kb}))


def _cpu_seconds() -> float:
    """User and system time of this process and of the children it waited for (Checkov may fork)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def byte_compile_the_pack() -> None:
    """Compile the pack's modules once, as pip leaves an installed package; Checkov's are.

    Otherwise, where PYTHONDONTWRITEBYTECODE is set, every process Checkov forks for a framework
    would compile the pack's sources again, a cost no installed pack has.
    """
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # inherited by every measured process
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(CHECKS)], check=True, stdout=subprocess.DEVNULL)


def measure_once(engine: str, target: Path, checks: Path | None) -> dict:
    from ckv_im import opa

    environment = dict(os.environ, LOG_LEVEL="ERROR", GOGC=os.environ.get("GOGC", opa.GO_GC_PERCENT))
    completed = subprocess.run(
        [sys.executable, __file__, "--worker", engine, str(target), *([str(checks)] if checks else [])],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"{engine} on {target} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


# --- the cases and the table ---------------------------------------------------------------------
@dataclass
class Case:
    label: str
    engine: str
    target: Path
    runs: dict[str, list[dict]] = field(default_factory=lambda: {side: [] for side in SIDES})

    @property
    def sides(self) -> tuple[str, ...]:
        return SIDES if self.engine in FLOOR_ENGINES else ("alone", "pack")

    def median(self, side: str, measure: str) -> float:
        return statistics.median(run[measure] for run in self.runs[side])


def build_cases(work: Path, sizes: argparse.Namespace) -> list[Case]:
    n, rare, templates, resources = sizes.stacks, sizes.rare_stacks, sizes.templates, sizes.plan_resources
    heavy = terraform_tree(work / "tf_heavy", n, im_every=1)
    doubled = terraform_tree(work / "tf_heavy_doubled", 2 * n, im_every=1)
    rare_tree = terraform_tree(work / "tf_rare", rare, im_every=RARE_EVERY)
    cfn_heavy = cloudformation_tree(work / "cfn_heavy", templates, im_every=1)
    cfn_rare = cloudformation_tree(work / "cfn_rare", templates * 5, im_every=RARE_EVERY)
    plan = plan_file(work / "plan", resources)
    cases = [
        Case(f"checkov -d (all frameworks), IM in all {n} stacks", "checkov-command", heavy),
        Case(f"checkov -d (all frameworks), IM in 1/{RARE_EVERY} of {rare}", "checkov-command", rare_tree),
        Case(f"Checkov HCL, IM in all {n} stacks", "checkov-hcl", heavy),
        Case(f"Checkov HCL, IM in all {2 * n} stacks", "checkov-hcl", doubled),
        Case(f"Checkov HCL, IM in 1/{RARE_EVERY} of {rare} stacks", "checkov-hcl", rare_tree),
        Case(f"Checkov plan, {resources:,} resources", "checkov-plan", plan),
        Case(f"Checkov CFN, IM in all {templates} templates", "checkov-cfn", cfn_heavy),
        Case(f"Checkov CFN, IM in 1/{RARE_EVERY} of {templates * 5}", "checkov-cfn", cfn_rare),
        Case(f"cfn-lint, IM in all {templates} templates", "cfn-lint", cfn_heavy),
        Case(f"cfn-lint, IM in 1/{RARE_EVERY} of {templates * 5}", "cfn-lint", cfn_rare),
        Case(f"Rego (embedded OPA), {resources:,} resources", "rego", plan),
    ]
    return [case for case in cases if not sizes.only or case.engine in sizes.only]


def run_cases(cases: list[Case], checks_of: dict[str, Path | None], repeat: int) -> None:
    for round_number in range(repeat):
        for case in cases:  # the sides of a case one after another, their order rotated every round
            sides = case.sides[round_number % len(case.sides) :] + case.sides[: round_number % len(case.sides)]
            for side in sides:
                case.runs[side].append(measure_once(case.engine, case.target, checks_of[side]))
        print(f"round {round_number + 1}/{repeat} done", file=sys.stderr, flush=True)


def print_table(cases: list[Case], repeat: int) -> None:
    print(f"medians of {repeat} interleaved run(s); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    header = (
        "| case | alone s | floor s | with pack s | floor ratio | wall ratio"
        " | alone CPU s | with pack CPU s | CPU ratio | alone peak MB | with pack peak MB | memory ratio |"
    )
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for case in cases:
        print("| " + " | ".join([case.label, *_wall_cells(case), *_cpu_and_memory_cells(case)]) + " |")
    by_target = {case.target.name: case for case in cases}
    single, doubled = by_target.get("tf_heavy"), by_target.get("tf_heavy_doubled")
    if single and doubled:
        for measure, what in (("seconds", "wall"), ("cpu_seconds", "CPU")):
            alone, pack = (doubled.median(side, measure) / single.median(side, measure) for side in ("alone", "pack"))
            print(
                f"linearity ({what}): twice the stacks took {alone:.2f} times as long alone, {pack:.2f} with the pack"
            )


def _wall_cells(case: Case) -> list[str]:
    """alone, floor and pack seconds, then the floor's and the pack's ratios to alone ("-": no floor here)."""
    alone, pack = case.median("alone", "seconds"), case.median("pack", "seconds")
    floor = case.median("floor", "seconds") if "floor" in case.sides else None
    return [
        f"{alone:.2f}",
        f"{floor:.2f}" if floor else "-",
        f"{pack:.2f}",
        f"{floor / alone:.3f}" if floor else "-",
        f"{pack / alone:.3f}",
    ]


def _cpu_and_memory_cells(case: Case) -> list[str]:
    cells = []
    for measure, unit, digits in (("cpu_seconds", 1, 2), ("peak_kb", 1024, 0)):
        if measure == "cpu_seconds" and case.engine in CPU_NOT_COUNTED:
            cells += ["n/a"] * 3
            continue
        alone, pack = case.median("alone", measure) / unit, case.median("pack", measure) / unit
        cells += [f"{alone:.{digits}f}", f"{pack:.{digits}f}", f"{pack / alone:.3f}" if alone else "-"]
    return cells


def arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stacks", type=int, default=300, help="IM-heavy Terraform stacks (doubled too)")
    parser.add_argument("--rare-stacks", type=int, default=600, help="Terraform stacks, IM in 1 of 50")
    parser.add_argument("--templates", type=int, default=60, help="IM-heavy templates (5 times as many rare)")
    parser.add_argument("--plan-resources", type=int, default=10_000, help="resources in the plan")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved rounds; medians are printed")
    parser.add_argument("--only", action="append", choices=sorted(ENGINES), help="only these engines")
    parser.add_argument("--quick", action="store_true", help="tiny sizes and one round, to try the command")
    options = parser.parse_args(argv)
    if options.quick:
        options.stacks, options.rare_stacks, options.templates = 2, 4, 1
        options.plan_resources, options.repeat = 1_000, 1
    return options


def main(argv: list[str]) -> None:
    if argv[:1] == ["--worker"]:  # --worker ENGINE TARGET [CHECKS_DIR]
        engine, target, *checks = argv[1:]
        worker(engine, Path(target), Path(checks[0]) if checks else None)
        return
    options = arguments(argv)
    byte_compile_the_pack()
    with tempfile.TemporaryDirectory() as work:
        cases = build_cases(Path(work), options)
        floor = floor_pack.write_floor_pack(Path(work) / "floor_pack")
        run_cases(cases, {"alone": None, "floor": floor, "pack": CHECKS}, options.repeat)
        print_table(cases, options.repeat)


if __name__ == "__main__":
    main(sys.argv[1:])
