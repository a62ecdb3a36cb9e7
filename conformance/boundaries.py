"""Boundary cases derived from the limits in the request schemas.

For every request rule the schemas carry (`x-rules`), each of its keywords yields a value
just inside the limit (must be accepted) and one just outside (must be rejected). A limit
added to the schemas gets its cases here without new code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from conformance.context import placeholder_context
from conformance.requests import (
    STAR,
    Path_,
    RequestBuilder,
    pointer_to_path,
    schema_at,
    text_of_length,
)
from conformance.schemas import Rule, Scope, iter_rules

Side = Literal["inside", "outside"]
EditKind = Literal["set", "items", "entries", "text", "drop", "probe", "fill", "resource", "fresh"]
# Characters tried against a pattern, each a separate case when the pattern forbids it.
PATTERN_PROBES = (
    ("leading-hyphen", "-", "lead"),
    ("dot", ".", "tail"),
    ("space", " ", "tail"),
    ("bang", "!", "tail"),
)


@dataclass(frozen=True)
class Edit:
    """One change to a valid request: set a value (or items, or a string) or drop a member.

    `fill` sets the member to the builder's valid value for it; `resource` to the ID of one
    of the run's resources (`value` names its kind, see `RequestBuilder.resource`); `fresh`
    to one made for this request alone (`value` names its catalogue kind).
    """

    kind: EditKind
    path: tuple[str, ...]
    value: Any = None


@dataclass(frozen=True)
class Boundary:
    """One derived case: a rule, which side of it, and the edits that put a request there."""

    rule: Rule
    side: Side
    label: str
    edits: tuple[Edit, ...]

    @property
    def id(self) -> str:
        """`SubmitJob.timeout.minimum:outside:59`."""
        return f"{self.rule.id}:{self.side}:{self.label}"

    def __repr__(self) -> str:
        """Short, for failing examples in reports."""
        return f"Boundary({self.id!r})"

    @property
    def expect_accepted(self) -> bool:
        """Inside the limit: the request must be accepted."""
        return self.side == "inside"

    def request(self, builder: RequestBuilder) -> dict[str, Any]:
        """A valid request with this boundary's edits applied."""
        request = builder.build()
        for edit in self.edits:
            apply_edit(builder, request, edit)
        return builder.settle(request)


def apply_edit(builder: RequestBuilder, request: dict[str, Any], edit: Edit) -> None:
    """Apply one edit."""
    path = list(edit.path)
    if edit.kind == "drop":
        builder.delete_at(request, path, edit.value)
    elif edit.kind == "set":
        builder.set_at(request, path, edit.value)
    elif edit.kind == "items":
        builder.set_at(request, path, builder.items(path, edit.value))
    elif edit.kind == "entries":
        builder.set_at(request, path, builder.entries(path, edit.value))
    elif edit.kind == "text":
        stem = str(builder.fill(path))
        builder.set_at(request, path, text_of_length(edit.value, _node(builder, path), stem))
    elif edit.kind == "probe":
        where, char = edit.value
        builder.set_at(request, path, probe(str(builder.fill(path)), char, where))
    elif edit.kind == "fill":
        builder.set_at(request, path, builder.fill(path))
    elif edit.kind == "resource":
        builder.set_at(request, path, builder.resource(edit.value))
    elif edit.kind == "fresh":
        builder.set_at(request, path, builder.ctx.fresh(edit.value))


def _node(builder: RequestBuilder, path: Path_) -> dict[str, Any]:
    return schema_at(builder.schema, path)


def probe(stem: str, char: str, where: str) -> str:
    """`stem` with `char` put first or last."""
    return char + stem[1:] if where == "lead" else stem[:-1] + char


def _literal_of_prefix(pattern: str) -> str | None:
    """`^AWS_BATCH` -> `AWS_BATCH` (only plain anchored prefixes are understood)."""
    if not pattern.startswith("^"):
        return None
    body = re.sub(r"\\(.)", r"\1", pattern[1:])
    return None if re.search(r"[\[\]()*+?{}|.$]", body) else body


# Enum values AWS documents only together with other members, by rule id: the edits that go
# with each value in its inside case (its id stays `<rule>:inside:<value>`).
_ARRAY_JOB = Edit("fill", ("arrayProperties", "size"))  # the smallest valid array size
ENUM_COMPANIONS: dict[str, dict[str, tuple[Edit, ...]]] = {
    # SubmitJob › dependsOn: "You can specify a SEQUENTIAL type dependency without specifying
    # a job ID for array jobs [...] You can also specify an N_TO_N type dependency with a job
    # ID for array jobs."
    "SubmitJob.dependsOn.type.enum": {
        "N_TO_N": (_ARRAY_JOB, Edit("resource", ("dependsOn", STAR, "jobId"), "array-job")),
        "SEQUENTIAL": (_ARRAY_JOB, Edit("drop", ("dependsOn", STAR), "jobId")),
    },
    # CreateComputeEnvironment › computeResources: "This parameter is required for managed
    # compute environments."
    "CreateComputeEnvironment.type.enum": {"MANAGED": (Edit("fill", ("computeResources",)),)},
    # RegisterJobDefinition › nodeProperties: a multinode definition gives its nodes
    "RegisterJobDefinition.type.enum": {"multinode": (Edit("fill", ("nodeProperties",)),)},
}
# Enum values no request of this rule's operation may take (documented elsewhere), by rule
# id: no inside case, and why (a documented constraint, with its own refusal case).
ENUM_LEFT_OUT: dict[str, dict[str, str]] = {
    # CreateComputeEnvironment › state: "A compute environment must be created in the
    # ENABLED state." (constraint CreateComputeEnvironment.state.created-enabled)
    "CreateComputeEnvironment.state.enum": {"DISABLED": "a compute environment is created ENABLED"},
}


Keywords = dict[str, Any]


def _numeric(rule: Rule, path: tuple[str, ...], kw: Keywords) -> Iterator[Boundary]:
    if "minimum" in kw:
        low = int(kw["minimum"])
        yield Boundary(rule, "outside", str(low - 1), (Edit("set", path, low - 1),))
        yield Boundary(rule, "inside", str(low), (Edit("set", path, low),))
    if "maximum" in kw:
        high = int(kw["maximum"])
        yield Boundary(rule, "inside", str(high), (Edit("set", path, high),))
        yield Boundary(rule, "outside", str(high + 1), (Edit("set", path, high + 1),))


# (lower keyword, upper keyword, edit that sets a size, unit in labels)
SIZES: tuple[tuple[str, str, EditKind, str], ...] = (
    ("minLength", "maxLength", "text", "chars"),
    ("minItems", "maxItems", "items", "items"),
    ("minProperties", "maxProperties", "entries", "entries"),
)


def _lengths(rule: Rule, path: tuple[str, ...], kw: Keywords) -> Iterator[Boundary]:
    for low_kw, high_kw, kind, unit in SIZES:
        if low_kw in kw:
            low = int(kw[low_kw])
            if low > 0:
                yield Boundary(rule, "outside", f"{low - 1}{unit}", (Edit(kind, path, low - 1),))
            yield Boundary(rule, "inside", f"{low}{unit}", (Edit(kind, path, low),))
        if high_kw in kw:
            high = int(kw[high_kw])
            yield Boundary(rule, "inside", f"{high}{unit}", (Edit(kind, path, high),))
            yield Boundary(rule, "outside", f"{high + 1}{unit}", (Edit(kind, path, high + 1),))


def _shapes(
    rule: Rule, path: tuple[str, ...], builder: RequestBuilder, kw: Keywords
) -> Iterator[Boundary]:
    if "pattern" in kw:
        pattern = kw["pattern"]
        stem = str(builder.fill(list(path)))
        yield Boundary(rule, "inside", "valid-chars", ())
        for label, char, where in PATTERN_PROBES:
            if not re.search(pattern, probe(stem, char, where)):
                yield Boundary(rule, "outside", label, (Edit("probe", path, (where, char)),))
    if "not" in kw and "pattern" in kw["not"]:
        prefix = _literal_of_prefix(kw["not"]["pattern"])
        if prefix is not None:
            yield Boundary(rule, "inside", "ordinary-name", ())
            yield Boundary(
                rule, "outside", f"{prefix}_TEST", (Edit("set", path, f"{prefix}_TEST"),)
            )
    if "enum" in kw:
        companions = ENUM_COMPANIONS.get(rule.id, {})
        left_out = ENUM_LEFT_OUT.get(rule.id, {})
        for value in kw["enum"]:
            if str(value) in left_out:
                continue
            edits = (Edit("set", path, value), *companions.get(str(value), ()))
            yield Boundary(rule, "inside", str(value), edits)
        yield Boundary(rule, "outside", "BOGUS", (Edit("set", path, "BOGUS"),))
    if "required" in kw:
        yield Boundary(rule, "inside", "all-present", ())
        for member in kw["required"]:
            yield Boundary(rule, "outside", f"without-{member}", (Edit("drop", path, member),))
    if "if" in kw and "then" in kw:
        consts = {k: v["const"] for k, v in kw["if"].get("properties", {}).items() if "const" in v}
        sets = tuple(Edit("set", (*path, k), v) for k, v in consts.items())
        drops = tuple(Edit("drop", path, m) for m in kw["then"].get("required", []))
        when = ",".join(f"{k}={v}" for k, v in consts.items())
        yield Boundary(rule, "inside", f"{when}-with-all", sets)
        for drop in drops:
            yield Boundary(rule, "outside", f"{when}-without-{drop.value}", (*sets, drop))


def boundaries_of(rule: Rule, builder: RequestBuilder) -> list[Boundary]:
    """Every boundary case of one request rule.

    A rule whose keywords are under `allOf` (a second pattern on a node whose `pattern` is
    another rule's, e.g. a name's first character) gets the cases of each part.
    """
    path = tuple(pointer_to_path(rule.pointer))
    found: list[Boundary] = []
    for kw in (rule.keywords, *rule.keywords.get("allOf", ())):
        found += [*_numeric(rule, path, kw), *_lengths(rule, path, kw)]
        found += _shapes(rule, path, builder, kw)
    return found


def request_rules(scope: Scope) -> list[Rule]:
    """The request rules of the schemas of `scope`, in id order."""
    return [rule for rule in iter_rules(scope) if rule.direction == "request"]


def derived_boundaries(scope: Scope, operation: str | None = None) -> list[Boundary]:
    """Every boundary of `scope`'s request rules (of `operation` only, if given), in rule-id
    order, derived before any endpoint exists (their requests are built per run)."""
    ctx = placeholder_context()
    return [
        boundary
        for rule in request_rules(scope)
        if operation is None or rule.operation == operation
        for boundary in boundaries_of(rule, RequestBuilder(rule.operation, ctx, scope))
    ]
