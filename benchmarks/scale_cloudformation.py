"""Scale benchmark for CloudFormation: the pack's cost next to each engine's own, side by side in one run.

For templates of growing size (N Incident Manager stacks of a key, an alias, a
replication set, an SNS topic and a response plan each, in one template), it times:
- Checkov's CloudFormation runner with one built-in KMS check (the baseline: parsing,
  graph, one check) and with the 13 CKV_IM checks;
- cfn-lint with its own rules, and with the 13 CKV_IM rules appended.
A template read or modelled once per resource or per rule, instead of once per file,
would show as a ratio growing with N. Each time is the best of three runs (process start-up,
forks and the machine's load only ever add time).

    .venv/bin/python benchmarks/scale_cloudformation.py [N ...]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "checks"))

from cfnlint.api import lint_file  # noqa: E402
from checkov.cloudformation.runner import Runner  # noqa: E402
from checkov.runner_filter import RunnerFilter  # noqa: E402

KEY_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "IncidentManager",
            "Effect": "Allow",
            "Principal": {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
            "Action": ["kms:CreateGrant", "kms:DescribeKey"],
            "Resource": "*",
            "Condition": {
                "StringLike": {"kms:ViaService": ["ssm-incidents.*.amazonaws.com", "ssm-contacts.*.amazonaws.com"]}
            },
        }
    ],
}


def stack(i: int) -> dict:
    return {
        f"Key{i}": {
            "Type": "AWS::KMS::Key",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {"EnableKeyRotation": True, "KeyPolicy": KEY_POLICY},
        },
        f"Alias{i}": {
            "Type": "AWS::KMS::Alias",
            "Properties": {"AliasName": f"alias/incident-{i}", "TargetKeyId": {"Ref": f"Key{i}"}},
        },
        f"Set{i}": {
            "Type": "AWS::SSMIncidents::ReplicationSet",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": {
                "Regions": [
                    {
                        "RegionName": {"Ref": "AWS::Region"},
                        "RegionConfiguration": {"SseKmsKeyId": {"Fn::GetAtt": [f"Key{i}", "Arn"]}},
                    }
                ]
            },
        },
        f"Topic{i}": {"Type": "AWS::SNS::Topic", "Properties": {"KmsMasterKeyId": {"Ref": f"Key{i}"}}},
        f"Plan{i}": {
            "Type": "AWS::SSMIncidents::ResponsePlan",
            "Properties": {
                "Name": f"plan-{i}",
                "ChatChannel": {"ChatbotSns": [{"Ref": f"Topic{i}"}]},
                "IncidentTemplate": {"Title": f"Outage {i}", "Impact": 3},
            },
        },
    }


def make_template(root: Path, stacks: int) -> Path:
    resources = {}
    for i in range(stacks):
        resources.update(stack(i))
    path = root / "template.json"
    path.write_text(json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}, indent=1))
    return path


def best_of_three(run) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def checkov_seconds(template: Path, checks: list[str], external: bool) -> float:
    return best_of_three(
        lambda: Runner().run(
            root_folder=str(template.parent),
            external_checks_dir=[str(REPO_ROOT / "checks")] if external else None,
            runner_filter=RunnerFilter(framework=["cloudformation"], checks=checks),
        )
    )


def cfn_lint_seconds(template: Path, with_pack: bool) -> float:
    config = {"append_rules": [str(REPO_ROOT / "checks" / "cfn_lint")], "include_checks": ["I"]} if with_pack else {}
    return best_of_three(lambda: lint_file(template, config=config))


def main(sizes: list[int]) -> None:
    from ckv_im.catalogue import RULES

    rule_ids = sorted(RULES)
    with tempfile.TemporaryDirectory() as directory:  # warm up imports and caches before timing
        template = make_template(Path(directory), 1)
        checkov_seconds(template, rule_ids, external=True)
        cfn_lint_seconds(template, with_pack=True)
    print(
        f"{'stacks':>6} {'resources':>9} | {'checkov base s':>14} {'pack s':>7} {'ratio':>5} |"
        f" {'cfn-lint base s':>15} {'+pack s':>7} {'ratio':>5}"
    )
    for stacks in sizes:
        with tempfile.TemporaryDirectory() as directory:
            template = make_template(Path(directory), stacks)
            base = checkov_seconds(template, ["CKV_AWS_7"], external=False)
            pack = checkov_seconds(template, rule_ids, external=True)
            lint_base = cfn_lint_seconds(template, with_pack=False)
            lint_pack = cfn_lint_seconds(template, with_pack=True)
            print(
                f"{stacks:>6} {stacks * 5:>9} | {base:>14.2f} {pack:>7.2f} {pack / base:>5.2f} |"
                f" {lint_base:>15.2f} {lint_pack:>7.2f} {lint_pack / lint_base:>5.2f}"
            )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [20, 100, 200])
