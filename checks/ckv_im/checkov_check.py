"""What the Checkov base classes for Terraform and CloudFormation share.

The check's name, ID, severity and guideline come from the rule catalogue; the
verdict and its details lines from the rule function, through ``evaluate``,
which each engine's base class implements (how it finds the model and the resource).
"""
from __future__ import annotations

from typing import Any, Callable

from checkov.common.bridgecrew.severities import Severities
from checkov.common.models.enums import CheckCategories, CheckResult

from ckv_im.catalogue import RULES, guideline_url
from ckv_im.model import Result, ScanModel


class IncidentManagerCheck:
    """Mixed in before Checkov's BaseResourceCheck of an engine; subclasses name the rule, its function and subject."""

    rule_id: str
    rule: Callable[[Any, ScanModel], Result]
    subject: str                   # keys, replication_sets, im_resources, topics or im_resource_or_key
    resource_types: tuple[str, ...]
    categories: tuple[CheckCategories, ...] = (CheckCategories.ENCRYPTION,)

    def __init__(self) -> None:
        info = RULES[self.rule_id]
        super().__init__(name=info.title, id=info.id, categories=self.categories,  # type: ignore[call-arg]
                         supported_resources=self.resource_types, guideline=guideline_url(info.id))
        self.severity = Severities[info.severity]

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        result = self.evaluate(conf)
        # plain strings: Checkov pickles records between the processes of a multi-framework run,
        # and its main process cannot import ckv_im's Detail
        self.details = [str(line) for line in result.details]
        return CheckResult(result.status.value)

    def evaluate(self, conf: dict[str, Any]) -> Result:
        raise NotImplementedError
