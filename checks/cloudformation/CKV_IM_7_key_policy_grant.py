"""CKV_IM_7 for Checkov on CloudFormation and Serverless. The rule: ckv_im.catalogue and docs/rules/CKV_IM_7.md.

Checkov runs the check objects of the files it loads from --external-checks-dir: this file only gives it one.
"""

from ckv_im.checkov_cloudformation import CloudFormationCheck

check = CloudFormationCheck("CKV_IM_7")
