"""CKV_IM_13: Every Region entry of a replication set uses a customer managed key.

cfn-lint rule for CKV_IM_13. Rule logic: ckv_im.rules.customer_managed_keys_everywhere · docs/rules/CKV_IM_13.md
"""
import sys
from pathlib import Path

try:
    import ckv_im  # noqa: F401  (installed with the pack)
except ImportError:  # loaded from a checkout with --append-rules: the library sits beside this directory
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ckv_im import cfn_lint_shell
from ckv_im.cloudformation_model import REPLICATION_SET
from ckv_im.rules import customer_managed_keys_everywhere


class ReplicationSetCustomerManagedKeys(cfn_lint_shell.IncidentManagerLintRule):
    rule_id = "CKV_IM_13"
    rule = staticmethod(customer_managed_keys_everywhere)
    subject = "replication_sets"
    resource_types = (REPLICATION_SET,)
