"""Reading KMS key policies for CKV_IM_7 and CKV_IM_8.

Semantics: docs/semantics.md#matching-iam-policy-elements. A policy is a parsed JSON
document (dict), ``None`` (no policy: the AWS default key policy) or an
``Unknown``; inside a dict any value may be an ``Unknown``.

Every question about a statement is answered in three-valued logic
(``_Truth``: NO < MAYBE < YES), so "and" is ``min`` and "or" is ``max``: an
unresolved part turns an answer into MAYBE only when it could change it, and a
verdict is PASSED only when no MAYBE was needed to reach it.

Shapes are checked before anything is read (``_is_well_formed``), so the
evaluation below never meets a type it does not expect. A malformed statement
is judged in the direction that cannot produce a wrong PASSED: it grants
nothing to CKV_IM_7, but it may deny (CKV_IM_7) and may be a wildcard grant
(CKV_IM_8).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from enum import IntEnum
from functools import lru_cache, partial, wraps
from typing import Any

from ckv_im.model import STACK_REGION_TEXT, Result, StackRegion, UnknownTemplate, is_unknown

__all__ = [
    "INCIDENT_MANAGER_SERVICES",
    "REQUIRED_ACTIONS",
    "action_pattern_matches",
    "names_incident_manager",
    "required_grants_result",
    "wildcard_principal_result",
]

INCIDENT_MANAGER_SERVICES = ("ssm-incidents", "ssm-contacts")
REQUIRED_ACTIONS = ("kms:CreateGrant", "kms:DescribeKey")

_VIA_SERVICE = "kms:viaservice"
_CALLER_PIN_KEYS = frozenset({"kms:calleraccount", "aws:principalaccount", "aws:principalorgid", "aws:principalarn"})
_SET_PREFIXES = ("forallvalues:", "foranyvalue:")
_IF_EXISTS = "ifexists"
_SERVICE_SUFFIX = ".amazonaws.com"
# What a Region name may look like (loosely: every AWS Region name has this form).
_REGION_NAME = r"\.([a-z0-9-]+)"
# A Region name: us-east-1, us-gov-west-1, ap-southeast-4, cn-northwest-1, us-isob-east-1.
_REGION_NAME_FORM = re.compile(r"[a-z]{2}(?:-[a-z]{1,16}){1,3}-[0-9]{1,2}")
# Unknown-Region checks stand a Region in with this character, which only a wildcard can match.
_REGION_SENTINEL = "\x00"
# Longer globs are not analysed for the unknown-Region case; they are judged "may match" instead.
_MAX_ANALYSED_GLOB = 512
_MAX_WALKED_NODES = 10_000
_MAX_SHOWN = 80  # characters of a Sid or a condition value quoted in a details line
_MAX_MISSES_SHOWN = 3  # near-miss statements, and reasons per statement, named in one details line


_MAX_REMEMBERED_VERDICTS = 4096  # distinct (policy, Region) pairs whose CKV_IM_7/8 verdicts are kept


def _by_content(judge: Callable[[Any, Any], Result]) -> Callable[[Any, Any], Result]:
    """A policy rule's verdict computed once per distinct policy and key Region.

    The keys of a monorepo mostly share a few policies, written once in a module. Only a
    policy of plain JSON values is remembered: unresolved parts are told apart by more than
    their text. A verdict depends on nothing else, so the remembered one is the one computed.
    """
    verdicts: dict[tuple[str, Any], Result] = {}

    @wraps(judge)
    def judged(policy: Any, key_region: Any) -> Result:
        content = _plain_json_text(policy) if isinstance(key_region, (str, StackRegion)) else None
        if content is None:
            return judge(policy, key_region)
        remembered = verdicts.get((content, key_region))
        if remembered is None:
            if len(verdicts) >= _MAX_REMEMBERED_VERDICTS:
                verdicts.clear()
            remembered = verdicts[(content, key_region)] = judge(policy, key_region)
        return remembered

    return judged


def _plain_json_text(policy: Any) -> str | None:
    """The policy's exact text (``repr`` tells tuples, Booleans and numbers apart) if it holds plain JSON only."""
    if not isinstance(policy, dict):
        return None
    try:
        json.dumps(policy)  # fails on an Unknown, or any other object an adapter left
        return repr(policy)
    except (TypeError, ValueError, RecursionError):
        return None


class _Truth(IntEnum):
    NO = 0
    MAYBE = 1
    YES = 2


def _all(truths: Iterable[_Truth]) -> _Truth:
    return min(truths, default=_Truth.YES)


def _any(truths: Iterable[_Truth]) -> _Truth:
    return max(truths, default=_Truth.NO)


def _not(truth: _Truth) -> _Truth:
    return _Truth(_Truth.YES - truth)


def _truth(flag: bool) -> _Truth:
    return _Truth.YES if flag else _Truth.NO


# Glob matching -------------------------------------------------------------------------------------
# IAM compares names (actions, condition keys, operators) ignoring case. Whether it folds non-ASCII
# characters that fold to ASCII ones (the long s U+017F to "s", the Kelvin sign to "k") is not documented,
# so a name that matches only under one of the two foldings is undecided, never a match.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _ascii_lower(text: str) -> str:
    return text.translate(_ASCII_LOWER)


def action_pattern_matches(pattern: object, action: object) -> bool:
    """IAM action matching: case-insensitive, ``*`` any run of characters, ``?`` one character."""
    return _action_match(pattern, action) is _Truth.YES


def _action_match(pattern: object, action: object) -> _Truth:
    """YES or NO when both foldings agree; MAYBE when only a Unicode case folding makes the pattern match."""
    if not isinstance(pattern, str) or not isinstance(action, str):
        return _Truth.NO
    ascii_match = _glob_matches(_ascii_lower(pattern), _ascii_lower(action), ignore_case=False)
    if pattern.isascii() or ascii_match:
        return _truth(ascii_match)
    return _Truth.MAYBE if _glob_matches(pattern, action, ignore_case=True) else _Truth.NO


def _glob_matches(pattern: str, text: str, *, ignore_case: bool) -> bool:
    """Glob matching (``*`` any run, ``?`` one character) in O(len(pattern) * len(text)) at worst.

    No regular expression: a translated glob such as ``*s*s*s*s*q`` backtracks exponentially. The
    pieces between stars are matched left to right, each at its leftmost place: a later piece can
    only gain from an earlier one ending sooner, so the greedy choice is never wrong.
    """
    if ignore_case:
        pattern, text = pattern.casefold(), text.casefold()
    pieces = pattern.split("*")
    if len(pattern) - (len(pieces) - 1) > len(text):
        return False  # a glob needs at least one character per non-* character
    if len(pieces) == 1:
        return len(pattern) == len(text) and _piece_at(pattern, text, 0)
    first, middle, last = pieces[0], pieces[1:-1], pieces[-1]
    end = len(text) - len(last)
    if not (_piece_at(first, text, 0) and _piece_at(last, text, end)):
        return False
    position = len(first)
    for piece in middle:
        found = _find_piece(piece, text, position, end)
        if found < 0:
            return False
        position = found + len(piece)
    return True


def _piece_at(piece: str, text: str, start: int) -> bool:
    """Whether a star-free piece (``?`` any one character) matches ``text`` at ``start``."""
    if "?" not in piece:
        return text.startswith(piece, start)
    return all(p in ("?", t) for p, t in zip(piece, text[start : start + len(piece)], strict=True))


def _find_piece(piece: str, text: str, start: int, end: int) -> int:
    """Leftmost place in ``text[start:end]`` where a star-free piece matches, or -1."""
    if "?" not in piece:
        return text.find(piece, start, end) if start + len(piece) <= end else -1
    anchor = max(piece.split("?"), key=len)  # the longest literal run narrows the places to try
    offset = piece.index(anchor) if anchor else 0
    candidate = start
    while candidate + len(piece) <= end:
        if anchor:
            found = text.find(anchor, candidate + offset, end - (len(piece) - offset - len(anchor)))
            if found < 0:
                return -1
            candidate = found - offset
        if _piece_at(piece, text, candidate):
            return candidate
        candidate += 1
    return -1


def _globs_overlap(first: str, second: str) -> bool:
    """Whether some string matches both globs (compared case-sensitively).

    Dynamic programming from the ends: ``row[j]`` says whether ``first[i:]`` and
    ``second[j:]`` share a match, ``below`` is the same for ``first[i + 1:]``.
    """
    below = [False] * (len(second) + 1)
    for i in range(len(first), -1, -1):
        row = [False] * (len(second) + 1)
        for j in range(len(second), -1, -1):
            row[j] = _overlap_step(first, second, i, j, row, below)
        below = row
    return below[0]


def _overlap_step(first: str, second: str, i: int, j: int, row: list[bool], below: list[bool]) -> bool:
    a = first[i] if i < len(first) else None
    b = second[j] if j < len(second) else None
    if a is None and b is None:
        return True
    a_single = a is not None and a != "*"
    b_single = b is not None and b != "*"
    if a == "*" and (below[j] or (b_single and row[j + 1])):  # the star matches nothing, or b's character
        return True
    if b == "*" and (row[j + 1] or (a_single and below[j])):
        return True
    return a_single and b_single and (a == b or "?" in (a, b)) and below[j + 1]


# kms:ViaService values ----------------------------------------------------------------------------
# AWS compares condition values case-sensitively (except the ...IgnoreCase operators), and the
# service name it puts in kms:ViaService is lower case, as Region names are.
#
# A value the CloudFormation adapter built with the stack Region holds STACK_REGION_TEXT (see
# ckv_im.model), which for a key of that stack stands for the key Region. A value pinned to a
# Region by name may or may not be it.


def _known_region(key_region: Any) -> str | None:
    """The key Region by name (the stack Region as its marker), or None when it is not known."""
    if isinstance(key_region, StackRegion):
        return STACK_REGION_TEXT
    if isinstance(key_region, str) and _REGION_NAME_FORM.fullmatch(key_region.strip().lower()):
        return key_region.strip().lower()  # Region names are lower case in AWS
    return None  # text that is no Region name is no evidence of the key Region


def _lower_outside_marker(value: str) -> str:
    """The value in lower case; the stack-Region marker (which stands for a lower-case name) kept as it is."""
    return STACK_REGION_TEXT.join(part.lower() for part in value.split(STACK_REGION_TEXT))


def _has_capital(value: str) -> bool:
    return _lower_outside_marker(value) != value


def _service_name(service: str, region: str) -> str:
    return f"{service}.{region}{_SERVICE_SUFFIX}"


def _region_for(value: str, region: str | None) -> str | None:
    """The stack Region is known only to values written with ${AWS::Region}; to the others it is unknown."""
    return None if region == STACK_REGION_TEXT and STACK_REGION_TEXT not in value else region


def _value_equals_service(value: Any, service: str, region: str | None, *, ignore_case: bool) -> _Truth:
    """StringEquals (case-sensitive) or StringEqualsIgnoreCase: whether the value is the service name."""
    if is_unknown(value):
        return _Truth.MAYBE
    if not isinstance(value, str):
        return _Truth.NO
    region = _region_for(value, region)
    if ignore_case:
        value = _lower_outside_marker(value)
    if region is not None:
        return _truth(value == _service_name(service, region))
    # No literal value equals the service name in every Region: at best it is pinned to one.
    pinned = re.fullmatch(re.escape(service) + _REGION_NAME + re.escape(_SERVICE_SUFFIX), value)
    return _Truth.MAYBE if pinned else _Truth.NO


def _value_like_service(value: Any, service: str, region: str | None) -> _Truth:
    """StringLike (case-sensitive; IAM has no StringLikeIgnoreCase): whether the glob matches the service name."""
    if is_unknown(value):
        return _Truth.MAYBE
    if not isinstance(value, str):
        return _Truth.NO
    region = _region_for(value, region)
    if region is not None:
        return _truth(_glob_matches(value, _service_name(service, region), ignore_case=False))
    if _glob_matches_every_region(value, service):
        return _Truth.YES
    return _Truth.MAYBE if _glob_may_match_some_region(value, service) else _Truth.NO


@lru_cache(maxsize=1024)  # pure, and the same few globs recur in every key policy
def _glob_matches_every_region(glob: str, service: str) -> bool:
    """Whether the glob matches the service name whatever the (non-empty) Region is.

    The sentinel can only be matched by wildcards, so matching it at length n means
    matching every Region of length n; from one more than the glob's number of ``?``
    on, some ``*`` must absorb it, so that length stands for all longer ones.
    """
    glob = re.sub(r"\*+", "*", glob)
    if _REGION_SENTINEL in glob or len(glob) > _MAX_ANALYSED_GLOB:
        return False
    lengths = range(1, glob.count("?") + 2)
    return all(_glob_matches(glob, _service_name(service, _REGION_SENTINEL * n), ignore_case=False) for n in lengths)


@lru_cache(maxsize=1024)  # pure, and the same few globs recur in every key policy
def _glob_may_match_some_region(glob: str, service: str) -> bool:
    """Over-approximation: the glob shares a match with ``S.<anything non-empty>.amazonaws.com``.

    Exact on one point the overlap test cannot express: every service name is lower case,
    so a glob with a capital letter (the stack-Region marker aside) matches none of them.
    """
    if _has_capital(glob):
        return False
    glob = re.sub(r"\*+", "*", glob)
    if len(glob) > _MAX_ANALYSED_GLOB:
        return True
    return _globs_overlap(glob, _service_name(service, "?*"))


_MatchValue = Callable[[Any, str, "str | None"], _Truth]
# Operators that hold when a value matches the service name, and those that hold when none does.
_MATCHING_OPERATORS: dict[str, _MatchValue] = {
    "stringequals": partial(_value_equals_service, ignore_case=False),
    "stringequalsignorecase": partial(_value_equals_service, ignore_case=True),
    "stringlike": _value_like_service,
}
_EXCLUDING_OPERATORS: dict[str, _MatchValue] = {
    "stringnotequals": partial(_value_equals_service, ignore_case=False),
    "stringnotequalsignorecase": partial(_value_equals_service, ignore_case=True),
    "stringnotlike": _value_like_service,
}


def _base_operator(operator: str) -> str:
    """``ForAnyValue:StringLikeIfExists`` -> ``stringlike``; a name with non-ASCII letters stays unknown."""
    name = _ascii_lower(operator)
    for prefix in _SET_PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
            break
    if name.endswith(_IF_EXISTS):
        name = name[: -len(_IF_EXISTS)]
    return name


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else [value]


def _condition_entries(
    condition: dict, keys: frozenset[str], *, binding_only: bool = False
) -> tuple[list[tuple[str, list]], int]:
    """(base operator, values) for each listed condition key, and how many operator blocks are unresolved.

    ``binding_only`` leaves out the operators that hold when the key is absent (``...IfExists``,
    ``ForAllValues:``): they cannot pin a caller. A key that names a listed key only under a Unicode
    case folding (``\u212ams:CallerAccount``) counts as an unresolved block.
    """
    entries, unresolved_blocks = [], 0
    for operator, block in condition.items():
        if not isinstance(block, dict):
            unresolved_blocks += 1
            continue
        if not isinstance(operator, str):
            continue  # junk; a well-formed statement never has one
        if binding_only and _holds_without_key(operator):
            continue
        for key, values in block.items():
            if not isinstance(key, str):
                continue
            if _ascii_lower(key) in keys:
                entries.append((_base_operator(operator), _as_list(values)))
            elif key.casefold() in keys:
                unresolved_blocks += 1
    return entries, unresolved_blocks


def _holds_without_key(operator: str) -> bool:
    name = _ascii_lower(operator)
    return name.endswith(_IF_EXISTS) or name.startswith("forallvalues:")


def _any_value_matches(match: _MatchValue, values: list, service: str, region: str | None) -> _Truth:
    return _any(match(value, service, region) for value in values)


def _entry_holds(operator: str, values: list, service: str, region: str | None) -> _Truth:
    """Whether one kms:ViaService condition holds for a call made via the service."""
    if operator in _MATCHING_OPERATORS:
        return _any_value_matches(_MATCHING_OPERATORS[operator], values, service, region)
    if operator in _EXCLUDING_OPERATORS:
        return _not(_any_value_matches(_EXCLUDING_OPERATORS[operator], values, service, region))
    return _Truth.MAYBE  # an operator the table does not cover (Null, ArnLike, ...): cannot be decided


def _via_service_admits(condition: Any, service: str, region: str | None) -> _Truth:
    """Allow statement: whether its kms:ViaService condition scopes it to the service."""
    if condition is None:
        return _Truth.NO
    if is_unknown(condition):
        return _Truth.MAYBE
    entries, unresolved_blocks = _condition_entries(condition, frozenset({_VIA_SERVICE}))
    truths = [_entry_holds(op, values, service, region) for op, values in entries]
    truths += [_Truth.MAYBE] * unresolved_blocks
    # Only StringEquals/StringLike establish the grant; StringNot* alone restricts an unscoped one.
    if not any(op in _MATCHING_OPERATORS for op, _ in entries):
        truths.append(_Truth.MAYBE if unresolved_blocks else _Truth.NO)
    return _all(truths)


def _via_service_denies(condition: Any, service: str, region: str | None) -> _Truth:
    """Deny statement: whether its kms:ViaService condition holds for a call via the service."""
    if condition is None:
        return _Truth.YES
    if is_unknown(condition):
        return _Truth.MAYBE
    entries, unresolved_blocks = _condition_entries(condition, frozenset({_VIA_SERVICE}))
    truths = [_entry_holds(op, values, service, region) for op, values in entries]
    return _all(truths + [_Truth.MAYBE] * unresolved_blocks)  # no condition at all: unconditional


def _has_other_condition_keys(condition: Any) -> bool:
    if not isinstance(condition, dict):
        return False
    return any(
        not isinstance(key, str) or _ascii_lower(key) != _VIA_SERVICE
        for block in condition.values()
        if isinstance(block, dict)
        for key in block
    )


# Statement shape ----------------------------------------------------------------------------------
def _is_text(value: Any) -> bool:
    return isinstance(value, str) or is_unknown(value)


def _is_text_list(value: Any) -> bool:
    return _is_text(value) or (isinstance(value, list) and all(_is_text(item) for item in value))


def _is_condition_scalar(value: Any) -> bool:
    return isinstance(value, (str, bool, int, float)) or is_unknown(value)


def _is_condition_values(value: Any) -> bool:
    return _is_condition_scalar(value) or (isinstance(value, list) and all(map(_is_condition_scalar, value)))


def _is_string_keyed(value: Any, value_check: Callable[[Any], bool]) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and value_check(v) for k, v in value.items())


def _is_principal(value: Any) -> bool:
    return _is_text(value) or _is_string_keyed(value, _is_text_list)


def _is_condition(value: Any) -> bool:
    def is_block(block: Any) -> bool:
        return is_unknown(block) or _is_string_keyed(block, _is_condition_values)

    return is_unknown(value) or _is_string_keyed(value, is_block)


def _is_well_formed(statement: Any) -> bool:
    """A statement whose every element has a shape IAM accepts (any element may be Unknown)."""
    if not isinstance(statement, dict) or not all(isinstance(key, str) for key in statement):
        return False
    if not _is_text(statement.get("Effect")) or ("Action" in statement) == ("NotAction" in statement):
        return False
    return (
        _is_text_list(statement.get("Action", statement.get("NotAction")))
        and all(_is_principal(statement[k]) for k in ("Principal", "NotPrincipal") if k in statement)
        and ("Condition" not in statement or _is_condition(statement["Condition"]))
    )


def _statements(policy: dict) -> list:
    raw = policy.get("Statement", [])
    return raw if isinstance(raw, list) else [raw]  # a single statement object, or junk judged malformed


# Statement questions ------------------------------------------------------------------------------
def _effect_is(statement: dict, effect: str) -> _Truth:
    value = statement.get("Effect")
    if is_unknown(value):
        return _Truth.MAYBE
    # IAM's Effect is case-sensitive; a lower-case "deny" still counts so that it can never help a PASSED.
    if effect == "Deny":
        return _truth(isinstance(value, str) and _ascii_lower(value) == "deny")
    return _truth(value == effect)


def _actions_match(statement: dict, action: str) -> _Truth:
    def any_pattern(patterns: Any) -> _Truth:
        return _any(_Truth.MAYBE if is_unknown(p) else _action_match(p, action) for p in _as_list(patterns))

    if "Action" in statement:
        return any_pattern(statement["Action"])
    if "NotAction" in statement:
        return _not(any_pattern(statement["NotAction"]))
    return _Truth.NO


def _has_principal(statement: dict) -> _Truth:
    """Whether the statement names some principal (``{"AWS": []}`` names none).

    ``NotPrincipal`` names everyone but a list, which may or may not leave the caller in.
    """
    if "NotPrincipal" in statement:
        return _Truth.MAYBE
    principal = statement.get("Principal")
    if isinstance(principal, dict):
        return _any(_names_someone(value) for value in principal.values())
    return _truth(is_unknown(principal) or (isinstance(principal, str) and bool(principal)))


def _names_someone(value: Any) -> _Truth:
    """A principal list names someone unless it is literally empty (an unresolved entry is someone)."""
    return _any(_truth(is_unknown(item) or item != "") for item in _as_list(value))


def _applies_to_the_key(statement: dict) -> _Truth:
    """Whether the statement covers the key: ``NotResource: "*"`` or ``Resource: []`` covers nothing.

    In a key policy the resource is the key itself, so any other ``NotResource`` may exclude it.
    """
    if "NotResource" in statement:
        excluded = statement["NotResource"]
        return _Truth.NO if any(item == "*" for item in _as_list(excluded)) else _Truth.MAYBE
    resource = statement.get("Resource", "*")
    return _truth(resource != []) if not is_unknown(resource) else _Truth.MAYBE


def _effect_certainly_not(statement: Any, effect: str) -> bool:
    """For a malformed statement: its Effect is readable and is not the one asked about."""
    return (
        isinstance(statement, dict)
        and isinstance(statement.get("Effect"), str)
        and _effect_is(statement, effect) is _Truth.NO
    )


def _grants(statement: Any, service: str, action: str, region: str | None, malformed: _Truth) -> _Truth:
    """Whether an Allow statement lets the service call the action (CKV_IM_7's sense of a grant)."""
    if is_unknown(statement):
        return _Truth.MAYBE
    if not _is_well_formed(statement):
        return _Truth.NO if _effect_certainly_not(statement, "Allow") else malformed
    return _all(
        [
            _effect_is(statement, "Allow"),
            _has_principal(statement),
            _applies_to_the_key(statement),
            _actions_match(statement, action),
            _via_service_admits(statement.get("Condition"), service, region),
        ]
    )


def _denies(statement: Any, service: str, action: str, region: str | None) -> _Truth:
    if is_unknown(statement):
        return _Truth.MAYBE
    if not _is_well_formed(statement):
        return _Truth.NO if _effect_certainly_not(statement, "Deny") else _Truth.MAYBE
    condition = statement.get("Condition")
    if _has_other_condition_keys(condition):
        return _Truth.NO  # such a Deny cannot be decided statically and is ignored (docs/semantics.md)
    return _all(
        [
            _effect_is(statement, "Deny"),
            _applies_to_the_key(statement),
            _actions_match(statement, action),
            _via_service_denies(condition, service, region),
        ]
    )


def _principal_is_wildcard(principal: Any) -> _Truth:
    if principal is None:
        return _Truth.NO
    if isinstance(principal, dict):
        return _any(_any(_principal_is_wildcard(item) for item in _as_list(value)) for value in principal.values())
    if is_unknown(principal):
        # "arn:aws:iam::${var.account}:root" is unresolved, but its literal text rules out "*"
        return _Truth.MAYBE if getattr(principal, "could_be_wildcard", True) else _Truth.NO
    return _truth(principal == "*")


def _caller_pinned(condition: Any) -> _Truth:
    """Whether a StringEquals / wildcard-free StringLike condition pins the caller to concrete values."""
    if condition is None:
        return _Truth.NO
    if is_unknown(condition):
        return _Truth.MAYBE
    entries, unresolved_blocks = _condition_entries(condition, _CALLER_PIN_KEYS, binding_only=True)
    pins = [
        _all(_is_concrete(value, op) for value in values) if values else _Truth.NO
        for op, values in entries
        if op in ("stringequals", "stringlike")
    ]
    return _any(pins + [_Truth.MAYBE] * unresolved_blocks)


def _is_concrete(value: Any, operator: str) -> _Truth:
    if isinstance(value, UnknownTemplate) and operator != "stringlike":
        return _Truth.YES  # a string known only later (${AWS::AccountId}): StringEquals compares it literally
    if is_unknown(value):
        return _Truth.MAYBE  # may be an empty list, which pins nothing
    if isinstance(value, str):
        return _truth("*" not in value and "?" not in value)
    return _Truth.YES


def _wildcard_grant(statement: Any, region: str | None) -> _Truth:
    """CKV_IM_8: an Incident Manager grant to principal "*" with no caller pin."""
    if isinstance(statement, dict) and "NotPrincipal" in statement:
        # An Allow with NotPrincipal grants everyone it does not list: judged as principal "*".
        statement = {**{k: v for k, v in statement.items() if k != "NotPrincipal"}, "Principal": "*"}
    grant = _any(
        _grants(statement, service, action, region, malformed=_Truth.MAYBE)
        for service in INCIDENT_MANAGER_SERVICES
        for action in REQUIRED_ACTIONS
    )
    if grant is _Truth.NO or is_unknown(statement) or not _is_well_formed(statement):
        return grant
    return _all(
        [grant, _principal_is_wildcard(statement.get("Principal")), _not(_caller_pinned(statement.get("Condition")))]
    )


# Details lines ------------------------------------------------------------------------------------
def _shown(text: str) -> str:
    """A policy string as its author wrote it (the stack Region as ${AWS::Region}), cut when long."""
    text = text.replace(STACK_REGION_TEXT, "${AWS::Region}")
    return text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "..."


def _label(statement: Any, index: int) -> str:
    sid = statement.get("Sid") if isinstance(statement, dict) else None
    if isinstance(sid, str) and sid:
        return f'statement "{_shown(sid)}"'
    return f"statement {index}"


def _unresolved_reasons(value: Any, limit: int = 3) -> list[str]:
    """Reasons of the first Unknown values inside a statement (iterative: junk may nest deeply)."""
    reasons: list[str] = []
    stack, walked = [value], 0
    while stack and len(reasons) < limit and walked < _MAX_WALKED_NODES:
        item, walked = stack.pop(), walked + 1
        if is_unknown(item) and item.reason not in reasons:
            reasons.append(item.reason)
        elif isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return reasons


def _region_text(key_region: Any) -> str:
    if isinstance(key_region, StackRegion):
        return "the stack Region (AWS::Region)"
    if is_unknown(key_region):
        return f"not resolved ({key_region.reason})"
    return "not resolved"


def _why_undecided(statement: Any, key_region: Any) -> str:
    if is_unknown(statement):
        return f"the statement is not resolved ({statement.reason})"
    if not _is_well_formed(statement):
        return "the statement has an unexpected shape"
    reasons = _unresolved_reasons(statement)
    if reasons:
        return "it holds unresolved values (" + "; ".join(reasons) + ")"
    if _known_region(key_region) in (None, STACK_REGION_TEXT):
        return f"its kms:ViaService value names a Region and the key Region is {_region_text(key_region)}"
    return "its kms:ViaService condition uses an operator that cannot be decided statically"


def _undecided_line(subject: str, verb: str, undecided: list[tuple[str, Any]], key_region: Any) -> str:
    causes = "; ".join(f"{label}: {_why_undecided(statement, key_region)}" for label, statement in undecided)
    return f"{subject}: whether {', '.join(label for label, _ in undecided)} {verb} it is not known ({causes})"


# Why a statement that names a service does not admit it (CKV_IM_7 details) -----------------------
_OPERATOR_NAMES = {
    "stringequals": "StringEquals",
    "stringequalsignorecase": "StringEqualsIgnoreCase",
    "stringlike": "StringLike",
    "stringnotequals": "StringNotEquals",
    "stringnotequalsignorecase": "StringNotEqualsIgnoreCase",
    "stringnotlike": "StringNotLike",
}


def _near_misses(labelled: list[tuple[str, Any]], service: str, action: str, region: str | None) -> list[str]:
    """The Allow statements for the action whose kms:ViaService names the service yet does not admit it, and why.

    The AWS guide's own statement names ``ssm-incidents.amazonaws.com``: "no statement grants it"
    alone would leave its reader looking for a statement that is plainly there.
    """
    misses = []
    for label, statement in labelled:
        reasons = _why_not_admitted(statement, service, action, region)
        if reasons:
            sentence_start = label[0].upper() + label[1:]
            misses.append(f"{sentence_start} names {service} in kms:ViaService, but {' and '.join(reasons)}")
        if len(misses) == _MAX_MISSES_SHOWN:
            break
    return misses


def _why_not_admitted(statement: Any, service: str, action: str, region: str | None) -> list[str]:
    if not (_is_well_formed(statement) and isinstance(statement.get("Condition"), dict)):
        return []
    if (
        _all([_effect_is(statement, "Allow"), _has_principal(statement), _actions_match(statement, action)])
        is not _Truth.YES
    ):
        return []
    entries, _ = _condition_entries(statement["Condition"], frozenset({_VIA_SERVICE}))
    reasons = []
    for operator, values in entries:
        for value in values:
            reason = _why_value_misses(operator, value, service, region)
            if reason and reason not in reasons:
                reasons.append(reason)
    return reasons[:_MAX_MISSES_SHOWN]


def _why_value_misses(operator: str, value: Any, service: str, region: str | None) -> str | None:
    """Why a value that names the service keeps the statement from admitting it (None: it does not)."""
    if not isinstance(value, str) or service not in value.casefold() or operator not in _OPERATOR_NAMES:
        return None
    if operator in _EXCLUDING_OPERATORS:
        excluded = _EXCLUDING_OPERATORS[operator](value, service, region) is _Truth.YES
        return f'its {_OPERATOR_NAMES[operator]} value "{_shown(value)}" excludes it' if excluded else None
    if _MATCHING_OPERATORS[operator](value, service, region) is not _Truth.NO:
        return None
    return _mismatch(operator, value, service, region)


def _mismatch(operator: str, value: str, service: str, region: str | None) -> str:
    """What is wrong with a StringEquals / StringLike value that names the service and does not match it."""
    shown, name, lowered = f'"{_shown(value)}"', _OPERATOR_NAMES[operator], _lower_outside_marker(value)
    expected = _shown(_service_name(service, region or "<region>"))
    if lowered == service + _SERVICE_SUFFIX:
        return f"its value {shown} lacks the Region ({service}.<region>{_SERVICE_SUFFIX})"
    if (
        operator != "stringlike"
        and re.search(r"[*?]", value)
        and _value_like_service(lowered, service, region) is not _Truth.NO
    ):
        return f"its {name} value {shown} holds a wildcard, which only StringLike expands"
    if _MATCHING_OPERATORS[operator](lowered, service, region) is not _Truth.NO:
        ignoring_case = ", StringEqualsIgnoreCase does not" if operator == "stringequals" else ""
        return (
            f"its value {shown} differs in case from {expected} ({name} compares values case-sensitively"
            f"{ignoring_case})"
        )
    pinned = re.fullmatch(re.escape(service) + _REGION_NAME + re.escape(_SERVICE_SUFFIX), lowered)
    if pinned and region not in (None, STACK_REGION_TEXT):
        return f"its value {shown} names Region {_shown(pinned.group(1))}, but the key is in {_shown(region)}"
    return f"its value {shown} does not match {expected}"


# CKV_IM_7 -----------------------------------------------------------------------------------------
def _pair_findings(statements: list, service: str, action: str, key_region: Any) -> tuple[list[str], list[str]]:
    """(problems, undecided lines) for the service calling the action."""
    region = _known_region(key_region)
    labelled = [(_label(statement, index), statement) for index, statement in enumerate(statements)]
    grants = [(label, s, _grants(s, service, action, region, malformed=_Truth.NO)) for label, s in labelled]
    denies = [(label, s, _denies(s, service, action, region)) for label, s in labelled]
    granted = _any(truth for _, _, truth in grants)
    denied = _any(truth for _, _, truth in denies)
    problems = [f"{label} denies {action} via {service}" for label, _, truth in denies if truth is _Truth.YES]
    if granted is _Truth.NO:
        # Sentences, not "; ": cfn-lint joins a rule's details lines with "; " into one message.
        missing = f"{service} cannot call {action}: no Allow statement grants it via kms:ViaService"
        near_misses = _near_misses(labelled, service, action, region)
        problems.insert(0, " ".join([missing + ".", *near_misses]) if near_misses else missing)
    if problems:
        return problems, []
    subject = f"{service} calling {action}"
    undecided = []
    if granted is _Truth.MAYBE:
        maybes = [(label, s) for label, s, truth in grants if truth is _Truth.MAYBE]
        undecided.append(_undecided_line(subject, "grant" if len(maybes) > 1 else "grants", maybes, key_region))
    if denied is _Truth.MAYBE:
        maybes = [(label, s) for label, s, truth in denies if truth is _Truth.MAYBE]
        undecided.append(_undecided_line(subject, "deny" if len(maybes) > 1 else "denies", maybes, key_region))
    return [], undecided


def _unreadable(policy: Any) -> Result:
    if is_unknown(policy):
        return Result.unknown(f"the key policy is not resolved ({policy.reason})")
    return Result.unknown(f"the key policy is not a JSON object (got {type(policy).__name__})")


@_by_content
def required_grants_result(policy: Any, key_region: Any) -> Result:
    """CKV_IM_7: both Incident Manager services may call kms:CreateGrant and kms:DescribeKey, and no Deny stops them."""
    if policy is None:
        return Result.failed("no key policy: the AWS default key policy has no Incident Manager statement")
    if not isinstance(policy, dict):
        return _unreadable(policy)
    statements = _statements(policy)
    problems, undecided = [], []
    for service in INCIDENT_MANAGER_SERVICES:
        for action in REQUIRED_ACTIONS:
            pair_problems, pair_undecided = _pair_findings(statements, service, action, key_region)
            problems += pair_problems
            undecided += pair_undecided
    return Result.judge(
        problems,
        undecided,
        "ssm-incidents and ssm-contacts can call kms:CreateGrant and "
        "kms:DescribeKey via kms:ViaService and no Deny statement stops them",
    )


# CKV_IM_8 -----------------------------------------------------------------------------------------
@_by_content
def wildcard_principal_result(policy: Any, key_region: Any) -> Result:
    """CKV_IM_8: no Incident Manager grant statement names principal "*" without pinning the caller."""
    if policy is None:
        return Result.passed("no key policy: the AWS default key policy names no wildcard principal")
    if not isinstance(policy, dict):
        return _unreadable(policy)
    region = _known_region(key_region)
    problems, undecided = [], []
    for index, statement in enumerate(_statements(policy)):
        truth = _wildcard_grant(statement, region)
        label = _label(statement, index)
        if truth is _Truth.YES:
            problems.append(
                f'{label} grants Incident Manager key access to principal "*" without a condition '
                "pinning the caller (StringEquals on kms:CallerAccount, aws:PrincipalAccount, "
                "aws:PrincipalOrgID or aws:PrincipalArn)"
            )
        elif truth is _Truth.MAYBE:
            undecided.append(
                f"{label}: whether it grants Incident Manager key access to a wildcard principal "
                f"is not known ({_why_undecided(statement, key_region)})"
            )
    return Result.judge(
        problems, undecided, "no Incident Manager grant statement names a wildcard principal without a caller pin"
    )


# Incident Manager key (docs/semantics.md#terms, its second case) ---------------------------------
def names_incident_manager(policy: Any) -> bool:
    """Whether the key policy is written for Incident Manager (it names one of its services in kms:ViaService)."""
    if not isinstance(policy, dict):
        return False
    return any(_statement_names_incident_manager(statement) for statement in _statements(policy))


def _statement_names_incident_manager(statement: Any) -> bool:
    if not isinstance(statement, dict) or not isinstance(statement.get("Condition"), dict):
        return False
    entries, _ = _condition_entries(statement["Condition"], frozenset({_VIA_SERVICE}))
    values = [value for _, entry_values in entries for value in entry_values]
    if any(isinstance(v, str) and any(s in v.casefold() for s in INCIDENT_MANAGER_SERVICES) for v in values):
        return True
    # The seed's example as copied from the guide, with its two values lost.
    return (
        bool(values)
        and all(isinstance(v, str) and v == "" for v in values)
        and statement.get("Effect") == "Allow"
        and _actions_match(statement, "kms:CreateGrant") is _Truth.YES
    )
