"""CKV_IM_7: The key policy of an Incident Manager key grants Incident Manager kms:CreateGrant and kms:DescribeKey via its services.

Rule logic: ckv_im.rules.required_key_policy_statement · docs/rules/CKV_IM_7.md · fixtures: CKV_IM_7 in fixtures/expected_results.yaml
"""
from checkov.common.models.enums import CheckCategories

from ckv_im.checkov_terraform import IncidentManagerTerraformCheck
from ckv_im.rules import required_key_policy_statement
from ckv_im.terraform_model import KEY_TYPES


class IncidentManagerKeyPolicyGrant(IncidentManagerTerraformCheck):
    rule_id = "CKV_IM_7"
    rule = staticmethod(required_key_policy_statement)
    subject = "keys"
    resource_types = KEY_TYPES
    categories = (CheckCategories.IAM,)


check = IncidentManagerKeyPolicyGrant()
