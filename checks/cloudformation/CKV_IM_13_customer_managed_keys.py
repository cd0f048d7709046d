"""CKV_IM_13: Every Region entry of a replication set uses a customer managed key.

Rule logic: ckv_im.rules.customer_managed_keys_everywhere · docs/rules/CKV_IM_13.md · fixtures: CKV_IM_13 in fixtures/expected_results.yaml
"""

from ckv_im.checkov_cloudformation import IncidentManagerCloudFormationCheck
from ckv_im.cloudformation_model import REPLICATION_SET
from ckv_im.rules import customer_managed_keys_everywhere


class ReplicationSetCustomerManagedKeysInCloudFormation(IncidentManagerCloudFormationCheck):
    rule_id = "CKV_IM_13"
    rule = staticmethod(customer_managed_keys_everywhere)
    subject = "replication_sets"
    resource_types = (REPLICATION_SET,)


check = ReplicationSetCustomerManagedKeysInCloudFormation()
