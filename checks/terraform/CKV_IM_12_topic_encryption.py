"""CKV_IM_12: SNS topics that a response plan notifies through are encrypted with KMS.

Rule logic: ckv_im.rules.response_plan_topic_encrypted · docs/rules/CKV_IM_12.md · fixtures: CKV_IM_12 in fixtures/expected_results.yaml
"""

from ckv_im.checkov_terraform import IncidentManagerTerraformCheck
from ckv_im.rules import response_plan_topic_encrypted
from ckv_im.terraform_model import SNS_TOPIC


class ResponsePlanTopicEncrypted(IncidentManagerTerraformCheck):
    rule_id = "CKV_IM_12"
    rule = staticmethod(response_plan_topic_encrypted)
    subject = "topics"
    resource_types = (SNS_TOPIC,)


check = ResponsePlanTopicEncrypted()
