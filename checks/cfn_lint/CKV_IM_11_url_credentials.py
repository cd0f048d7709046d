"""CKV_IM_11: No URL in an Incident Manager resource carries credentials.

cfn-lint rule for CKV_IM_11. Rule logic: ckv_im.rules.no_credentials_in_urls · docs/rules/CKV_IM_11.md
"""
import sys
from pathlib import Path

try:
    import ckv_im  # noqa: F401  (installed with the pack)
except ImportError:  # loaded from a checkout with --append-rules: the library sits beside this directory
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ckv_im import cfn_lint_shell
from ckv_im.cloudformation_model import IM_RESOURCE_PATTERNS
from ckv_im.rules import no_credentials_in_urls


class NoCredentialsInIncidentManagerUrls(cfn_lint_shell.IncidentManagerLintRule):
    rule_id = "CKV_IM_11"
    rule = staticmethod(no_credentials_in_urls)
    subject = "im_resources"
    resource_types = tuple(IM_RESOURCE_PATTERNS)
