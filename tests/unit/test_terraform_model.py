"""The HCL model builder on small configurations: keys, Regions, entries, policies, topics and who uses what.

Each configuration is written to a temporary directory and read by Checkov's own Terraform
parser and graph builder, as the Checkov shell receives it; no check runs. The model is
then built directly (``build_index`` and ``TerraformModelBuilder``).
"""

from __future__ import annotations

import textwrap

import pytest
from checkov.common.graph.db_connectors.rustworkx.rustworkx_db_connector import RustworkxConnector
from checkov.terraform.graph_manager import TerraformGraphManager

from ckv_im.model import KeyRef, ScanModel, Unknown
from ckv_im.terraform_graph import RawFiles, build_index
from ckv_im.terraform_model import TerraformModelBuilder

PROVIDERS = """
provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}
"""

KEYS_AND_ENTRIES = (
    PROVIDERS
    + """
locals {
  regions = {
    "us-east-1" = aws_kms_key.east.arn
    "us-west-2" = aws_kms_key.west.arn
  }
}

resource "aws_kms_key" "east" {
  description = "Incident Manager east"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "IncidentManager"
      Effect    = "Allow"
      Principal = { Service = "ssm-incidents.amazonaws.com" }
      Action    = ["kms:CreateGrant", "kms:DescribeKey"]
      Resource  = "*"
    }]
  })
  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_kms_key" "west" {
  provider = aws.west
}

resource "aws_kms_key" "frankfurt" {
  region   = "eu-central-1"
  key_spec = "RSA_2048"
}

resource "aws_kms_external_key" "imported" {
  description = "key material from the HSM"
}

resource "aws_kms_alias" "west" {
  provider      = aws.west
  name          = "alias/incident-west"
  target_key_id = aws_kms_key.west.key_id
}

resource "aws_ssmincidents_replication_set" "main" {
  region {
    name        = "us-east-1"
    kms_key_arn = aws_kms_key.east.arn
  }
  region {
    name        = "us-west-2"
    kms_key_arn = aws_kms_alias.west.name
  }
  region {
    name = "eu-west-1"
  }
}

resource "aws_ssmincidents_replication_set" "dynamic" {
  dynamic "region" {
    for_each = local.regions
    content {
      name        = region.key
      kms_key_arn = region.value
    }
  }
}
"""
)

POLICIES = (
    PROVIDERS
    + """
resource "aws_kms_key" "documented" {
  policy = data.aws_iam_policy_document.incident_manager.json
}

resource "aws_kms_key" "separate" {}

resource "aws_kms_key_policy" "separate" {
  key_id = aws_kms_key.separate.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [] })
}

resource "aws_kms_replica_key" "west" {
  provider        = aws.west
  primary_key_arn = aws_kms_key.documented.arn
}

data "aws_iam_policy_document" "incident_manager" {
  statement {
    sid       = "IncidentManager"
    actions   = ["kms:CreateGrant", "kms:DescribeKey"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
    condition {
      test     = "StringLike"
      variable = "kms:ViaService"
      values   = ["ssm-incidents.*.amazonaws.com"]
    }
  }
}
"""
)

TOPICS = (
    PROVIDERS
    + """
resource "aws_sns_topic" "chat" {
  name              = "incident-chat"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_sns_topic" "pager" {
  name = "incident-pager"
}

resource "aws_sns_topic" "unused" {
  name = "billing"
}

resource "aws_ssmincidents_response_plan" "payments" {
  name         = "payments-degraded"
  chat_channel = [aws_sns_topic.chat.arn]
  incident_template {
    title  = "Payments degraded"
    impact = 2
    notification_target {
      sns_topic_arn = "arn:aws:sns:us-east-1:111122223333:incident-pager"
    }
  }
  tags = {
    Team = "payments"
  }
}

resource "aws_ssmcontacts_contact" "oncall" {
  alias        = "payments-oncall"
  display_name = "Payments on-call"
  type         = "PERSONAL"
}
"""
)

UNRESOLVED = """
provider "aws" {}

variable "key_arn" {
  type = string
}

resource "aws_kms_key" "somewhere" {}

resource "aws_ssmincidents_replication_set" "main" {
  region {
    name        = "us-east-1"
    kms_key_arn = var.key_arn
  }
}
"""


def build_model(directory) -> ScanModel:
    """The model, with every key read in full (as a key a rule judges is): these tests are about reading."""
    manager = TerraformGraphManager(db_connector=RustworkxConnector())
    local_graph, _ = manager.build_graph_from_source_directory(str(directory), render_variables=True)
    raw_files = RawFiles()
    index = build_index(manager.save_graph(local_graph), raw_files)
    raw_files.set_scan_root(str(directory))
    builder = TerraformModelBuilder(index, raw_files)
    model = builder.build()
    model.keys = {address: builder.keys.key(address) for address in model.keys}
    return model


def test_a_key_no_rule_judges_is_not_read_beyond_its_policy(tmp_path):
    (tmp_path / "main.tf").write_text(
        textwrap.dedent(
            """
            provider "aws" {
              region = "us-east-1"
            }

            resource "aws_kms_key" "logs" {
              description = "Logs"
              policy      = jsonencode({ Version = "2012-10-17", Statement = [] })
            }
            """
        )
    )
    manager = TerraformGraphManager(db_connector=RustworkxConnector())
    local_graph, _ = manager.build_graph_from_source_directory(str(tmp_path), render_variables=True)
    raw_files = RawFiles()
    index = build_index(manager.save_graph(local_graph), raw_files)
    key = TerraformModelBuilder(index, raw_files).build().keys["aws_kms_key.logs"]
    assert key.policy == {"Version": "2012-10-17", "Statement": []}  # what tells the rules it is no IM key
    assert all(isinstance(value, Unknown) for value in (key.region, key.key_spec, key.enabled, key.description))
    assert not callable(index.resources["aws_kms_key.logs"]._raw)  # its block was parsed for the policy ...
    assert callable(index.providers["aws.default"]._raw)  # ... its provider never: the Region was not asked


@pytest.fixture(scope="module")
def model_of(tmp_path_factory):
    models: dict[str, ScanModel] = {}

    def model(configuration: str) -> ScanModel:
        if configuration not in models:
            directory = tmp_path_factory.mktemp("configuration")
            (directory / "main.tf").write_text(textwrap.dedent(configuration).lstrip(), encoding="utf-8")
            models[configuration] = build_model(directory)
        return models[configuration]

    return model


def key_ref(entry) -> KeyRef:
    assert isinstance(entry.key, KeyRef), entry
    return entry.key


def test_keys_live_in_the_region_of_their_provider_or_their_region_argument(model_of):
    keys = model_of(KEYS_AND_ENTRIES).keys
    assert {name: key.region for name, key in keys.items()} == {
        "aws_kms_key.east": "us-east-1",
        "aws_kms_key.west": "us-west-2",
        "aws_kms_key.frankfurt": "eu-central-1",
        "aws_kms_external_key.imported": "us-east-1",
    }
    assert (keys["aws_kms_key.east"].key_spec, keys["aws_kms_key.east"].key_usage) == (
        "SYMMETRIC_DEFAULT",
        "ENCRYPT_DECRYPT",
    )
    assert keys["aws_kms_key.frankfurt"].key_spec == "RSA_2048"
    assert keys["aws_kms_external_key.imported"].origin == "EXTERNAL"
    assert keys["aws_kms_key.east"].description == "Incident Manager east"
    assert (keys["aws_kms_key.east"].deletion_guard, keys["aws_kms_key.west"].deletion_guard) == (True, False)


def test_an_inline_policy_is_read_and_no_policy_is_the_default_one(model_of):
    keys = model_of(KEYS_AND_ENTRIES).keys
    east = keys["aws_kms_key.east"]
    assert east.policy_source == "the policy argument of aws_kms_key.east"
    assert isinstance(east.policy, dict) and east.policy["Statement"][0]["Sid"] == "IncidentManager"
    assert keys["aws_kms_key.west"].policy is None
    assert keys["aws_kms_key.west"].policy_source == "no key policy (the AWS default key policy)"


def test_entries_name_their_keys_directly_through_aliases_or_not_at_all(model_of):
    main = model_of(KEYS_AND_ENTRIES).replication_sets["aws_ssmincidents_replication_set.main"]
    assert isinstance(main.entries, list)
    assert [entry.name for entry in main.entries] == ["us-east-1", "us-west-2", "eu-west-1"]
    east, west, ireland = main.entries
    assert (key_ref(east).text, key_ref(east).naming, key_ref(east).region) == (
        "aws_kms_key.east.arn",
        "key_arn",
        "us-east-1",
    )
    assert key_ref(east).key is not None and key_ref(east).key.name == "aws_kms_key.east"
    assert (key_ref(west).naming, key_ref(west).region) == ("alias_name", "us-west-2")
    assert key_ref(west).key is not None and key_ref(west).key.name == "aws_kms_key.west"
    assert ireland.key is None  # the AWS owned key
    assert main.provider_region == "us-east-1"
    assert [entry.line for entry in main.entries] == sorted(entry.line or 0 for entry in main.entries)


def test_a_dynamic_block_expands_to_one_entry_per_element(model_of):
    dynamic = model_of(KEYS_AND_ENTRIES).replication_sets["aws_ssmincidents_replication_set.dynamic"]
    assert isinstance(dynamic.entries, list)
    assert [(entry.name, key_ref(entry).text, key_ref(entry).region) for entry in dynamic.entries] == [
        ("us-east-1", "aws_kms_key.east.arn", "us-east-1"),
        ("us-west-2", "aws_kms_key.west.arn", "us-west-2"),
    ]


def test_key_users_list_each_replication_set_once_per_key(model_of):
    model = model_of(KEYS_AND_ENTRIES)
    both = ["aws_ssmincidents_replication_set.main", "aws_ssmincidents_replication_set.dynamic"]
    assert model.key_users == {"aws_kms_key.east": both, "aws_kms_key.west": both}


def test_policy_documents_policy_resources_and_replica_primaries(model_of):
    keys = model_of(POLICIES).keys
    documented = keys["aws_kms_key.documented"]
    assert isinstance(documented.policy, dict)
    # one-element lists become single values, as Terraform writes the document's JSON
    assert documented.policy["Statement"] == [
        {
            "Effect": "Allow",
            "Sid": "IncidentManager",
            "Action": ["kms:CreateGrant", "kms:DescribeKey"],
            "Resource": "*",
            "Principal": {"AWS": ["arn:aws:iam::111122223333:root"]},
            "Condition": {"StringLike": {"kms:ViaService": "ssm-incidents.*.amazonaws.com"}},
        }
    ]
    separate = keys["aws_kms_key.separate"]
    assert separate.policy_source == "aws_kms_key_policy.separate"
    assert separate.policy == {"Version": "2012-10-17", "Statement": []}
    replica = keys["aws_kms_replica_key.west"]
    assert replica.is_replica and replica.primary is documented
    assert replica.region == "us-west-2"


def test_response_plans_record_their_topics_and_topics_their_users(model_of):
    model = model_of(TOPICS)
    plan = model.im_resources["aws_ssmincidents_response_plan.payments"]
    assert plan.notification_topics == ["aws_sns_topic.chat", "aws_sns_topic.pager"]
    assert {name: topic.used_by for name, topic in model.topics.items()} == {
        "aws_sns_topic.chat": ["aws_ssmincidents_response_plan.payments"],
        "aws_sns_topic.pager": ["aws_ssmincidents_response_plan.payments"],
        "aws_sns_topic.unused": [],
    }
    assert model.topics["aws_sns_topic.chat"].kms_master_key_id == "alias/aws/sns"
    assert model.topics["aws_sns_topic.pager"].kms_master_key_id is None


def test_incident_manager_resources_carry_their_name_fields_and_tags(model_of):
    resources = model_of(TOPICS).im_resources
    assert resources["aws_ssmincidents_response_plan.payments"].name_fields == {
        "name": "payments-degraded",
        "incident_template.title": "Payments degraded",
    }
    assert resources["aws_ssmincidents_response_plan.payments"].tags == {"Team": "payments"}
    assert resources["aws_ssmcontacts_contact.oncall"].name_fields == {
        "alias": "payments-oncall",
        "display_name": "Payments on-call",
    }
    assert resources["aws_ssmcontacts_contact.oncall"].notification_topics == []


def test_what_cannot_be_resolved_is_unknown_with_its_reason(model_of):
    model = model_of(UNRESOLVED)
    key = model.keys["aws_kms_key.somewhere"]
    assert isinstance(key.region, Unknown) and "comes from the environment" in key.region.reason
    main = model.replication_sets["aws_ssmincidents_replication_set.main"]
    assert isinstance(main.entries, list) and main.entries[0].name == "us-east-1"
    assert isinstance(main.entries[0].key, Unknown) and "key_arn" in main.entries[0].key.reason
    assert model.key_users == {}
