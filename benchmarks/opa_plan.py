"""Benchmark: the Rego policies on a large Terraform plan with the embedded OPA, two sizes side by side.

The plan is generated in the shape `terraform show -json` prints (planned_values with child
modules, resource_changes with after / after_unknown, configuration with module calls,
references and provider_config_key): teams of incident stacks (two keys with the guide's
key policy, a replication set referencing them, a chat topic, a response plan, a contact)
among ordinary resources (log groups, IAM roles, buckets). Some stacks break CKV_IM_3,
CKV_IM_12 or CKV_IM_13 on purpose, so the rules do real work and the findings are counted.

The default run compares 10,000 resources (200 replication sets, 400 keys) with twice that.
Times, best of three: reading the plan file in Python, loading the policies, the first
evaluation (which compiles them and prepares the query) and a warm one, as
`python -m ckv_im.opa` runs them (the plan trimmed to the resource types the policies read,
then handed to OPA), and a warm evaluation with the whole plan as input, as `opa eval` and
conftest get it (here through the same embedded OPA).

    .venv/bin/python benchmarks/opa_plan.py [RESOURCES ...]
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "checks"))

from ckv_im import opa  # noqa: E402

STACKS_PER_TEAM = 10
RESOURCES_PER_STACK = 6  # two keys, a replication set, a topic, a response plan, a contact
STACKS_PER_10000 = 200


def key_policy(stack: int) -> str:
    """The guide's key policy, for one team's admin role: every key's policy differs."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "EnableRootAccess",
                    "Effect": "Allow",
                    "Action": "kms:*",
                    "Resource": "*",
                    "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                },
                {
                    "Sid": "AllowIncidentManager",
                    "Effect": "Allow",
                    "Resource": "*",
                    "Principal": {"AWS": f"arn:aws:iam::111122223333:role/IncidentManagerAdmin{stack}"},
                    "Action": ["kms:CreateGrant", "kms:DescribeKey"],
                    "Condition": {
                        "StringLike": {
                            "kms:ViaService": ["ssm-incidents.*.amazonaws.com", "ssm-contacts.*.amazonaws.com"]
                        }
                    },
                },
            ],
        },
        separators=(",", ":"),
    )


class Module:
    """One module of the generated plan: its planned resources, changes and configuration."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix  # "" or "module.team_3."
        self.planned: list[dict] = []
        self.changes: list[dict] = []
        self.config: list[dict] = []

    def add(
        self, resource_type: str, name: str, values: dict, unknown: dict, expressions: dict, provider: str = "aws"
    ) -> None:
        address = f"{self.prefix}{resource_type}.{name}"
        common = {
            "address": address,
            "mode": "managed",
            "type": resource_type,
            "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws",
        }
        self.planned.append(
            {
                **common,
                "schema_version": 0,
                "values": values,
                "sensitive_values": {key: {} for key, value in values.items() if isinstance(value, dict)},
            }
        )
        self.changes.append(
            {
                **common,
                "change": {
                    "actions": ["create"],
                    "before": None,
                    "after": values,
                    "after_unknown": {"id": True, "arn": True, **unknown},
                    "before_sensitive": False,
                    "after_sensitive": {},
                },
            }
        )
        self.config.append(
            {
                "address": f"{resource_type}.{name}",
                "mode": "managed",
                "type": resource_type,
                "name": name,
                "provider_config_key": provider,
                "expressions": expressions,
                "schema_version": 0,
            }
        )


def _references(traversal: str) -> dict:
    return {"references": [traversal, traversal.rsplit(".", 1)[0]]}


def _constants(values: dict) -> dict:
    return {key: {"constant_value": value} for key, value in values.items() if value is not None}


def add_stack(module: Module, stack: int) -> None:
    tags = {"Team": module.prefix.split(".")[1] if module.prefix else "root", "Stack": str(stack)}
    for side, provider in (("east", "aws"), ("west", "aws.west" if stack % 20 else "aws")):  # every 20th: CKV_IM_3
        values = {
            "description": f"Incident Manager data {stack} {side}",
            "enable_key_rotation": True,
            "is_enabled": True,
            "key_usage": "ENCRYPT_DECRYPT",
            "customer_master_key_spec": "SYMMETRIC_DEFAULT",
            "policy": key_policy(stack),
            "custom_key_store_id": None,
            "xks_key_id": None,
            "tags": tags,
            "tags_all": tags,
        }
        module.add(
            "aws_kms_key",
            f"{side}_{stack}",
            values,
            {"key_id": True, "multi_region": True},
            {
                **_constants({k: v for k, v in values.items() if k != "policy"}),
                "policy": {"references": ["local.key_policy"]},
            },
            provider,
        )
    owned_west = stack % 25 == 0  # CKV_IM_4, CKV_IM_13
    entries = [{"name": "us-east-1"}, {"name": "us-west-2", **({"kms_key_arn": "DefaultKey"} if owned_west else {})}]
    config_entries = [
        {"name": {"constant_value": "us-east-1"}, "kms_key_arn": _references(f"aws_kms_key.east_{stack}.arn")},
        {
            "name": {"constant_value": "us-west-2"},
            **({} if owned_west else {"kms_key_arn": _references(f"aws_kms_key.west_{stack}.arn")}),
        },
    ]
    module.add(
        "aws_ssmincidents_replication_set",
        f"set_{stack}",
        {"region": entries, "tags": tags, "tags_all": tags},
        {"region": [{"kms_key_arn": True, "status": True}, {"kms_key_arn": not owned_west, "status": True}]},
        {"region": config_entries},
    )
    topic = {
        "name": f"incident-chat-{stack}",
        "kms_master_key_id": None if stack % 10 == 0 else "alias/aws/sns",
        "tags": tags,
        "tags_all": tags,
    }  # every 10th: CKV_IM_12
    module.add("aws_sns_topic", f"chat_{stack}", topic, {"policy": True}, _constants(topic))
    plan = {
        "name": f"incident-{stack}",
        "display_name": f"Incident {stack}",
        "chat_channel": None,
        "incident_template": [
            {
                "title": "Service degraded",
                "impact": 2,
                "summary": "Automated",
                "notification_target": [{"sns_topic_arn": None}],
            }
        ],
        "tags": tags,
        "tags_all": tags,
    }
    module.add(
        "aws_ssmincidents_response_plan",
        f"plan_{stack}",
        plan,
        {"chat_channel": True},
        {
            "name": {"constant_value": plan["name"]},
            "chat_channel": _references(f"aws_sns_topic.chat_{stack}.arn"),
            "incident_template": [
                {
                    "title": {"constant_value": "Service degraded"},
                    "notification_target": [{"sns_topic_arn": _references(f"aws_sns_topic.chat_{stack}.arn")}],
                }
            ],
        },
    )
    contact = {"alias": f"oncall-{stack}", "display_name": f"On call {stack}", "type": "PERSONAL", "tags": tags}
    module.add("aws_ssmcontacts_contact", f"oncall_{stack}", contact, {}, _constants(contact))


def add_filler(module: Module, number: int) -> None:
    kind = number % 3
    tags = {"Team": "platform", "CostCenter": "1234"}
    if kind == 0:
        values = {
            "name": f"/app/service-{number}",
            "retention_in_days": 30,
            "kms_key_id": None,
            "skip_destroy": False,
            "log_group_class": "STANDARD",
            "tags": tags,
            "tags_all": tags,
        }
        module.add("aws_cloudwatch_log_group", f"logs_{number}", values, {}, _constants(values))
    elif kind == 1:
        trust = json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "lambda.amazonaws.com"}}
                ],
            }
        )
        values = {
            "name": f"service-{number}",
            "assume_role_policy": trust,
            "max_session_duration": 3600,
            "path": "/",
            "force_detach_policies": False,
            "description": None,
            "tags": tags,
            "tags_all": tags,
        }
        module.add(
            "aws_iam_role",
            f"role_{number}",
            values,
            {"unique_id": True, "managed_policy_arns": True},
            _constants(values),
        )
    else:
        values = {
            "bucket": f"company-data-{number}",
            "force_destroy": False,
            "object_lock_enabled": False,
            "tags": tags,
            "tags_all": tags,
        }
        module.add(
            "aws_s3_bucket",
            f"bucket_{number}",
            values,
            {"bucket_domain_name": True, "region": True},
            _constants(values),
        )


def generate_plan(resources: int) -> dict:
    stacks = STACKS_PER_10000 * resources // 10_000
    teams = [Module(f"module.team_{team}.") for team in range(stacks // STACKS_PER_TEAM)]
    root = Module("")
    for stack in range(stacks):
        add_stack(teams[stack // STACKS_PER_TEAM], stack)
    for number in range(resources - stacks * RESOURCES_PER_STACK):
        add_filler(teams[number % len(teams)] if number % 2 else root, number)
    providers = {
        "aws": {
            "name": "aws",
            "full_name": "registry.terraform.io/hashicorp/aws",
            "expressions": {"region": {"constant_value": "us-east-1"}},
        },
        "aws.west": {
            "name": "aws",
            "full_name": "registry.terraform.io/hashicorp/aws",
            "alias": "west",
            "expressions": {"region": {"constant_value": "us-west-2"}},
        },
    }
    return {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "planned_values": {
            "root_module": {
                "resources": root.planned,
                "child_modules": [{"address": team.prefix[:-1], "resources": team.planned} for team in teams],
            }
        },
        "resource_changes": root.changes + [change for team in teams for change in team.changes],
        "configuration": {
            "provider_config": providers,
            "root_module": {
                "resources": root.config,
                "module_calls": {
                    team.prefix.split(".")[1]: {"source": "./modules/team", "module": {"resources": team.config}}
                    for team in teams
                },
            },
        },
        "applyable": True,
        "complete": True,
        "errored": False,
    }


def best_of(count: int, action):
    """(smallest time, last result) of `count` runs."""
    times, result = [], None
    for _ in range(count):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return min(times), result


def measure(resources: int) -> dict:
    with tempfile.TemporaryDirectory() as work:
        plan_file = Path(work) / "plan.json"
        plan_file.write_text(json.dumps(generate_plan(resources)))
        size = plan_file.stat().st_size
        read, document = best_of(3, lambda: opa.read_document(plan_file))
    load, _ = best_of(3, opa.engine)
    first_times, warm_times, whole_times = [], [], []
    for _ in range(3):
        engine = opa.engine()
        first, findings = best_of(1, lambda engine=engine: opa.deny(engine, document))
        warm, findings = best_of(1, lambda engine=engine: opa.deny(engine, document))
        whole, whole_findings = best_of(1, lambda engine=engine: opa.deny(engine, document, trim=False))
        assert whole_findings == findings
        first_times.append(first)
        warm_times.append(warm)
        whole_times.append(whole)
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding["id"]] = counts.get(finding["id"], 0) + 1
    return {
        "resources": resources,
        "megabytes": size / 1e6,
        "read": read,
        "load": load,
        "first": min(first_times),
        "warm": min(warm_times),
        "whole": min(whole_times),
        "findings": counts,
    }


def main(sizes: list[int]) -> None:
    results = [measure(size) for size in sizes]
    rows = [
        ("resources", lambda r: f"{r['resources']:,}"),
        ("plan size", lambda r: f"{r['megabytes']:.1f} MB"),
        ("read plan.json (Python)", lambda r: f"{r['read']:.2f} s"),
        ("load the policies", lambda r: f"{r['load']:.2f} s"),
        ("first evaluation (compiles)", lambda r: f"{r['first']:.2f} s"),
        ("warm evaluation", lambda r: f"{r['warm']:.2f} s"),
        ("python -m ckv_im.opa total", lambda r: f"{r['read'] + r['load'] + r['first']:.2f} s"),
        ("warm, whole plan as input", lambda r: f"{r['whole']:.2f} s"),
        (
            "findings",
            lambda r: ", ".join(f"{k[4:]} {v}" for k, v in sorted(r["findings"].items(), key=lambda i: int(i[0][7:]))),
        ),
    ]
    width = max(len(label) for label, _ in rows)
    for label, cell in rows:
        print(f"{label:<{width}}  " + "  ".join(f"{cell(result):>30}" for result in results))
    if len(results) == 2:
        print(f"{'ratio (warm evaluation)':<{width}}  {results[1]['warm'] / results[0]['warm']:>30.2f}")


if __name__ == "__main__":
    if "GOGC" not in os.environ:  # as python -m ckv_im.opa runs (see GO_GC_PERCENT there)
        os.execve(sys.executable, [sys.executable, *sys.argv], dict(os.environ, GOGC=opa.GO_GC_PERCENT))
    print(f"GOGC={os.environ['GOGC']}")
    main([int(argument) for argument in sys.argv[1:]] or [10_000, 20_000])
