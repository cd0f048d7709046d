"""The Checkov shell for CloudFormation (and Serverless ``resources:``): find the resource in its template's model.

Checkov hands a CloudFormation check one resource (``Type``, ``Properties``,
``Metadata``; no ``DeletionPolicy``, no graph). The rules need the whole
template, so the shell reads the file Checkov opened itself, once: its model
is cached by file and modification time, and every check on every resource
of that file looks its subject up by name. A check never raises
(see ``ckv_im.engine_shell``).
"""

from __future__ import annotations

import inspect
from typing import Any

from checkov.cloudformation.checks.resource.base_resource_check import BaseResourceCheck
from checkov.common.typing import _CheckResult, _SkippedCheck

from ckv_im.checkov_check import IncidentManagerCheck
from ckv_im.cloudformation_types import RESOURCE_TYPES
from ckv_im.engine_shell import run_rule
from ckv_im.model import Result, ScanModel, Unknown
from ckv_im.model_cache import ModelCache

TEMPLATE_MODELS: "ModelCache[ScanModel | Unknown]" = ModelCache(size=8)


def template_file(conf: dict) -> str | None:
    """The path Checkov opened the resource's template from; None when Checkov does not say.

    Checkov's parser marks every mapping it reads with ``__file__``, the path it opened. The
    Serverless runner hands a check the parsed resource itself (marked); the CloudFormation runner
    hands it a copy rebuilt from its graph, where only the parsed ``Properties`` and ``Metadata``
    keep their marks. A resource with neither (a bare ``Type: AWS::SNS::Topic``, common in CDK
    output) carries no mark, and the ``scanned_file`` Checkov passes to ``BaseCheck.run`` does not
    name the file either: it is relative to a scan root the check is not told (with ``-f``, to the
    working directory). Then the file is the one the calling runner holds that very resource dict
    under (see ``_path_in_calling_runner``). Only files Checkov itself opened are ever named."""
    for node in (conf, *conf.values()):
        path = node.get("__file__") if isinstance(node, dict) else None
        if isinstance(path, str):
            return path
    return _path_in_calling_runner(conf)


def _path_in_calling_runner(conf: dict) -> str | None:
    """The key of Checkov's ``definitions`` (the path it opened) whose ``Resources`` hold ``conf`` itself.

    The runner is the Checkov runner on the call stack (the CloudFormation runner calls its
    registry, which calls the check); the resource is matched by identity, never by name, so
    two templates with the same relative path or the same logical IDs cannot be confused. When
    Checkov is called some other way, or keeps its resources elsewhere, the answer is None and
    the rules say UNKNOWN."""
    from checkov.common.runners.base_runner import BaseRunner

    frame = inspect.currentframe()  # None where Python keeps no frames: then UNKNOWN
    try:
        while frame is not None:
            caller = frame.f_locals.get("self")
            if isinstance(caller, BaseRunner) and isinstance(caller.definitions, dict):
                return _RESOURCE_PATHS.path_of(caller.definitions, conf)
            frame = frame.f_back
        return None
    finally:
        del frame  # no reference cycle through this frame


class _ResourcePaths:
    """Resource dict -> path, for the definitions of the latest runner (indexed once per scan)."""

    def __init__(self) -> None:
        self._definitions: dict | None = None  # kept alive, so the ids below stay unique
        self._paths: dict[int, tuple[dict, str]] = {}

    def path_of(self, definitions: dict, conf: dict) -> str | None:
        if definitions is not self._definitions or id(conf) not in self._paths:
            self._definitions, self._paths = definitions, self._index(definitions)
        resource, path = self._paths.get(id(conf), (None, None))
        return path if resource is conf else None

    @staticmethod
    def _index(definitions: dict) -> dict[int, tuple[dict, str]]:
        paths = {}
        for path, template in definitions.items():
            resources = template.get("Resources") if isinstance(template, dict) else None
            for resource in resources.values() if isinstance(resources, dict) else ():
                paths[id(resource)] = (resource, path)
        return paths


_RESOURCE_PATHS = _ResourcePaths()


def model_for_file(path: str | None) -> "ScanModel | Unknown":
    if path is None:
        return Unknown("Checkov does not say which file holds this resource")
    try:
        return TEMPLATE_MODELS.for_file(path, lambda: _template_model(path))
    except OSError as error:
        return Unknown(f"the template cannot be read: {error.strerror}")


def _template_model(path: str) -> "ScanModel | Unknown":
    # Imported on first use: Checkov loads these checks on every scan, most of which hold no template.
    from checkov.cloudformation.parser import parse

    from ckv_im.cloudformation_model import build_model

    template, _ = parse(path)
    return build_model(template) if template is not None else Unknown(f"{path} could not be parsed")


class CloudFormationCheck(IncidentManagerCheck, BaseResourceCheck):
    """A CKV_IM check on CloudFormation (and Serverless ``resources:``): the resource's template, read once per file."""

    resource_types = RESOURCE_TYPES

    def run(
        self,
        scanned_file: str,
        entity_configuration: dict[str, Any],
        entity_name: str,
        entity_type: str,
        skip_info: _SkippedCheck,
    ) -> _CheckResult:
        """Checkov's result, with the details lines in it as ``details``.

        Checkov 3.3's CloudFormation and Serverless runners build their records without the check's
        details lines (its Terraform runner copies them), so its CLI and SARIF output cannot say which
        entry, key or statement is at fault. The record keeps this result dict whole, and ``-o json``
        prints it: the reason reaches JSON output as ``check_result.details`` (README, CloudFormation)."""
        check_result = super().run(scanned_file, entity_configuration, entity_name, entity_type, skip_info)
        if self.details:
            check_result["details"] = list(self.details)  # type: ignore[typeddict-unknown-key]
        return check_result

    def evaluate(self, conf: dict[str, Any]) -> Result:
        name = f"{self.entity_type}.{self.entity_path.rsplit(':', 1)[-1]}"
        return run_rule(self.rule, name, lambda: model_for_file(template_file(conf)), self.entity_path)
