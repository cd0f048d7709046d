"""CKV_IM_2: An Incident Manager key must have no imported key material and live in no custom key store.

cfn-lint rule for CKV_IM_2. Rule logic: ckv_im.rules.no_imported_material_or_custom_store · docs/rules/CKV_IM_2.md
"""
import sys
from pathlib import Path

try:
    import ckv_im  # noqa: F401  (installed with the pack)
except ImportError:  # loaded from a checkout with --append-rules: the library sits beside this directory
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ckv_im import cfn_lint_shell
from ckv_im.cloudformation_model import KEY_TYPES
from ckv_im.rules import no_imported_material_or_custom_store


class IncidentManagerKeyHasNoImportedMaterial(cfn_lint_shell.IncidentManagerLintRule):
    rule_id = "CKV_IM_2"
    rule = staticmethod(no_imported_material_or_custom_store)
    subject = "keys"
    resource_types = KEY_TYPES
