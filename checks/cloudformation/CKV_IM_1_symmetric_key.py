"""CKV_IM_1: An Incident Manager key must be a symmetric encryption key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT).

Rule logic: ckv_im.rules.symmetric_encryption_key · docs/rules/CKV_IM_1.md · fixtures: CKV_IM_1 in fixtures/expected_results.yaml
"""

from ckv_im.checkov_cloudformation import IncidentManagerCloudFormationCheck
from ckv_im.cloudformation_model import KEY_TYPES
from ckv_im.rules import symmetric_encryption_key


class IncidentManagerKeyIsSymmetricInCloudFormation(IncidentManagerCloudFormationCheck):
    rule_id = "CKV_IM_1"
    rule = staticmethod(symmetric_encryption_key)
    subject = "keys"
    resource_types = KEY_TYPES


check = IncidentManagerKeyIsSymmetricInCloudFormation()
