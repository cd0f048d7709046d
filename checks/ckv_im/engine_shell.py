"""What every engine shell (Checkov on Terraform and CloudFormation, cfn-lint) shares.

A shell finds the resource a rule reports on in the scan's model and calls the
rule function. It never raises: Checkov drops the result of a check that
raises (a false negative nobody sees) and cfn-lint turns it into an E0002
error that hides the rule's findings, so an internal error becomes UNKNOWN,
is logged, and is recorded here for the tests, which assert nothing lands here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from ckv_im.catalogue import Rule
from ckv_im.model import Result, ScanModel, Unknown, is_unknown

LOGGER = logging.getLogger(__name__)
INTERNAL_ERRORS: list[str] = []  # read by the tests: no input may ever land here


def run_rule(rule: Rule, name: str, build_model: Callable[[], "ScanModel | Unknown"], context: str) -> Result:
    """The rule's verdict on the resource ``name``; UNKNOWN when the model or the resource is missing."""
    try:
        model = build_model()
        if is_unknown(model):
            return Result.unknown(model.reason)
        subject = model.subject(rule.subject, name)
        if subject is None:
            return Result.unknown(f"{name} is not in the model of this scan")
        return rule.function(subject, model)
    except Exception as error:  # never let the engine drop the result silently
        record_internal_error(rule.id, context, error)
        return Result.unknown(f"internal error in {rule.id}: {error!r}")


def record_internal_error(rule_id: str, context: str, error: Exception) -> None:
    INTERNAL_ERRORS.append(f"{rule_id} {context}: {error!r}")
    LOGGER.warning("%s could not evaluate %s: %r", rule_id, context, error, exc_info=True)
