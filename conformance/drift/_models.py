"""What changed in AWS Batch between two botocore models, structurally.

Each model is flattened the same way: an operation's request (its input shape) and response
(its output shape) become member paths (`containerProperties.resourceRequirements[].type`:
`[]` is an item of a list, `{}` a value of a map), each with the JSON type a client sees on
the wire (integer and long are both `integer`), its enum, whether its structure requires it,
and the limits its docstring states (`conformance.drift._limits`, a heuristic; the model's
own `min`/`max` are not compared). Only the top-most structural change is reported: a new
structure is one addition, not one per member inside it; its documented limits are each
reported.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from conformance.drift._limits import Limit, limits_in, numbers_of
from conformance.specgen import ModelError

Direction = Literal["request", "response"]
DIRECTIONS: tuple[Direction, ...] = ("request", "response")
Kind = Literal[
    "operation-added",
    "operation-removed",
    "added",
    "removed",
    "retyped",
    "enum-added",
    "enum-removed",
    "required-added",
    "required-removed",
    "limit-added",
    "limit-changed",
    "limit-removed",
]
STRUCTURAL: tuple[Kind, ...] = (
    "removed",
    "retyped",
    "enum-removed",
    "required-added",
    "added",
    "enum-added",
    "required-removed",
)
LIMIT_KINDS: tuple[Kind, ...] = ("limit-changed", "limit-added", "limit-removed")
_JSON_TYPES = {
    "structure": "object",
    "map": "object",
    "list": "array",
    "string": "string",
    "blob": "string",
    "integer": "integer",
    "long": "integer",
    "double": "number",
    "float": "number",
    "timestamp": "number",
    "boolean": "boolean",
}


@dataclass(frozen=True)
class Member:
    """One member of an operation's request or response in one model."""

    type: str
    enum: tuple[str, ...] | None = None
    required: bool = False
    limits: tuple[Limit, ...] = ()


@dataclass(frozen=True)
class ModelChange:
    """One difference between two models: of an operation, or of one member of it.

    `detail`: the type (added, removed), `old -> new` (retyped), the values (enums), or the
    sentence (limits); `before`: what the old docstring said (limit-changed).
    """

    operation: str
    kind: Kind
    direction: Direction | None = None
    path: str = ""
    detail: str = ""
    before: str = ""

    @property
    def breaking(self) -> bool:
        """Whether a client of the old model can break on it.

        An operation or member removed, a member retyped, an enum value removed, a request
        member newly required. Documented limits never are (they are a heuristic).
        """
        if self.kind in ("operation-removed", "removed", "retyped", "enum-removed"):
            return True
        return self.kind == "required-added" and self.direction == "request"


def parent_path(path: str) -> str:
    """`a.b[]` -> `a.b`; `a.b` -> `a`; `a` -> ``."""
    for suffix in ("[]", "{}"):
        if path.endswith(suffix):
            return path[: -len(suffix)]
    return path.rpartition(".")[0]


def path_names(path: str) -> tuple[str, ...]:
    """The member names along a path: `a.b[].c` -> `("a", "b", "c")`."""
    return tuple(part for part in path.replace("[]", "").replace("{}", "").split(".") if part)


def members(model: Mapping[str, Any], operation: str, direction: Direction) -> dict[str, Member]:
    """Every member of `operation`'s request or response by path (a recursive shape is
    walked once)."""
    ref = model["operations"][operation].get("input" if direction == "request" else "output")
    return dict(_walk(model, ref["shape"], "", ())) if ref else {}


def _shape(model: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    try:
        shape: Mapping[str, Any] = model["shapes"][name]
    except KeyError:
        raise ModelError(f"the model has no shape {name!r}") from None
    return shape


def _walk(
    model: Mapping[str, Any], name: str, path: str, stack: tuple[str, ...]
) -> Iterator[tuple[str, Member]]:
    if name in stack:
        return
    shape, inner = _shape(model, name), (*stack, name)
    if shape.get("type") == "structure" and not shape.get("document"):
        required = set(shape.get("required", []))
        for member, ref in shape.get("members", {}).items():
            sub = f"{path}.{member}" if path else member
            yield from _member(model, ref, sub, member in required, inner)
    elif shape.get("type") == "list":
        yield from _member(model, shape["member"], f"{path}[]", False, inner)
    elif shape.get("type") == "map":
        yield from _member(model, shape["value"], f"{path}{{}}", False, inner)


def _member(
    model: Mapping[str, Any],
    ref: Mapping[str, Any],
    path: str,
    required: bool,
    stack: tuple[str, ...],
) -> Iterator[tuple[str, Member]]:
    target = _shape(model, ref["shape"])
    kind = str(target.get("type"))
    json_type = "document" if target.get("document") else _JSON_TYPES.get(kind, kind)
    doc = ref.get("documentation") or target.get("documentation")
    enum = tuple(target["enum"]) if "enum" in target else None
    yield path, Member(json_type, enum, required, limits_in(doc))
    yield from _walk(model, ref["shape"], path, stack)


def diff_models(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[ModelChange]:
    """Every change from `old` to `new`, by operation, direction and path."""
    before, after = set(old["operations"]), set(new["operations"])
    changes: list[ModelChange] = []
    for operation in sorted(before | after):
        if operation not in after:
            changes.append(ModelChange(operation, "operation-removed"))
            continue
        if operation not in before:
            changes.append(ModelChange(operation, "operation-added"))
        for direction in DIRECTIONS:
            now = members(new, operation, direction)
            was: dict[str, Member] = {}
            found: list[ModelChange] = []
            if operation in before:  # a new operation's operation-added says it all
                was = members(old, operation, direction)
                found += _structural(operation, direction, was, now)
            found += _limits(operation, direction, was, now)
            changes.extend(sorted(found, key=lambda c: (c.path, _ORDER[c.kind])))
    return changes


_ORDER: dict[Kind, int] = {kind: i for i, kind in enumerate((*STRUCTURAL, *LIMIT_KINDS))}


class Typed(Protocol):
    """A member as both comparisons see it: its type."""

    @property
    def type(self) -> str: ...


def reported_above(path: str, was: Mapping[str, Typed], now: Mapping[str, Typed]) -> bool:
    """Is a change at `path` told already by one of its parents (added, removed, retyped)?"""
    parent = parent_path(path)
    while parent:
        if parent not in was or parent not in now or was[parent].type != now[parent].type:
            return True
        parent = parent_path(parent)
    return False


def _structural(
    operation: str, direction: Direction, was: dict[str, Member], now: dict[str, Member]
) -> Iterator[ModelChange]:

    def change(path: str, kind: Kind, detail: str) -> ModelChange:
        return ModelChange(operation, kind, direction, path, detail)

    for path in sorted(was.keys() | now.keys()):
        if reported_above(path, was, now):
            continue
        old, new = was.get(path), now.get(path)
        if old is None and new is not None:
            yield change(path, "added", new.type)
            if new.required:
                yield change(path, "required-added", "a new member, required")
        elif new is None and old is not None:
            yield change(path, "removed", old.type)
        elif old is not None and new is not None:
            if old.type != new.type:
                yield change(path, "retyped", f"{old.type} -> {new.type}")
                continue
            if old.enum is not None and new.enum is not None:
                gained = [v for v in new.enum if v not in old.enum]
                lost = [v for v in old.enum if v not in new.enum]
                if gained:
                    yield change(path, "enum-added", ", ".join(gained))
                if lost:
                    yield change(path, "enum-removed", ", ".join(lost))
            if new.required and not old.required:
                yield change(path, "required-added", "now required")
            elif old.required and not new.required:
                yield change(path, "required-removed", "no longer required")


def _limits(
    operation: str, direction: Direction, was: dict[str, Member], now: dict[str, Member]
) -> Iterator[ModelChange]:
    """Limit sentences whose numbers are new at a member; else those whose numbers went."""
    for path, member in now.items():
        old = was[path].limits if path in was else ()
        old_numbers, new_numbers = numbers_of(old), numbers_of(member.limits)
        gained, lost = new_numbers - old_numbers, old_numbers - new_numbers
        if gained:
            kind: Kind = "limit-changed" if old_numbers else "limit-added"
            before = " ".join(limit.text for limit in old)
            for limit in member.limits:
                if gained & set(limit.numbers):
                    yield ModelChange(operation, kind, direction, path, limit.text, before)
        elif lost:
            for limit in old:
                if lost & set(limit.numbers):
                    yield ModelChange(operation, "limit-removed", direction, path, limit.text)
