"""CKV_IM_3: Every Region entry of a replication set must use a KMS key in that same Region.

Rule logic: ckv_im.rules.key_region_matches_entry · docs/rules/CKV_IM_3.md · fixtures: CKV_IM_3 in fixtures/expected_results.yaml
"""

from ckv_im.checkov_cloudformation import IncidentManagerCloudFormationCheck
from ckv_im.cloudformation_model import REPLICATION_SET
from ckv_im.rules import key_region_matches_entry


class ReplicationSetKeysInEntryRegionInCloudFormation(IncidentManagerCloudFormationCheck):
    rule_id = "CKV_IM_3"
    rule = staticmethod(key_region_matches_entry)
    subject = "replication_sets"
    resource_types = (REPLICATION_SET,)


check = ReplicationSetKeysInEntryRegionInCloudFormation()
