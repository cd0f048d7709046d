"""CKV_IM_9: An Incident Manager key is enabled and guarded against deletion.

cfn-lint rule for CKV_IM_9. Rule logic: ckv_im.rules.key_enabled_and_guarded · docs/rules/CKV_IM_9.md
"""
import sys
from pathlib import Path

try:
    import ckv_im  # noqa: F401  (installed with the pack)
except ImportError:  # loaded from a checkout with --append-rules: the library sits beside this directory
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ckv_im import cfn_lint_shell
from ckv_im.cloudformation_model import KEY_TYPES
from ckv_im.rules import key_enabled_and_guarded


class IncidentManagerKeyEnabledAndGuarded(cfn_lint_shell.IncidentManagerLintRule):
    rule_id = "CKV_IM_9"
    rule = staticmethod(key_enabled_and_guarded)
    subject = "keys"
    resource_types = KEY_TYPES
