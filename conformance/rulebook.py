"""Every rule a report can name: the limits in the schemas and the documented behaviours."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from conformance.results import RuleInfo
from conformance.schemas import PROVENANCES, Scope, evidence_problem, iter_rules
from conformance.scopes import BEHAVIOURS_FILE

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


EVERY_OPERATION = "{operation}"


def for_each_operation(entry: dict[str, Any], operations: tuple[str, ...]) -> list[dict[str, Any]]:
    """A behaviour of every operation (`"operation": "{operation}"`), one per operation of
    `operations`, with `{operation}` in its id, source and evidence filled in; any other
    behaviour as it is."""
    if entry.get("operation") != EVERY_OPERATION:
        return [entry]
    template = json.dumps(entry)
    return [json.loads(template.replace(EVERY_OPERATION, name)) for name in operations]


def load_behaviours(text: str, operations: tuple[str, ...] = ()) -> dict[str, RuleInfo]:
    """The behaviours of a `behaviours.json` document, each checked (RulebookError if not);
    one stated of every operation is one behaviour per operation of `operations`."""
    rules: dict[str, RuleInfo] = {}
    for stated in json.loads(text)["behaviours"]:
        check_behaviour(stated)
        for entry in for_each_operation(stated, operations):
            if entry["id"] in rules:
                raise RulebookError(f"{BEHAVIOURS_FILE}: behaviour {entry['id']}: duplicate id")
            rules[entry["id"]] = RuleInfo(**entry)
    return rules


def model_operations(scope: Scope) -> tuple[str, ...]:
    """Every operation of the scope's botocore model: those its run may call."""
    model = json.loads(scope.model.read_text(encoding="utf-8"))
    return tuple(sorted(model["operations"]))


@cache
def all_rules(scope: Scope) -> dict[str, RuleInfo]:
    """Rule id -> what it says, how firm it is and the public evidence it rests on.

    Each scope has its own rules: a current rule may share an id with a seed rule (the
    same limit, judged on today's shapes), never within one scope.
    """
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
        for rule in iter_rules(scope)
    }
    for path in scope.behaviour_files():
        found = load_behaviours(path.read_text(encoding="utf-8"), model_operations(scope))
        twice = sorted(found.keys() & rules.keys())
        if twice:
            raise RulebookError(f"{path.name}: behaviour {twice[0]}: duplicate id")
        rules.update(found)
    return rules


def behaviour(rule_id: str, scope: Scope) -> str:
    """Return `rule_id` if it is a known rule of `scope` (cases name their rule through this)."""
    if rule_id not in all_rules(scope):
        raise KeyError(f"unknown rule {rule_id!r}: add it to {scope.specs / BEHAVIOURS_FILE}")
    return rule_id
