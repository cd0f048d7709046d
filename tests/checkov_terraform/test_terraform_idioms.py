"""The details lines on the real-world Terraform idioms: data "aws_region", dynamic blocks, topics named
indirectly. The verdicts are in the manifest; these say which entry, key or Region a reader is pointed at."""

from __future__ import annotations

import pytest
from checkov.runner_filter import RunnerFilter
from checkov.terraform.runner import Runner

from ckv_im import checkov_terraform, rules, terraform_model
from ckv_im.model import Status
from support.checkov_scan import CHECKS_DIR, RULE_IDS, checkov_verdicts, scan_plan, scan_source, scan_terraform
from support.manifest import FIXTURES_DIR

TERRAFORM = FIXTURES_DIR / "terraform"
MAIN = "aws_ssmincidents_replication_set.main"


def details(report, check_id: str, resource: str) -> list[str]:
    records = [
        r for r in report.failed_checks + report.passed_checks if r.check_id == check_id and r.resource == resource
    ]
    assert len(records) == 1, f"{check_id} {resource}: {len(records)} records"
    return list(records[0].details)


def scan_model(monkeypatch, fixture: str):
    """The model the pack built for a fixture, as its checks saw it."""
    models = []
    original = terraform_model.TerraformModelBuilder.build

    def keep(builder):
        models.append(original(builder))
        return models[-1]

    monkeypatch.setattr(terraform_model.TerraformModelBuilder, "build", keep)
    checkov_terraform.GRAPH_MODELS.clear()
    scan_terraform(TERRAFORM / fixture)
    assert len(models) == 1
    return models[0]


def test_dynamic_entries_point_at_their_dynamic_block_and_static_ones_at_theirs():
    report = scan_terraform(TERRAFORM / "region_dynamic_blocks_variable")
    assert details(report, "CKV_IM_4", MAIN) == [
        "entries us-east-1 (line 28) and us-west-2 (line 33) use customer managed keys but eu-west-1 (line 33) uses "
        "the AWS owned key: use customer managed keys in all Regions or in none"
    ]


def test_a_key_instance_named_through_the_iterator_is_named_as_terraform_resolves_it():
    report = scan_terraform(TERRAFORM / "region_dynamic_blocks_for_each_keys")
    assert details(report, "CKV_IM_3", MAIN) == [
        'Region entry us-west-2 (line 69) uses aws_kms_key.incident["us-west-2"].arn, a key in us-east-1: '
        "use a key in us-west-2"
    ]


def test_a_key_arn_built_with_data_aws_region_carries_its_region():
    report = scan_terraform(TERRAFORM / "region_data_aws_region_alias")
    assert details(report, "CKV_IM_3", "module.incident_manager.aws_ssmincidents_replication_set.this") == [
        "Region entry us-east-1 (line 64) uses arn:aws:kms:us-west-2:111122223333:key/"
        "mrk-1234abcd12ab34cd56ef1234567890ab, a key in us-west-2: use a key in us-east-1"
    ]


def test_an_entry_named_by_a_lookup_is_named_by_its_expression(monkeypatch):
    model = scan_model(monkeypatch, "region_data_source_unresolved")
    rset = model.replication_sets[MAIN]
    result = rules.key_region_matches_entry(rset, model)
    assert result.status is Status.UNKNOWN
    assert result.details == (
        "Region entry data.aws_ssm_parameter.secondary_region.value (line 83) uses "
        "aws_kms_key.secondary.arn in us-west-2",
    )
    assert rules.provider_region_is_replicated(rset, model).details == (
        "provider Region us-west-2 is not among the resolved Region entries; the Region of entry "
        "data.aws_ssm_parameter.secondary_region.value (line 83) is not resolved",
    )


def test_an_unresolved_dynamic_block_stands_for_its_entries(monkeypatch):
    model = scan_model(monkeypatch, "region_dynamic_blocks_unresolved")
    result = rules.customer_managed_keys_everywhere(model.replication_sets[MAIN], model)
    assert result.status is Status.UNKNOWN
    assert result.details == (
        'the key of entry dynamic "region" over var.replica_regions (line 65) is not resolved and could be unset',
    )


@pytest.mark.parametrize(
    "fixture, topic, plan",
    [
        ("im_sns_topics_module", "module.chat.aws_sns_topic.this", "aws_ssmincidents_response_plan.payments_degraded"),
        (
            "im_sns_topics_instances",
            'aws_sns_topic.team_chat["payments"]',
            "aws_ssmincidents_response_plan.payments_degraded",
        ),
        ("im_sns_topic_literal_arn", "aws_sns_topic.chat", "aws_ssmincidents_response_plan.payments_degraded"),
    ],
)
def test_a_topic_reached_indirectly_names_the_response_plan_that_uses_it(fixture, topic, plan):
    expected = [f"{topic} carries incident details for {plan} but has no KMS key: encrypt it with a KMS key"]
    assert details(scan_terraform(TERRAFORM / fixture), "CKV_IM_12", topic) == expected
    assert details(scan_plan(FIXTURES_DIR / "terraform_plan" / fixture / "plan.json"), "CKV_IM_12", topic) == expected


def test_provider_region_from_data_aws_region_in_a_plan():
    report = scan_plan(FIXTURES_DIR / "terraform_plan" / "region_data_aws_region" / "plan.json")
    assert details(report, "CKV_IM_5", MAIN) == [f"provider Region us-east-1 is a Region of {MAIN}"]


# --- how the pack resolves them, case by case --------------------------------------------------------
WEST = 'provider "aws" {\n  alias  = "west"\n  region = "us-west-2"\n}\n'
KEY_ARN = "arn:aws:kms:{region}:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def replication_set(*entries: str) -> str:
    blocks = "".join(f"  region {{\n    name        = {name}\n    kms_key_arn = {key}\n  }}\n" for name, key in entries)
    return f'resource "aws_ssmincidents_replication_set" "rs" {{\n{blocks}}}\n'


@pytest.mark.parametrize(
    "data_source, attribute, im3",
    [
        ("{}", "name", "PASSED"),  # the default provider: us-east-1
        ("{}", "id", "PASSED"),  # v5: id is the Region too
        ("{}", "region", "PASSED"),  # v6 spelling
        ("{\n  provider = aws.west\n}", "name", "FAILED"),  # us-west-2
        ('{\n  name = "eu-west-1"\n}', "name", "FAILED"),  # a Region chosen in the data source
        ('{\n  endpoint = "ec2.us-east-1.amazonaws.com"\n}', "name", None),  # chosen by endpoint: not resolved
        ("{}", "description", None),  # not a Region
    ],
)
def test_data_aws_region(tmp_path, data_source, attribute, im3):
    verdicts = scan_source(
        tmp_path,
        WEST
        + f'data "aws_region" "r" {data_source}\n'
        + replication_set((f"data.aws_region.r.{attribute}", f'"{KEY_ARN.format(region="us-east-1")}"')),
    )
    assert verdicts.get(("CKV_IM_3", "aws_ssmincidents_replication_set.rs")) == im3


def test_a_provider_region_that_depends_on_itself_is_unknown(tmp_path):
    verdicts = scan_source(
        tmp_path,
        """
provider "aws" {
  alias  = "loop"
  region = data.aws_region.loop.name
}

data "aws_region" "loop" {
  provider = aws.loop
}

resource "aws_ssmincidents_replication_set" "rs" {
  provider = aws.loop
  region {
    name = data.aws_region.loop.name
  }
}
""",
    )
    assert ("CKV_IM_5", "aws_ssmincidents_replication_set.rs") not in verdicts


@pytest.mark.parametrize(
    "dynamic_block, im3",
    [
        # for_each over the key resource itself: region.value is the key instance
        (
            "for_each = aws_kms_key.k\n    content {\n      name        = region.key\n"
            "      kms_key_arn = region.value.arn\n    }",
            "FAILED",
        ),
        # lookup() into a map of keys
        (
            'for_each = toset(["us-east-1", "us-west-2"])\n    content {\n      name        = region.key\n'
            "      kms_key_arn = lookup(local.keys, region.key)\n    }",
            "FAILED",
        ),
        # a key by a name the map does not have: Terraform fails, the pack does not guess
        (
            'for_each = toset(["us-east-1", "eu-west-1"])\n    content {\n      name        = region.key\n'
            "      kms_key_arn = local.keys[region.key]\n    }",
            None,
        ),
        # an expression the pack does not evaluate
        (
            'for_each = toset(["us-east-1"])\n    content {\n      name        = upper(region.key)\n'
            '      kms_key_arn = aws_kms_key.k["us-east-1"].arn\n    }',
            None,
        ),
    ],
)
def test_dynamic_block_contents(tmp_path, dynamic_block, im3):
    verdicts = scan_source(
        tmp_path,
        f"""
resource "aws_kms_key" "k" {{
  for_each    = toset(["us-east-1", "us-west-2"])
  description = "Incident Manager data in ${{each.key}}"
}}

locals {{
  keys = {{
    "us-east-1" = aws_kms_key.k["us-east-1"].arn
    "us-west-2" = aws_kms_key.k["us-west-2"].arn
  }}
}}

resource "aws_ssmincidents_replication_set" "rs" {{
  dynamic "region" {{
    {dynamic_block}
  }}
}}
""",
    )
    assert verdicts.get(("CKV_IM_3", "aws_ssmincidents_replication_set.rs")) == im3


@pytest.mark.parametrize(
    "tfvars, im13",
    [
        ('regions = ["us-east-1"]\n', "FAILED"),  # one element: still a list (Checkov's own rendering unwraps it)
        ("regions = []\n", None),  # no entry at all: Terraform refuses the set
    ],
)
def test_a_for_each_variable_from_terraform_tfvars(tmp_path, tfvars, im13):
    verdicts = scan_source(
        tmp_path,
        """
variable "regions" {
  type    = list(string)
  default = ["eu-west-1", "us-east-1"]
}

resource "aws_ssmincidents_replication_set" "rs" {
  dynamic "region" {
    for_each = var.regions
    content {
      name = region.value
    }
  }
}
""",
        {"terraform.tfvars": tfvars},
    )
    assert verdicts.get(("CKV_IM_13", "aws_ssmincidents_replication_set.rs")) == im13
    assert verdicts.get(("CKV_IM_5", "aws_ssmincidents_replication_set.rs")) == ("PASSED" if im13 else None)


def test_a_for_each_variable_from_a_var_file_outside_the_scanned_tree(tmp_path):
    scanned = tmp_path / "scan"
    scanned.mkdir()
    (scanned / "main.tf").write_text("""
provider "aws" {
  region = "us-east-1"
}

variable "regions" {
  type = map(string)
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
""")
    var_file = tmp_path / "prod.tfvars"
    var_file.write_text(f'regions = {{ "us-east-1" = "{KEY_ARN.format(region="us-west-2")}" }}\n')
    report = Runner().run(
        root_folder=str(scanned),
        external_checks_dir=[str(CHECKS_DIR)],
        runner_filter=RunnerFilter(framework=["terraform"], checks=RULE_IDS, var_files=[str(var_file)]),
    )
    assert checkov_verdicts(report)[("CKV_IM_3", "aws_ssmincidents_replication_set.rs")] == "FAILED"


def test_a_topic_arn_with_an_unresolved_account_still_names_the_topic(tmp_path):
    verdicts = scan_source(
        tmp_path,
        """
variable "account_id" {
  type = string
}

resource "aws_sns_topic" "chat" {
  name = "incident-chat"
}

resource "aws_ssmincidents_response_plan" "p" {
  name         = "p"
  chat_channel = ["arn:aws:sns:us-east-1:${var.account_id}:incident-chat"]
  incident_template {
    title  = "t"
    impact = 3
  }
}
""",
    )
    assert verdicts[("CKV_IM_12", "aws_sns_topic.chat")] == "FAILED"


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:sns:${var.region}:111122223333:incident-chat",  # Region unknown
        "arn:aws:sns:us-west-2:111122223333:incident-chat",  # another Region
        "arn:aws:sns:us-east-1:111122223333:incident-chat-old",  # another name
    ],
)
def test_a_topic_arn_that_may_name_another_topic_links_nothing(tmp_path, arn):
    verdicts = scan_source(
        tmp_path,
        f'''
variable "region" {{
  type = string
}}

resource "aws_sns_topic" "chat" {{
  name = "incident-chat"
}}

resource "aws_ssmincidents_response_plan" "p" {{
  name         = "p"
  chat_channel = ["{arn}"]
  incident_template {{
    title  = "t"
    impact = 3
  }}
}}
''',
    )
    assert ("CKV_IM_12", "aws_sns_topic.chat") not in verdicts


def test_a_dynamic_notification_target_links_its_topics(tmp_path):
    verdicts = scan_source(
        tmp_path,
        """
resource "aws_sns_topic" "notify" {
  for_each = toset(["sre", "payments"])
  name     = "incident-${each.key}"
}

resource "aws_ssmincidents_response_plan" "p" {
  name = "p"
  incident_template {
    title  = "t"
    impact = 3
    dynamic "notification_target" {
      for_each = aws_sns_topic.notify
      content {
        sns_topic_arn = notification_target.value.arn
      }
    }
  }
}
""",
    )
    assert verdicts[("CKV_IM_12", 'aws_sns_topic.notify["sre"]')] == "FAILED"
    assert verdicts[("CKV_IM_12", 'aws_sns_topic.notify["payments"]')] == "FAILED"
