"""CKV_IM_6: A replication set is guarded against deletion: deleting it deletes all Incident Manager data.

Rule logic: ckv_im.rules.replication_set_deletion_guard · docs/rules/CKV_IM_6.md · fixtures: CKV_IM_6 in fixtures/expected_results.yaml
"""
from checkov.common.models.enums import CheckCategories

from ckv_im.checkov_terraform import IncidentManagerTerraformCheck
from ckv_im.rules import replication_set_deletion_guard
from ckv_im.terraform_model import REPLICATION_SET


class ReplicationSetDeletionGuard(IncidentManagerTerraformCheck):
    rule_id = "CKV_IM_6"
    rule = staticmethod(replication_set_deletion_guard)
    subject = "replication_sets"
    resource_types = (REPLICATION_SET,)
    categories = (CheckCategories.BACKUP_AND_RECOVERY,)


check = ReplicationSetDeletionGuard()
