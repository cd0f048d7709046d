"""CKV_IM_8: The Incident Manager statement of a key policy names no wildcard principal without an account condition.

cfn-lint rule for CKV_IM_8. Rule logic: ckv_im.rules.no_wildcard_principal · docs/rules/CKV_IM_8.md
"""
import sys
from pathlib import Path

try:
    import ckv_im  # noqa: F401  (installed with the pack)
except ImportError:  # loaded from a checkout with --append-rules: the library sits beside this directory
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ckv_im import cfn_lint_shell
from ckv_im.cloudformation_model import KEY_TYPES
from ckv_im.rules import no_wildcard_principal


class IncidentManagerKeyPolicyNoWildcardPrincipal(cfn_lint_shell.IncidentManagerLintRule):
    rule_id = "CKV_IM_8"
    rule = staticmethod(no_wildcard_principal)
    subject = "keys"
    resource_types = KEY_TYPES
