"""CKV_IM_3: Every Region entry of a replication set must use a KMS key in that same Region.

Rule logic: ckv_im.rules.key_region_matches_entry · docs/rules/CKV_IM_3.md · fixtures: CKV_IM_3 in fixtures/expected_results.yaml
"""

from ckv_im.checkov_terraform import IncidentManagerTerraformCheck
from ckv_im.rules import key_region_matches_entry
from ckv_im.terraform_model import REPLICATION_SET


class ReplicationSetKeysInEntryRegion(IncidentManagerTerraformCheck):
    rule_id = "CKV_IM_3"
    rule = staticmethod(key_region_matches_entry)
    subject = "replication_sets"
    resource_types = (REPLICATION_SET,)


check = ReplicationSetKeysInEntryRegion()
