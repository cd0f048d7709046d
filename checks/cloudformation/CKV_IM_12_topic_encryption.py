"""CKV_IM_12: SNS topics that a response plan notifies through are encrypted with KMS.

Rule logic: ckv_im.rules.response_plan_topic_encrypted · docs/rules/CKV_IM_12.md · fixtures: CKV_IM_12 in fixtures/expected_results.yaml
"""

from ckv_im.checkov_cloudformation import IncidentManagerCloudFormationCheck
from ckv_im.cloudformation_model import SNS_TOPIC
from ckv_im.rules import response_plan_topic_encrypted


class ResponsePlanTopicEncryptedInCloudFormation(IncidentManagerCloudFormationCheck):
    rule_id = "CKV_IM_12"
    rule = staticmethod(response_plan_topic_encrypted)
    subject = "topics"
    resource_types = (SNS_TOPIC,)


check = ResponsePlanTopicEncryptedInCloudFormation()
