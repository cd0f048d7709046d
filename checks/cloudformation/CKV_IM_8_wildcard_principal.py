"""CKV_IM_8: The Incident Manager statement of a key policy names no wildcard principal without an account condition.

Rule logic: ckv_im.rules.no_wildcard_principal · docs/rules/CKV_IM_8.md · fixtures: CKV_IM_8 in fixtures/expected_results.yaml
"""
from checkov.common.models.enums import CheckCategories

from ckv_im.checkov_cloudformation import IncidentManagerCloudFormationCheck
from ckv_im.cloudformation_model import KEY_TYPES
from ckv_im.rules import no_wildcard_principal


class IncidentManagerKeyPolicyNoWildcardPrincipalInCloudFormation(IncidentManagerCloudFormationCheck):
    rule_id = "CKV_IM_8"
    rule = staticmethod(no_wildcard_principal)
    subject = "keys"
    resource_types = KEY_TYPES
    categories = (CheckCategories.IAM,)


check = IncidentManagerKeyPolicyNoWildcardPrincipalInCloudFormation()
