"""Finding personal data (CKV_IM_10) and credentials in URLs (CKV_IM_11) in strings.

Semantics: docs/rules/CKV_IM_10.md and docs/rules/CKV_IM_11.md ("What it checks").

Every description these functions return masks the value it is about, so a CI
log that prints the finding does not repeat the e-mail address, phone number,
password or token.

All scanning is linear in the length of the text: the patterns only start a
match at the start of a run of characters that can begin one (a look-behind
rules out every later position of the run), so a long run that never becomes a
match is read once, not once per position. Everything here takes any input and
never raises.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any
from urllib.parse import unquote, unquote_plus, urlsplit

from ckv_im.model import PastLimit, UnknownTemplate, past_limit, replace_interpolations

__all__ = ["located_strings_in", "personal_data_in", "strings_in", "url_credentials_in"]

# A string built partly from values known only later (``owner ${Team}@example.com``) is scanned with
# this character in place of each unresolved part: "the parts that could be resolved already break the
# rule" (docs/semantics.md#how-a-verdict-is-reached). It is never part of an e-mail address, and a phone
# number that touches it could be part of a longer number, so it is not reported.
UNRESOLVED = "\x00"

# -- text as its reader sees it -------------------------------------------------------------------
# Characters that render as nothing (zero-width spaces and joiners, bidirectional controls, the
# soft hyphen, variation selectors): "j\u200bdoe@exa\u200bmple.com" is read as the address it shows.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb]"
)
# JSON escapes left in a string that holds JSON text: "https:\/\/" and "\u0040".
_JSON_ESCAPE = re.compile(r"\\(?:/|u([0-9A-Fa-f]{4}))")


def _as_read(text: str) -> str:
    """The text with JSON escapes undone, invisible characters removed and compatibility forms
    (fullwidth at signs, colons and digits) folded by NFKC, so that none of them hides a finding."""
    if "\\" in text:
        text = _JSON_ESCAPE.sub(_unescaped, text)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))
    return text


def _unescaped(match: re.Match) -> str:
    code = match.group(1)
    return "/" if code is None else chr(int(code, 16))


# -- e-mail addresses -----------------------------------------------------------------------------
# docs/rules/CKV_IM_10.md: [A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}
#
# Two rewrites keep this linear without changing what it matches:
# - The search form starts only where a run of local-part characters starts
#   (look-behind). The leftmost match of the documented pattern starts there too;
#   without this, a long run with no "@" after it is re-read from every position.
# - The domain is matched as [A-Za-z0-9-][A-Za-z0-9.-]*\.[A-Za-z]{2,}, a
#   repeat of one character class that the regex engine backtracks in C. On a
#   domain without "..", that is the same language and the same (rightmost
#   ".xx") end as the documented group repeat, which is slow on many labels.
#   A match whose domain holds ".." is cut before the ".." and matched again
#   (``_strict_domain_end``).
_LOCAL = r"[A-Za-z0-9._%+-]"
_DOMAIN = r"[A-Za-z0-9-][A-Za-z0-9.-]*\.[A-Za-z]{2,}"
_EMAIL_SEARCH = re.compile(rf"(?<!{_LOCAL})({_LOCAL}++)@({_DOMAIN})")
# Anchored form, for resuming inside a run right after a previous match
# (``a@b.com.x@c.org`` holds ``a@b.com`` and then ``.x@c.org``).
_EMAIL_AT = re.compile(rf"({_LOCAL}++)@({_DOMAIN})")
_DOMAIN_AT = re.compile(_DOMAIN)
_LOCAL_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-")

# -- E.164 phone numbers --------------------------------------------------------------------------
# "+" then 8 to 15 digits, optionally separated by single spaces, dots or
# hyphens; not preceded by a digit or "+", not followed by a digit or by a
# separator and a digit (then it is part of a longer number). ASCII digits only.
_PHONE = re.compile(r"(?<![0-9+])\+[0-9](?:[ .-]?[0-9]){7,14}(?![0-9]|[ .-][0-9])")

# -- URLs -----------------------------------------------------------------------------------------
# scheme://... up to whitespace, a quote, "<" or ">". The scheme is the
# scheme:// of docs/rules/CKV_IM_11.md; the match starts at the start of the run of scheme characters (so
# "x.https://" is read once) and the scheme itself starts at its first letter.
_URL_STOP = "\\s\"'`<>"
_URL = re.compile(rf"(?<![A-Za-z0-9+.-])[0-9+.-]*+([A-Za-z][A-Za-z0-9+.-]*+://[^{_URL_STOP}]+)")
# Where a URL starts inside another one (the same rule for where a scheme starts).
_SCHEME_START = re.compile(r"(?<![A-Za-z0-9+.-])[0-9+.-]*+([A-Za-z][A-Za-z0-9+.-]*+://)")
# A password in any user-info of a shown URL, inner URLs too; at the end of a cut text, up to the end.
_SHOWN_PASSWORD = re.compile(r"(://[^/?#@:\s]*+:)[^/?#@\s]++(?=@)")
_CREDENTIAL_PARAMETERS = (
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
)


def _character_pattern(char: str) -> str:
    """A regex for one character of a name as written in a query: either case, possibly %-encoded."""
    codes = sorted({f"{ord(char.lower()):02X}", f"{ord(char.upper()):02X}"})
    escapes = "|".join(f"%{code[0]}[{code[1]}{code[1].lower()}]" if code[1].isalpha() else f"%{code}" for code in codes)
    literal = re.escape(char) if char.lower() == char.upper() else f"[{char.lower()}{char.upper()}]"
    return f"(?:{literal}|{escapes})"


def _names_pattern(names: Iterable[str]) -> str:
    """One regex for all ``names`` (as ``_character_pattern`` writes them), factored as a trie so that a
    field that is no credential name fails after a character or two, not once per name."""
    trie: dict = {}
    for name in names:
        node = trie
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict) -> str:
        branches = [_character_pattern(char) + render(child) for char, child in sorted(node.items()) if char]
        if "" in node:
            branches.append("")  # a name ends here; the caller's look-ahead decides whether the field does
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return render(trie)


# A query field is the text between "&" or ";" separators; its name runs to the
# first "=". This matches a field whose URL-decoded name is, ASCII
# case-insensitively, a credential name, on the query with "&" put in front (so
# the pattern starts with a character set, which the regex engine scans for in C).
_CREDENTIAL_NAMES = _names_pattern(_CREDENTIAL_PARAMETERS)
_FIRST_CHARACTERS = "".join(sorted({c for name in _CREDENTIAL_PARAMETERS for c in (name[0].lower(), name[0].upper())}))
_CREDENTIAL_FIELD = re.compile(rf"[&;](?=[{_FIRST_CHARACTERS}%])({_CREDENTIAL_NAMES})(?=[=&;]|\Z)")
# For descriptions: the value of a credential parameter anywhere in path, query or
# fragment (``#access_token=...`` too), so a finding never prints a secret.
_SHOWN_CREDENTIAL_VALUE = re.compile(rf"([&;?#/]{_CREDENTIAL_NAMES}=)[^&;#]*")
_MASK = "***"
MAX_FINDINGS = 50  # per string
_MAX_URL_SHOWN = 200


def personal_data_in(text: str) -> list[str]:
    """One masked description per e-mail address or E.164 phone number in ``text``, in order of appearance.

    ``"Owner j.doe@example.com"`` gives ``["e-mail address j***@example.com"]``;
    ``"+44 20 7946 0958"`` gives ``["phone number +44 ******** 58"]``. A phone
    number inside an e-mail address (``+4420794609@example.com``) is reported
    once, as the e-mail address.
    """
    if not isinstance(text, str) or not text:
        return []
    text = _as_read(text)
    found: list[tuple[int, str]] = []
    email_spans: list[tuple[int, int]] = []
    if "@" in text:
        for start, end, local, domain in _emails(text):
            email_spans.append((start, end))
            found.append((start, f"e-mail address {_mask_email(local, domain)}"))
    if "+" in text:
        span_index = 0
        for match in _PHONE.finditer(text):
            start, end = match.span()
            while span_index < len(email_spans) and email_spans[span_index][1] <= start:
                span_index += 1
            if span_index < len(email_spans) and email_spans[span_index][0] < end:
                continue  # part of an e-mail address, already reported
            if UNRESOLVED in text[max(start - 1, 0) : start] + text[end : end + 2]:
                continue  # an unresolved part next to it may make it a longer number
            found.append((start, f"phone number {_mask_phone(match.group())}"))
    found.sort(key=lambda item: item[0])
    return [description for _, description in found]


def _emails(text: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, local part, domain) of every match of the documented e-mail pattern, as ``re.finditer`` would."""
    pos, length = 0, len(text)
    while pos < length:
        match = None
        if pos and text[pos] in _LOCAL_CHARS and text[pos - 1] in _LOCAL_CHARS:
            match = _EMAIL_AT.match(text, pos)  # resuming inside a run: the look-behind would skip it
        if match is None:
            # If the anchored try failed, no later start in the same run can succeed
            # either (it reaches the same "@"), so skipping the rest of the run is right.
            match = _EMAIL_SEARCH.search(text, pos)
            if match is None:
                return
        start, domain_start = match.start(), match.start(2)
        end = match.end()
        if ".." in match.group(2):
            strict_end = _strict_domain_end(text, domain_start, text.index("..", domain_start))
            if strict_end is None:  # no address at this "@": go on after it
                pos = domain_start
                continue
            end = strict_end
        yield start, end, match.group(1), text[domain_start:end]
        pos = end


def _strict_domain_end(text: str, start: int, double_dot: int) -> int | None:
    """End of the documented domain at ``start``: labels cannot be empty, so it ends before the first ".."."""
    match = _DOMAIN_AT.match(text, start, double_dot)
    return match.end() if match else None


def _mask_email(local: str, domain: str) -> str:
    return f"{local[0]}{_MASK}@{domain}"


def _mask_phone(number: str) -> str:
    # Mask the canonical E.164 form, so neither the separators nor the length show.
    canonical = "+" + "".join(ch for ch in number if ch.isdigit())
    return f"{canonical[:3]} ******** {canonical[-2:]}"


def url_credentials_in(text: str) -> list[str]:
    """One masked description per credential carried by a URL in ``text``.

    A credential is a non-empty password in the user-info part
    (``scheme://user:secret@host``; ``user@host`` and ``user:@host`` carry
    none) or a query or fragment parameter whose URL-decoded name is, case-insensitively,
    exactly one of the names docs/rules/CKV_IM_11.md lists (``token``, ``X-Amz-Signature``, ...),
    whatever its value. Query fields are separated by "&" or ";". Each
    credential name is reported once per URL, spelt as first written (decoded).
    A URL inside another one (``https://h/?next=https://u:p@x``, ``a://x,b://u:p@y``) is a URL
    too, percent-encoded or not. Every description shows the URL with every password, the
    values of all its credential parameters, e-mail addresses and phone numbers masked, cut
    to 200 characters.
    """
    if not isinstance(text, str) or not text:
        return []
    text = _as_read(text)
    if "://" not in text and "%3A%2F%2F" not in text.upper():
        return []
    if "://" not in text:
        text = unquote(text)  # a URL written percent-encoded as a whole
    findings: dict[str, None] = {}  # in order, each once
    produced = 0
    for match in _URL.finditer(text):
        run = match.group(1)
        found = chain(_findings_in_url(run), _inner_url_findings(run))
        if "%" in run:  # inner URLs percent-encoded in a query (?next=https%3A%2F%2Fu%3Ap%40h)
            found = chain(found, _inner_url_findings(unquote(run)))
        for finding in found:
            findings[finding] = None
            produced += 1
            if produced == MAX_FINDINGS:  # the verdict is FAILED already; more lines tell nothing new
                return list(findings)
    return list(findings)


def _inner_url_findings(run: str) -> Iterator[str]:
    """Findings in each URL inside a URL, read up to the start of the next one (so the run is read once)."""
    starts = [inner.start(1) for inner in _SCHEME_START.finditer(run, 1)]
    for start, end in zip(starts, [*starts[1:], len(run)], strict=False):  # empty when there is none
        yield from _findings_in_url(run[start:end])


def _findings_in_url(url: str) -> Iterator[str]:
    if "@" not in url and "?" not in url and "#" not in url:
        return  # neither user-info, a query nor a fragment: nothing to carry a credential
    scheme, netloc, path, query, fragment = _split_url(url)
    _, has_password, password, _ = _user_info(netloc)
    password_found = has_password and password != ""
    names = _credential_names(query) if query else []
    fragment_names = _credential_names(fragment.replace("?", "&")) if fragment else []
    if not password_found and not names and not fragment_names:
        return
    shown = _shown_url(scheme, netloc, path, query, fragment, password_found).replace(UNRESOLVED, "${...}")
    if password_found:
        yield f"URL {shown} carries a password in its user-info"
    for name in names:
        yield f'URL {shown} carries credentials in query parameter "{name}"'
    for name in fragment_names:
        yield f'URL {shown} carries credentials in fragment parameter "{name}"'


def _split_url(url: str) -> tuple[str, str, str, str | None, str | None]:
    """scheme, netloc, path, query (None without "?"), fragment (None without "#") of ``scheme://...``."""
    try:
        split = urlsplit(url)
    except ValueError:
        # urllib rejects some netlocs (an unclosed "[" IPv6 literal, characters
        # that NFKC-normalise to a delimiter); the raw text still counts.
        return _split_url_by_hand(url)
    before_fragment = url.partition("#")[0]
    query = split.query if "?" in before_fragment else None
    fragment = split.fragment if "#" in url else None
    return split.scheme, split.netloc, split.path, query, fragment


def _split_url_by_hand(url: str) -> tuple[str, str, str, str | None, str | None]:
    """The split urllib makes (RFC 3986: fragment, then query, then netloc up to "/"), without its checks."""
    scheme, _, rest = url.partition("://")
    rest, hash_sign, fragment = rest.partition("#")
    rest, question_mark, query = rest.partition("?")
    slash = rest.find("/")
    netloc, path = (rest, "") if slash < 0 else (rest[:slash], rest[slash:])
    return scheme.lower(), netloc, path, query if question_mark else None, fragment if hash_sign else None


def _user_info(netloc: str) -> tuple[str | None, bool, str, str]:
    """(user or None without user-info, has a ":" password part, password, host part) of a netloc,
    as urllib reads it."""
    user_info, at, host = netloc.rpartition("@")
    if not at:
        return None, False, "", netloc
    user, colon, password = user_info.partition(":")
    return user, bool(colon), password, host


def _credential_names(query: str) -> list[str]:
    """URL-decoded names of the credential parameters of a query, each name once, in order of appearance."""
    raw_names = dict.fromkeys(_CREDENTIAL_FIELD.findall("&" + query))  # deduplicated in C: queries can be huge
    names: dict[str, str] = {}
    for raw in raw_names:
        name = unquote_plus(raw) if "%" in raw else raw
        names.setdefault(name.lower(), name)
    return list(names.values())


def _masked_value(match: re.Match) -> str:
    return match.group(1) + _MASK


def _shown_url(
    scheme: str, netloc: str, path: str, query: str | None, fragment: str | None, mask_password: bool
) -> str:
    """The URL with its password and the values of credential parameters masked, cut to 200 characters."""
    if mask_password:
        user, _, _, host = _user_info(netloc)
        netloc = f"{user}:{_MASK}@{host}"
    rest = path + ("" if query is None else "?" + query) + ("" if fragment is None else "#" + fragment)
    # Masked as a whole before it is cut, so that a cut never leaves part of a secret unmasked.
    shown = _masked_text(f"{scheme}://{netloc}" + _SHOWN_CREDENTIAL_VALUE.sub(_masked_value, rest))
    if len(shown) > _MAX_URL_SHOWN:
        shown = shown[: _MAX_URL_SHOWN - 3] + "..."
    return shown


def _masked_text(text: str) -> str:
    """Every user-info password, e-mail address and phone number in ``text`` masked."""
    text = _SHOWN_PASSWORD.sub(lambda match: match.group(1) + _MASK, text)
    if "@" in text:
        pieces, position = [], 0
        for start, end, local, domain in _emails(text):
            pieces += [text[position:start], _mask_email(local, domain)]
            position = end
        text = "".join(pieces) + text[position:]
    if "+" in text:
        text = _PHONE.sub(lambda match: _mask_phone(match.group()), text)
    return text


# -- walking resource configurations --------------------------------------------------------------
MAX_DEPTH = 64
# Strings and containers one walk visits: shared YAML aliases make a small file a huge tree.
MAX_WALKED = 200_000


class TooLarge(Exception):
    """A configuration the walk cannot read whole: past MAX_WALKED, or holding a PastLimit value."""

    def __init__(self, unknown: PastLimit) -> None:
        super().__init__(unknown.reason)
        self.reason = unknown.reason


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_\-:/.\[\]]+")  # no "@", "+", "?", spaces or quotes: cannot hide a finding
_SCALAR_KEY_TYPES = (int, float, bool, type(None))


def strings_in(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Yield ``(path, string)`` for every string value and every string dict key in ``value``.

    ``value`` is any nesting of dicts, lists and tuples, as Checkov gives a
    resource configuration. Paths read ``tags.Owner``,
    ``incident_template[0].title``: a one-element list around a scalar (how
    Checkov wraps attribute values) adds no ``[0]``. A dict key is yielded with
    the path of its value plus `` (key)``. A key that could itself hold
    personal data or a credential appears in paths as ``[<redacted key #n>]``
    (n counts the dict's keys from 1), other keys that are not plain names as
    ``["Cost Center"]``. Keys that start and end with ``__`` (Checkov's
    ``__start_line__``, ``__address__``) are skipped with their values.
    Containers nested deeper than ``MAX_DEPTH`` and containers that contain
    themselves are not entered. Iterative: deep nesting cannot exhaust the stack. Raises
    ``TooLarge`` past ``MAX_WALKED`` values or on a ``PastLimit`` value.
    """
    for shown_path, text, _ in located_strings_in(value, path):
        yield shown_path, text


def located_strings_in(value: Any, path: str = "") -> Iterator[tuple[str, str, tuple]]:
    """As ``strings_in``, plus each string's raw path: the keys and indexes that lead to it.

    Engines that point at a line (cfn-lint) turn the raw path into a template location.
    """
    if isinstance(value, (str, UnknownTemplate)):
        yield path, _scanned_text(value), ()
        return
    if isinstance(value, PastLimit):
        raise TooLarge(value)
    if not isinstance(value, (dict, list, tuple)):
        return
    stack: list[tuple[Iterator[tuple[str, Any, bool, tuple]], int]] = [(_children(value, path, ()), id(value))]
    open_ids = {id(value)}
    walked = 0
    while stack:
        children, container_id = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            open_ids.discard(container_id)
            continue
        child_path, child_value, is_key, raw_path = child
        walked += 1
        if walked > MAX_WALKED:
            raise TooLarge(past_limit(f"a configuration of more than {MAX_WALKED} values"))
        if isinstance(child_value, PastLimit):
            raise TooLarge(child_value)
        if isinstance(child_value, (str, UnknownTemplate)):
            yield child_path, _scanned_text(child_value), raw_path
        elif isinstance(child_value, (dict, list, tuple)) and not is_key:
            if len(stack) >= MAX_DEPTH or id(child_value) in open_ids:
                continue
            stack.append((_children(child_value, child_path, raw_path), id(child_value)))
            open_ids.add(id(child_value))


def _scanned_text(value: "str | UnknownTemplate") -> str:
    """A string as is; a partly resolved one with UNRESOLVED in place of each part known only later."""
    return replace_interpolations(value.text, lambda _: UNRESOLVED) if isinstance(value, UnknownTemplate) else value


def _children(container: Any, path: str, raw_path: tuple) -> Iterator[tuple[str, Any, bool, tuple]]:
    """(path, value, is_key, raw path) of a container's keys and values, in order."""
    if isinstance(container, dict):
        for number, (key, item) in enumerate(container.items(), start=1):
            if isinstance(key, str) and len(key) >= 4 and key.startswith("__") and key.endswith("__"):
                continue
            item_path = _key_path(path, key, number)
            if isinstance(key, str):
                yield f"{item_path} (key)", key, True, (*raw_path, key)
            yield item_path, item, False, (*raw_path, key)
    else:
        if len(container) == 1 and not isinstance(container[0], (dict, list, tuple)):
            yield path, container[0], False, (*raw_path, 0)
            return
        for index, item in enumerate(container):
            yield f"{path}[{index}]", item, False, (*raw_path, index)


def _key_path(path: str, key: Any, number: int) -> str:
    if isinstance(key, str):
        if _PLAIN_KEY.fullmatch(key):
            return f"{path}.{key}" if path else key
        if personal_data_in(key) or url_credentials_in(key):
            return f"{path}[<redacted key #{number}>]"
        return f"{path}[{json.dumps(key, ensure_ascii=False)}]"
    if isinstance(key, _SCALAR_KEY_TYPES):
        return f"{path}[{key!r}]"
    return f"{path}[<key #{number}>]"
