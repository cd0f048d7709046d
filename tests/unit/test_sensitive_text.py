"""ckv_im.sensitive_text: personal data (CKV_IM_10), credentials in URLs (CKV_IM_11), walking configurations."""

from __future__ import annotations

import random
import re
import time
from urllib.parse import urlsplit

import pytest

from ckv_im.sensitive_text import MAX_DEPTH, personal_data_in, strings_in, url_credentials_in

# The e-mail pattern exactly as docs/rules/CKV_IM_10.md writes it: the module must find what it finds.
SPEC_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

CREDENTIAL_NAMES = [
    "token",
    "access_token",
    "password",
    "passwd",
    "pwd",
    "secret",
    "client_secret",
    "api_key",
    "apikey",
    "api-key",
    "access_key",
    "auth",
    "signature",
    "sig",
    "x-amz-signature",
    "x-amz-credential",
    "x-amz-security-token",
]


def mixed_case(name: str) -> str:
    return "".join(c.upper() if i % 2 else c.lower() for i, c in enumerate(name))


# -- e-mail addresses -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("jane@example.com", ["e-mail address j***@example.com"]),
        ("Escalate to jane.doe@corp.example.co.uk, then page on-call.", ["e-mail address j***@corp.example.co.uk"]),
        ("owner=ops+pager@example.org", ["e-mail address o***@example.org"]),
        ("JANE@EXAMPLE.COM", ["e-mail address J***@EXAMPLE.COM"]),
        (
            "a@b.com and c_d@e-f.io; x%y@z.net",
            ["e-mail address a***@b.com", "e-mail address c***@e-f.io", "e-mail address x***@z.net"],
        ),
        # After a match the scan resumes inside the same run of characters, as re.finditer does.
        ("a@b.com.x@c.org", ["e-mail address a***@b.com", "e-mail address .***@c.org"]),
        # An empty label ends the domain: the address is what comes before "..".
        ("j@example.com..evil", ["e-mail address j***@example.com"]),
    ],
)
def test_email_addresses_are_found_and_masked(text, expected):
    assert personal_data_in(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "name@localhost",  # no top-level domain
        "name@example.c",  # one-letter top-level domain
        "name@example.123",  # numeric top-level domain
        "@example.com",  # no local part
        "name@.example.com",  # empty first label
        "name@example..com",  # empty label before the only top-level domain
        "name at example dot com",
        "",
    ],
)
def test_text_that_is_no_email_address_is_not_flagged(text):
    assert personal_data_in(text) == []


def _address_like_text(rng: random.Random) -> str:
    """Text of near-addresses: empty and doubled labels, missing local parts, junk in between."""
    out = []
    for _ in range(rng.randint(1, 6)):
        if rng.random() < 0.5:
            labels = [rng.choice(["a", "co", "com", "x1", "-", "", "io9", "Zq"]) for _ in range(rng.randint(1, 4))]
            out.append(rng.choice(["", "j", "a.b", "+1", "%", "."]) + "@" + ".".join(labels))
        else:
            out.append(rng.choice([" ", ",", "..", ".", "@", "x", "1", "-", "\u00e9", "+"]))
    return "".join(out)


def test_email_finding_matches_the_rules_md_pattern_on_random_text():
    """The linear-time rewrite finds exactly the addresses re.finditer finds with the documented pattern."""
    rng = random.Random(20251107)
    texts_with_addresses = 0
    for _ in range(5000):
        text = _address_like_text(rng)
        matches = [m.group() for m in SPEC_EMAIL.finditer(text)]
        texts_with_addresses += bool(matches)
        expected = [f"e-mail address {m[0]}***@{m.split('@', 1)[1]}" for m in matches]
        assert [f for f in personal_data_in(text) if f.startswith("e-mail")] == expected, text
    assert texts_with_addresses > 1000  # the generator really produces addresses


# -- phone numbers --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("+442079460958", "phone number +44 ******** 58"),
        ("Call +44 20 7946 0958 for the bridge", "phone number +44 ******** 58"),
        ("+44.20.7946.0958", "phone number +44 ******** 58"),
        ("+1-202-555-0143", "phone number +12 ******** 43"),
        ("+1 202.555-0143", "phone number +12 ******** 43"),
        ("+12345678", "phone number +12 ******** 78"),  # 8 digits: the minimum
        ("+123456789012345", "phone number +12 ******** 45"),  # 15 digits: the maximum
        ("on-call: +44 20 7946 0958.", "phone number +44 ******** 58"),  # a full stop ends a sentence, not a number
        ("tel:+442079460958", "phone number +44 ******** 58"),
        ("+44207946095.8", "phone number +44 ******** 58"),  # separator + digit that keeps it within 15 digits
    ],
)
def test_e164_phone_numbers_are_found_and_masked(text, expected):
    assert personal_data_in(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "+1234567",  # 7 digits: too few
        "+1 234 567",  # 7 digits with separators
        "+1234567890123456",  # 16 digits: too many
        "+44 20 7946 0958 1234",  # continues as a longer number after a separator
        "+123456789012345.6",  # 15 digits, then separator + digit: a 16-digit number
        "+123456789012345-6789",
        "0+442079460958",  # preceded by a digit
        "123+44207946095",  # preceded by a digit run
        "++442079460958",  # preceded by "+"
        "+44  2079460958",  # double separator: "+44" alone is too short
        "+44 20--7946 0958",  # double separator
        "+44 20 .7946 0958",  # two different separators in a row
        "442079460958",  # no "+"
        "+ 442079460958",  # separator before the first digit
        "version 1.2.3+20250101",  # build metadata, preceded by a digit
    ],
)
def test_text_that_is_no_e164_number_is_not_flagged(text):
    assert personal_data_in(text) == []


def test_several_findings_come_in_order_of_appearance():
    text = "+442079460958 first, then jane@example.com, then +1 202 555 0143 and bob@example.org"
    assert personal_data_in(text) == [
        "phone number +44 ******** 58",
        "e-mail address j***@example.com",
        "phone number +12 ******** 43",
        "e-mail address b***@example.org",
    ]


def test_a_phone_number_inside_an_email_address_is_reported_once():
    assert personal_data_in("+442079460958@example.com") == ["e-mail address +***@example.com"]


@pytest.mark.parametrize(
    "text, secrets",
    [
        ("jane.doe@example.com", ["jane.doe", "jane.doe@example.com"]),
        ("+44 20 7946 0958", ["7946", "2079460958", "+44 20 7946 0958"]),
        ("+1-202-555-0143", ["202", "555", "2025550143"]),
    ],
)
def test_personal_data_descriptions_do_not_repeat_the_value(text, secrets):
    findings = personal_data_in(text)
    assert len(findings) == 1
    for secret in secrets:
        assert secret not in findings[0]


def test_phone_mask_does_not_reveal_the_length():
    assert personal_data_in("+12345678")[0].count("*") == personal_data_in("+123456789012345")[0].count("*")


@pytest.mark.parametrize("value", [None, 42, b"jane@example.com", ["jane@example.com"]])
def test_non_string_input_gives_no_finding(value):
    assert personal_data_in(value) == []
    assert url_credentials_in(value) == []


# -- credentials in URLs --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "https://user:s3cr3t@hooks.example.com/x",
            ["URL https://user:***@hooks.example.com/x carries a password in its user-info"],
        ),
        (
            "webhook ftp://deploy:hunter2@files.example.com:2121/in today",
            ["URL ftp://deploy:***@files.example.com:2121/in carries a password in its user-info"],
        ),
        (
            "https://:onlypassword@h.example.com/",
            ["URL https://:***@h.example.com/ carries a password in its user-info"],
        ),
        (
            "https://user:p@ss@h.example.com/",  # the last "@" ends the user-info
            ["URL https://user:***@h.example.com/ carries a password in its user-info"],
        ),
    ],
)
def test_password_in_user_info_is_flagged(text, expected):
    assert url_credentials_in(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "https://user@hooks.example.com/x",  # user only
        "https://user:@hooks.example.com/x",  # empty password
        "https://hooks.example.com/path/user:secret@x",  # "@" in the path, not the user-info
        "https://hooks.example.com/x#user:secret@x",  # nor in the fragment
    ],
)
def test_user_info_without_a_password_is_not_flagged(text):
    assert url_credentials_in(text) == []


@pytest.mark.parametrize("name", CREDENTIAL_NAMES)
@pytest.mark.parametrize("spelling", [str.lower, str.upper, mixed_case])
def test_every_credential_parameter_name_is_flagged_in_any_case(name, spelling):
    written = spelling(name)
    findings = url_credentials_in(f"https://hooks.example.com/x?region=eu&{written}=SECRETVALUE&v=2")
    assert findings == [
        f"URL https://hooks.example.com/x?region=eu&{written}=***&v=2 "
        f'carries credentials in query parameter "{written}"'
    ]


@pytest.mark.parametrize("name", CREDENTIAL_NAMES)
def test_url_encoded_parameter_names_are_decoded_before_comparing(name):
    encoded = "".join(f"%{ord(c):02X}" for c in name)
    findings = url_credentials_in(f"https://h.example.com/?{encoded}=SECRETVALUE")
    assert len(findings) == 1
    assert f'query parameter "{name}"' in findings[0]
    assert "SECRETVALUE" not in findings[0]


@pytest.mark.parametrize(
    "query",
    [
        "tokenizer=bpe",
        "my_token=abc",
        "token2=abc",
        "xtoken=abc",
        "access-token=abc",
        "api key=abc",
        "api+key=abc",  # "+" decodes to a space
        "signatures=abc",
        "sigma=1",
        "authority=abc",
        "passwords=abc",
        "x-amz-signature-version=4",
        "to%6Bens=abc",
        "%20token=abc",
        "q=token",
        "next=/login?token",  # "token" as a value, not a name
    ],
)
def test_look_alike_parameter_names_are_not_flagged(query):
    assert url_credentials_in(f"https://h.example.com/?{query}") == []


@pytest.mark.parametrize(
    "url, name",
    [
        ("https://h.example.com/?token", "token"),  # CKV_IM_11 judges the name, whatever the value
        ("https://h.example.com/?token=", "token"),
        ("https://h.example.com/?a=1;pwd=abc", "pwd"),  # ";" separates fields too
        ("https://h.example.com/x?Sig=abc#frag", "Sig"),
    ],
)
def test_credential_parameter_edge_forms(url, name):
    findings = url_credentials_in(url)
    assert len(findings) == 1
    assert findings[0].endswith(f'carries credentials in query parameter "{name}"')
    assert "abc" not in findings[0]


def test_presigned_s3_url_reports_each_credential_parameter_once():
    url = (
        "https://bucket.s3.amazonaws.com/key?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        "&X-Amz-Credential=AKIAEXAMPLE%2F20250101%2Fus-east-1%2Fs3%2Faws4_request"
        "&X-Amz-Security-Token=FQoGZXIvYXdzEXAMPLE&X-Amz-Signature=deadbeef&X-Amz-Expires=60"
    )
    findings = url_credentials_in(url)
    assert [f.rsplit(" ", 1)[1] for f in findings] == [
        '"X-Amz-Credential"',
        '"X-Amz-Security-Token"',
        '"X-Amz-Signature"',
    ]
    for finding in findings:
        for secret in ("AKIAEXAMPLE", "FQoGZXIvYXdzEXAMPLE", "deadbeef"):
            assert secret not in finding
        assert "X-Amz-Expires=60" in finding


def test_a_repeated_parameter_is_one_finding_with_every_value_masked():
    findings = url_credentials_in("https://h.example.com/?token=one&Token=two")
    assert findings == ['URL https://h.example.com/?token=***&Token=*** carries credentials in query parameter "token"']


def test_password_and_parameter_in_one_url_mask_both_everywhere():
    findings = url_credentials_in("https://bot:pa55word@chat.example.com/hook?api_key=K3Y&channel=ops")
    shown = "https://bot:***@chat.example.com/hook?api_key=***&channel=ops"
    assert findings == [
        f"URL {shown} carries a password in its user-info",
        f'URL {shown} carries credentials in query parameter "api_key"',
    ]


def test_multiple_urls_in_one_string():
    text = (
        'see https://a.example.com/?token=T1, "https://u:P2@b.example.com/" '
        "<https://c.example.com/?q=1> and ftp://d.example.com/?sig=S3"
    )
    findings = url_credentials_in(text)
    assert findings == [
        'URL https://a.example.com/?token=*** carries credentials in query parameter "token"',
        "URL https://u:***@b.example.com/ carries a password in its user-info",
        'URL ftp://d.example.com/?sig=*** carries credentials in query parameter "sig"',
    ]
    assert not any(secret in " ".join(findings) for secret in ("T1", "P2", "S3"))


@pytest.mark.parametrize(
    "url, expected",
    [
        ("http://[::1?token=abc", ['URL http://[::1?token=*** carries credentials in query parameter "token"']),
        ("http://user:abc@[::1/x", ["URL http://user:***@[::1/x carries a password in its user-info"]),
        ("http://]?token=abc", ['URL http://]?token=*** carries credentials in query parameter "token"']),
        # A netloc with a character that NFKC-normalises to "/" (urllib refuses it) is read as the reader sees it.
        ("http://user:abc@host\uff0fpath", ["URL http://user:***@host/path carries a password in its user-info"]),
    ],
)
def test_netlocs_urllib_rejects_are_still_judged(url, expected):
    with pytest.raises(ValueError, match=r"IPv6|NFKC"):
        urlsplit(url)
    assert url_credentials_in(url) == expected


@pytest.mark.parametrize(
    "text",
    [
        "http://[::1",
        "http://[",
        "http://[::1]:notaport/?q=1",
        "https://",
        "://user:pw@host",
        "a://",
        "http://[::1]:99999999999999999999/",
        "x:/" * 50,
    ],
)
def test_odd_urls_never_raise(text):
    assert url_credentials_in(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "token=abc&password=xyz",  # a query without a URL
        "user:secret@host.example.com",  # user-info without a scheme
        "mailto:user:secret@example.com",  # no "//"
        "Rotate the api_key weekly; see the runbook.",
        "https://docs.example.com/runbooks/rotate-token",
        "",
    ],
)
def test_text_without_a_credential_url_is_not_flagged(text):
    assert url_credentials_in(text) == []


def test_a_url_ends_at_whitespace_quotes_and_angle_brackets():
    for stop in (" ", "\t", "\n", '"', "'", "<", ">"):
        findings = url_credentials_in(f"https://h.example.com/x{stop}?token=abc")
        assert findings == [], repr(stop)


def test_a_credential_in_the_fragment_is_flagged_and_masked_when_shown():
    assert url_credentials_in("https://h.example.com/#access_token=abc") == [
        'URL https://h.example.com/#access_token=*** carries credentials in fragment parameter "access_token"'
    ]
    findings = url_credentials_in("https://u:pw@h.example.com/#access_token=abc&state=1")
    shown = "URL https://u:***@h.example.com/#access_token=***&state=1"
    assert findings == [
        f"{shown} carries a password in its user-info",
        f'{shown} carries credentials in fragment parameter "access_token"',
    ]


def test_long_urls_are_cut_in_descriptions_and_never_show_the_secret():
    url = "https://h.example.com/?" + "a=1&" * 100 + "secret=" + "S" * 300
    findings = url_credentials_in(url)
    assert len(findings) == 1
    assert "S" * 10 not in findings[0]
    assert len(findings[0]) < 300
    findings = url_credentials_in("https://h.example.com/?secret=" + "S" * 300)
    # the secret is masked before the URL is cut: what is left is short enough to show whole
    assert findings == ['URL https://h.example.com/?secret=*** carries credentials in query parameter "secret"']


# -- walking configurations -----------------------------------------------------------------------
def test_strings_in_walks_a_checkov_shaped_resource():
    config = {
        "__start_line__": 1,
        "__end_line__": 30,
        "__address__": "aws_ssmincidents_response_plan.main",
        "name": ["critical-incidents"],
        "incident_template": [
            {
                "title": ["Database down"],
                "impact": [1],
                "incident_tags": [{"Owner": "jane@example.com"}],
                "notification_target": [{"sns_topic_arn": ["arn:aws:sns:eu-west-1:111122223333:im"]}],
            }
        ],
        "engagements": [["arn:a", "arn:b"]],
        "tags": {"Team": "sre", "Cost Center": "42"},
        "action": [
            {
                "ssm_automation": [
                    {
                        "parameter": [
                            {"name": ["url"], "values": [["https://h.example.com/?token=x"]]},
                            {"name": ["regions"], "values": [["eu-west-1", "us-east-1"]]},
                        ]
                    }
                ]
            }
        ],
    }
    assert list(strings_in(config)) == [
        ("name (key)", "name"),
        ("name", "critical-incidents"),
        ("incident_template (key)", "incident_template"),
        ("incident_template[0].title (key)", "title"),
        ("incident_template[0].title", "Database down"),
        ("incident_template[0].impact (key)", "impact"),
        ("incident_template[0].incident_tags (key)", "incident_tags"),
        ("incident_template[0].incident_tags[0].Owner (key)", "Owner"),
        ("incident_template[0].incident_tags[0].Owner", "jane@example.com"),
        ("incident_template[0].notification_target (key)", "notification_target"),
        ("incident_template[0].notification_target[0].sns_topic_arn (key)", "sns_topic_arn"),
        ("incident_template[0].notification_target[0].sns_topic_arn", "arn:aws:sns:eu-west-1:111122223333:im"),
        ("engagements (key)", "engagements"),
        ("engagements[0][0]", "arn:a"),
        ("engagements[0][1]", "arn:b"),
        ("tags (key)", "tags"),
        ("tags.Team (key)", "Team"),
        ("tags.Team", "sre"),
        ('tags["Cost Center"] (key)', "Cost Center"),
        ('tags["Cost Center"]', "42"),
        ("action (key)", "action"),
        ("action[0].ssm_automation (key)", "ssm_automation"),
        ("action[0].ssm_automation[0].parameter (key)", "parameter"),
        ("action[0].ssm_automation[0].parameter[0].name (key)", "name"),
        ("action[0].ssm_automation[0].parameter[0].name", "url"),
        ("action[0].ssm_automation[0].parameter[0].values (key)", "values"),
        ("action[0].ssm_automation[0].parameter[0].values[0]", "https://h.example.com/?token=x"),
        ("action[0].ssm_automation[0].parameter[1].name (key)", "name"),
        ("action[0].ssm_automation[0].parameter[1].name", "regions"),
        ("action[0].ssm_automation[0].parameter[1].values (key)", "values"),
        ("action[0].ssm_automation[0].parameter[1].values[0][0]", "eu-west-1"),
        ("action[0].ssm_automation[0].parameter[1].values[0][1]", "us-east-1"),
    ]


def test_strings_in_skips_checkov_markers_and_their_values():
    config = {"__start_line__": "jane@example.com", "__address__": {"x": "y"}, "__": "kept", "name": "n"}
    assert list(strings_in(config)) == [("__ (key)", "__"), ("__", "kept"), ("name (key)", "name"), ("name", "n")]


def test_strings_in_cloudformation_shaped_tags_and_prefix():
    properties = {"Tags": [{"Key": "Owner", "Value": "jane@example.com"}], "DisplayName": "Ops"}
    pairs = list(strings_in(properties, "Properties"))
    assert ("Properties.Tags[0].Value", "jane@example.com") in pairs
    assert ("Properties.DisplayName", "Ops") in pairs


def test_strings_in_never_puts_a_sensitive_key_into_a_path():
    tags = {"Team": "sre", "jane@example.com": "owner", "https://u:pw@h.example.com/": "hook"}
    pairs = list(strings_in({"tags": tags}))
    assert ("tags[<redacted key #2>] (key)", "jane@example.com") in pairs
    assert ("tags[<redacted key #2>]", "owner") in pairs
    assert ("tags[<redacted key #3>]", "hook") in pairs
    for path, _ in pairs:
        assert "jane" not in path and "pw" not in path


@pytest.mark.parametrize(
    "value, expected",
    [
        ("plain", [("", "plain")]),
        (["only"], [("", "only")]),
        (("a", "b"), [("[0]", "a"), ("[1]", "b")]),
        (
            {1: "one", None: "none", (1, 2): "pair", 2.5: "half"},
            [("[1]", "one"), ("[None]", "none"), ("[<key #3>]", "pair"), ("[2.5]", "half")],
        ),
        (42, []),
        (None, []),
        ({"a": [None, 1.5, False]}, [("a (key)", "a")]),
    ],
)
def test_strings_in_on_scalars_and_odd_keys(value, expected):
    assert list(strings_in(value)) == expected


def test_strings_in_on_very_deep_nesting_neither_recurses_nor_loops():
    deep: object = "bottom"
    for _ in range(100_000):
        deep = {"k": [deep, "side"]}
    pairs = list(strings_in(deep))  # no RecursionError
    assert ("k[1]", "side") in pairs
    assert "bottom" not in [text for _, text in pairs]  # beyond the depth cap
    assert len(pairs) <= 2 * MAX_DEPTH


def test_strings_in_reaches_strings_within_the_depth_cap():
    value: object = "near the cap"
    for _ in range(MAX_DEPTH - 1):
        value = [value, "pad"]
    assert "near the cap" in [text for _, text in strings_in(value)]


def test_strings_in_survives_self_references():
    loop: dict = {"name": "x"}
    loop["self"] = loop
    ring: list = ["a"]
    ring.append([ring, ring])
    assert list(strings_in(loop)) == [("name (key)", "name"), ("name", "x"), ("self (key)", "self")]
    assert [text for _, text in strings_in(ring)] == ["a"]


def test_strings_in_feeds_the_finders():
    config = {
        "tags": {"Owner": "jane@example.com"},
        "chat_channel": [{"webhook": ["https://h.example.com/?token=abc"]}],
    }
    personal = [f"{path}: {f}" for path, text in strings_in(config) for f in personal_data_in(text)]
    urls = [f"{path}: {f}" for path, text in strings_in(config) for f in url_credentials_in(text)]
    assert personal == ["tags.Owner: e-mail address j***@example.com"]
    assert urls == [
        'chat_channel[0].webhook: URL https://h.example.com/?token=*** carries credentials in query parameter "token"'
    ]


# -- performance ----------------------------------------------------------------------------------
FIVE_MB = 5 * 1024 * 1024

# Each input defeats a naive pattern: a long run retried from every position, a
# group repeated over millions of labels, a query with millions of fields.
ADVERSARIAL = {
    "letters then @": "a" * FIVE_MB + "@",
    "local parts without domains": ("a" * 1000 + "@") * (FIVE_MB // 1001),
    "many labels, no top-level domain": "x@" + "a." * (FIVE_MB // 2) + "1",
    "many labels then ..": "x@" + "a." * (FIVE_MB // 2) + ".com",
    "digits after +": "+" + "1" * FIVE_MB,
    "separated digits": "+" + "1-" * (FIVE_MB // 2),
    "plus signs": "+1" * (FIVE_MB // 2),
    "scheme run": "h" * FIVE_MB + "://x?token=1",
    "huge query": "https://h.example.com/?" + "a=1&" * (FIVE_MB // 4) + "token=1",
    "huge encoded query": "https://h.example.com/?" + "a%41=1&" * (FIVE_MB // 7),
    "separators only": "https://h.example.com/?" + ";" * FIVE_MB,
    "prose": "The on-call engineer restores service, then writes the review. " * (FIVE_MB // 64),
}
EXPECTED_COUNTS = {
    "letters then @": (0, 0),
    "local parts without domains": (0, 0),
    "many labels, no top-level domain": (0, 0),
    "many labels then ..": (0, 0),
    "digits after +": (0, 0),
    "separated digits": (0, 0),
    "plus signs": (0, 0),
    "scheme run": (0, 1),
    "huge query": (0, 1),
    "huge encoded query": (0, 0),
    "separators only": (0, 0),
    "prose": (0, 0),
}


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_five_megabytes_are_scanned_in_linear_time(name):
    text = ADVERSARIAL[name]
    assert len(text) >= 5_000_000
    started = time.perf_counter()
    counts = (len(personal_data_in(text)), len(url_credentials_in(text)))
    elapsed = time.perf_counter() - started
    assert counts == EXPECTED_COUNTS[name]
    # Each takes well under half a second here; catastrophic backtracking would
    # take hours. The bound is loose enough for a slow, busy CI runner.
    assert elapsed < 10, f"{name}: {elapsed:.2f}s"


def test_five_megabytes_of_findings_are_all_reported():
    text = "ops-lead@example.com " * (FIVE_MB // 21)
    findings = personal_data_in(text)
    assert len(findings) == FIVE_MB // 21
    assert set(findings) == {"e-mail address o***@example.com"}
