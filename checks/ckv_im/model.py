"""The normalised resource view every CKV_IM rule is written against.

Adapters (Terraform HCL, and later plan JSON and CloudFormation) turn their
input into these objects; rule functions in ``ckv_im.rules`` read nothing else.
A value an adapter could not resolve statically is an ``Unknown``, never a
guess: rules turn it into an UNKNOWN verdict unless the resolved parts already
break the rule.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

if TYPE_CHECKING:
    from typing_extensions import TypeIs


LOGGER = logging.getLogger("ckv_im")


def interpolation_spans(text: str) -> "Iterator[tuple[int, int]]":
    r"""(start, end) of each ``${...}`` in ``text``, as ``re.finditer(r"\$\{[^}]*\}")`` finds them, in linear time.

    The regex reads from every ``${`` to the end of a text with no ``}`` after it: quadratic on
    a text of ``${`` only. Once no ``}`` follows, no later ``${`` can close either.
    """
    position = 0
    while True:
        start = text.find("${", position)
        if start < 0:
            return
        end = text.find("}", start + 2)
        if end < 0:
            return
        yield start, end + 1
        position = end + 1


def replace_interpolations(text: str, replacement: "Callable[[str], str]") -> str:
    """``text`` with each ``${...}`` (as ``interpolation_spans`` finds them) replaced by ``replacement(it)``."""
    pieces, position = [], 0
    for start, end in interpolation_spans(text):
        pieces += [text[position:start], replacement(text[start:end])]
        position = end
    return "".join(pieces) + text[position:] if pieces else text


def past_limit(what: str) -> "PastLimit":
    """The Unknown for an input past one of the pack's bounds, logged at debug level (docs/semantics.md#limits)."""
    LOGGER.debug("ckv_im: limit reached: %s", what)
    return PastLimit(f"{what}, past the pack's limit: not evaluated")


class Unknown:
    """A value that could not be resolved statically, with the reason why.

    ``expression`` is the expression as written (``local.current_region``), where
    the adapter knows it: details lines name an unresolved value by it.
    """

    __slots__ = ("expression", "reason")

    def __init__(self, reason: str = "unresolved value", expression: "str | None" = None) -> None:
        self.reason = reason
        self.expression = expression

    def __repr__(self) -> str:
        return f"Unknown({self.reason!r})"

    def __eq__(self, other: object) -> bool:  # an unknown value equals nothing, not even itself
        return False

    __hash__ = object.__hash__


class UnknownTemplate(Unknown):
    """A string Terraform would build from values not known statically (``arn:aws:iam::${var.id}:root``).

    Its literal parts still tell something: a template with literal text
    other than ``*`` outside its interpolations can never be the wildcard ``*``.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        super().__init__(f"{text[:120]} is not resolved statically")
        self.text = text

    @property
    def could_be_wildcard(self) -> bool:
        literal_parts = replace_interpolations(self.text, lambda _: "")
        if literal_parts == self.text:  # a bare reference such as var.principal
            return True
        return literal_parts.strip("*") == ""


class PastLimit(Unknown):
    """A value the pack did not evaluate because it passed one of its bounds (size, depth, nodes).

    Unlike other unresolved values it is never "outside the reach" of a rule: even CKV_IM_10 and
    CKV_IM_11, which judge only what they can read, are UNKNOWN when they meet one.
    """


def is_unknown(value: object) -> TypeIs[Unknown]:
    return isinstance(value, Unknown)


class StackRegion:
    """The Region a CloudFormation stack is deployed to (``AWS::Region``): one Region, unknown by name."""

    _instance: "StackRegion | None" = None

    def __new__(cls) -> "StackRegion":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "AWS::Region"


STACK_REGION = StackRegion()

# The stack Region inside a string: a policy value built with !Sub "...${AWS::Region}..." or
# !Ref AWS::Region names the Region of the stack's own keys, and the CloudFormation adapter writes
# that Region as this marker. (Control characters: no template can hold the marker literally, so a
# plain string "${AWS::Region}" without !Sub stays the literal text it is in AWS.)
STACK_REGION_TEXT = "\x1dAWS::Region\x1d"

Region: TypeAlias = str | Unknown | StackRegion

T = TypeVar("T")
# A value an adapter resolved to a T, or the Unknown that says why it could not: Resolved[bool].
Resolved: TypeAlias = T | Unknown
# A key policy document as parsed JSON; strings that stayed unresolved inside it are Unknown objects.
PolicyDocument = dict[str, Any]
# A value tree: strings, numbers, Booleans, None, lists and dicts of them, with Unknowns where unresolved.
Value = Any


class Status(StrEnum):
    PASSED = "PASSED"
    FAILED = "FAILED"
    UNKNOWN = "UNKNOWN"


# Characters a details line must not carry as they are: line breaks (a CI log reads a line that
# starts with "::error" as a command), other control characters and bidirectional overrides.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` with every unprintable character written as its escape (``\\n``, ``\\u2028``)."""
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True)
class Result:
    """A rule's verdict and the details lines a reader needs to act on it (every line printable)."""

    status: Status
    details: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "details", tuple(_printable_line(line) for line in self.details))

    @classmethod
    def passed(cls, *details: str) -> "Result":
        return cls(Status.PASSED, tuple(details))

    @classmethod
    def failed(cls, *details: str) -> "Result":
        return cls(Status.FAILED, tuple(details))

    @classmethod
    def unknown(cls, *details: str) -> "Result":
        return cls(Status.UNKNOWN, tuple(details))

    @classmethod
    def judge(cls, problems: list[str], undecided: list[str], passed: str) -> "Result":
        """FAILED on any problem, else UNKNOWN on anything undecided, else PASSED."""
        if problems:
            return cls.failed(*problems)
        if undecided:
            return cls.unknown(*undecided)
        return cls.passed(passed)


NOT_APPLICABLE = Result.unknown()

# A place in the source below a resource: the keys and list indexes that lead there,
# e.g. ("Properties", "Regions", 1, "RegionConfiguration", "SseKmsKeyId").
Where = tuple[str | int, ...]


class Detail(str):
    """A details line that also knows where its finding sits in the source.

    Checkov reads it as the plain string it is; engines that point at a line
    (cfn-lint) read ``where``. Only adapters that know source paths set them.
    """

    where: "Where | None"

    def __new__(cls, text: str, where: "Where | None" = None) -> "Detail":
        line = super().__new__(cls, text)
        line.where = tuple(where) if where else None
        return line


def _printable_line(line: str) -> str:
    shown = printable(line)
    if shown is line:
        return line
    return Detail(shown, line.where) if isinstance(line, Detail) else shown


def at(where: "Where | None", text: str) -> str:
    """``text`` as a details line located at ``where`` (a plain string when the place is not known)."""
    return Detail(text, where) if where else text


@dataclass
class KmsKey:
    """A KMS key resource defined in the scan (Terraform or CloudFormation)."""

    name: str  # resource name as Checkov reports it
    resource_type: str  # aws_kms_key, aws_kms_replica_key, AWS::KMS::Key, ...
    region: Region = field(default_factory=lambda: Unknown("key Region not resolved"))
    key_spec: Resolved[str] = "SYMMETRIC_DEFAULT"  # the default when not set
    key_usage: Resolved[str] = "ENCRYPT_DECRYPT"
    origin: Resolved[str] = "AWS_KMS"  # AWS_KMS, EXTERNAL, AWS_CLOUDHSM or EXTERNAL_KEY_STORE
    custom_key_store_id: Resolved[str | None] = None  # None when not set
    xks_key_id: Resolved[str | None] = None
    primary: "KmsKey | Unknown | None" = None  # replica keys: their primary key (spec comes from it)
    # The effective key policy: a document, None for "no policy" (the AWS default key policy), or Unknown.
    policy: Resolved[PolicyDocument | None] = None
    policy_source: str = "no key policy"  # for details lines: where the policy came from
    # True where the engine cannot see resources that would replace the policy
    # (an aws_kms_key_policy, invisible to a check that sees one resource alone)
    policy_may_be_replaced: bool = False
    enabled: Resolved[bool] = True
    deletion_guard: Resolved[bool] = False
    deletion_guard_hint: str = "add lifecycle { prevent_destroy = true }"
    description: Value = None
    tags: Resolved[dict[str, Value]] = field(default_factory=dict)  # Unknown when the tags map is unresolved
    # field name (key_spec, origin, policy, enabled, ...) -> where it is written, when the adapter knows
    where: dict[str, Where] = field(default_factory=dict)

    @property
    def is_replica(self) -> bool:
        return self.primary is not None


@dataclass
class KeyRef:
    """How a Region entry names its key, and what that resolves to."""

    text: str  # the expression as written, for details lines
    # key_arn, key_id, alias_arn, alias_name, other, or Unknown when the form cannot be told
    naming: Resolved[str]
    key: "KmsKey | None" = field(default=None, repr=False)  # the key resource in the scan, when resolved to one
    region: Region = field(default_factory=lambda: Unknown("key Region not resolved"))
    # False only when the value is certainly a key (never null, never the AWS owned key)
    certain: bool = True


@dataclass
class RegionEntry:
    name: Region  # Region name of the entry
    key: "KeyRef | Unknown | None"  # None: the AWS owned key; Unknown: may or may not be set
    line: "int | None" = None  # where the entry is written, for details lines
    where: "Where | None" = None  # the same as a source path, when the adapter knows it


@dataclass
class PlanChange:
    """What a Terraform plan does to a replication set (CKV_IM_15, CKV_IM_16)."""

    actions: tuple[str, ...]  # resource_changes actions: no-op, create, update, delete, ...
    rekeyed: list[str] = field(default_factory=list)  # details: entries whose key the plan changes
    undecided: list[str] = field(default_factory=list)  # details: entries whose new key is not resolved
    lost_keys: list[str] = field(default_factory=list)  # details: used keys the plan deletes or disables


@dataclass
class ReplicationSet:
    name: str
    resource_type: str
    entries: Resolved[list[RegionEntry]]
    provider_region: Region = field(default_factory=lambda: Unknown("provider Region not resolved"))
    deletion_guard: Resolved[bool] = False
    deletion_guard_hint: str = "add lifecycle { prevent_destroy = true }"
    plan: "PlanChange | None" = None  # only when the input is a plan
    where: dict[str, Where] = field(default_factory=dict)


@dataclass
class IncidentManagerResource:
    """An aws_ssmincidents_* / aws_ssmcontacts_* / AWS::SSMIncidents::* / AWS::SSMContacts::* resource."""

    name: str
    resource_type: str
    name_fields: dict[str, Value] = field(default_factory=dict)  # field path -> value (strings, lists, dicts)
    tags: Resolved[dict[str, Value]] = field(default_factory=dict)
    config: Value = field(default_factory=dict)  # every value, for the URL credential scan
    # "config", each name field and "tags" -> where it is written, when the adapter knows
    where: dict[str, Where] = field(default_factory=dict)
    # A response plan: the SNS topics of the scan (by name) its chat channel and notification targets name
    notification_topics: list[str] = field(default_factory=list)


@dataclass
class SnsTopic:
    name: str
    kms_master_key_id: Resolved[str | None] = None  # None when not set
    used_by: list[str] = field(default_factory=list)  # response plans that notify through it (derived)
    where: dict[str, Where] = field(default_factory=dict)


class Subject(Enum):
    """What a rule reports on; its value is how the rule tables name it."""

    KEY = "Incident Manager key"
    REPLICATION_SET = "replication set"
    IM_RESOURCE = "Incident Manager resources"
    IM_RESOURCE_OR_KEY = "Incident Manager resources and keys"
    TOPIC = "SNS topic used by a response plan"


@dataclass
class ScanModel:
    """Everything one scan (one Terraform graph, one template) holds that the rules need."""

    keys: dict[str, KmsKey] = field(default_factory=dict)
    replication_sets: dict[str, ReplicationSet] = field(default_factory=dict)
    im_resources: dict[str, IncidentManagerResource] = field(default_factory=dict)
    topics: dict[str, SnsTopic] = field(default_factory=dict)
    # key name -> replication sets whose entries point at it (derived)
    key_users: dict[str, list[str]] = field(default_factory=dict)

    def derive_relations(self) -> None:
        """Fill in who uses what from the facts the adapters record: the key each Region entry's
        ``KeyRef`` leads to, and the ``notification_topics`` of each response plan."""
        self.key_users = {}
        for replication_set in self.replication_sets.values():
            for entry in replication_set.entries if isinstance(replication_set.entries, list) else ():
                if isinstance(entry.key, KeyRef) and entry.key.key is not None:
                    users = self.key_users.setdefault(entry.key.key.name, [])
                    if replication_set.name not in users:
                        users.append(replication_set.name)
        for topic in self.topics.values():
            topic.used_by = []
        for resource in self.im_resources.values():
            for name in resource.notification_topics:
                used = self.topics.get(name)
                if used is not None and resource.name not in used.used_by:
                    used.used_by.append(resource.name)

    def _collections(self, subject: Subject) -> tuple[Mapping[str, object], ...]:
        collections: dict[Subject, tuple[Mapping[str, object], ...]] = {
            Subject.KEY: (self.keys,),
            Subject.REPLICATION_SET: (self.replication_sets,),
            Subject.IM_RESOURCE: (self.im_resources,),
            Subject.IM_RESOURCE_OR_KEY: (self.keys, self.im_resources),
            Subject.TOPIC: (self.topics,),
        }
        return collections[subject]

    def subject(self, subject: Subject, name: str) -> Any:
        """The resource ``name`` as the given subject, or None when the model has no such resource."""
        return next((collection[name] for collection in self._collections(subject) if name in collection), None)

    def names_of(self, subject: Subject) -> list[str]:
        """Every resource of the model that the subject covers."""
        return [name for collection in self._collections(subject) for name in collection]
