"""Step 3: merge the overlay's limits into the schemas and record each as an `x-rules` entry."""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

from conformance import catalogue
from conformance.schemas import PROVENANCES, evidence_problem, schema_names
from conformance.scopes import SEED

_RULE_FIELDS = (
    "id",
    "schema",
    "pointer",
    "constraint",
    "summary",
    "provenance",
    "source",
    "strength",
    "evidence",
)
_SOURCE_FIELDS = ("operation", "parameter", "quote")
SOURCE_ARROW = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"
ARN_OF = "arn-of"  # `{"arn-of": "job-queue"}` in a constraint: that kind's ARN pattern
SINCE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class OverlayError(ValueError):
    """The overlay is malformed, names an unknown schema, or a pointer does not resolve."""


def load_overlay(path: Path, names: Collection[str] | None = None) -> list[dict[str, Any]]:
    """The overlay's rules, checked for shape, unique ids and a schema among `names`
    (default: the seed's)."""
    names = schema_names(SEED) if names is None else names
    try:
        rules = json.loads(path.read_text(encoding="utf-8"))["rules"]
    except (OSError, KeyError, TypeError, json.JSONDecodeError) as exc:
        raise OverlayError(f"{path}: cannot read the overlay ({exc})") from exc
    seen: set[str] = set()
    for rule in rules:
        missing = [f for f in _RULE_FIELDS if f not in rule] + [
            f"source.{f}" for f in _SOURCE_FIELDS if f not in rule.get("source", {})
        ]
        label = rule.get("id", "<no id>")
        if missing:
            raise OverlayError(f"overlay rule {label}: missing {', '.join(missing)}")
        if rule["id"] in seen:
            raise OverlayError(f"overlay rule {label}: duplicate id")
        seen.add(rule["id"])
        if rule["schema"] not in names:
            raise OverlayError(f"overlay rule {label}: unknown schema {rule['schema']!r}")
        if rule["provenance"] not in PROVENANCES:
            raise OverlayError(f"overlay rule {label}: provenance must be one of {PROVENANCES}")
        if not isinstance(rule["constraint"], dict) or not rule["constraint"]:
            raise OverlayError(f"overlay rule {label}: constraint must be a non-empty object")
        problem = evidence_problem(rule)
        if problem:
            raise OverlayError(f"overlay rule {label}: {problem}")
        since = rule.get("since")
        if since is not None and not (isinstance(since, str) and SINCE.match(since)):
            raise OverlayError(f"overlay rule {label}: since must be a date, YYYY-MM-DD")
    return list(rules)


def expand(value: Any, label: str = "") -> Any:
    """`value` with every `{"arn-of": "<kind>"}` replaced by that kind's ARN pattern (the
    catalogue holds each kind's ARN shape once)."""
    if isinstance(value, dict):
        if set(value) == {ARN_OF}:
            try:
                pattern = catalogue.kind(str(value[ARN_OF])).arn_pattern
            except KeyError as exc:
                raise OverlayError(f"overlay rule {label}: {exc.args[0]}") from None
            if not pattern:
                raise OverlayError(
                    f"overlay rule {label}: the catalogue has no ARN shape for {value[ARN_OF]}"
                )
            return pattern
        return {key: expand(item, label) for key, item in value.items()}
    if isinstance(value, list):
        return [expand(item, label) for item in value]
    return value


def resolve(schema: dict[str, Any], pointer: str) -> dict[str, Any]:
    """The schema node at JSON `pointer` ("" is the root); OverlayError if it does not resolve."""
    node: Any = schema
    if pointer and not pointer.startswith("/"):
        raise OverlayError(f"pointer {pointer!r} must be empty or start with '/'")
    for raw in pointer.split("/")[1:] if pointer else []:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise OverlayError(f"pointer {pointer!r} does not resolve (no {token!r})")
    if not isinstance(node, dict):
        raise OverlayError(f"pointer {pointer!r} does not address a schema object")
    return node


def source_line(rule: dict[str, Any]) -> str:
    """The rule's one-line `source` citation (format: see specs/README.md)."""
    src = rule["source"]
    head = f"{rule['provenance']}: {src['operation']} {SOURCE_ARROW} {src['parameter']}"
    return f'{head} — "{src["quote"]}"'


def apply_overlay(schemas: dict[str, dict[str, Any]], rules: list[dict[str, Any]]) -> None:
    """Merge every rule's constraint into its node (in place) and append its `x-rules` entry.

    `required` lists are united and `allOf` lists joined (so several conditional rules can
    sit on one node, each its own items of `allOf`); any other keyword already present with
    a different value is a conflict (two rules, or a rule and the model, disagree) and fails
    loudly. `{"arn-of": kind}` in a constraint is the catalogue's ARN pattern of that kind.
    """
    for rule in rules:
        try:
            node = resolve(schemas[rule["schema"]], rule["pointer"])
        except OverlayError as exc:
            raise OverlayError(f"overlay rule {rule['id']}: {exc}") from None
        constraint = expand(rule["constraint"], rule["id"])
        for keyword, value in constraint.items():
            if keyword == "required" and "required" in node:
                node["required"] = [
                    *node["required"],
                    *(v for v in value if v not in node["required"]),
                ]
            elif keyword == "allOf" and "allOf" in node:
                node["allOf"] = [*node["allOf"], *value]
            elif keyword in node and node[keyword] != value:
                raise OverlayError(
                    f"overlay rule {rule['id']}: {keyword} at {rule['pointer']!r} is already "
                    f"{node[keyword]!r}; combine the rules with allOf instead"
                )
            else:
                node[keyword] = value
        entry = {
            "id": rule["id"],
            "keywords": constraint,
            "summary": rule["summary"],
            "provenance": rule["provenance"],
            "source": source_line(rule),
            "strength": rule["strength"],
            "evidence": [dict(item) for item in rule["evidence"]],
            **({"note": rule["note"]} if rule.get("note") else {}),
            **({"since": rule["since"]} if rule.get("since") else {}),
        }
        node["x-rules"] = sorted([*node.get("x-rules", []), entry], key=lambda e: e["id"])
