"""CKV_IM_11: No URL in an Incident Manager resource carries credentials.

Rule logic: ckv_im.rules.no_credentials_in_urls · docs/rules/CKV_IM_11.md · fixtures: CKV_IM_11 in fixtures/expected_results.yaml
"""
from checkov.common.models.enums import CheckCategories

from ckv_im.checkov_cloudformation import IncidentManagerCloudFormationCheck
from ckv_im.cloudformation_model import IM_RESOURCE_PATTERNS
from ckv_im.rules import no_credentials_in_urls


class NoCredentialsInIncidentManagerUrlsInCloudFormation(IncidentManagerCloudFormationCheck):
    rule_id = "CKV_IM_11"
    rule = staticmethod(no_credentials_in_urls)
    subject = "im_resources"
    resource_types = tuple(IM_RESOURCE_PATTERNS)
    categories = (CheckCategories.SECRETS,)


check = NoCredentialsInIncidentManagerUrlsInCloudFormation()
