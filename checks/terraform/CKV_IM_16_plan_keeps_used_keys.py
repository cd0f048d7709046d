"""CKV_IM_16: the plan does not delete or disable a key a replication set still uses (Terraform plan JSON only).

Rule logic: ckv_im.rules.plan_keeps_used_keys · docs/rules/CKV_IM_16.md · fixtures: CKV_IM_16 in fixtures/expected_results.yaml
"""
from checkov.common.models.enums import CheckCategories

from ckv_im.checkov_terraform import IncidentManagerTerraformCheck
from ckv_im.rules import plan_keeps_used_keys
from ckv_im.terraform_model import REPLICATION_SET


class PlanKeepsUsedKeys(IncidentManagerTerraformCheck):
    rule_id = "CKV_IM_16"
    rule = staticmethod(plan_keeps_used_keys)
    subject = "replication_sets"
    resource_types = (REPLICATION_SET,)
    categories = (CheckCategories.BACKUP_AND_RECOVERY,)


check = PlanKeepsUsedKeys()
