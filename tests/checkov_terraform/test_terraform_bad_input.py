"""Bad input never makes a check raise, and never turns into a guessed PASSED.

Checkov logs an exception raised inside a check and drops that result: a false
negative nobody sees. The checks catch everything as a last resort, so these
tests call the model builders and rule functions without that safety net, and
also assert that the net (engine_shell.INTERNAL_ERRORS) was never used.
"""

from __future__ import annotations

import json
import random

import pytest

from ckv_im.catalogue import RULES
from ckv_im.checkov_terraform import _single_resource_model
from support.checkov_scan import scan_source

GOOD_POLICY = json.dumps(
    {
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                "Action": ["kms:CreateGrant", "kms:DescribeKey"],
                "Resource": "*",
                "Condition": {
                    "StringLike": {"kms:ViaService": ["ssm-incidents.*.amazonaws.com", "ssm-contacts.*.amazonaws.com"]}
                },
            }
        ]
    }
)


def key_with_policy(policy_expression: str, name: str = "k") -> str:
    return f'''
resource "aws_kms_key" "{name}" {{
  policy = {policy_expression}
}}

resource "aws_ssmincidents_replication_set" "rs" {{
  region {{
    name        = "us-east-1"
    kms_key_arn = aws_kms_key.{name}.arn
  }}
}}
'''


@pytest.mark.parametrize(
    "policy_expression",
    [
        '"{not json"',  # malformed JSON string
        "42",  # not a string
        'jsonencode({ Statement = "nonsense" })',  # wrong shape
        'jsonencode({ Statement = [{ Effect = "Allow", Action = 7, Condition = ["x"] }] })',
        "var.undefined_policy",  # a variable that does not exist
        "local.missing",  # a local that does not exist
        "module.nowhere.policy",  # a module that does not exist
        'file("${path.module}/missing.json")',  # a file that does not exist
        'templatefile("${path.module}/policy.tpl", { account = var.account })',
        "data.aws_kms_key.other.policy",  # a data source lookup
    ],
)
def test_unresolvable_or_malformed_policy_is_never_passed(tmp_path, policy_expression):
    verdicts = scan_source(
        tmp_path, key_with_policy(policy_expression), {"policy.tpl": '{"Statement": [{"Principal": "${account}"}]}'}
    )
    assert verdicts.get(("CKV_IM_7", "aws_kms_key.k")) != "PASSED"
    assert ("CKV_IM_3", "aws_ssmincidents_replication_set.rs") in verdicts  # the scan went on


def test_policy_file_outside_the_scanned_tree_is_not_read(tmp_path):
    (tmp_path / "outside.json").write_text(GOOD_POLICY)
    verdicts = scan_source(tmp_path, key_with_policy('file("../outside.json")'), {"inside.json": GOOD_POLICY})
    assert ("CKV_IM_7", "aws_kms_key.k") not in verdicts  # UNKNOWN: not read, not guessed


def test_policy_file_inside_the_scanned_tree_is_read(tmp_path):
    verdicts = scan_source(
        tmp_path, key_with_policy('file("${path.module}/inside.json")'), {"inside.json": GOOD_POLICY}
    )
    assert verdicts[("CKV_IM_7", "aws_kms_key.k")] == "PASSED"


def test_empty_blocks_wrong_types_and_unresolved_references(tmp_path):
    verdicts = scan_source(
        tmp_path,
        """
resource "aws_kms_key" "k" {
  description = true
  tags        = ["not", "a", "map"]
  is_enabled  = "maybe"

  lifecycle {
  }
}

resource "aws_ssmincidents_replication_set" "rs" {
  region {
  }
  region {
    name        = 42
    kms_key_arn = 42
  }
  region {
    name        = "us-west-2"
    kms_key_arn = aws_kms_key.missing.arn
  }
  region {
    name        = "eu-west-1"
    kms_key_arn = module.absent.key_arn
  }
  tags = var.undefined_tags
}

resource "aws_ssmincidents_response_plan" "p" {
  name         = var.undefined_name
  chat_channel = [aws_sns_topic.missing.arn]
  incident_template {
  }
}

resource "aws_sns_topic" "t" {
  kms_master_key_id = var.undefined_key
}
""",
    )
    rset = "aws_ssmincidents_replication_set.rs"
    assert verdicts.get(("CKV_IM_3", rset)) != "PASSED"
    assert verdicts.get(("CKV_IM_14", rset)) != "PASSED"
    assert verdicts[("CKV_IM_6", rset)] == "FAILED"


def test_dynamic_region_blocks_over_an_empty_map_are_unknown(tmp_path):
    """No Region entry at all: Terraform would refuse the set (it needs one), so no rule passes it."""
    verdicts = scan_source(
        tmp_path,
        """
variable "regions" {
  type    = map(string)
  default = {}
}

resource "aws_ssmincidents_replication_set" "rs" {
  dynamic "region" {
    for_each = var.regions
    content {
      name        = region.key
      kms_key_arn = region.value
    }
  }
}
""",
    )
    for rule_id in ("CKV_IM_3", "CKV_IM_4", "CKV_IM_5", "CKV_IM_13", "CKV_IM_14"):
        assert (rule_id, "aws_ssmincidents_replication_set.rs") not in verdicts


@pytest.mark.parametrize(
    "for_each",
    [
        "var.regions",  # a variable without a value
        "[for r in var.names : { name = r }]",  # a for expression: not evaluated
        "data.aws_ssm_parameter.regions.insecure_value",  # a data source lookup
        "local.missing",  # a local not in the scan
        '"us-east-1"',  # not a collection
    ],
)
def test_dynamic_region_blocks_whose_for_each_is_not_resolved_are_unknown(tmp_path, for_each):
    verdicts = scan_source(
        tmp_path,
        f"""
variable "regions" {{
  type = list(object({{ name = string }}))
}}

variable "names" {{
  type    = list(string)
  default = ["us-east-1"]
}}

resource "aws_ssmincidents_replication_set" "rs" {{
  dynamic "region" {{
    for_each = {for_each}
    content {{
      name = region.value.name
    }}
  }}
}}
""",
    )
    for rule_id in ("CKV_IM_3", "CKV_IM_4", "CKV_IM_5", "CKV_IM_13", "CKV_IM_14"):
        assert (rule_id, "aws_ssmincidents_replication_set.rs") not in verdicts


def test_a_static_entry_already_breaking_a_rule_fails_beside_an_unresolved_dynamic_block(tmp_path):
    verdicts = scan_source(
        tmp_path,
        """
variable "regions" {
  type = list(string)
}

resource "aws_ssmincidents_replication_set" "rs" {
  region {
    name        = "us-east-1"
    kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }
  dynamic "region" {
    for_each = var.regions
    content {
      name = region.value
    }
  }
}
""",
    )
    rset = "aws_ssmincidents_replication_set.rs"
    assert verdicts[("CKV_IM_3", rset)] == "FAILED"  # the static entry's key is in another Region
    assert verdicts[("CKV_IM_5", rset)] == "PASSED"  # the provider Region is a static entry
    assert ("CKV_IM_4", rset) not in verdicts  # the dynamic entries may or may not have keys
    assert ("CKV_IM_13", rset) not in verdicts


def test_huge_strings(tmp_path):
    huge = "x" * 300_000
    verdicts = scan_source(
        tmp_path,
        f'''
resource "aws_ssmincidents_response_plan" "p" {{
  name         = "p"
  display_name = "{huge} ops@example.com"

  incident_template {{
    title  = "t"
    impact = 3
  }}
}}
''',
    )
    assert verdicts[("CKV_IM_10", "aws_ssmincidents_response_plan.p")] == "FAILED"


# --- random configurations through the model builder and every rule, without the safety net ------
SCALARS = [
    None,
    True,
    0,
    -1,
    3.5,
    "",
    "x",
    "us-east-1",
    "${var.x}",
    "${aws_kms_key.k.arn}",
    "alias/a",
    "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "${",
    "}",
    "${jsonencode({})}",
    '${file("/etc/passwd")}',
    '${file("${path.module}/../x")}',
    "a@b.co",
    "+4420794609 58",
    "https://u:p@h/x?token=1",
    "{",
    GOOD_POLICY,
    "[]",
    "DefaultKey",
    "var.x",
    "module.m.o",
]


def random_value(rng: random.Random, depth: int = 0):
    kind = rng.random()
    if depth > 4 or kind < 0.5:
        return rng.choice(SCALARS)
    if kind < 0.75:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    keys = [
        "name",
        "kms_key_arn",
        "region",
        "regions",
        "policy",
        "Statement",
        "Effect",
        "Action",
        "Principal",
        "Condition",
        "StringLike",
        "kms:ViaService",
        "prevent_destroy",
        "tags",
        "title",
        "__address__",
        "dynamic",
    ]
    return {rng.choice(keys): random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))}


RESOURCE_TYPES = [
    "aws_kms_key",
    "aws_kms_replica_key",
    "aws_kms_external_key",
    "aws_ssmincidents_replication_set",
    "aws_ssmincidents_response_plan",
    "aws_ssmcontacts_contact",
    "aws_sns_topic",
]
ATTRIBUTES = [
    "policy",
    "region",
    "regions",
    "kms_key_arn",
    "name",
    "tags",
    "lifecycle",
    "is_enabled",
    "enabled",
    "customer_master_key_spec",
    "key_usage",
    "primary_key_arn",
    "description",
    "display_name",
    "incident_template",
    "kms_master_key_id",
    "custom_key_store_id",
    "dynamic",
]


@pytest.mark.parametrize("seed", range(300))
def test_random_configurations_never_raise(seed):
    rng = random.Random(seed)
    resource_type = rng.choice(RESOURCE_TYPES)
    conf = {name: [random_value(rng)] for name in rng.sample(ATTRIBUTES, rng.randint(0, len(ATTRIBUTES)))}
    if rng.random() < 0.5:
        conf = {name: random_value(rng) for name in conf}  # unwrapped values too
    model = _single_resource_model(conf, f"/cdk.tf.json:{resource_type}:r")
    for rule in RULES.values():
        subject = model.subject(rule.subject, f"{resource_type}.r")
        if subject is not None:
            assert rule.function(subject, model).status.value in ("PASSED", "FAILED", "UNKNOWN")


def test_reference_cycles_end_in_unknown(tmp_path):
    verdicts = scan_source(
        tmp_path,
        """
locals {
  a      = local.b
  b      = local.a
  policy = templatefile("${path.module}/policy.tpl", { account = local.policy })
}
"""
        + key_with_policy("local.policy")
        + """
resource "aws_kms_key" "cyclic" {
  policy = local.a
}
""",
        {"policy.tpl": '{"Statement": [{"Principal": "${account}"}]}'},
    )
    assert ("CKV_IM_7", "aws_kms_key.k") not in verdicts
    assert ("CKV_IM_3", "aws_ssmincidents_replication_set.rs") in verdicts


def test_key_policy_resource_with_unresolved_key_makes_every_key_policy_unknown(tmp_path):
    """An aws_kms_key_policy whose key_id is unresolved may replace any key's policy: no PASSED on the inline one."""
    verdicts = scan_source(
        tmp_path,
        key_with_policy(json.dumps(GOOD_POLICY))
        + """
variable "key_id" {
  type = string
}

resource "aws_kms_key_policy" "elsewhere" {
  key_id = var.key_id
  policy = "{}"
}

resource "aws_kms_alias" "dangling" {
  name          = "alias/dangling"
  target_key_id = aws_kms_key.missing.key_id
}
""",
    )
    assert ("CKV_IM_7", "aws_kms_key.k") not in verdicts
    assert ("CKV_IM_3", "aws_ssmincidents_replication_set.rs") in verdicts


def test_key_policy_resource_for_a_key_outside_the_scan_is_ignored(tmp_path):
    verdicts = scan_source(
        tmp_path,
        key_with_policy(json.dumps(GOOD_POLICY))
        + """
resource "aws_kms_key_policy" "elsewhere" {
  key_id = "1234abcd-12ab-34cd-56ef-1234567890ab"
  policy = "{}"
}
""",
    )
    assert verdicts[("CKV_IM_7", "aws_kms_key.k")] == "PASSED"
