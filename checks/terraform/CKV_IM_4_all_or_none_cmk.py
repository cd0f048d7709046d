"""CKV_IM_4: A replication set uses customer managed keys in all Region entries, or in none.

Rule logic: ckv_im.rules.all_or_no_customer_managed_keys · docs/rules/CKV_IM_4.md · fixtures: CKV_IM_4 in fixtures/expected_results.yaml
"""

from ckv_im.checkov_terraform import IncidentManagerTerraformCheck
from ckv_im.rules import all_or_no_customer_managed_keys
from ckv_im.terraform_model import REPLICATION_SET


class ReplicationSetKeysAllOrNone(IncidentManagerTerraformCheck):
    rule_id = "CKV_IM_4"
    rule = staticmethod(all_or_no_customer_managed_keys)
    subject = "replication_sets"
    resource_types = (REPLICATION_SET,)


check = ReplicationSetKeysAllOrNone()
