"""SDK drift: botocore's model of the four seed operations against the committed seed schemas,
or two SDKs' models against each other.

Run after an SDK upgrade (`batch-conformance drift [--model PATH]`). Members are compared,
not limits: the overlay's keywords are ignored. Added members and enum values are reported
as information; a member removed, a member whose type changed, or an enum value removed is
BREAKING and makes the exit status 1.

`batch-conformance drift --from A --to B` (`run_model_drift`) compares two models
(`conformance.drift._models`), each side named by version, wheel or file
(`conformance.drift._sources`), and says which rules and cases of both scopes each change
touches (`conformance.drift._coverage`), on one page (`conformance.drift._view`,
`conformance.drift._page`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO

from conformance.drift._models import reported_above
from conformance.schemas import all_schemas
from conformance.scopes import SCOPES, SEED, Scope
from conformance.specgen import (
    ModelError,
    base_schemas,
    load_installed_model,
    load_model,
)

if TYPE_CHECKING:
    from conformance.drift._sources import Downloader

Kind = Literal["added", "enum-added", "removed", "retyped", "enum-removed"]
BREAKING: frozenset[Kind] = frozenset({"removed", "retyped", "enum-removed"})


@dataclass(frozen=True)
class Change:
    """One difference between the seed schema and the model for one member."""

    schema: str
    path: str
    kind: Kind
    detail: str

    @property
    def breaking(self) -> bool:
        """Whether a client of the seed API can break on it."""
        return self.kind in BREAKING


@dataclass(frozen=True)
class _Member:
    type: str
    enum: tuple[str, ...] | None


def members(schema: Mapping[str, Any]) -> dict[str, _Member]:
    """Every member of `schema` by path (`jobs[].container.reason`, `parameters{}`)."""
    return dict(_members(schema, ""))


def _members(node: Mapping[str, Any], path: str) -> Iterator[tuple[str, _Member]]:
    for name, child in node.get("properties", {}).items():
        sub = f"{path}.{name}" if path else name
        yield sub, _member(child)
        yield from _members(child, sub)
    if isinstance(node.get("items"), Mapping):
        yield f"{path}[]", _member(node["items"])
        yield from _members(node["items"], f"{path}[]")
    if isinstance(node.get("additionalProperties"), Mapping):
        yield f"{path}{{}}", _member(node["additionalProperties"])
        yield from _members(node["additionalProperties"], f"{path}{{}}")


def _member(node: Mapping[str, Any]) -> _Member:
    enum = node.get("enum")
    return _Member(str(node.get("type", "any")), tuple(enum) if enum is not None else None)


def compare(name: str, seed: Mapping[str, Any], model: Mapping[str, Any]) -> list[Change]:
    """The changes from `seed` to `model` (two schemas of the same name), top-most only."""
    old, new = members(seed), members(model)
    changes: list[Change] = []

    for path in sorted(old.keys() | new.keys()):
        if reported_above(path, old, new):
            continue
        before, after = old.get(path), new.get(path)
        if before is None and after is not None:
            changes.append(Change(name, path, "added", after.type))
        elif after is None and before is not None:
            changes.append(Change(name, path, "removed", before.type))
        elif before is not None and after is not None:
            if before.type != after.type:
                changes.append(Change(name, path, "retyped", f"{before.type} -> {after.type}"))
            elif before.enum is not None and after.enum is not None:
                gained = [v for v in after.enum if v not in before.enum]
                lost = [v for v in before.enum if v not in after.enum]
                if gained:
                    changes.append(Change(name, path, "enum-added", ", ".join(gained)))
                if lost:
                    changes.append(Change(name, path, "enum-removed", ", ".join(lost)))
    return changes


_LABELS: dict[Kind, str] = {
    "added": "added",
    "enum-added": "enum values added",
    "removed": "BREAKING removed",
    "retyped": "BREAKING type changed",
    "enum-removed": "BREAKING enum values removed",
}


def run_drift(model_path: Path | None, out: TextIO) -> int:
    """Print the drift of botocore's model from the seed schemas; 1 on breaking drift.

    `model_path`: a service-2.json (or .json.gz) or a botocore wheel; None for the
    installed botocore.
    """
    try:
        if model_path is None:
            model, label = load_installed_model()
        else:
            model, label = load_model(model_path), str(model_path)
        current = base_schemas(model)
    except ModelError as exc:
        out.write(f"drift: {exc}\n")
        return 2
    seed = all_schemas(SEED)
    out.write(f"drift: {label} compared with the seed schemas (botocore 1.10.2, 2018-04-06)\n")
    changes = [c for name in seed for c in compare(name, seed[name], current[name])]
    for name in seed:
        mine = [c for c in changes if c.schema == name]
        if not mine:
            continue
        out.write(f"\n{name}\n")
        for change in sorted(mine, key=lambda c: (c.breaking, c.path)):
            out.write(f"  {_LABELS[change.kind]}: {change.path} ({change.detail})\n")
    breaking = [c for c in changes if c.breaking]
    added = len(changes) - len(breaking)
    if not changes:
        out.write(f"\ndrift: none; all {len(seed)} schemas match the model\n")
    else:
        touched = len({c.schema for c in changes})
        out.write(
            f"\ndrift: {added} additions, {len(breaking)} breaking (removed or changed) "
            f"in {touched} of {len(seed)} schemas\n"
        )
    return 1 if breaking else 0


def run_model_drift(
    old_spec: str,
    new_spec: str,
    fmt: str,
    out: TextIO,
    err: TextIO,
    *,
    download: Downloader | None = None,
) -> int:
    """`drift --from A --to B`: what changed in the batch model between two SDKs, and which
    rules and cases of each scope it touches; 1 when a change breaks a client, 2 when a
    side cannot be resolved (one line on `err`).

    Each side is `installed`, a botocore version, a wheel or a service-2.json (see
    `conformance.drift._sources`); a download is announced on `err`.
    """
    from conformance.drift._coverage import ScopeCoverage
    from conformance.drift._models import diff_models
    from conformance.drift._page import RENDERERS
    from conformance.drift._sources import SideError, pip_download, resolve_side
    from conformance.drift._view import Entry, build_page

    sides = []
    for flag, spec in (("--from", old_spec), ("--to", new_spec)):
        try:
            sides.append(resolve_side(spec, err, download or pip_download))
        except SideError as exc:
            err.write(f"batch-conformance: drift {flag}: {exc}\n")
            return 2
    old, new = sides
    try:
        changes = diff_models(old.model, new.model)
    except ModelError as exc:
        err.write(f"batch-conformance: drift: {exc}\n")
        return 2
    scopes: dict[Scope, ScopeCoverage] = {s: ScopeCoverage(s) for s in SCOPES}
    entries = [Entry(c, {s: cov.of(c) for s, cov in scopes.items()}) for c in changes]
    page = build_page((old.label, old.origin), (new.label, new.origin), entries)
    out.write(RENDERERS[fmt](page))
    return 1 if any(c.breaking for c in changes) else 0
