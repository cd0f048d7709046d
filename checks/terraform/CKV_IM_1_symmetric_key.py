"""CKV_IM_1: An Incident Manager key must be a symmetric encryption key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT).

Rule logic: ckv_im.rules.symmetric_encryption_key · docs/rules/CKV_IM_1.md · fixtures: CKV_IM_1 in fixtures/expected_results.yaml
"""

from ckv_im.checkov_terraform import IncidentManagerTerraformCheck
from ckv_im.rules import symmetric_encryption_key
from ckv_im.terraform_model import KEY_TYPES


class IncidentManagerKeyIsSymmetric(IncidentManagerTerraformCheck):
    rule_id = "CKV_IM_1"
    rule = staticmethod(symmetric_encryption_key)
    subject = "keys"
    resource_types = KEY_TYPES


check = IncidentManagerKeyIsSymmetric()
