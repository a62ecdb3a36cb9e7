"""An accepted answer, read as AWS SDKs read it, then held against its response schema.

The AWS JSON protocols treat a JSON `null` for a structure member as absent (Smithy's
protocol compliance tests `RestJsonDoesntDeserializeNullStructureValues` require every SDK
to drop it), so a null for a member that is not required is removed and noted, never
failed. A null for a required member, or a null inside a list or a map, stays and fails
the schema. A violation is an `Observation`: it is judged by the rule it breaks (a response
rule, or the operation's response-structure rule), not by the case that happened to see it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from jsonschema.exceptions import ValidationError

from conformance.grading import json_path
from conformance.results import Observation
from conformance.schemas import Scope, load_schema, nearest_rule, validator

STRUCTURE = "response.structure"
BODY_KEPT = 1500
_INDEX = re.compile(r"\[\d+\]")
_MISSING = re.compile(r"^'([^']+)' is a required property")


def structure_rule(operation: str) -> str:
    """`DescribeJobs.response.structure`: the rule of everything no response rule states."""
    return f"{operation}.{STRUCTURE}"


def generic_path(path: str) -> str:
    """`$.jobs[3].status` -> `$.jobs[*].status` (one deviation, whichever entry showed it)."""
    return _INDEX.sub("[*]", path)


SHOWN_VALUE = 60
_SIZES = {
    "maxItems": ("more", "item"),
    "minItems": ("fewer", "item"),
    "maxLength": ("more", "character"),
    "minLength": ("fewer", "character"),
    "maxProperties": ("more", "member"),
    "minProperties": ("fewer", "member"),
}


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}{'' if n == 1 else 's'}"


def _shown(value: Any) -> str:
    """A value as a message shows it: itself when short, else what it is and its size."""
    text = repr(value)
    if len(text) <= SHOWN_VALUE:
        return text
    if isinstance(value, list):
        return f"a list of {_count(len(value), 'item')}"
    if isinstance(value, dict):
        return f"an object of {_count(len(value), 'member')}"
    if isinstance(value, str):
        return f"a string of {_count(len(value), 'character')}"
    return text[: SHOWN_VALUE - 1] + "…"


def violation_text(error: ValidationError) -> str:
    """What broke, in one line that says it (`140 items: more than 100 items`), never the
    start of a long value cut off mid-way."""
    size = _SIZES.get(str(error.validator))
    instance = error.instance
    if size is not None and isinstance(instance, list | str | dict):
        more, unit = size
        limit = error.validator_value
        return f"{_count(len(instance), unit)}: {more} than {_count(int(limit), unit)}"
    message = " ".join(error.message.split())
    text = repr(instance)
    if len(text) > SHOWN_VALUE and error.message.startswith(text):
        rest = " ".join(error.message[len(text) :].split())
        message = f"{_shown(instance)} {rest}"
    return message[:200]


def strip_nulls(body: Any, schema: dict[str, Any], path: str = "$") -> tuple[Any, list[str]]:
    """`body` without nulls for optional object members, and the paths of those removed."""
    removed: list[str] = []
    if isinstance(body, dict):
        props = schema.get("properties", {})
        required = set(schema.get("required", []))
        extra = schema.get("additionalProperties")
        clean: dict[str, Any] = {}
        for key, value in body.items():
            here = f"{path}.{key}"
            if key in props:
                if value is None and key not in required:
                    removed.append(here)
                    continue
                clean[key], inner = strip_nulls(value, props[key], here)
                removed += inner
            elif isinstance(extra, dict) and value is not None:  # a map: its nulls stay
                clean[key], inner = strip_nulls(value, extra, here)
                removed += inner
            else:
                clean[key] = value
        return clean, removed
    if isinstance(body, list) and isinstance(schema.get("items"), dict):
        items: list[Any] = []
        for index, value in enumerate(body):
            item, inner = strip_nulls(value, schema["items"], f"{path}[{index}]")
            items.append(item)
            removed += inner
        return items, removed
    return body, removed


def null_notes(paths: Iterable[str]) -> list[str]:
    """One note per member, as the reports show it."""
    return [f"sends null where AWS omits the member: {p}" for p in dict.fromkeys(paths)]


def read_answer(
    operation: str, body: dict[str, Any], scope: Scope
) -> tuple[dict[str, Any], list[str]]:
    """The answer as an SDK sees it (optional nulls dropped) and the notes about them."""
    clean, removed = strip_nulls(body, load_schema(scope.schema_name(operation, "response")))
    return clean, null_notes(generic_path(p) for p in removed)


def observe(operation: str, body: dict[str, Any], raw: str, scope: Scope) -> list[Observation]:
    """Every response-schema violation in `body` (already read with `read_answer`)."""
    name = scope.schema_name(operation, "response")
    found: list[Observation] = []
    for error in validator(name).iter_errors(body):
        path = json_path(error.absolute_path)
        missing = _MISSING.match(error.message) if error.validator == "required" else None
        if missing:  # name the member that is missing, not its parent
            path = f"{path}.{missing.group(1)}"
        rule = nearest_rule(name, list(error.absolute_schema_path))
        found.append(
            Observation(
                operation=operation,
                rule=rule.id if rule else structure_rule(operation),
                path=path,
                where=generic_path(path),
                message=violation_text(error),
                body=raw[:BODY_KEPT],
            )
        )
    return sorted(found, key=lambda o: (o.rule, o.where))
