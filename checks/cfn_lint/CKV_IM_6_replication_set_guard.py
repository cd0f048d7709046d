"""CKV_IM_6: A replication set is guarded against deletion: deleting it deletes all Incident Manager data.

cfn-lint rule for CKV_IM_6. Rule logic: ckv_im.rules.replication_set_deletion_guard · docs/rules/CKV_IM_6.md
"""
import sys
from pathlib import Path

try:
    import ckv_im  # noqa: F401  (installed with the pack)
except ImportError:  # loaded from a checkout with --append-rules: the library sits beside this directory
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ckv_im import cfn_lint_shell
from ckv_im.cloudformation_model import REPLICATION_SET
from ckv_im.rules import replication_set_deletion_guard


class ReplicationSetDeletionGuard(cfn_lint_shell.IncidentManagerLintRule):
    rule_id = "CKV_IM_6"
    rule = staticmethod(replication_set_deletion_guard)
    subject = "replication_sets"
    resource_types = (REPLICATION_SET,)
