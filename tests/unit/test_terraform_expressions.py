"""Reading Terraform expressions, module scopes and literal key identifiers."""

from __future__ import annotations

import pytest

from ckv_im.arns import classify_key_identifier
from ckv_im.hcl_expressions import (
    file_call_in,
    looks_unrendered,
    reference_in,
    render_template,
    template_vars_in,
)
from ckv_im.model import UnknownTemplate, is_unknown
from ckv_im.policy_json import parse_policy
from ckv_im.rendered_values import clean, unwrap
from ckv_im.terraform_graph import module_scope, split_scope


@pytest.mark.parametrize(
    "raw, steps",
    [
        ("${aws_kms_key.primary.arn}", ("aws_kms_key", "primary", "arn")),
        ('${aws_kms_key.f["us-west-2"].arn}', ("aws_kms_key", "f", '["us-west-2"]', "arn")),
        ("${aws_kms_key.k[0].arn}", ("aws_kms_key", "k", "[0]", "arn")),
        ("${ module.keys.key_arn }", ("module", "keys", "key_arn")),
        ("${var.key-arn}", ("var", "key-arn")),
    ],
)
def test_reference_in_reads_single_references(raw, steps):
    assert reference_in(raw).steps == steps


@pytest.mark.parametrize(
    "raw",
    [
        "aws_kms_key.primary.arn",  # a string literal, not a reference
        "arn:aws:kms:${var.region}:111122223333:key/x",  # a template
        "${jsonencode({})}",  # a function call
        "${aws_kms_key.k[*].arn}",  # a splat
        "${var.a}${var.b}",
        42,
        None,
        ["${var.a}"],
    ],
)
def test_reference_in_rejects_everything_else(raw):
    assert reference_in(raw) is None


@pytest.mark.parametrize(
    "value, expected",
    [
        ("var.x", True),
        ("local.policy", True),
        ("module.m.out", True),
        ("data.aws_kms_key.k.arn", True),
        ("aws_kms_key.primary.arn", True),
        ('aws_kms_key.f["a"].arn', True),
        ("${anything}", True),
        ("us-east-1", False),
        ("arn:aws:kms:us-east-1:111122223333:key/abc", False),
        ("alias/incident", False),
        ("Incident Manager data", False),
        ("aws_kms_key", False),
        (3, False),
    ],
)
def test_looks_unrendered(value, expected):
    assert looks_unrendered(value) is expected


@pytest.mark.parametrize(
    "raw, function, path, has_vars",
    [
        ('${file("${path.module}/policy.json")}', "file", "${path.module}/policy.json", False),
        ('${file("policy.json")}', "file", "policy.json", False),
        ('${templatefile("${path.root}/p.tpl", { account = var.a })}', "templatefile", "${path.root}/p.tpl", True),
    ],
)
def test_file_call_in(raw, function, path, has_vars):
    call = file_call_in(raw)
    assert (call.function, call.path, call.has_vars) == (function, path, has_vars)


@pytest.mark.parametrize("raw", ["${file(var.path)}", '${filebase64("x")}', 'file("x")', 7])
def test_file_call_in_rejects_non_literal_paths_and_other_functions(raw):
    assert file_call_in(raw) is None


def test_module_scope_from_checkov_module_chain():
    inner = {
        "name": "key",
        "foreach_idx": "us-west-2",
        "nested_tf_module": {"name": "incident", "foreach_idx": None, "nested_tf_module": None},
    }
    assert module_scope(inner) == 'module.incident.module.key["us-west-2"]'
    assert module_scope({"name": "keys", "foreach_idx": 0, "nested_tf_module": None}) == "module.keys[0]"
    assert module_scope(None) == ""


@pytest.mark.parametrize(
    "scope, parent, name",
    [
        ("module.keys", "", "keys"),
        ('module.incident.module.key["us-west-2"]', "module.incident", "key"),
        ("module.a[0].module.b", "module.a[0]", "b"),
    ],
)
def test_split_scope(scope, parent, name):
    assert split_scope(scope) == (parent, name)


@pytest.mark.parametrize(
    "value, naming, region",
    [
        ("arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "key_arn", "us-west-2"),
        ("arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab", "key_arn", "eu-west-1"),
        (
            "arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "key_arn",
            "us-gov-west-1",
        ),
        ("arn:aws:kms:us-east-1:111122223333:alias/incident-manager", "alias_arn", "us-east-1"),
        ("1234abcd-12ab-34cd-56ef-1234567890ab", "key_id", None),
        ("mrk-1234abcd12ab34cd56ef1234567890ab", "key_id", None),
        ("alias/incident-manager", "alias_name", None),
        ("aws_kms_key.primary.arn", "other", None),
        ("", "other", None),
    ],
)
def test_classify_key_identifier(value, naming, region):
    found_naming, found_region = classify_key_identifier(value)
    assert found_naming == naming
    assert found_region == region if region else is_unknown(found_region)


def test_clean_marks_unrendered_strings_and_drops_checkov_markers():
    cleaned = clean({"__start_line__": 3, "a": ["var.x", "ok"], "b": {"c": "${data.x.y.z}"}})
    assert "__start_line__" not in cleaned
    assert isinstance(cleaned["a"][0], UnknownTemplate) and cleaned["a"][1] == "ok"
    assert isinstance(cleaned["b"]["c"], UnknownTemplate)


@pytest.mark.parametrize(
    "value, is_dict",
    [
        ('{"Statement": []}', True),
        ({"Statement": []}, True),
        ("{not json", False),
        ("[]", False),
        (None, False),
        (42, False),
        ("x" * (2 * 1024 * 1024), False),
    ],
)
def test_parse_policy(value, is_dict):
    parsed = parse_policy(value)
    assert isinstance(parsed, dict) is is_dict
    assert is_dict or is_unknown(parsed)


def test_unwrap_removes_checkov_list_wrapping_only():
    assert unwrap([["a"]]) == "a"
    assert unwrap(["a", "b"]) == ["a", "b"]
    assert unwrap([]) == []


@pytest.mark.parametrize(
    "vars_text, expected",
    [
        (
            "{'account_id': '${local.account_id}', 'admin': 'Ops'}",
            {"account_id": "${local.account_id}", "admin": "Ops"},
        ),
        ("{'n': 3, 'flag': True}", {"n": "3", "flag": "true"}),
        ("{}", {}),
        ("{'a': var.x}", None),  # not a literal value as python-hcl2 writes it
        ("{'a': {'nested': 'map'}}", None),
        ("{'a': 'x'} + junk", None),
    ],
)
def test_template_vars_in(vars_text, expected):
    assert template_vars_in(vars_text) == expected


@pytest.mark.parametrize(
    "template, variables, expected",
    [
        ("arn:aws:iam::${account_id}:root", {"account_id": "111122223333"}, "arn:aws:iam::111122223333:root"),
        ("${ a }-${a}", {"a": "x"}, "x-x"),
        ("literal $${not_a_var}", {}, "literal ${not_a_var}"),
        ("${missing}", {}, None),
        ("${upper(a)}", {"a": "x"}, None),
        ("%{ for s in services }${s}%{ endfor }", {"services": "x"}, None),
    ],
)
def test_render_template(template, variables, expected):
    assert render_template(template, variables) == expected


def test_parse_policy_reads_a_quoted_hcl_string_with_its_escapes():
    assert parse_policy(r"{\"Statement\": [{\"Sid\": \"A\"}]}") == {"Statement": [{"Sid": "A"}]}
    assert parse_policy('{"Statement": [{"Sid": "back\\\\slash"}]}') == {"Statement": [{"Sid": "back\\slash"}]}
