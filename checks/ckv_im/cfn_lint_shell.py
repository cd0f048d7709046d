"""The cfn-lint shell: one custom rule per CKV_IM rule, on the same model and rule functions as Checkov.

``cfn-lint template.yaml --append-rules checks/cfn_lint`` loads the rule files
there; each subclasses ``IncidentManagerLintRule``. cfn-lint reports findings
only: a FAILED verdict becomes one match per offending property (details lines
that carry a ``where``; the others point at the resource), PASSED and UNKNOWN
report nothing. I-level rules (CKV_IM_13) show only with ``--include-checks I``.

Rule IDs sit in cfn-lint's custom range and carry the severity: ``E9<nnn>`` for
HIGH, ``W9<nnn>`` for MEDIUM, ``I9<nnn>`` for LOW, where nnn is the CKV_IM number
(CKV_IM_3 -> E9003, CKV_IM_13 -> I9013).
"""
from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from ckv_im.catalogue import RULES, guideline_url
from ckv_im.cloudformation_model import build_model
from ckv_im.engine_shell import record_internal_error, run_rule
from ckv_im.model import Result, ScanModel, Status

_LEVELS = {"HIGH": "E", "MEDIUM": "W", "LOW": "I"}
_MODELS: "OrderedDict[int, tuple[Any, ScanModel]]" = OrderedDict()
_MODEL_CACHE_SIZE = 4


def lint_rule_id(rule_id: str) -> str:
    """CKV_IM_3 -> E9003: the level letter of the rule's severity, then 9 and the rule number."""
    return f"{_LEVELS[RULES[rule_id].severity]}9{int(rule_id.rsplit('_', 1)[1]):03d}"


def model_of(template: Any) -> ScanModel:
    """The template's model, built once for all the rules cfn-lint runs on it."""
    cached = _MODELS.get(id(template))
    if cached is not None and cached[0] is template:
        return cached[1]
    model = build_model(template)
    _MODELS[id(template)] = (template, model)
    while len(_MODELS) > _MODEL_CACHE_SIZE:
        _MODELS.popitem(last=False)
    return model


def _supports(resource_types: tuple[str, ...], resource_type: str) -> bool:
    return any(resource_type == pattern or pattern.endswith("*") and resource_type.startswith(pattern[:-1])
               for pattern in resource_types)


class IncidentManagerLintRule(CloudFormationLintRule):
    """Base of every CKV_IM cfn-lint rule: subclasses name the rule, its function, its subject and types."""

    rule_id: str
    rule: Callable[[Any, ScanModel], Result]
    subject: str                   # keys, replication_sets, im_resources, topics or im_resource_or_key
    resource_types: tuple[str, ...]
    tags = ["resources", "incident-manager", "ckv-im"]

    def __init__(self) -> None:
        info = RULES[self.rule_id]
        self.id = lint_rule_id(self.rule_id)
        self.shortdesc = f"{info.id}: {info.title}"
        self.description = f"{info.title} ({info.id}, severity {info.severity})"
        self.source_url = guideline_url(info.id)
        super().__init__()

    def match(self, cfn: Any) -> list[RuleMatch]:
        try:
            model = model_of(cfn.template)
        except Exception as error:  # cfn-lint would turn this into E0002 and hide every finding
            record_internal_error(self.rule_id, str(getattr(cfn, "filename", "")), error)
            return []
        matches: list[RuleMatch] = []
        for name in self._subject_names(model):
            result = run_rule(self.rule_id, self.rule, self.subject, name, lambda: model, name)
            if result.status is Status.FAILED:
                matches.extend(self._matches(name, result))
        return matches

    def _subject_names(self, model: ScanModel) -> list[str]:
        kinds = ("keys", "im_resources") if self.subject == "im_resource_or_key" else (self.subject,)
        # names are "<resource type>.<logical ID>", and resource types hold no dot
        return [name for kind in kinds for name in getattr(model, kind)
                if _supports(self.resource_types, name.split(".", 1)[0])]

    def _matches(self, name: str, result: Result) -> list[RuleMatch]:
        """One match per offending property; lines that name no property point at the resource."""
        resource_path = ["Resources", name.split(".", 1)[1]]
        places: "OrderedDict[tuple, list[str]]" = OrderedDict()
        for line in result.details:
            places.setdefault(getattr(line, "where", None) or (), []).append(str(line))
        if not places:
            return [RuleMatch(resource_path, f"{self.rule_id}: {RULES[self.rule_id].title}")]
        return [RuleMatch(resource_path + list(where), f"{self.rule_id}: {'; '.join(lines)}")
                for where, lines in places.items()]
