"""CKV_IM_10 as a cfn-lint rule. The rule: ckv_im.catalogue and docs/rules/CKV_IM_10.md.

cfn-lint makes a rule of every rule class in the files of an --append-rules directory: this file only gives
it one. It imports ckv_im.cfn_lint_shell as a module: a rule class imported by name would become a rule too.
"""

import sys
from pathlib import Path

try:
    import ckv_im  # noqa: F401  (installed with the pack)
except ImportError:  # loaded from a checkout: the library sits beside this directory
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ckv_im import cfn_lint_shell

LintRule = cfn_lint_shell.rule_class("CKV_IM_10")
