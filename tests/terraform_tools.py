"""Real Terraform for the tests that need it: the binary, the offline provider mirror, a plan.

The mirror (a directory holding ``registry.terraform.io/hashicorp/aws/...``) comes from
CKV_IM_TF_PLUGIN_MIRROR, or is discovered under the usual install roots. Tests that need
either skip, saying so, where they are absent.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

MIRROR_ENV = "CKV_IM_TF_PLUGIN_MIRROR"
_SEARCH_ROOTS = ("/opt", "/usr/local/share", "/usr/share", "~/.terraform.d", "~/.local/share")
_PROVIDER_GLOB = "registry.terraform.io/hashicorp/aws/*/*/terraform-provider-aws_*"
_FAKE_PROVIDER = """
provider "aws" {{
{alias}  access_key                  = "AKIAIOSFODNN7EXAMPLE"
  secret_key                  = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}}
"""


def terraform_binary() -> str | None:
    return shutil.which("terraform")


def provider_mirror() -> Path | None:
    configured = os.environ.get(MIRROR_ENV)
    if configured:
        return Path(configured)
    for root in _SEARCH_ROOTS:
        base = Path(root).expanduser()
        for depth in range(4):  # the mirror root sits a few levels below an install root
            pattern = "/".join(["*"] * depth + [_PROVIDER_GLOB])
            found = next(base.glob(pattern), None) if base.is_dir() else None
            if found is not None:
                return Path(str(found).split("/registry.terraform.io/")[0])
    return None


def plan_json(root_module: Path, work: Path, aliases: tuple[str, ...] = ()) -> Path:
    """``terraform plan`` of a copy of the module, offline, with fake credentials; returns plan.json."""
    copy = work / root_module.name
    shutil.copytree(root_module, copy)
    overrides = [_FAKE_PROVIDER.format(alias="")]
    overrides += [_FAKE_PROVIDER.format(alias=f'  alias                       = "{alias}"\n') for alias in aliases]
    (copy / "ckv_im_plan_override.tf").write_text("".join(overrides))
    terraform = terraform_binary()
    environment = {**os.environ, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}
    for command in (["init", "-input=false", "-backend=false", f"-plugin-dir={provider_mirror()}"],
                    ["plan", "-input=false", "-refresh=false", "-lock=false", "-out=tfplan"]):
        subprocess.run([terraform, *command], cwd=copy, check=True, capture_output=True, env=environment, timeout=600)
    shown = subprocess.run([terraform, "show", "-json", "tfplan"], cwd=copy, check=True, capture_output=True,
                           env=environment, timeout=600)
    (copy / "plan.json").write_bytes(shown.stdout)
    return copy / "plan.json"
