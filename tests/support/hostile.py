"""Helpers for the hostile-input tests (tests/hostile): time bounds and policy builders.

The bounds are on the CPU time of this process (``time.process_time``), so that the other
work on a shared CI runner does not make a linear matcher look slow; they are generous on
purpose (docs/semantics.md: speed is measured by benchmarks, an adversarial input only has
to finish).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

MEGABYTE = 1024 * 1024
# "Each small adversarial input finishes in under a second of the pack's own time."
ADVERSARIAL_CPU_SECONDS = 1.0

GUIDE_VIA_SERVICE = ["ssm-incidents.*.amazonaws.com", "ssm-contacts.*.amazonaws.com"]
GRANT_ACTIONS = ["kms:CreateGrant", "kms:DescribeKey"]


def within_cpu_bound(call: Callable[[], T], bound: float = ADVERSARIAL_CPU_SECONDS) -> T:
    """The call's result, asserting it took less than ``bound`` seconds of this process's CPU time."""
    start = time.process_time()
    result = call()
    spent = time.process_time() - start
    assert spent < bound, f"took {spent:.2f} s of CPU time (bound {bound} s)"
    return result


def grant_statement(**overrides: Any) -> dict:
    """The AWS guide's Incident Manager statement (principal the account), any element replaced or
    removed (a value of None removes it)."""
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
        "Action": GRANT_ACTIONS,
        "Resource": "*",
        "Condition": {"StringLike": {"kms:ViaService": GUIDE_VIA_SERVICE}},
    }
    statement.update(overrides)
    return {key: value for key, value in statement.items() if value is not None}


def key_policy(*statements: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": list(statements)}


# Adversarial key policies, shared by tests/hostile (Python) and tests/rego (the same verdicts in Rego).
# Each is a change to grant_statement() (keyword arguments), by a name for the test ids.
GRANTS_NOTHING = {
    "NotResource *": {"Resource": None, "NotResource": "*"},
    "NotResource list with *": {"Resource": None, "NotResource": ["arn:aws:kms:us-east-1:111122223333:key/x", "*"]},
    "Resource []": {"Resource": []},
    "AWS []": {"Principal": {"AWS": []}},
    "AWS empty": {"Principal": {"AWS": ""}},
    # the long s folds to "s" only in Unicode
    "long s action": {"Action": ["km\u017f:CreateGrant", "km\u017f:DescribeKey"]},
    "Kelvin action": {"Action": ["\u212ams:CreateGrant", "\u212ams:DescribeKey"]},  # the Kelvin sign folds to "k"
    "Kelvin condition key": {"Condition": {"StringLike": {"\u212ams:ViaService": GUIDE_VIA_SERVICE}}},
    "long s operator": {"Condition": {"\u017ftringLike": {"kms:ViaService": GUIDE_VIA_SERVICE}}},
}

# A Deny that covers every resource but the key: it denies nothing.
NOT_RESOURCE_DENY = {"Effect": "Deny", "Principal": "*", "Action": "kms:*", "NotResource": "*"}

NOT_PRINCIPAL = {"Principal": None, "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/ex"}}

# Caller pins that hold when the request has no such key: they pin nothing.
UNBINDING_PIN_OPERATORS = [
    "StringEqualsIfExists",
    "ForAllValues:StringEquals",
    "ForAllValues:StringLikeIfExists",
    "StringLikeIfExists",
]


def with_caller_pin(operator: str, key: str = "kms:CallerAccount") -> dict:
    """The guide's kms:ViaService condition with a caller pin under the operator."""
    return {"StringLike": {"kms:ViaService": GUIDE_VIA_SERVICE}, operator: {key: "111122223333"}}


def terraform_model(directory: Any) -> Any:
    """The pack's model of a Terraform directory, built from Checkov's graph as the Checkov shell builds it."""
    from checkov.common.graph.db_connectors.rustworkx.rustworkx_db_connector import RustworkxConnector
    from checkov.terraform.graph_manager import TerraformGraphManager

    from ckv_im.terraform_graph import RawFiles, build_index
    from ckv_im.terraform_model import TerraformModelBuilder

    manager = TerraformGraphManager(db_connector=RustworkxConnector())
    local_graph, _ = manager.build_graph_from_source_directory(str(directory), render_variables=True)
    raw_files = RawFiles()
    index = build_index(manager.save_graph(local_graph), raw_files)
    raw_files.set_scan_root(str(directory))
    return TerraformModelBuilder(index, raw_files).build()
