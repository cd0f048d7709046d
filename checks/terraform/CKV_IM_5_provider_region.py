"""CKV_IM_5: The Region of a replication set's provider must be one of its Regions.

Rule logic: ckv_im.rules.provider_region_is_replicated · docs/rules/CKV_IM_5.md · fixtures: CKV_IM_5 in fixtures/expected_results.yaml
"""
from checkov.common.models.enums import CheckCategories

from ckv_im.checkov_terraform import IncidentManagerTerraformCheck
from ckv_im.rules import provider_region_is_replicated
from ckv_im.terraform_model import REPLICATION_SET


class ReplicationSetProviderRegionReplicated(IncidentManagerTerraformCheck):
    rule_id = "CKV_IM_5"
    rule = staticmethod(provider_region_is_replicated)
    subject = "replication_sets"
    resource_types = (REPLICATION_SET,)
    categories = (CheckCategories.GENERAL_SECURITY,)


check = ReplicationSetProviderRegionReplicated()
