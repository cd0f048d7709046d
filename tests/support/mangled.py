"""Plans (or any JSON document) with random parts replaced by values of the wrong shape.

The Python plan adapter and the Rego policies are both fed these: neither may raise.
"""

from __future__ import annotations

import random

JUNK = [None, 0, -1, True, "", "x", [], {}, [None], {"x": None}, "DefaultKey", ["delete"], {"references": 3}]


def mutate(node: object, rng: random.Random, depth: int = 0) -> object:
    """A copy of a plan with random parts replaced by values of the wrong shape."""
    if rng.random() < 0.08:
        return rng.choice(JUNK)
    if isinstance(node, dict) and depth < 12:
        return {k: mutate(v, rng, depth + 1) for k, v in node.items()}
    if isinstance(node, list) and depth < 12:
        return [mutate(v, rng, depth + 1) for v in node]
    return node


def mangled(document: dict, rng: random.Random) -> dict:
    """A copy of a top-level document with each of its parts mutated."""
    return {key: mutate(value, rng) for key, value in document.items()}
