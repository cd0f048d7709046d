"""The cfn-lint shell: one custom rule per CKV_IM rule, on the same model and rule functions as Checkov.

``cfn-lint template.yaml --append-rules checks/cfn_lint`` loads the rule files
there; each holds the class ``rule_class`` makes from the rule's registry entry. cfn-lint reports findings
only: a FAILED verdict becomes one match per offending property (details lines
that carry a ``where``; the others point at the resource), PASSED and UNKNOWN
report nothing. I-level rules (CKV_IM_13) show only with ``--include-checks I``.

Rule IDs sit in cfn-lint's custom range and carry the severity: ``E9<nnn>`` for
HIGH, ``W9<nnn>`` for MEDIUM, ``I9<nnn>`` for LOW, where nnn is the CKV_IM number
(CKV_IM_3 -> E9003, CKV_IM_13 -> I9013).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, ClassVar

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from ckv_im.catalogue import RULES, Engine, Rule, guideline_url
from ckv_im.cloudformation_model import build_model
from ckv_im.cloudformation_types import RESOURCE_TYPES
from ckv_im.engine_shell import record_internal_error, run_rule
from ckv_im.model import Result, ScanModel, Status
from ckv_im.model_cache import ModelCache

_LEVELS = {"HIGH": "E", "MEDIUM": "W", "LOW": "I"}
TEMPLATE_MODELS: ModelCache[ScanModel] = ModelCache(size=4)


def lint_rule_id(rule_id: str) -> str:
    """CKV_IM_3 -> E9003: the level letter of the rule's severity, then 9 and the rule number."""
    rule = RULES[rule_id]
    return f"{_LEVELS[rule.severity]}9{rule.number:03d}"


def model_of(template: Any) -> ScanModel:
    """The template's model, built once for all the rules cfn-lint runs on it."""
    return TEMPLATE_MODELS.for_object(template, lambda: build_model(template))


def _supports(resource_types: tuple[str, ...], resource_type: str) -> bool:
    return any(
        resource_type == pattern or (pattern.endswith("*") and resource_type.startswith(pattern[:-1]))
        for pattern in resource_types
    )


class IncidentManagerLintRule(CloudFormationLintRule):
    """Base of every CKV_IM cfn-lint rule; ``rule_class`` makes one subclass per rule of the registry."""

    rule_id: str
    tags: ClassVar[list[str]] = ["resources", "incident-manager", "ckv-im"]

    def __init__(self) -> None:
        self.rule: Rule = RULES[self.rule_id]
        self.id = lint_rule_id(self.rule_id)
        self.shortdesc = f"{self.rule.id}: {self.rule.title}"
        self.description = f"{self.rule.title} ({self.rule.id}, severity {self.rule.severity})"
        self.source_url = guideline_url(self.rule.id)
        super().__init__()

    def match(self, cfn: Any) -> list[RuleMatch]:
        try:
            model = model_of(cfn.template)
        except Exception as error:  # cfn-lint would turn this into E0002 and hide every finding
            record_internal_error(self.rule_id, str(getattr(cfn, "filename", "")), error)
            return []
        matches: list[RuleMatch] = []
        for name in self._subject_names(model):
            result = run_rule(self.rule, name, lambda: model, name)
            if result.status is Status.FAILED:
                matches.extend(self._matches(name, result))
        return matches

    def _subject_names(self, model: ScanModel) -> list[str]:
        resource_types = RESOURCE_TYPES[self.rule.subject]
        # names are "<resource type>.<logical ID>", and resource types hold no dot
        return [name for name in model.names_of(self.rule.subject) if _supports(resource_types, name.split(".", 1)[0])]

    def _matches(self, name: str, result: Result) -> list[RuleMatch]:
        """One match per offending property; lines that name no property point at the resource."""
        resource_path = ["Resources", name.split(".", 1)[1]]
        places: "OrderedDict[tuple, list[str]]" = OrderedDict()
        for line in result.details:
            places.setdefault(getattr(line, "where", None) or (), []).append(str(line))
        if not places:
            return [RuleMatch(resource_path, f"{self.rule_id}: {RULES[self.rule_id].title}")]
        return [
            RuleMatch(resource_path + list(where), f"{self.rule_id}: {'; '.join(lines)}")
            for where, lines in places.items()
        ]


def rule_class(rule_id: str) -> type[IncidentManagerLintRule]:
    """The cfn-lint rule class of a registry entry, named after its cfn-lint ID (``E9003``)."""
    if not RULES[rule_id].runs_on(Engine.CFN_LINT):
        raise ValueError(f"{rule_id} does not apply to CloudFormation")
    return type(lint_rule_id(rule_id), (IncidentManagerLintRule,), {"rule_id": rule_id, "__module__": __name__})
