"""CKV_IM_3: Every Region entry of a replication set must use a KMS key in that same Region.

cfn-lint rule for CKV_IM_3. Rule logic: ckv_im.rules.key_region_matches_entry · docs/rules/CKV_IM_3.md
"""
import sys
from pathlib import Path

try:
    import ckv_im  # noqa: F401  (installed with the pack)
except ImportError:  # loaded from a checkout with --append-rules: the library sits beside this directory
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ckv_im import cfn_lint_shell
from ckv_im.cloudformation_model import REPLICATION_SET
from ckv_im.rules import key_region_matches_entry


class ReplicationSetKeysInEntryRegion(cfn_lint_shell.IncidentManagerLintRule):
    rule_id = "CKV_IM_3"
    rule = staticmethod(key_region_matches_entry)
    subject = "replication_sets"
    resource_types = (REPLICATION_SET,)
