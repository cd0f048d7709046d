"""The floor of the benchmark: what Checkov itself charges for the pack's checks, before any of their work.

A floor pack is a Checkov external checks directory with the pack's check IDs, names
and resource types (one check per rule shell in ``checks/terraform`` and
``checks/cloudformation``), whose every check returns UNKNOWN at once: no model, no
rule, no record. Checkov runs it exactly as it runs the pack: it loads the files in
each framework's process, filters and calls every check on every resource of its
types, and logs each call. So ``floor / alone`` is the least any pack with these
checks costs on this Checkov, and ``pack / floor`` is what the pack's own work adds.
"""

from __future__ import annotations

from pathlib import Path

from ckv_im import cloudformation_types, terraform_types
from ckv_im.catalogue import RULES

CHECKS = Path(__file__).resolve().parent.parent / "checks"

# One framework per entry: the pack's shell directory, Checkov's base class for it, the resource types per subject.
FRAMEWORKS = {
    "terraform": ("checkov.terraform.checks.resource.base_resource_check", terraform_types.RESOURCE_TYPES),
    "cloudformation": (
        "checkov.cloudformation.checks.resource.base_resource_check",
        cloudformation_types.RESOURCE_TYPES,
    ),
}

CHECK_FILE = """from checkov.common.models.enums import CheckCategories, CheckResult
from {base_module} import BaseResourceCheck


class FloorCheck(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name={name!r}, id={id!r}, categories=(CheckCategories.{category},), supported_resources={resource_types!r}
        )

    def scan_resource_conf(self, conf):
        return CheckResult.UNKNOWN


check = FloorCheck()
"""


def write_floor_pack(root: Path) -> Path:
    """Write the floor pack under ``root``; return the directory to pass as ``--external-checks-dir``."""
    root.mkdir(parents=True)
    (root / "__init__.py").touch()
    for framework, (base_module, resource_types) in FRAMEWORKS.items():
        directory = root / framework
        directory.mkdir()
        (directory / "__init__.py").touch()
        for rule in RULES.values():
            shell = CHECKS / framework / f"{rule.file_stem}.py"  # a rule that has no shell here has no floor check
            if not shell.exists():
                continue
            (directory / shell.name).write_text(
                CHECK_FILE.format(
                    base_module=base_module,
                    name=rule.title,
                    id=rule.id,
                    category=rule.category.value,
                    resource_types=resource_types[rule.subject],
                )
            )
    return root
