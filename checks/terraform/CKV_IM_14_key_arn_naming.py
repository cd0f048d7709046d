"""CKV_IM_14: Every Region entry of a replication set names its key by key ARN.

Rule logic: ckv_im.rules.keys_named_by_arn · docs/rules/CKV_IM_14.md · fixtures: CKV_IM_14 in fixtures/expected_results.yaml
"""

from ckv_im.checkov_terraform import IncidentManagerTerraformCheck
from ckv_im.rules import keys_named_by_arn
from ckv_im.terraform_model import REPLICATION_SET


class ReplicationSetKeysNamedByArn(IncidentManagerTerraformCheck):
    rule_id = "CKV_IM_14"
    rule = staticmethod(keys_named_by_arn)
    subject = "replication_sets"
    resource_types = (REPLICATION_SET,)


check = ReplicationSetKeysNamedByArn()
