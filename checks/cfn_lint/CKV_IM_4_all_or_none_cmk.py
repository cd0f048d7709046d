"""CKV_IM_4: A replication set uses customer managed keys in all Region entries, or in none.

cfn-lint rule for CKV_IM_4. Rule logic: ckv_im.rules.all_or_no_customer_managed_keys · docs/rules/CKV_IM_4.md
"""
import sys
from pathlib import Path

try:
    import ckv_im  # noqa: F401  (installed with the pack)
except ImportError:  # loaded from a checkout with --append-rules: the library sits beside this directory
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ckv_im import cfn_lint_shell
from ckv_im.cloudformation_model import REPLICATION_SET
from ckv_im.rules import all_or_no_customer_managed_keys


class ReplicationSetKeysAllOrNone(cfn_lint_shell.IncidentManagerLintRule):
    rule_id = "CKV_IM_4"
    rule = staticmethod(all_or_no_customer_managed_keys)
    subject = "replication_sets"
    resource_types = (REPLICATION_SET,)
