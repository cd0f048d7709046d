"""CKV_IM_10: No e-mail addresses or phone numbers in the tags and name fields of Incident Manager resources and keys.

Rule logic: ckv_im.rules.no_personal_data_in_names · docs/rules/CKV_IM_10.md · fixtures: CKV_IM_10 in fixtures/expected_results.yaml
"""
from checkov.common.models.enums import CheckCategories

from ckv_im.checkov_cloudformation import IncidentManagerCloudFormationCheck
from ckv_im.cloudformation_model import IM_RESOURCE_PATTERNS, KEY_TYPES
from ckv_im.rules import no_personal_data_in_names


class NoPersonalDataInIncidentManagerNamesInCloudFormation(IncidentManagerCloudFormationCheck):
    rule_id = "CKV_IM_10"
    rule = staticmethod(no_personal_data_in_names)
    subject = "im_resource_or_key"
    resource_types = (*KEY_TYPES, *IM_RESOURCE_PATTERNS)
    categories = (CheckCategories.GENERAL_SECURITY,)


check = NoPersonalDataInIncidentManagerNamesInCloudFormation()
