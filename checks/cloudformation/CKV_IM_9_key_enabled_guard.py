"""CKV_IM_9: An Incident Manager key is enabled and guarded against deletion.

Rule logic: ckv_im.rules.key_enabled_and_guarded · docs/rules/CKV_IM_9.md · fixtures: CKV_IM_9 in fixtures/expected_results.yaml
"""
from checkov.common.models.enums import CheckCategories

from ckv_im.checkov_cloudformation import IncidentManagerCloudFormationCheck
from ckv_im.cloudformation_model import KEY_TYPES
from ckv_im.rules import key_enabled_and_guarded


class IncidentManagerKeyEnabledAndGuardedInCloudFormation(IncidentManagerCloudFormationCheck):
    rule_id = "CKV_IM_9"
    rule = staticmethod(key_enabled_and_guarded)
    subject = "keys"
    resource_types = KEY_TYPES
    categories = (CheckCategories.BACKUP_AND_RECOVERY,)


check = IncidentManagerKeyEnabledAndGuardedInCloudFormation()
