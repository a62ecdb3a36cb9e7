"""Every rule a report can name: the limits in the schemas and the documented behaviours."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from conformance.results import RuleInfo
from conformance.schemas import PROVENANCES, SPECS_DIR, evidence_problem, iter_rules

BEHAVIOURS_FILE = "behaviours.json"
_BEHAVIOUR_FIELDS = ("id", "operation", "summary", "provenance", "source", "strength", "evidence")


class RulebookError(ValueError):
    """`specs/behaviours.json` is malformed; str() is one line naming the behaviour."""


def check_behaviour(entry: dict[str, Any]) -> None:
    """Raise RulebookError if a behaviour lacks a field, its strength or its evidence."""
    label = entry.get("id", "<no id>")
    missing = [f for f in _BEHAVIOUR_FIELDS if f not in entry]
    if missing:
        raise RulebookError(f"{BEHAVIOURS_FILE}: behaviour {label}: missing {', '.join(missing)}")
    if entry["provenance"] not in PROVENANCES:
        raise RulebookError(
            f"{BEHAVIOURS_FILE}: behaviour {label}: provenance must be one of "
            f"{', '.join(PROVENANCES)}"
        )
    problem = evidence_problem(entry)
    if problem:
        raise RulebookError(f"{BEHAVIOURS_FILE}: behaviour {label}: {problem}")


def load_behaviours(text: str) -> dict[str, RuleInfo]:
    """The behaviours of a `behaviours.json` document, each checked (RulebookError if not)."""
    rules: dict[str, RuleInfo] = {}
    for entry in json.loads(text)["behaviours"]:
        check_behaviour(entry)
        if entry["id"] in rules:
            raise RulebookError(f"{BEHAVIOURS_FILE}: behaviour {entry['id']}: duplicate id")
        rules[entry["id"]] = RuleInfo(**entry)
    return rules


@cache
def all_rules() -> dict[str, RuleInfo]:
    """Rule id -> what it says, how firm it is and the public evidence it rests on."""
    rules = {
        rule.id: RuleInfo(
            id=rule.id,
            operation=rule.operation,
            summary=rule.summary,
            provenance=rule.provenance,
            source=rule.source,
            strength=rule.strength,
            evidence=[dict(item) for item in rule.evidence],
            note=rule.note,
        )
        for rule in iter_rules()
    }
    rules.update(load_behaviours((SPECS_DIR / BEHAVIOURS_FILE).read_text(encoding="utf-8")))
    return rules


def behaviour(rule_id: str) -> str:
    """Return `rule_id` if it is a known rule (cases name their rule through this)."""
    if rule_id not in all_rules():
        raise KeyError(f"unknown rule {rule_id!r}: add it to specs/{BEHAVIOURS_FILE}")
    return rule_id
