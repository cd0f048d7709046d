"""Hostile input to CKV_IM_10 / CKV_IM_11 text matching (ckv_im.sensitive_text): linear time on
adversarial megabytes, the evasions an adversarial review found, and descriptions that never
echo a secret or carry a line break (docs/rules/CKV_IM_10.md, docs/rules/CKV_IM_11.md)."""

from __future__ import annotations

import pytest

from ckv_im.model import Result
from ckv_im.sensitive_text import personal_data_in, url_credentials_in
from support.hostile import MEGABYTE, within_cpu_bound

SECRET = "hunter2secret"

ADVERSARIAL = {
    "local-part run": "a" * MEGABYTE,
    "at signs": "a@" * (MEGABYTE // 2),
    "labels": "a@b." * (MEGABYTE // 4),
    "dotted domain": "a@" + "a." * (MEGABYTE // 2) + ".",
    "hyphen run": "a-" * (MEGABYTE // 2) + "@",
    "plus digits": "+1" * (MEGABYTE // 2),
    "spaced digits": "+" + "1 " * (MEGABYTE // 2),
    "schemes": "http://" * (MEGABYTE // 7),
    "user-info runs": "a://a:b@" * (MEGABYTE // 8),
    "query fields": "https://h?" + "token&" * (MEGABYTE // 6),
    "encoded names": "https://h?" + "%74%6f%6b%65%6e&" * (MEGABYTE // 16),
    "encoded inner urls": "https://h?n=" + "https%3A%2F%2Fu%3Ap%40h," * (MEGABYTE // 24),
    "json escapes": "https:\\/\\/" * (MEGABYTE // 10),
    "zero-width": "\u200b" * MEGABYTE + "a@b.co",
    "fullwidth": "\uff20\uff41" * (MEGABYTE // 2),
}


@pytest.mark.parametrize("text", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_a_megabyte_of_adversarial_text_is_scanned_in_well_under_a_second(text):
    within_cpu_bound(lambda: (personal_data_in(text), url_credentials_in(text)))


EVASIONS = {
    "comma-joined": f"https://status.example.com,https://deploy:{SECRET}@hooks.example.com/x",
    "inside a query": f"https://sso.example.com/login?next=https://deploy:{SECRET}@hooks.example.com/x",
    "percent-encoded in a query": f"https://sso.example.com/?next=https%3A%2F%2Fdeploy%3A{SECRET}%40hooks.example.com",
    "fragment token": f"https://app.example.com/callback#access_token={SECRET}&state=1",
    "json-escaped slashes": f"https:\\/\\/deploy:{SECRET}@hooks.example.com\\/x",
    "zero-width in the scheme": f"https:\u200b//deploy:{SECRET}@hooks.example.com/x",
    "fullwidth colon": f"https\uff1a//deploy:{SECRET}@hooks.example.com/x",
    "fullwidth query": f"https://hooks.example.com/\uff1ftoken\uff1d{SECRET}",
}


@pytest.mark.parametrize("text", EVASIONS.values(), ids=EVASIONS.keys())
def test_url_credential_evasions_are_found_and_masked(text):
    findings = url_credentials_in(text)
    assert findings
    assert not any(SECRET in finding for finding in findings)


PERSONAL_DATA_EVASIONS = {
    "zero-width in the domain": "on call: j.doe@exa\u200bmple.com",
    "fullwidth at sign": "on call: j.doe\uff20example.com",
    "json escape": "on call: j.doe\\u0040example.com",
    "soft hyphen": "on call: j.doe@example.c\u00adom",
    "fullwidth phone": "\uff0b\uff14\uff14\u3000\uff12\uff10\uff17\uff19\uff14\uff16\uff10\uff19\uff15\uff18",
    "zero-width in the phone": "+44\u200b20\u200b7946\u200b0958",
}


@pytest.mark.parametrize("text", PERSONAL_DATA_EVASIONS.values(), ids=PERSONAL_DATA_EVASIONS.keys())
def test_personal_data_evasions_are_found(text):
    assert personal_data_in(text)


def test_every_password_in_every_url_is_masked_and_no_address_is_echoed():
    text = (
        f"https://outer:{SECRET}@hooks.example.com/relay/https://inner:{SECRET}2@x.example.com/"
        "?owner=jane.doe@example.com&phone=+442079460958&next=ftp://third:" + SECRET + "3@y.example.com"
    )
    findings = url_credentials_in(text)
    assert len(findings) >= 3  # the outer URL and the two inside it
    for finding in findings:
        assert SECRET not in finding
        assert "jane.doe" not in finding
        assert "2079460958" not in finding


def test_a_long_password_cut_at_the_end_of_a_description_is_still_masked():
    text = "https://h.example.com/" + "p" * 150 + "/https://u:" + "S" * 400 + "@x.example.com"
    for finding in url_credentials_in(text):
        assert "SSSS" not in finding


@pytest.mark.parametrize("control", ["\n", "\r", "\x1b", "\x85", "\u2028", "\u202e"])
def test_details_lines_never_carry_a_line_break_or_control_character(control):
    line = f"tags.Owner: e-mail in{control}::error::pwned"
    result = Result.failed(line)
    assert control not in result.details[0]
    assert "::error::pwned" in result.details[0]
    assert not result.details[0].startswith("::")
