"""Every rule a report can name: the limits in the schemas and the documented behaviours."""

from __future__ import annotations

import json
from functools import cache

from conformance.results import RuleInfo
from conformance.schemas import SPECS_DIR, iter_rules

BEHAVIOURS_FILE = "behaviours.json"


@cache
def all_rules() -> dict[str, RuleInfo]:
    """Rule id -> what it says and where it comes from."""
    rules = {
        rule.id: RuleInfo(
            id=rule.id,
            operation=rule.operation,
            summary=rule.summary,
            provenance=rule.provenance,
            source=rule.source,
        )
        for rule in iter_rules()
    }
    data = json.loads((SPECS_DIR / BEHAVIOURS_FILE).read_text(encoding="utf-8"))
    for entry in data["behaviours"]:
        rules[entry["id"]] = RuleInfo(**entry)
    return rules


def behaviour(rule_id: str) -> str:
    """Return `rule_id` if it is a known rule (cases name their rule through this)."""
    if rule_id not in all_rules():
        raise KeyError(f"unknown rule {rule_id!r}: add it to specs/{BEHAVIOURS_FILE}")
    return rule_id
