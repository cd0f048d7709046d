"""CKV_IM_14: Every Region entry of a replication set names its key by key ARN.

cfn-lint rule for CKV_IM_14. Rule logic: ckv_im.rules.keys_named_by_arn · docs/rules/CKV_IM_14.md
"""
import sys
from pathlib import Path

try:
    import ckv_im  # noqa: F401  (installed with the pack)
except ImportError:  # loaded from a checkout with --append-rules: the library sits beside this directory
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ckv_im import cfn_lint_shell
from ckv_im.cloudformation_model import REPLICATION_SET
from ckv_im.rules import keys_named_by_arn


class ReplicationSetKeysNamedByArn(cfn_lint_shell.IncidentManagerLintRule):
    rule_id = "CKV_IM_14"
    rule = staticmethod(keys_named_by_arn)
    subject = "replication_sets"
    resource_types = (REPLICATION_SET,)
