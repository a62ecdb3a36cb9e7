"""The page `drift --from A --to B` prints, as data: what changed, what breaks, then one
section per scope with the changes grouped by operation and direction, each with what the
scope has for it (`Coverage`).

Renderers (`conformance.drift._page`) only lay this out. To keep the page short, the changes
a scope does not test are folded into one line per operation (and reason), and so are those
only round trips cover, and the new limits its rules quote; the new limits no rule quotes
are one list at the end of the scope, a sentence said at several members one line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from conformance.drift._coverage import Coverage
from conformance.drift._limits import snippet
from conformance.drift._models import LIMIT_KINDS, ModelChange, parent_path
from conformance.scopes import CURRENT, SCOPES, Scope

_VERBS = {"limit-added": "new", "limit-changed": "changed", "limit-removed": "gone"}


@dataclass(frozen=True)
class Entry:
    """One change and what each scope has for it."""

    change: ModelChange
    coverage: dict[Scope, Coverage]


@dataclass(frozen=True)
class Line:
    """One change, or several alike folded (`items`), with what the scope has for them
    (None: a line that only lists, such as the operations a scope knows)."""

    text: str
    coverage: Coverage | None
    breaking: bool = False
    items: tuple[str, ...] = ()
    was: str = ""
    note: str = ""


@dataclass(frozen=True)
class Group:
    """The changes of one operation (and direction) in one scope."""

    title: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Section:
    """One scope: an introduction, then its groups."""

    scope: Scope
    title: str
    intro: tuple[str, ...]
    groups: tuple[Group, ...]


@dataclass(frozen=True)
class Page:
    """The whole page: the two sides, what changed, what breaks, each scope, what is left."""

    old: tuple[str, str]
    new: tuple[str, str]
    summary: tuple[str, ...]
    breaking: tuple[str, ...]
    sections: tuple[Section, ...]
    untested: tuple[str, ...]
    entries: tuple[Entry, ...]


def describe(change: ModelChange) -> str:
    """`+ timeout (object)`, `- jobQueue (string)`, `~ status: enum -STARTING`, ..."""
    path, detail = change.path, change.detail
    said = {
        "operation-added": f"+ operation {change.operation}",
        "operation-removed": f"- operation {change.operation}",
        "added": f"+ {path} ({detail})",
        "removed": f"- {path} ({detail})",
        "retyped": f"~ {path}: type {detail}",
        "enum-added": f"~ {path}: enum + {detail}",
        "enum-removed": f"~ {path}: enum - {detail}",
        "required-added": f"~ {path}: required ({detail})",
        "required-removed": f"~ {path}: no longer required",
    }
    return said.get(change.kind, f'limit {_VERBS.get(change.kind, "")}: "{detail}" ({path})')


def _short(change: ModelChange) -> str:
    """A change in a folded list: `capacityTags`, `type +ECS_MANAGED_INSTANCES`, ..."""
    name = change.path[len(parent_path(change.path)) :].lstrip(".") or change.path
    if change.kind == "enum-added":
        return f"{name} +{change.detail.replace(', ', ' +')}"
    if change.kind == "required-removed":
        return f"{name} (no longer required)"
    return name


def _folded(entries: Sequence[Entry]) -> tuple[str, ...]:
    """`jobs[].{isCancelled, isTerminated}`-style items, by parent, in order."""
    by_parent: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        by_parent[parent_path(entry.change.path)].append(_short(entry.change))
    items = []
    for parent, all_names in by_parent.items():
        items += [f"{parent}{name}" for name in all_names if name.startswith(("[]", "{}"))]
        names = [name for name in all_names if not name.startswith(("[]", "{}"))]
        if not parent:
            items.extend(names)
        elif names:
            inner = names[0] if len(names) == 1 else "{" + ", ".join(names) + "}"
            items.append(f"{parent}.{inner}")
    return tuple(items)


def _tail(path: str) -> str:
    """The last two names of a long path: `…securityContext.runAsGroup`."""
    names = path.split(".")
    return path if len(names) <= 2 else "…" + ".".join(names[-2:])


def _merged(coverages: Iterable[Coverage]) -> Coverage:
    items = list(coverages)
    rules = tuple(dict.fromkeys(r for c in items for r in c.rules))
    cases = tuple(dict.fromkeys(k for c in items for k in c.cases))
    note = next((c.note for c in items if c.note), "")
    return Coverage(items[0].scope, any(c.known for c in items), rules, cases, note)


def _structural(entries: Sequence[Entry], scope: Scope) -> list[Line]:
    """Breaking changes and those a rule covers one a line; those only round trips cover
    folded into one line; the untested folded, one line per reason."""
    lines, trips, untested = [], [], defaultdict(list)
    for entry in entries:
        coverage = entry.coverage[scope]
        if coverage.untested and not entry.change.breaking:
            untested[coverage.note].append(entry)
        elif coverage.rules or entry.change.breaking:
            lines.append(Line(describe(entry.change), coverage, entry.change.breaking))
        else:
            trips.append(entry)
    lines.sort(key=lambda line: not line.breaking)
    if trips:
        coverage = _merged(e.coverage[scope] for e in trips)
        lines.append(Line("covered by round trips", coverage, items=_folded(trips)))
    for alike in untested.values():
        coverage = _merged(e.coverage[scope] for e in alike)
        lines.append(Line("untested", coverage, items=_folded(alike)))
    return lines


def _limits(entries: Sequence[Entry], scope: Scope, new_op: bool) -> list[Line]:
    """Limits changed or gone one a line; the new ones rules quote folded into one line
    (none for a new operation: its rules say it). The new ones no rule quotes are listed at
    the end of the scope (`unquoted_limits`)."""
    lines = []
    for sentence, alike in _by_sentence(entries).items():
        first = alike[0].change
        if first.kind != "limit-added":
            more = f", +{len(alike) - 1} more" if len(alike) > 1 else ""
            text = f'limit {_VERBS[first.kind]}: "{sentence}" ({first.path}{more})'
            lines.append(Line(text, _merged(e.coverage[scope] for e in alike), was=first.before))
    quoted = [
        e for e in entries if e.change.kind == "limit-added" and not e.coverage[scope].untested
    ]
    if quoted and not new_op:
        count = len({e.change.detail for e in quoted})
        covering = _merged(e.coverage[scope] for e in quoted)
        said = f"{count} new limit{'s' if count > 1 else ''}, quoted by rules"
        lines.append(Line(said, replace(covering, note="")))
    return lines


def _by_sentence(entries: Iterable[Entry]) -> dict[str, list[Entry]]:
    found: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        found[entry.change.detail].append(entry)
    return found


def unquoted_limits(entries: Sequence[Entry], scope: Scope) -> dict[str, list[Entry]]:
    """New documented limits no rule of the scope quotes, by sentence (a request's first);
    an answer's left out where a request says the same."""
    new = [e for e in entries if e.change.kind == "limit-added"]
    asked = {e.change.detail for e in new if e.change.direction == "request"}
    untested = [
        e
        for e in sorted(new, key=lambda e: e.change.direction != "request")
        if e.coverage[scope].untested
        and (e.change.direction == "request" or e.change.detail not in asked)
    ]
    return _by_sentence(untested)


def _unquoted(entries: Sequence[Entry], scope: Scope) -> Group | None:
    """The new documented limits no rule quotes, one line per sentence, with its first
    place and how many more say it."""
    lines = []
    for sentence, alike in unquoted_limits(entries, scope).items():
        first = alike[0].change
        places = len({(e.change.operation, e.change.path) for e in alike})
        more = f" (+{places - 1})" if places > 1 else ""
        where = f"{first.operation} {_tail(first.path)}{more}"
        note = _merged(e.coverage[scope] for e in alike).note
        lines.append(Line(f'{where}: "{snippet(sentence)}"', None, note=note))
    if not lines:
        return None
    return Group(f"documented limits no rule quotes ({len(lines)}): untested", tuple(lines))


def _operations_added(entries: Sequence[Entry], scope: Scope) -> Group:
    """Operations added: those the scope knows on one folded line, the others one a line."""
    lines = [
        Line(describe(e.change), e.coverage[scope], e.change.breaking)
        for e in entries
        if not e.coverage[scope].known
    ]
    known = [e for e in entries if e.coverage[scope].known]
    if known:
        items = tuple(
            f"{e.change.operation} {len(e.coverage[scope].rules)}/{len(e.coverage[scope].cases)}"
            for e in known
        )
        lines.append(Line("known here (rules/cases)", None, items=items))
    return Group(f"operations added ({len(entries)})", tuple(lines))


def scope_section(entries: Sequence[Entry], scope: Scope) -> Section:
    """The changes a scope knows, by operation and direction; what changed in its operations
    on members its shapes do not have, in one line."""
    mine = [e for e in entries if e.coverage[scope].known]
    intro: list[str] = []
    theirs = [e for e in entries if e.change.operation in scope.operations and e not in mine]
    structural = [e for e in theirs if e.change.kind not in LIMIT_KINDS]
    if theirs:
        intro.append(
            f"{len(structural)} member changes and {len(theirs) - len(structural)} documented"
            f" limits of its operations are on members its shapes do not have: its request"
            " schemas refuse such members, its response schemas let them through (untested"
            " here)"
        )
    if not mine:
        intro.append(f"no change touches a member or a rule of the {scope} scope")
    added = [e for e in mine if e.change.kind == "operation-added"]
    groups = [_operations_added(added, scope)] if added else []
    new_ops = {e.change.operation for e in added}
    for operation in dict.fromkeys(e.change.operation for e in mine):
        of_op = [e for e in mine if e.change.operation == operation]
        removed = [e for e in of_op if e.change.kind == "operation-removed"]
        if removed:
            lines = [Line(describe(e.change), e.coverage[scope], True) for e in removed]
            groups.append(Group(operation, tuple(lines)))
        for direction in ("request", "response"):
            here = [e for e in of_op if e.change.direction == direction]
            block = _structural([e for e in here if e.change.kind not in LIMIT_KINDS], scope)
            limits = [e for e in here if e.change.kind in LIMIT_KINDS]
            block += _limits(limits, scope, operation in new_ops)
            if block:
                groups.append(Group(f"{operation} {direction}", tuple(block)))
    unquoted = _unquoted([*mine, *theirs], scope)
    if unquoted:
        groups.append(unquoted)
    return Section(scope, f"{scope} scope: {scope.about}", tuple(intro), tuple(groups))


_COUNTED: tuple[tuple[str, str], ...] = (
    ("operation-added", "operations added"),
    ("operation-removed", "operations removed"),
    ("added", "members added"),
    ("removed", "members removed"),
    ("retyped", "members retyped"),
    ("enum-added", "enums with new values"),
    ("enum-removed", "enums with values removed"),
    ("required-added", "members newly required"),
    ("required-removed", "members no longer required"),
)


def _summary(entries: Sequence[Entry]) -> tuple[str, ...]:
    kinds = [e.change.kind for e in entries]
    said = [f"{kinds.count(kind)} {label}" for kind, label in _COUNTED if kind in kinds]
    members = {e.change.operation for e in entries if e.change.kind in dict(_COUNTED[2:])}
    limits = {
        (e.change.operation, e.change.detail) for e in entries if e.change.kind in LIMIT_KINDS
    }
    where = f" (members: in {len(members)} operations)" if members else ""
    return (
        ("; ".join(said) or "no structural change") + where,
        f"{len(limits)} documented limits new, changed or gone (distinct sentences per operation)",
    )


def _untested(entries: Sequence[Entry]) -> tuple[str, ...]:
    current = [e for e in entries if e.coverage[CURRENT].untested]
    members = {
        (e.change.operation, e.change.direction, e.change.path)
        for e in current
        if e.change.kind in ("added", "enum-added", "retyped", "required-added")
    }
    limits = len(unquoted_limits(entries, CURRENT)) + len(
        {e.change.detail for e in current if e.change.kind == "limit-changed"}
    )
    unknown = [
        e.change.operation
        for e in entries
        if e.change.kind == "operation-added" and not e.coverage[CURRENT].known
    ]
    return (
        f"{len(members)} new or changed members with no rule or case of their own",
        f"{limits} documented limits new or changed that no rule quotes",
        f"{len(unknown)} operations added that the current scope does not know"
        + (f": {', '.join(unknown)}" if unknown else ""),
    )


def build_page(old: tuple[str, str], new: tuple[str, str], entries: Sequence[Entry]) -> Page:
    """The page for `entries` (each change with both scopes' coverage) from `old` to `new`
    (each a label and where it came from)."""
    if not entries:
        return Page(old, new, ("no change in the batch model",), (), (), (), ())
    breaking = tuple(
        " ".join(p for p in (e.change.operation, e.change.direction, describe(e.change)) if p)
        for e in entries
        if e.change.breaking
    )
    sections = tuple(scope_section(entries, scope) for scope in reversed(SCOPES))
    return Page(old, new, _summary(entries), breaking, sections, _untested(entries), tuple(entries))
