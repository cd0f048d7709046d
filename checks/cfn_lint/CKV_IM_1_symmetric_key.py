"""CKV_IM_1: An Incident Manager key must be a symmetric encryption key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT).

cfn-lint rule for CKV_IM_1. Rule logic: ckv_im.rules.symmetric_encryption_key · docs/rules/CKV_IM_1.md
"""
import sys
from pathlib import Path

try:
    import ckv_im  # noqa: F401  (installed with the pack)
except ImportError:  # loaded from a checkout with --append-rules: the library sits beside this directory
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ckv_im import cfn_lint_shell
from ckv_im.cloudformation_model import KEY_TYPES
from ckv_im.rules import symmetric_encryption_key


class IncidentManagerKeyIsSymmetric(cfn_lint_shell.IncidentManagerLintRule):
    rule_id = "CKV_IM_1"
    rule = staticmethod(symmetric_encryption_key)
    subject = "keys"
    resource_types = KEY_TYPES
