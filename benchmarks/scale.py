"""Scale benchmark: the pack's cost next to Checkov's own, side by side in one run.

For growing Terraform trees (N replication-set stacks of two keys, two aliases
and a replication set each, in modules), it times one Checkov scan with a
built-in KMS check only (the baseline: parsing, graph building, one check)
and one with the 14 CKV_IM checks, and prints the ratio. A model built per
resource instead of per graph would show as a ratio growing with N.

    .venv/bin/python benchmarks/scale.py [N ...]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "checks"))

from checkov.runner_filter import RunnerFilter  # noqa: E402
from checkov.terraform.runner import Runner  # noqa: E402

MODULE = """
variable "name" {
  type = string
}

resource "aws_kms_key" "this" {
  description = "Incident Manager data ${var.name}"
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = ["kms:CreateGrant", "kms:DescribeKey"]
      Resource  = "*"
      Condition = {
        StringLike = { "kms:ViaService" = ["ssm-incidents.*.amazonaws.com", "ssm-contacts.*.amazonaws.com"] }
      }
    }]
  })
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}

output "key_arn" {
  value = aws_kms_key.this.arn
}
"""

STACK = """
module "east_{i}" {{
  source = "./modules/key"
  name   = "east-{i}"
}}

module "west_{i}" {{
  source = "./modules/key"
  name   = "west-{i}"
  providers = {{
    aws = aws.west
  }}
}}

resource "aws_ssmincidents_replication_set" "set_{i}" {{
  region {{
    name        = "us-east-1"
    kms_key_arn = module.east_{i}.key_arn
  }}
  region {{
    name        = "us-west-2"
    kms_key_arn = module.west_{i}.key_arn
  }}
}}
"""

PROVIDERS = """
provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}
"""


def make_tree(root: Path, stacks: int) -> None:
    (root / "modules" / "key").mkdir(parents=True)
    (root / "modules" / "key" / "main.tf").write_text(MODULE)
    (root / "main.tf").write_text(PROVIDERS + "".join(STACK.format(i=i) for i in range(stacks)))


def scan_seconds(root: Path, checks: list[str], external: bool) -> float:
    start = time.perf_counter()
    Runner().run(
        root_folder=str(root),
        external_checks_dir=[str(REPO_ROOT / "checks")] if external else None,
        runner_filter=RunnerFilter(framework=["terraform"], checks=checks),
    )
    return time.perf_counter() - start


def main(sizes: list[int]) -> None:
    from ckv_im.catalogue import RULES

    with tempfile.TemporaryDirectory() as directory:  # warm up imports and caches before timing
        make_tree(Path(directory), 1)
        scan_seconds(Path(directory), sorted(RULES), external=True)
    print(f"{'stacks':>6} {'resources':>9} {'baseline s':>10} {'pack s':>8} {'pack/baseline':>13}")
    for stacks in sizes:
        with tempfile.TemporaryDirectory() as directory:
            root = Path(directory)
            make_tree(root, stacks)
            baseline = scan_seconds(root, ["CKV_AWS_7"], external=False)
            pack = scan_seconds(root, sorted(RULES), external=True)
            print(f"{stacks:>6} {stacks * 5:>9} {baseline:>10.2f} {pack:>8.2f} {pack / baseline:>13.2f}")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [10, 50, 200])
