"""conftest's check, replayed on the embedded OPA as conftest's own engine runs it
(open-policy-agent/conftest, policy/engine.go).

No conftest binary can be installed here. For the namespace, every rule named deny/violation[_x]
or warn[_x] in a module of exactly that package is queried as ``data.<namespace>.<rule>``, after
the exception query ``data.<namespace>.exception[_][_] == "<rule name without its prefix>"``; an
exception that holds exempts the rule's results for the input, and every result object must
carry a string ``msg`` (its other keys become metadata).
"""

from __future__ import annotations

import re
from pathlib import Path

from support.rego_policies import POLICIES_DIR, package_of

NAMESPACE = "incident_manager"
FAILURE = re.compile(r"^(deny|violation)(_[a-zA-Z0-9]+)*$")
WARNING = re.compile(r"^warn(_[a-zA-Z0-9]+)*$")
_RULE_HEAD = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\b", re.M)


def namespace_rules(policies: Path = POLICIES_DIR, namespace: str = NAMESPACE) -> dict[str, list[str]]:
    """Rule name -> the heads that define it, in the modules whose package is the namespace."""
    rules: dict[str, list[str]] = {}
    for path in sorted(policies.rglob("*.rego")):
        if package_of(path) != namespace:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            match = _RULE_HEAD.match(line)
            if match and match.group(1) not in ("package", "import"):
                rules.setdefault(match.group(1), []).append(line)
    return rules


def conftest_check(engine, document, policies: Path = POLICIES_DIR, namespace: str = NAMESPACE) -> dict[str, list]:
    """conftest test --namespace <namespace>: failures, warnings and exceptions for one input."""
    outcome = {"failures": [], "warnings": [], "exceptions": []}
    for rule in sorted(
        name for name in namespace_rules(policies, namespace) if FAILURE.match(name) or WARNING.match(name)
    ):
        short_name = re.sub(r"^(violation|deny|warn)_?", "", rule)
        exception_query = f'data.{namespace}.exception[_][_] == "{short_name}"'
        if engine.eval_query(exception_query, input=document):
            outcome["exceptions"].append(exception_query)
            continue
        results = engine.eval_query(f"results := data.{namespace}.{rule}", input=document)
        for result in results[0]["results"] if results else []:
            assert isinstance(result, dict) and isinstance(result.get("msg"), str), (
                f"conftest needs a string msg in every {rule} result: {result}"
            )
            outcome["failures" if FAILURE.match(rule) else "warnings"].append(result["msg"])
    return outcome
