"""CKV_IM_14: Every Region entry of a replication set names its key by key ARN.

Rule logic: ckv_im.rules.keys_named_by_arn · docs/rules/CKV_IM_14.md · fixtures: CKV_IM_14 in fixtures/expected_results.yaml
"""

from ckv_im.checkov_cloudformation import IncidentManagerCloudFormationCheck
from ckv_im.cloudformation_model import REPLICATION_SET
from ckv_im.rules import keys_named_by_arn


class ReplicationSetKeysNamedByArnInCloudFormation(IncidentManagerCloudFormationCheck):
    rule_id = "CKV_IM_14"
    rule = staticmethod(keys_named_by_arn)
    subject = "replication_sets"
    resource_types = (REPLICATION_SET,)


check = ReplicationSetKeysNamedByArnInCloudFormation()
