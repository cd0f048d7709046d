"""CKV_IM_12: SNS topics that a response plan notifies through are encrypted with KMS.

cfn-lint rule for CKV_IM_12. Rule logic: ckv_im.rules.response_plan_topic_encrypted · docs/rules/CKV_IM_12.md
"""
import sys
from pathlib import Path

try:
    import ckv_im  # noqa: F401  (installed with the pack)
except ImportError:  # loaded from a checkout with --append-rules: the library sits beside this directory
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ckv_im import cfn_lint_shell
from ckv_im.cloudformation_model import SNS_TOPIC
from ckv_im.rules import response_plan_topic_encrypted


class ResponsePlanTopicEncrypted(cfn_lint_shell.IncidentManagerLintRule):
    rule_id = "CKV_IM_12"
    rule = staticmethod(response_plan_topic_encrypted)
    subject = "topics"
    resource_types = (SNS_TOPIC,)
