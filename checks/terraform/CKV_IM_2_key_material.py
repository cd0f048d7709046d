"""CKV_IM_2 for Checkov on Terraform (HCL, JSON and plan JSON). The rule: ckv_im.catalogue and docs/rules/CKV_IM_2.md.

Checkov runs the check objects of the files it loads from --external-checks-dir: this file only gives it one.
"""

from ckv_im.checkov_terraform import TerraformCheck

check = TerraformCheck("CKV_IM_2")
