"""Inputs that make the pack's own work grow faster than the input: each is bounded (size, depth,
nodes, statements), judged UNKNOWN with a debug log line when a bound is hit, and done quickly
(docs/semantics.md#limits)."""

from __future__ import annotations

import logging

import pytest

from ckv_im.cloudformation_model import build_model
from ckv_im.cloudformation_values import TemplateValues, serverless_string
from ckv_im.hcl_expressions import render_template
from ckv_im.model import PastLimit, Status, is_unknown
from ckv_im.rules import no_credentials_in_urls, no_personal_data_in_names
from support.checkov_scan import scan_source
from support.hostile import within_cpu_bound

# Checkov's own parse and graph of a small stack, plus the pack's share; generous on a shared runner.
SMALL_SCAN_SECONDS = 60.0


@pytest.mark.parametrize("template", ["${ " * 3000 + "${name}", "${" + " " * 6400, "${" + " " * 6400 + "name}"])
def test_a_templatefile_of_interpolation_openers_is_read_in_linear_time(template):
    assert within_cpu_bound(lambda: render_template(template, {"name": "x"})) in (None, "x")


def test_a_templatefile_placeholder_is_still_rendered():
    assert render_template("a ${ name } b $${kept}", {"name": "x"}) == "a x b ${kept}"


def test_a_fn_sub_of_interpolation_openers_is_read_in_linear_time():
    values = TemplateValues({"Resources": {}})
    text = "${" * 80_000 + "}" + "${" * 80_000
    within_cpu_bound(lambda: values.value({"Fn::Sub": text}))


def nested(function_of, levels: int, fan_out: int):
    node: object = "arn:aws:kms:us-east-1:111122223333:key/1234"
    for _ in range(levels):
        node = function_of(node, fan_out)
    return node


@pytest.mark.parametrize(
    "node",
    [
        nested(lambda inner, n: {"Fn::Sub": ["${A}" * n, {"A": inner}]}, 12, 10),
        nested(lambda inner, n: {"Fn::Join": ["", [inner] * n]}, 12, 10),
        nested(lambda inner, n: {"Fn::Join": ["", [inner, inner]]}, 60, 2),
    ],
    ids=["Fn::Sub fan-out", "Fn::Join fan-out", "Fn::Join doubling"],
)
def test_fan_out_of_intrinsics_is_bounded_and_unknown(node, caplog):
    values = TemplateValues({"Resources": {}})
    with caplog.at_level(logging.DEBUG, logger="ckv_im"):
        value = within_cpu_bound(lambda: values.value(node))
    assert isinstance(value, PastLimit)
    assert "limit reached" in caplog.text


def test_deeply_nested_intrinsics_are_unknown_without_recursion_errors():
    node: object = "x"
    for _ in range(5_000):
        node = {"Fn::Join": ["", [node]]}
    assert is_unknown(within_cpu_bound(lambda: TemplateValues({"Resources": {}}).value(node)))


def serverless_bomb(levels: int, fan_out: int) -> dict:
    custom = {f"v{i}": f"${{self:custom.v{i + 1}}}" * fan_out for i in range(levels)}
    custom[f"v{levels}"] = "x"
    return {"custom": custom}


def test_serverless_self_variables_that_fan_out_are_bounded_and_unknown(caplog):
    with caplog.at_level(logging.DEBUG, logger="ckv_im"):
        value = within_cpu_bound(lambda: serverless_string("${self:custom.v0}", serverless_bomb(10, 10)))
    assert isinstance(value, PastLimit)
    assert "limit reached" in caplog.text
    assert serverless_string("${self:custom.v0}", serverless_bomb(2, 3)) == "x" * 9


def billion_laughs(levels: int = 9) -> list:
    """What a YAML loader builds from nine levels of nine aliases: each level shares one list."""
    node: list = ["lol"]
    for _ in range(levels):
        node = [node] * 9
    return node


def test_a_yaml_alias_bomb_in_tags_is_unknown_not_passed():
    bomb = billion_laughs()
    template = {
        "Resources": {
            "Key": {"Type": "AWS::KMS::Key", "Properties": {"Description": "incident data", "Tags": bomb}},
            "Plan": {
                "Type": "AWS::SSMIncidents::ResponsePlan",
                "Properties": {"Name": "plan", "IncidentTemplate": {"Title": "t", "Impact": 3}, "Tags": bomb},
            },
        }
    }
    model = within_cpu_bound(lambda: build_model(template), bound=5.0)
    plan = model.im_resources["AWS::SSMIncidents::ResponsePlan.Plan"]
    assert within_cpu_bound(lambda: no_personal_data_in_names(plan, model)).status is Status.UNKNOWN
    assert within_cpu_bound(lambda: no_credentials_in_urls(plan, model)).status is Status.UNKNOWN


def test_a_configuration_shared_through_aliases_is_walked_within_bounds():
    from ckv_im.sensitive_text import TooLarge, located_strings_in

    with pytest.raises(TooLarge):
        within_cpu_bound(lambda: list(located_strings_in(billion_laughs())))


def policy_document_tower(levels: int, fan_out: int) -> str:
    """``levels`` policy documents, each including the one below ``fan_out`` times (no Sid: nothing merges)."""
    blocks = [
        """
        data "aws_iam_policy_document" "d0" {
          statement {
            actions   = ["kms:CreateGrant", "kms:DescribeKey"]
            resources = ["*"]
            principals {
              type        = "AWS"
              identifiers = ["arn:aws:iam::111122223333:root"]
            }
            condition {
              test     = "StringLike"
              variable = "kms:ViaService"
              values   = ["ssm-incidents.*.amazonaws.com", "ssm-contacts.*.amazonaws.com"]
            }
          }
        }
        """
    ]
    for level in range(1, levels + 1):
        sources = ", ".join([f"data.aws_iam_policy_document.d{level - 1}.json"] * fan_out)
        blocks.append(
            f"""
            data "aws_iam_policy_document" "d{level}" {{
              source_policy_documents = [{sources}]
            }}
            """
        )
    blocks.append(
        f"""
        resource "aws_kms_key" "k" {{
          description = "incident data"
          policy      = data.aws_iam_policy_document.d{levels}.json
        }}

        resource "aws_ssmincidents_replication_set" "rs" {{
          region {{
            name        = "us-east-1"
            kms_key_arn = aws_kms_key.k.arn
          }}
        }}
        """
    )
    return "\n".join(blocks)


def test_policy_documents_that_include_each_other_are_rendered_once_and_bounded(tmp_path, caplog):
    import time

    start = time.monotonic()
    with caplog.at_level(logging.DEBUG, logger="ckv_im"):
        verdicts = scan_source(tmp_path, policy_document_tower(7, 6))
    assert time.monotonic() - start < SMALL_SCAN_SECONDS
    assert verdicts.get(("CKV_IM_7", "aws_kms_key.k")) is None  # UNKNOWN: not reported
    assert "limit reached" in caplog.text


@pytest.mark.parametrize("depth, past_limit", [(500, False), (200_000, True)])
def test_a_deeply_nested_plan_is_unknown_not_an_error(tmp_path, depth, past_limit):
    from ckv_im.model import ScanModel
    from ckv_im.plan_model import plan_model

    resource = (
        '{"address": "aws_kms_key.k", "mode": "managed", "type": "aws_kms_key", "name": "k", '
        '"values": {"tags": ' + "[" * depth + "]" * depth + "}}"
    )
    plan = tmp_path / "plan.json"
    plan.write_text('{"format_version": "1.2", "planned_values": {"root_module": {"resources": [' + resource + "]}}}")
    model = within_cpu_bound(lambda: plan_model(str(plan)))
    # past what Python's JSON reader can nest: UNKNOWN; else a model (deep tags are outside every rule's reach)
    assert isinstance(model, PastLimit) if past_limit else isinstance(model, ScanModel)


INTERPOLATION_TEXTS = {
    "plain heredoc": "x" * 160_000,
    "references": "${a.b}" * 30_000,
    "openers": "${" * 80_000,
    "open quotes": '${"' * 50_000,
    "open braces": "${" + "{" * 160_000,
    "escapes": "$${" * 50_000,
    "dollars": "$x" * 80_000,
}


@pytest.mark.parametrize("text", INTERPOLATION_TEXTS.values(), ids=INTERPOLATION_TEXTS.keys())
def test_interpolation_scans_of_heredocs_are_linear(text):
    from ckv_im.hcl_expressions import looks_unrendered, parse_expression, template_parts, whole_expression
    from ckv_im.model import UnknownTemplate
    from ckv_im.sensitive_text import strings_in

    def scan_everything():
        template_parts(text)
        whole_expression(text)
        looks_unrendered(text)
        parse_expression(text)
        _ = UnknownTemplate(text).could_be_wildcard
        list(strings_in(UnknownTemplate(text)))

    within_cpu_bound(scan_everything)


def test_untargeted_key_policies_cost_memory_linear_in_the_keys(tmp_path):
    """Every key shares one Unknown naming a few of the aws_kms_key_policy resources whose key_id
    is not resolved: a message per key naming them all grew with keys x policies (1.27 GB at 4,000)."""
    from support.hostile import terraform_model

    count = 40
    blocks = ['variable "key_ids" {\n  type = list(string)\n}\n']
    for number in range(count):
        blocks.append(f'resource "aws_kms_key" "k{number}" {{\n  description = "incident data"\n}}\n')
        blocks.append(
            f'resource "aws_kms_key_policy" "p{number}" {{\n  key_id = var.key_ids[{number}]\n  policy = "{{}}"\n}}\n'
        )
    (tmp_path / "main.tf").write_text("\n".join(blocks))
    model = terraform_model(tmp_path)
    policies = {id(key.policy) for key in model.keys.values()}
    assert len(model.keys) == count and len(policies) == 1
    (policy,) = {key.policy for key in model.keys.values()}
    assert is_unknown(policy) and len(policy.reason) < 300
