"""Values the pack evaluates itself: python-hcl2's expression text, variable types, functions, for_each."""

from __future__ import annotations

import pytest

from ckv_im.arns import classify_key_template
from ckv_im.hcl_expressions import Call, Traversal, parse_expression, template_parts, whole_expression
from ckv_im.model import is_unknown
from ckv_im.terraform_values import TfSet, call_function, convert, for_each_items, navigate, parse_type

OBJECTS = "${list(object({'name': '${string}', 'kms_key_arn': '${optional(string)}'}))}"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("toset(['a', 'b'])", Call("toset", (["a", "b"],))),
        ('lookup(local.m,"k",None)', Call("lookup", (Traversal("local.m", ("local", "m")), "k", None))),
        ("{'us-east-1': 'k', 'n': 3, 'b': True}", {"us-east-1": "k", "n": 3, "b": True}),
        ('aws_kms_key.k["a"].arn', Traversal('aws_kms_key.k["a"].arn', ("aws_kms_key", "k", '["a"]', "arn"))),
        ("'it\\'s'", "it's"),
    ],
)
def test_parse_expression_reads_literals_references_and_calls(text, expected):
    assert parse_expression(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "[for r in var.x : r.name]",
        "{for k , v in var.m : k => v}",
        "a ? b : c",
        "var.a + 1",
        "aws_kms_key.k[*].arn",
        "f(",
        "'unclosed",
        "x" * 30_000,
    ],
)
def test_parse_expression_gives_none_for_what_it_does_not_read(text):
    assert parse_expression(text) is None


def test_whole_expression_and_template_parts():
    assert whole_expression('${toset(["a"])}') == 'toset(["a"])'
    assert whole_expression("${a}-${b}") is None
    assert template_parts("arn:aws:sns:${data.aws_region.current.name}:111122223333:chat") == [
        "arn:aws:sns:",
        Traversal("data.aws_region.current.name", ("data", "aws_region", "current", "name")),
        ":111122223333:chat",
    ]
    assert template_parts("a$${b}") == ["a${b}"]
    assert template_parts("${lower(var.x)}") is None
    assert template_parts("%{ for r in var.x }${r}%{ endfor }") is None


def test_optional_attributes_are_filled_in_as_terraform_does():
    spec = parse_type(OBJECTS)
    assert convert([{"name": "us-east-1"}], spec) == [{"name": "us-east-1", "kms_key_arn": None}]
    with_default = parse_type("${map(object({'name': '${string}', 'key': '${optional(string,\"k\")}'}))}")
    assert convert({"a": {"name": "x"}}, with_default) == {"a": {"name": "x", "key": "k"}}


def test_a_required_attribute_that_is_missing_stays_missing():
    spec = parse_type("${list(object({'name': '${string}'}))}")
    value = convert([{}], spec)
    assert is_unknown(navigate(value, ("[0]", "name"), "var.x[0].name"))


def test_an_unreadable_type_changes_nothing():
    assert parse_type("${list(object(oops))}") is None
    assert convert([{"name": "a"}], None) == [{"name": "a"}]


def test_sets_of_strings_are_sorted_and_unique():
    assert convert(["us-west-2", "us-east-1", "us-west-2"], parse_type("${set(string)}")) == ["us-east-1", "us-west-2"]
    assert isinstance(call_function("toset", [["b", "a"]]), TfSet)


@pytest.mark.parametrize(
    "value, items",
    [
        (["us-east-1", "us-west-2"], [(0, "us-east-1"), (1, "us-west-2")]),
        (TfSet(["us-east-1", "us-west-2"]), [("us-east-1", "us-east-1"), ("us-west-2", "us-west-2")]),
        ({"us-west-2": "b", "us-east-1": "a"}, [("us-east-1", "a"), ("us-west-2", "b")]),  # maps by key, lexically
    ],
)
def test_for_each_order(value, items):
    assert for_each_items(value) == items


@pytest.mark.parametrize("value", ["us-east-1", 3, None])
def test_for_each_over_a_scalar_is_unknown(value):
    assert is_unknown(for_each_items(value))


@pytest.mark.parametrize(
    "name, arguments, expected",
    [
        ("lookup", [{"a": 1}, "a"], 1),
        ("lookup", [{"a": 1}, "b", None], None),
        ("keys", [{"b": 1, "a": 2}], ["a", "b"]),
        ("values", [{"b": 1, "a": 2}], [2, 1]),
        ("concat", [["a"], ["b"]], ["a", "b"]),
        ("merge", [{"a": 1}, {"a": 2, "b": 3}], {"a": 2, "b": 3}),
    ],
)
def test_functions(name, arguments, expected):
    assert call_function(name, arguments) == expected


@pytest.mark.parametrize(
    "name, arguments",
    [
        ("lookup", [{"a": 1}, "b"]),  # Terraform fails: no default
        ("format", ["%s", "a"]),  # not evaluated
        ("tolist", ["a"]),
    ],
)
def test_functions_the_pack_does_not_evaluate_are_unknown(name, arguments):
    assert is_unknown(call_function(name, arguments))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("arn:aws:kms:us-west-2:${local.account}:key/${var.key_id}", ("key_arn", "us-west-2")),
        ("arn:${data.aws_partition.p.partition}:kms:eu-west-1:111122223333:alias/im", ("alias_arn", "eu-west-1")),
        ("arn:aws:kms:${var.region}:111122223333:key/abc", None),
        ("${var.arn}", None),
    ],
)
def test_classify_key_template(text, expected):
    assert classify_key_template(text) == expected
