"""Property-based tests (hypothesis): whatever the input, no exception escapes the adapters, the
matchers or the rule functions, and every verdict is PASSED, FAILED or UNKNOWN
(docs/semantics.md#how-a-verdict-is-reached). Example counts stay modest so the suite stays fast."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckv_im.catalogue import RULES
from ckv_im.cloudformation_model import build_model
from ckv_im.hcl_expressions import parse_expression, render_template, template_parts, whole_expression
from ckv_im.iam_policy import names_incident_manager, required_grants_result, wildcard_principal_result
from ckv_im.model import STACK_REGION, Result, ScanModel, Status, Unknown, UnknownTemplate
from ckv_im.plan_model import plan_model
from ckv_im.sensitive_text import personal_data_in, strings_in, url_credentials_in
from support.cloudformation_inputs import TYPES

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text biased towards the characters the matchers care about.
TEXT = st.text(alphabet=st.sampled_from(list("aZ09.-_@+:/?#&;=%*${}!\\ \n\u200b\uff20\u017f\u212a")), max_size=60)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), TEXT)
JSON = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4), max_leaves=20
)
UNKNOWNS = st.sampled_from([Unknown("not known"), UnknownTemplate("arn:aws:iam::${var.id}:root"), UnknownTemplate("*")])
VALUE = st.one_of(JSON, UNKNOWNS)
ELEMENT_NAMES = st.sampled_from(
    ["Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition", "Sid"]
)
OPERATORS = st.sampled_from(
    ["StringLike", "StringEquals", "StringNotLike", "ForAllValues:StringEqualsIfExists", "stringlikeifexists", "Null"]
)
CONDITION_KEYS = st.sampled_from(["kms:ViaService", "kms:CallerAccount", "aws:PrincipalOrgID", "\u212ams:ViaService"])
CONDITION = st.dictionaries(OPERATORS, st.dictionaries(CONDITION_KEYS, VALUE, max_size=2), max_size=3)
STATEMENT = st.fixed_dictionaries(
    {
        "Effect": st.sampled_from(["Allow", "Deny", "allow", None]) | VALUE,
        "Action": st.sampled_from(["kms:*", "kms:CreateGrant", "*", "kms:Create*", "k?s:*"]) | VALUE,
        "Principal": st.sampled_from(["*", {"AWS": "*"}, {"AWS": []}, {"Service": "x"}]) | VALUE,
        "Condition": CONDITION | VALUE,
    }
).flatmap(lambda base: st.dictionaries(ELEMENT_NAMES, VALUE, max_size=2).map(lambda extra: {**base, **extra}))
POLICY = st.one_of(
    st.builds(lambda statements: {"Version": "2012-10-17", "Statement": statements}, st.lists(STATEMENT, max_size=4)),
    st.builds(lambda statement: {"Statement": statement}, STATEMENT | VALUE),
    VALUE,
)
REGION = st.one_of(st.none(), st.just(STACK_REGION), st.sampled_from(["us-east-1", "eu-west-1"]), TEXT, UNKNOWNS)
VERDICTS = {Status.PASSED, Status.FAILED, Status.UNKNOWN}


def assert_a_verdict(result: Result) -> None:
    assert result.status in VERDICTS
    assert all(isinstance(line, str) and "\n" not in line for line in result.details)


@PROPERTY_SETTINGS
@given(POLICY, REGION)
def test_key_policy_rules_take_any_policy(policy, region):
    assert_a_verdict(required_grants_result(policy, region))
    assert_a_verdict(wildcard_principal_result(policy, region))
    assert isinstance(names_incident_manager(policy), bool)


@PROPERTY_SETTINGS
@given(st.text(max_size=300) | TEXT)
def test_text_matchers_take_any_text(text):
    for finding in personal_data_in(text) + url_credentials_in(text):
        assert isinstance(finding, str)


@PROPERTY_SETTINGS
@given(VALUE)
def test_walks_take_any_value(value):
    for path, text in strings_in(value):
        assert isinstance(path, str) and isinstance(text, str)


@PROPERTY_SETTINGS
@given(TEXT, st.dictionaries(st.from_regex(r"[a-z]{1,3}", fullmatch=True), TEXT, max_size=3))
def test_expression_readers_take_any_text(text, variables):
    parse_expression(text)
    template_parts(text)
    whole_expression(text)
    rendered = render_template(text, variables)
    assert rendered is None or isinstance(rendered, str)


def judge_every_subject(model: ScanModel) -> None:
    for rule in RULES.values():
        for name in model.names_of(rule.subject):
            assert_a_verdict(rule.function(model.subject(rule.subject, name), model))


RESOURCE_TYPES = st.sampled_from(TYPES)  # the types the random templates of the bad-input tests use
INTRINSICS = st.sampled_from(["Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::Select", "Fn::FindInMap", "Fn::If"])
CFN_VALUE = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(TEXT, inner, max_size=3)
        | st.builds(lambda name, argument: {name: argument}, INTRINSICS, inner)
    ),
    max_leaves=15,
)
RESOURCE = st.fixed_dictionaries(
    {
        "Type": RESOURCE_TYPES,
        "Properties": st.dictionaries(
            st.sampled_from(
                ["KeyPolicy", "Regions", "Tags", "Name", "KeySpec", "DisplayName", "IncidentTemplate", "KmsMasterKeyId"]
            ),
            CFN_VALUE,
            max_size=4,
        ),
    }
)
TEMPLATE = (
    st.fixed_dictionaries(
        {
            "Resources": st.dictionaries(
                st.from_regex(r"[A-Z][a-z]{0,4}", fullmatch=True), RESOURCE | CFN_VALUE, max_size=4
            ),
            "Parameters": st.dictionaries(TEXT, CFN_VALUE, max_size=2),
            "Mappings": CFN_VALUE,
        }
    )
    | CFN_VALUE
)


@PROPERTY_SETTINGS
@given(TEMPLATE)
def test_cloudformation_model_and_rules_take_any_template(template):
    model = build_model(template)
    assert isinstance(model, ScanModel)
    judge_every_subject(model)


def mutated(node, choices: list, path_count: int):
    """Hypothesis-chosen replacements of some nodes of a real plan (depth-first order)."""
    counter = iter(range(10**9))

    def walk(value):
        index = next(counter)
        if index in choices and choices[index] is not None:
            return choices[index]
        if isinstance(value, dict):
            return {key: walk(item) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item) for item in value]
        return value

    return walk(node)


PLAN = json.loads((FIXTURES / "terraform_plan" / "im_url_credentials" / "plan.json").read_text())


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.dictionaries(st.integers(min_value=0, max_value=400), JSON, max_size=6))
def test_plan_model_and_rules_take_any_mutated_plan(tmp_path, replacements):
    choices = [replacements.get(index) for index in range(401)]
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(mutated(copy.deepcopy(PLAN), choices, 401), default=str))
    model = plan_model(str(plan))
    if isinstance(model, ScanModel):
        judge_every_subject(model)
    else:
        assert isinstance(model, Unknown)


HCL_VALUE = st.one_of(
    TEXT.map(json.dumps),
    st.sampled_from(
        [
            "aws_kms_key.k.arn",
            "[aws_kms_key.k.arn][0]",
            'try(aws_kms_key.k.arn, "x")',
            "var.missing",
            "jsonencode({ Statement = [] })",
            '"${aws_kms_key.k.arn}"',
            "null",
            "[]",
            "{}",
        ]
    ),
)


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(HCL_VALUE, HCL_VALUE, HCL_VALUE, HCL_VALUE)
def test_terraform_rules_take_any_attribute_values(tmp_path_factory, key_arn, region, policy, title):
    from support.checkov_scan import scan_source

    source = f"""
resource "aws_kms_key" "k" {{
  description = "incident data"
  policy      = {policy}
}}

resource "aws_ssmincidents_replication_set" "rs" {{
  region {{
    name        = {region}
    kms_key_arn = {key_arn}
  }}
}}

resource "aws_ssmincidents_response_plan" "p" {{
  name = "p"
  incident_template {{
    title  = {title}
    impact = 3
  }}
}}
"""
    verdicts = scan_source(tmp_path_factory.mktemp("hcl"), source)  # asserts no internal error
    assert set(verdicts.values()) <= {"PASSED", "FAILED"}
