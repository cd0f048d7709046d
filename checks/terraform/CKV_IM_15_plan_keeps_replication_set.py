"""CKV_IM_15: the plan does not destroy, replace or re-key a replication set (Terraform plan JSON only).

Rule logic: ckv_im.rules.plan_keeps_replication_set · docs/rules/CKV_IM_15.md · fixtures: CKV_IM_15 in fixtures/expected_results.yaml
"""
from checkov.common.models.enums import CheckCategories

from ckv_im.checkov_terraform import IncidentManagerTerraformCheck
from ckv_im.rules import plan_keeps_replication_set
from ckv_im.terraform_model import REPLICATION_SET


class PlanKeepsReplicationSet(IncidentManagerTerraformCheck):
    rule_id = "CKV_IM_15"
    rule = staticmethod(plan_keeps_replication_set)
    subject = "replication_sets"
    resource_types = (REPLICATION_SET,)
    categories = (CheckCategories.BACKUP_AND_RECOVERY,)


check = PlanKeepsReplicationSet()
