"""The Checkov shell for CloudFormation (and Serverless ``resources:``): find the resource in its template's model.

Checkov hands a CloudFormation check one resource (``Type``, ``Properties``,
``Metadata``; no ``DeletionPolicy``, no graph). The rules need the whole
template, so the shell reads the scanned file itself, once: its model is
cached by path and modification time, and every check on every resource of
that file looks its subject up by name. A check never raises
(see ``ckv_im.engine_shell``).
"""
from __future__ import annotations

import os
from collections import OrderedDict
from typing import Any

from checkov.cloudformation.checks.resource.base_resource_check import BaseResourceCheck
from checkov.cloudformation.parser import parse

from ckv_im.checkov_check import IncidentManagerCheck
from ckv_im.cloudformation_model import RESOURCE_TYPES, build_model
from ckv_im.engine_shell import run_rule
from ckv_im.model import Result, ScanModel, Unknown

_MODELS: "OrderedDict[tuple, ScanModel | Unknown]" = OrderedDict()
_MODEL_CACHE_SIZE = 8
_FILES_SEEN: dict[str, str] = {}   # the path Checkov reports a file under -> the path it opened


def template_file(conf: dict, entity_path: str, entity_type: str) -> str | None:
    """The scanned file, as Checkov opened it: Checkov marks every parsed dict with ``__file__``.

    A resource without ``Properties`` or ``Metadata`` carries no mark: then the file that another
    resource reported under the same path was opened from is used. Nothing else is tried, so only
    files Checkov itself scans are ever read (the entity path is relative to Checkov's scan root,
    which a check does not know)."""
    scanned = entity_path.rsplit(f":{entity_type}:", 1)[0]   # resource types hold colons themselves
    for value in conf.values():
        path = value.get("__file__") if isinstance(value, dict) else None
        if isinstance(path, str):
            _FILES_SEEN[scanned] = path
            return path
    return _FILES_SEEN.get(scanned)


def model_for_file(path: str | None) -> "ScanModel | Unknown":
    if path is None:
        return Unknown("Checkov does not say which file holds this resource (it has no Properties or Metadata)")
    try:
        stat = os.stat(path)
    except OSError as error:
        return Unknown(f"the template cannot be read: {error.strerror}")
    cache_key = (path, stat.st_mtime_ns, stat.st_size)
    if cache_key in _MODELS:
        _MODELS.move_to_end(cache_key)
        return _MODELS[cache_key]
    template, _ = parse(path)
    model = build_model(template) if template is not None else Unknown(f"{path} could not be parsed")
    _MODELS[cache_key] = model
    while len(_MODELS) > _MODEL_CACHE_SIZE:
        _MODELS.popitem(last=False)
    return model


class CloudFormationCheck(IncidentManagerCheck, BaseResourceCheck):
    """A CKV_IM check on CloudFormation (and Serverless ``resources:``): the resource's template, read once per file."""

    resource_types = RESOURCE_TYPES

    def evaluate(self, conf: dict[str, Any]) -> Result:
        name = f"{self.entity_type}.{self.entity_path.rsplit(':', 1)[-1]}"
        return run_rule(self.rule, name,
                        lambda: model_for_file(template_file(conf, self.entity_path, self.entity_type)),
                        self.entity_path)
