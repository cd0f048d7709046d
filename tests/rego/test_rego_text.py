"""The Rego text library (policies/lib/text.rego) finds what ckv_im.sensitive_text finds.

CKV_IM_10 and CKV_IM_11 must give the same verdicts in Checkov and in OPA, so the Rego
port of the e-mail, phone number and URL credential detection is compared with the
Python one on thousands of generated texts, with the same masked descriptions.
"""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from ckv_im.sensitive_text import UNRESOLVED, personal_data_in, strings_in, url_credentials_in
from support.hostile import within_cpu_bound
from support.rego_policies import engine

# Each adversarial text of a few tens of KB: generous, the embedded OPA interprets the policies.
_REGO_CPU_SECONDS = 5.0

# Zero-width characters and JSON escapes too: text is read as its reader sees it.
_PHONE_PIECES = ["+", "+4", "4", "20", "7946", "0958", " ", "  ", ".", "-", "1", "+1", "x", "@", "a@b.co", UNRESOLVED]
_PHONE_PIECES += ["\u200b", "\u00ad", "\\u002b", "\\u0034"]
_EMAIL_PIECES = [
    "j",
    "a.b",
    "+1",
    "%",
    ".",
    "@",
    "@example",
    "ops@mail",
    "example",
    ".com",
    ".c",
    "..",
    "-",
    "co.uk",
    "é",
    " ",
    ",",
    UNRESOLVED,
    "\u200d",
    "\\u0040",
    "\\/",
]
_URL_JUNK = [" ", '"', "<", "\u00a0", "\x1c", "x.", "1", "é", UNRESOLVED, "a" * 120, "%zz", "://", "@", "?"]
# What a reader does not see, or sees differently from the bytes: inner URLs (joined by a comma, in
# a query, percent-encoded), JSON escapes, zero-width characters, and fullwidth forms (NFKC).
_URL_DISGUISES = [
    ",",
    "?next=",
    "https%3A%2F%2Fu%3Ap%40h.example.com%2F%3Fsig%3D1",
    "s3%3a%2f%2fh%2F%3Ftoken%3Dx",
    "https:\\/\\/",
    "\\u0040",
    "\\u003a",
    "\u200b",
    "\u2060",
    "\ufeff",
    "\uff1a",  # fullwidth colon
    "\uff20",  # fullwidth at sign
    "\u00b2",  # superscript two
    "#access_token=abc?sig=1",
    "+44 20 7946 0958",  # masked in a shown URL, as e-mail addresses are
    "1+44 20 7946 0958-1",
    "jane@example.com",
]
_QUERY_NAMES = [
    "token",
    "Access_Token",
    "tok%65n",
    "TOK%45N",
    "sig",
    "Sig",
    "signature",
    "x-amz-signature",
    "api%2Dkey",
    "api%2dkey",
    "tokens",
    "my_token",
    "q",
    "",
    "pwd",
    UNRESOLVED,
]


def _urls(count: int, seed: int) -> list[str]:
    """Texts holding URLs with and without user-info passwords and credential query parameters."""
    rng = random.Random(seed)

    def url() -> str:
        user = rng.choice(["", "user@", "user:@", "user:pa55@", "u:p:q@", "a@b:c@", f"u:{UNRESOLVED}@"])
        path = rng.choice(["", "/p", "/token=x", "/a/b;sig=1"])
        fields = [rng.choice(_QUERY_NAMES) + rng.choice(["", "=", "=v", "=a=b"]) for _ in range(rng.randint(0, 3))]
        query = rng.choice(["", "?" + rng.choice(["&", ";"]).join(fields)])
        fragment = rng.choice(["", "#frag", "#access_token=abc"])
        return (
            rng.choice(["https://", "s3://", "x.https://", "1http://"])
            + user
            + "h.example.com"
            + path
            + query
            + fragment
        )

    def piece() -> str:
        return rng.choice([url(), url(), rng.choice(_URL_JUNK), rng.choice(_URL_DISGUISES)])

    return ["".join(piece() for _ in range(rng.randint(1, 4))) for _ in range(count)]


def _texts(pieces: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(count)]


def _rego_map(function: str, texts: list) -> list:
    """function(t) for every t, in one evaluation (undefined results would shorten the list)."""
    results = engine().eval_query(f"results := [{function}(t) | some t in input]", input=texts)
    return results[0]["results"]


def test_personal_data_matches_python_on_phone_like_text():
    texts = _texts(_PHONE_PIECES, 3000, 1)
    expected = [personal_data_in(text) for text in texts]
    assert _rego_map("data.incident_manager.lib.text.personal_data", texts) == expected
    assert sum(bool(found) for found in expected) > 300


def test_personal_data_matches_python_on_address_like_text():
    texts = _texts(_EMAIL_PIECES, 3000, 2)
    expected = [personal_data_in(text) for text in texts]
    assert _rego_map("data.incident_manager.lib.text.personal_data", texts) == expected
    assert sum(bool(found) for found in expected) > 200


def _nfkc_changes(texts: list[str]) -> list[bool]:
    """Whether NFKC changes each text as Rego reads it (JSON escapes undone, invisible characters
    removed): Python folds those compatibility forms, no Rego builtin does."""
    read = _rego_map("data.incident_manager.lib.text.as_read", texts)
    return [unicodedata.normalize("NFKC", text) != text for text in read]


def _assert_same_findings(function: str, python_function, texts: list[str]) -> None:
    """The same lines in Rego as in Python, except where only NFKC folding (Python's alone) tells
    them apart: there, where Rego reports a credential, Python does too."""
    expected = [python_function(text) for text in texts]
    found = _rego_map(function, texts)
    folded = _nfkc_changes(texts)
    for text, rego, python, nfkc in zip(texts, found, expected, folded, strict=True):
        if nfkc:
            assert python or not rego, text
        else:
            assert rego == python, text
    assert sum(folded) < len(texts) // 4  # most texts are compared for equality
    assert sum(bool(lines) for lines in expected) > 300


def test_url_credentials_match_python():
    _assert_same_findings("data.incident_manager.lib.text.url_credentials", url_credentials_in, _urls(4000, 3))


def test_text_is_read_as_python_reads_it():
    texts = [
        "https:\\/\\/u:p\\u0040h.example.com/",
        "ops\u200b@exa\u2060mple.com",
        "https://h/#access_token=abc",
        "https://h/?next=https%3A%2F%2Fu%3Ap%40x.example.com",
        "a://x,b://u:p@y.example.com",
        "https%3A%2F%2Fu%3Ap%40h.example.com",
        "+44\ufeff 20 7946 0958",
    ]
    for function, python_function in [
        ("data.incident_manager.lib.text.url_credentials", url_credentials_in),
        ("data.incident_manager.lib.text.personal_data", personal_data_in),
    ]:
        assert _rego_map(function, texts) == [python_function(text) for text in texts]
    assert all(url_credentials_in(text) for text in texts[:1] + texts[2:6])


def _normalised(pairs) -> list[tuple[str, str]]:
    """Python numbers redacted keys by their position in the object; Rego objects have no order."""
    return sorted((re.sub(r"<redacted key #\d+>", "<redacted key>", path), text) for path, text in pairs)


def test_strings_in_matches_python():
    values = [
        {"tags": {"Cost Center": "1", "owner jane@example.com": "x", "Owner": "${var.owner}@example.com"}},
        {"incident_template": [{"title": "t", "incident_tags": {"bridge": "+1 212 555 0188"}}], "list": ["a", ["b"]]},
        {"action": [{"ssm_automation": [{"parameter": [{"values": ["https://u:p@h/"]}]}]}], "n": 3, "z": None},
        {"__internal__": "skip", "x": {"__start_line__": 3, "y": "keep"}, "https://h/?token=1": "k"},
        "plain text",
    ]
    for value in values:
        rego = engine().eval_query(
            "pairs := [[data.incident_manager.lib.text.shown_path(input, s[0], s[2]), s[1]] | "
            "some s in data.incident_manager.lib.text.strings_in(input)]",
            input=value,
        )
        # Python scans a string known only later with UNRESOLVED in place of each ${...}
        python = [(path, re.sub(r"\$\{[^}]*\}", UNRESOLVED, text)) for path, text in strings_in(value)]
        assert _normalised(rego[0]["pairs"]) == _normalised(python), value


@pytest.mark.parametrize(
    "text",
    [
        "https://h/?" + "a://x," * 2000,
        "https://u:p@h/?" + "&".join(f"to=a{i}@example.com" for i in range(2000)),
        "https://u:p@h/?" + "&".join("n=+442079460958" for _ in range(2000)),
        " ".join(f"https://u:p{i}@h" for i in range(2000)),
        "https:\\/\\/u:p@h" + "\\u0041" * 16000,
    ],
    ids=["many inner schemes", "many e-mail addresses", "many phone numbers", "many URLs", "many escapes"],
)
def test_many_parts_are_read_in_bounded_time_with_python_s_lines(text):
    query = "x := data.incident_manager.lib.text.url_credentials(input)"
    rego = within_cpu_bound(lambda: engine().eval_query(query, input=text), _REGO_CPU_SECONDS)
    assert rego[0]["x"] == url_credentials_in(text)
