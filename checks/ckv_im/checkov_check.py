"""What the Checkov shells for Terraform and CloudFormation share.

A check is built from its registry entry (``ckv_im.catalogue``): name, ID,
severity, category and guideline; the resource types come from the engine's map
of the rule's subject. The verdict and its details lines come from the rule
function, through ``evaluate``, which each engine's base class implements (how
it finds the model and the resource).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from checkov.common.bridgecrew.severities import Severities
from checkov.common.models.enums import CheckCategories, CheckResult

from ckv_im.catalogue import RULES, Rule, guideline_url
from ckv_im.model import Result, Subject


class IncidentManagerCheck:
    """Mixed in before Checkov's BaseResourceCheck of an engine, which names its resource types per subject."""

    resource_types: Mapping[Subject, tuple[str, ...]]
    severity: Any  # a Checkov Severity; Checkov's BaseCheck starts it as None

    def __init__(self, rule_id: str) -> None:
        self.rule: Rule = RULES[rule_id]
        super().__init__(  # type: ignore[call-arg]
            name=self.rule.title,
            id=self.rule.id,
            categories=(CheckCategories[self.rule.category.value],),
            supported_resources=self.resource_types[self.rule.subject],
            guideline=guideline_url(self.rule.id),
        )
        self.severity = Severities[self.rule.severity]

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        result = self.evaluate(conf)
        # plain strings: Checkov pickles records between the processes of a multi-framework run,
        # and its main process cannot import ckv_im's Detail
        self.details = [str(line) for line in result.details]
        return CheckResult(result.status.value)

    def evaluate(self, conf: dict[str, Any]) -> Result:
        raise NotImplementedError
