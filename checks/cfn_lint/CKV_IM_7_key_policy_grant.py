"""CKV_IM_7: The key policy of an Incident Manager key grants Incident Manager kms:CreateGrant and kms:DescribeKey via its services.

cfn-lint rule for CKV_IM_7. Rule logic: ckv_im.rules.required_key_policy_statement · docs/rules/CKV_IM_7.md
"""
import sys
from pathlib import Path

try:
    import ckv_im  # noqa: F401  (installed with the pack)
except ImportError:  # loaded from a checkout with --append-rules: the library sits beside this directory
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ckv_im import cfn_lint_shell
from ckv_im.cloudformation_model import KEY_TYPES
from ckv_im.rules import required_key_policy_statement


class IncidentManagerKeyPolicyGrant(cfn_lint_shell.IncidentManagerLintRule):
    rule_id = "CKV_IM_7"
    rule = staticmethod(required_key_policy_statement)
    subject = "keys"
    resource_types = KEY_TYPES
