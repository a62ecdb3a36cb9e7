"""The committed JSON Schemas and the rules they carry, for each scope.

`specs/` is the single home of every limit; this module only reads it. A rule is a node's
`x-rules` entry (see `specs/README.md`): `iter_rules(scope)` walks the scope's committed
schemas, never the overlay, so what the suite checks is exactly what the schemas say.
Schema names carry their scope's folder (`SubmitJob.request` in the seed,
`current/SubmitJob.request` in the current scope; see `conformance.scopes`).

Returned schemas are cached and shared: treat them as read-only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, cast

from jsonschema import Draft202012Validator

from conformance.scopes import DEFAULT, SCOPES, SPECS_DIR, Scope

DIRECTIONS: tuple[Literal["request", "response"], ...] = ("request", "response")

# What every rule (overlay limit or behaviour) carries besides its id: see specs/README.md.
PROVENANCES: tuple[str, ...] = ("seed", "botocore", "observed", "documented")
STRENGTHS: tuple[str, ...] = ("must", "should")
EVIDENCE_KINDS: tuple[str, ...] = ("seed", "doc", "observed", "contradicts")
EVIDENCE_FIELDS: tuple[str, ...] = ("kind", "quote", "where")

# Keywords whose values are data, not subschemas: never walked for `x-rules`.
_DATA_KEYWORDS = frozenset({"x-rules", "enum", "const", "default", "examples", "required"})

__all__ = ["SPECS_DIR", "Rule", "Scope"]


def schema_names(scope: Scope) -> tuple[str, ...]:
    """Every schema name of `scope`, operation by operation, request then response."""
    return tuple(scope.schema_name(op, d) for op in scope.operations for d in DIRECTIONS)


def split_schema_name(name: str) -> tuple[Scope, str, Literal["request", "response"]]:
    """`current/SubmitJob.request` -> `(CURRENT, "SubmitJob", "request")`."""
    scope = next((s for s in SCOPES if s.prefix and name.startswith(s.prefix)), DEFAULT)
    operation, _, direction = name.removeprefix(scope.prefix).rpartition(".")
    return scope, operation, cast(Literal["request", "response"], direction)


@dataclass(frozen=True)
class Rule:
    """One documented limit, as carried by a schema node's `x-rules`."""

    id: str
    schema: str
    operation: str
    direction: Literal["request", "response"]
    pointer: str
    keywords: dict[str, Any]
    summary: str
    provenance: str
    source: str
    strength: str = "must"
    evidence: tuple[dict[str, str], ...] = ()
    note: str | None = None
    since: str | None = None  # the date AWS began answering so (answers before it may not)

    @property
    def scope(self) -> Scope:
        """The scope whose schema carries the rule."""
        return split_schema_name(self.schema)[0]


def evidence_problem(entry: Mapping[str, Any]) -> str | None:
    """What is wrong with a rule's `strength`, `evidence` and `note`, or None (one line)."""
    if entry.get("strength") not in STRENGTHS:
        return f"strength must be one of {', '.join(STRENGTHS)} (got {entry.get('strength')!r})"
    evidence = entry.get("evidence")
    if not isinstance(evidence, list) or not evidence:
        return "evidence must be a non-empty list of {kind, quote, where}"
    for index, item in enumerate(evidence):
        if not isinstance(item, dict) or set(item) != set(EVIDENCE_FIELDS):
            return f"evidence[{index}] must have exactly {', '.join(EVIDENCE_FIELDS)}"
        if item["kind"] not in EVIDENCE_KINDS:
            return (
                f"evidence[{index}].kind must be one of {', '.join(EVIDENCE_KINDS)} "
                f"(got {item['kind']!r})"
            )
        if not all(isinstance(item[f], str) and item[f].strip() for f in ("quote", "where")):
            return f"evidence[{index}] needs a non-empty quote and where"
    note = entry.get("note")
    if note is not None and not (isinstance(note, str) and note.strip()):
        return "note, when given, must be a non-empty string"
    return None


def schema_file(name: str) -> Path:
    """The file of schema `name` in `SPECS_DIR` (`current/X.request` is in `specs/current/`)."""
    return SPECS_DIR / f"{name}.schema.json"


def _check_name(name: str) -> None:
    scope = split_schema_name(name)[0]
    if name not in schema_names(scope):
        raise KeyError(f"unknown {scope} schema {name!r}")


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The committed schema `name`, e.g. `"SubmitJob.request"` or `"current/ListJobs.request"`.

    Cached, read-only.
    """
    _check_name(name)
    data = json.loads(schema_file(name).read_text(encoding="utf-8"))
    return cast(dict[str, Any], data)


def all_schemas(scope: Scope) -> dict[str, dict[str, Any]]:
    """Every committed schema of `scope` by name, in `schema_names(scope)` order."""
    return {name: load_schema(name) for name in schema_names(scope)}


@cache
def validator(name: str) -> Draft202012Validator:
    """A draft 2020-12 validator for schema `name` (cached)."""
    return Draft202012Validator(load_schema(name))


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _walk(node: Any, pointer: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every schema node under `node` with its JSON pointer."""
    if isinstance(node, Mapping):
        yield pointer, node
        for key, value in node.items():
            if key not in _DATA_KEYWORDS:
                yield from _walk(value, f"{pointer}/{_escape(str(key))}")
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(item, f"{pointer}/{index}")


def _rules_of(name: str, pointer: str, node: Mapping[str, Any]) -> list[Rule]:
    _, operation, direction = split_schema_name(name)
    return [
        Rule(
            id=entry["id"],
            schema=name,
            operation=operation,
            direction=direction,
            pointer=pointer,
            keywords=dict(entry["keywords"]),
            summary=entry["summary"],
            provenance=entry["provenance"],
            source=entry["source"],
            strength=entry["strength"],
            evidence=tuple(dict(item) for item in entry["evidence"]),
            note=entry.get("note"),
            since=entry.get("since"),
        )
        for entry in node.get("x-rules", [])
    ]


@cache
def _all_rules(scope: Scope) -> tuple[Rule, ...]:
    rules = [
        rule
        for name, schema in all_schemas(scope).items()
        for pointer, node in _walk(schema, "")
        for rule in _rules_of(name, pointer, node)
    ]
    return tuple(sorted(rules, key=lambda r: r.id))


def iter_rules(scope: Scope) -> list[Rule]:
    """Every rule in the committed schemas of `scope`, sorted by id."""
    return list(_all_rules(scope))


def rule_index(scope: Scope) -> dict[str, Rule]:
    """Every rule of `scope` by id."""
    return {rule.id: rule for rule in _all_rules(scope)}


def _child(node: Any, step: str | int) -> Any:
    """The subschema at `step` below `node`, or None."""
    if isinstance(node, Mapping):
        return node.get(step)
    if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
        return node[step]
    return None


def nearest_rule(schema_name: str, schema_path: Sequence[str | int]) -> Rule | None:
    """The rule to blame for a validation error at `schema_path` (an `absolute_schema_path`).

    Walks the path from the root; the deepest node with a rule whose keywords include the
    keyword applied next along the path wins (e.g. `minimum`, or `then` for an if/then rule;
    for `allOf`, the rule whose own items hold the one the path enters: several rules share
    a node's `allOf`); else None: a violation no rule states (a mistyped or missing member)
    is a plain structure failure, never pinned on an unrelated rule of an enclosing node.
    """
    node: Any = load_schema(schema_name)
    pointer = ""
    matched: Rule | None = None
    steps = [*schema_path, None]
    for position, step in enumerate(steps):
        if isinstance(node, Mapping) and "x-rules" in node:
            following = steps[position + 1] if step == "allOf" else None
            entered = _child(node.get("allOf"), following) if following is not None else None
            for rule in _rules_of(schema_name, pointer, node):
                if step is None or step not in rule.keywords:
                    continue
                if entered is None or entered in rule.keywords["allOf"]:
                    matched = rule
        if step is None:
            break
        node = _child(node, step)
        if node is None:
            break
        pointer = f"{pointer}/{_escape(str(step))}"
    return matched
