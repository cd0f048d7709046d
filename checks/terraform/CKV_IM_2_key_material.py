"""CKV_IM_2: An Incident Manager key must have no imported key material and live in no custom key store.

Rule logic: ckv_im.rules.no_imported_material_or_custom_store · docs/rules/CKV_IM_2.md · fixtures: CKV_IM_2 in fixtures/expected_results.yaml
"""

from ckv_im.checkov_terraform import IncidentManagerTerraformCheck
from ckv_im.rules import no_imported_material_or_custom_store
from ckv_im.terraform_model import KEY_TYPES


class IncidentManagerKeyHasNoImportedMaterial(IncidentManagerTerraformCheck):
    rule_id = "CKV_IM_2"
    rule = staticmethod(no_imported_material_or_custom_store)
    subject = "keys"
    resource_types = KEY_TYPES


check = IncidentManagerKeyHasNoImportedMaterial()
