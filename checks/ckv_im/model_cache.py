"""The bounded cache every engine shell keeps its models in.

An engine runs every rule on every resource of a scan, so a scan's model is built
once and then looked up. Engines move from one scan to the next and seldom come
back, so only the last few models are kept: memory stays bounded on a monorepo.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class ModelCache(Generic[T]):
    """The models of the last ``size`` scans, by what identifies a scan: an object, or a file's path and version."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict[Hashable, tuple[object, T]] = OrderedDict()

    def for_object(self, owner: object, build: Callable[[], T]) -> T:
        """The model of an object the engine hands over (a Checkov graph, a cfn-lint template).

        The object is held with its model, so that its ``id`` cannot be reused by another one while cached.
        """
        key = ("object", id(owner))
        entry = self._entries.get(key)
        if entry is not None and entry[0] is owner:
            self._entries.move_to_end(key)
            return entry[1]
        return self._store(key, owner, build())

    def for_file(self, path: str, build: Callable[[], T]) -> T:
        """The model of a file, rebuilt when it changes; the same file under two names is one. Raises OSError."""
        status = os.stat(path)
        key = ("file", status.st_dev, status.st_ino, status.st_mtime_ns, status.st_size)
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
            return entry[1]
        return self._store(key, None, build())

    def _store(self, key: Hashable, owner: object, model: T) -> T:
        self._entries[key] = (owner, model)
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)
        return model

    def models(self) -> list[T]:
        """The models held, oldest first."""
        return [model for _, model in self._entries.values()]

    def clear(self) -> None:
        self._entries.clear()
