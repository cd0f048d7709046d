"""CKV_IM_10: No e-mail addresses or phone numbers in the tags and name fields of Incident Manager resources and keys.

cfn-lint rule for CKV_IM_10. Rule logic: ckv_im.rules.no_personal_data_in_names · docs/rules/CKV_IM_10.md
"""
import sys
from pathlib import Path

try:
    import ckv_im  # noqa: F401  (installed with the pack)
except ImportError:  # loaded from a checkout with --append-rules: the library sits beside this directory
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ckv_im import cfn_lint_shell
from ckv_im.cloudformation_model import IM_RESOURCE_PATTERNS, KEY_TYPES
from ckv_im.rules import no_personal_data_in_names


class NoPersonalDataInIncidentManagerNames(cfn_lint_shell.IncidentManagerLintRule):
    rule_id = "CKV_IM_10"
    rule = staticmethod(no_personal_data_in_names)
    subject = "im_resource_or_key"
    resource_types = (*KEY_TYPES, *IM_RESOURCE_PATTERNS)
