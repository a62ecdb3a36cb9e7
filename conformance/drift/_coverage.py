"""Which rules and cases of a scope a change between two models touches, and what it leaves
untested.

A member change touches the rules whose schema pointer is at or under that member, the
rules of its parent that require it, and the behaviours whose source cites it
(`SubmitJob › timeout`); its cases are those rules' boundary (and, in the seed, response)
cases and the round trips of the member. A documented limit is covered where a rule at that
member quotes it (the overlay's `source.quote`, or the rule's evidence) or states its
numbers. An operation touches every rule and case of it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from conformance.cases_command import CaseEntry, collected
from conformance.drift._limits import quotes
from conformance.drift._models import LIMIT_KINDS, ModelChange, parent_path, path_names
from conformance.realistic import describer, members, round_trips
from conformance.rulebook import all_rules
from conformance.schemas import Rule, iter_rules, load_schema
from conformance.scopes import Scope

_PATH_STEP = re.compile(r"\[\]|\{\}|[^.\[\]{}]+")


@dataclass(frozen=True)
class _RoundTrip:
    """A round-trip case: the member it sets, and where the describe answer carries it."""

    operation: str
    path: tuple[str, ...]
    describe: str
    answered_at: tuple[str, ...]
    case: str


@dataclass(frozen=True)
class Coverage:
    """What one scope has for one change: is it known there, which rules and cases touch it.

    `note`: why it is untested, or what else a reader should know (a round trip left out,
    the same words quoted for another member).
    """

    scope: Scope
    known: bool
    rules: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()
    note: str = ""

    @property
    def untested(self) -> bool:
        """No rule and no case of this scope touches the change."""
        return not self.rules and not self.cases


def pointer_of(path: str) -> str:
    """`a.b[].c` -> `/properties/a/properties/b/items/properties/c` (`{}`: additionalProperties)."""
    steps = {"[]": "/items", "{}": "/additionalProperties"}
    return "".join(steps.get(step, f"/properties/{step}") for step in _PATH_STEP.findall(path))


def _node_at(schema: Mapping[str, Any], pointer: str) -> Any:
    node: Any = schema
    for token in pointer.split("/")[1:]:
        if not isinstance(node, Mapping):
            return None
        node = node.get(token)
    return node


def _at_or_under(rule: Rule, pointer: str) -> bool:
    return rule.pointer == pointer or rule.pointer.startswith(pointer + "/")


def _numbers(value: Any) -> set[str]:
    if isinstance(value, bool):
        return set()
    if isinstance(value, int | float):
        return {str(value)}
    if isinstance(value, str):
        return set(re.findall(r"\d+", value))
    if isinstance(value, Mapping):
        return {n for item in value.values() for n in _numbers(item)}
    if isinstance(value, list):
        return {n for item in value for n in _numbers(item)}
    return set()


class ScopeCoverage:
    """One scope's rules and cases, asked about each change.

    The cases are those the scope's run collects (`cases_command.collect`: pytest's
    collect-only, no endpoint), with the rule and operation each names.
    """

    def __init__(self, scope: Scope, cases: Sequence[CaseEntry] | None = None) -> None:
        """Index `scope`: its operations, rules, cases, round trips and quotes."""
        self.scope = scope
        self.operations = frozenset(scope.operations)
        self.rules = iter_rules(scope)
        ids = {rule.id for rule in self.rules}
        self.behaviours = {k: v for k, v in all_rules(scope).items() if k not in ids}
        self._given = cases

    @cached_property
    def _collected(self) -> Sequence[CaseEntry]:
        return self._given if self._given is not None else collected(self.scope)

    @cached_property
    def _cases_of_rule(self) -> dict[str, list[str]]:
        cases: dict[str, list[str]] = defaultdict(list)
        for case in self._collected:
            cases[case.rule or ""].append(case.id)
        return cases

    @cached_property
    def _round_trips(self) -> list[_RoundTrip]:
        """Every round-trip case of the scope: what it sets, and where it reads it back."""
        found = []
        for operation in round_trips(self.scope):
            schema = load_schema(self.scope.schema_name(operation, "request"))
            trips = self._cases_of_rule.get(f"{operation}.behaviour.round-trip", [])
            for member in members(operation, schema, self.scope):
                ends = (f"[{member.dotted}]", f"[{operation}.{member.dotted}]")
                case = next((c for c in trips if c.endswith(ends)), None)
                if case is not None:
                    found.append(
                        _RoundTrip(
                            operation, member.path, describer(operation), member.answered_at, case
                        )
                    )
        return found

    @cached_property
    def _quotes(self) -> dict[str, list[str]]:
        """Rule id -> what it quotes: its overlay `source.quote`, and its evidence."""
        overlay = json.loads(self.scope.overlay.read_text(encoding="utf-8"))
        said: dict[str, list[str]] = defaultdict(list)
        for entry in overlay["rules"]:
            said[entry["id"]].append(entry["source"]["quote"])
        for rule in self.rules:
            said[rule.id].extend(e["quote"] for e in rule.evidence if e["kind"] in ("seed", "doc"))
        return said

    def of(self, change: ModelChange) -> Coverage:
        """What this scope has for `change`."""
        if change.operation not in self.operations:
            return Coverage(self.scope, False, note=f"not an operation of the {self.scope} scope")
        if change.direction is None:
            return self._operation(change.operation)
        schema = load_schema(self.scope.schema_name(change.operation, change.direction))
        pointer = pointer_of(change.path)
        known = _node_at(schema, pointer) is not None
        if change.kind in LIMIT_KINDS:
            return self._limit(change, pointer, known)
        if not known:
            return Coverage(self.scope, False, note=f"not a member in the {self.scope} scope")
        touched = [r for r in self._rules_of(change) if _at_or_under(r, pointer)]
        touched += self._requiring(change, schema)
        cases = [case for rule in touched for case in self._cases_of_rule.get(rule.id, [])]
        cases += self._round_trip_cases(change)
        behaviours = self._citing(change)
        return Coverage(
            self.scope,
            True,
            tuple(dict.fromkeys([*(r.id for r in touched), *behaviours])),
            tuple(dict.fromkeys(cases)),
            self._left_out(change),
        )

    def _rules_of(self, change: ModelChange) -> list[Rule]:
        name = self.scope.schema_name(change.operation, change.direction or "request")
        return [rule for rule in self.rules if rule.schema == name]

    def _operation(self, operation: str) -> Coverage:
        rules = [rule for rule in self.rules if rule.operation == operation]
        behaviours = [k for k, v in self.behaviours.items() if v.operation == operation]
        cases = [case.id for case in self._collected if case.operation == operation]
        return Coverage(
            self.scope, True, tuple([*(r.id for r in rules), *behaviours]), tuple(cases)
        )

    def _requiring(self, change: ModelChange, schema: Mapping[str, Any]) -> list[Rule]:
        """Rules of the member's parent whose `required` (or `then.required`) names it."""
        steps = _PATH_STEP.findall(change.path)
        if not steps or steps[-1] in ("[]", "{}"):
            return []
        parent = pointer_of(parent_path(change.path))
        found = []
        for rule in self._rules_of(change):
            if rule.pointer != parent:
                continue
            named = [*rule.keywords.get("required", [])]
            named += rule.keywords.get("then", {}).get("required", [])
            if steps[-1] in named:
                found.append(rule)
        return found

    def _citing(self, change: ModelChange) -> Iterator[str]:
        """Behaviours whose source cites the member (`SubmitJob › timeout`): a request's
        top-level member or the member itself; an answer's member inside its entry."""
        names = path_names(change.path)
        if not names:
            return
        near = {
            names[-1],
            names[0] if change.direction == "request" else names[min(1, len(names) - 1)],
        }
        for rule_id, info in self.behaviours.items():
            cited = re.findall(rf"{change.operation} › (\w+)", info.source)
            if near & set(cited):
                yield rule_id

    def _round_trip_cases(self, change: ModelChange) -> list[str]:
        """Round trips that set the member (or a member inside it) or read it back from the
        describe answer; or, unless the change is an addition (which a round trip's value
        does not hold), that set the whole that holds it."""
        names = path_names(change.path)
        found = []
        for trip in self._round_trips:
            if change.direction == "request" and trip.operation == change.operation:
                seen = [(trip.path, names)]
            elif change.direction == "response" and trip.describe == change.operation:
                # the answer lists its entries (`jobs[].timeout`) or is the entry itself
                seen = [(trip.answered_at, names[1:]), (trip.answered_at, names)]
            else:
                continue
            for path, at in seen:
                inside = len(at) > 0 and path[: len(at)] == at
                holds = at[: len(path)] == path and change.kind not in ("added", "enum-added")
                if inside or holds:
                    found.append(trip.case)
                    break
        return found

    def _left_out(self, change: ModelChange) -> str:
        if change.direction != "request":
            return ""
        tables = self.scope.tables
        if change.operation in tables.left_out_operations:
            return f"no round trip: {tables.left_out_operations[change.operation]}"
        names = path_names(change.path)
        left = tables.left_out.get(change.operation, {})
        for key in (".".join(names[:2]), names[0] if names else ""):
            if key in left:
                return f"round trip left out: {left[key]}"
        return ""

    def _limit(self, change: ModelChange, pointer: str, known: bool) -> Coverage:
        """A documented limit is covered where a rule at its member quotes it or states its
        numbers; a limit the new docs dropped names the rules that quote it."""
        holder = pointer.rsplit("/", 1)[0] if change.path.endswith(("[]", "{}")) else pointer
        near = [
            r for r in self._rules_of(change) if _at_or_under(r, pointer) or r.pointer == holder
        ]
        numbers = set(re.findall(r"\d+", change.detail.replace(",", ""))) - {"0", "1"}
        covering = [
            r
            for r in near
            if any(quotes(change.detail, q) for q in self._quotes.get(r.id, []))
            or numbers & _numbers(r.keywords)
        ]
        cases = [case for rule in covering for case in self._cases_of_rule.get(rule.id, [])]
        note = ""
        if change.kind == "limit-removed" and covering:
            note = "its rules quote what the new docs no longer say: check they still hold"
        elif near and not covering:
            note = f"{near[0].id}, at this member, states other limits"
        elif not covering:
            elsewhere = [
                rule_id
                for rule_id, said in self._quotes.items()
                if rule_id.startswith(f"{change.operation}.")
                and any(quotes(change.detail, q) for q in said)
            ]
            if elsewhere:
                note = f"{elsewhere[0]} quotes the same words, for another member"
        return Coverage(
            self.scope, known, tuple(r.id for r in covering), tuple(dict.fromkeys(cases)), note
        )
