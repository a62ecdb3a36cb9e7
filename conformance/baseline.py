"""Baselines: known deviations with reasons, so the gate fails only on what got worse.

A baseline file (JSON, or TOML by extension) lists entries that each name a case, a rule
(covering all its cases) or a finding (`<rule>#<what broke>`, covering every case that
shows it), the expected outcome and a reason. A case entry may record the finding(s) the
case failed for (`baseline` writes them):

    {"version": 1, "target": "moto", "scope": "seed", "entries": [
        {"case": "request_limits::test_limit[SubmitJob.timeout.minimum:outside:59]",
         "finding": "SubmitJob.timeout.minimum#refusal-expected",
         "expected": "failed", "reason": "<link>"},
        {"rule": "SubmitJob.timeout.minimum", "expected": "failed", "reason": "<link>"},
        {"finding": "SubmitJob.jobName.length#refusal-expected", "expected": "failed",
         "reason": "<link>"}]}

A failing case is `known` when an entry covers it as it stands; `changed` when an entry
covers it but the case now has another outcome than `expected` (a failure that became an
error), or fails for a finding the entry did not record; `new` when nothing covers it.
`load_baseline` reads a file, `Baseline.check_ids` checks it against the run's ids,
`apply_baseline` marks each case, `changed_cases` lists the changes; `conformance.gate`
counts the marks and decides the exit status.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

from conformance.findings import NO_RULE
from conformance.results import CaseResult, RunResult
from conformance.scopes import DEFAULT, SCOPE_NAMES, Scope, scope_named

Expected = Literal["failed", "error"]
EXPECTED: tuple[Expected, ...] = ("failed", "error")
Kind = Literal["case", "rule", "finding"]
Mark = tuple[Literal["new", "known", "changed", "fixed"] | None, str | None]
TODO_REASON = "TODO: explain this deviation"
FAILING = ("failed", "error")
_TOP_KEYS = {"version", "target", "scope", "entries"}
_ENTRY_KEYS = {"case", "rule", "finding", "expected", "reason"}


class BaselineError(Exception):
    """A broken baseline; str() is one line naming the file and, if any, the entry."""


def finding_rule(finding: str) -> str:
    """The rule of a finding id `<rule>#<what broke>`."""
    return finding.split("#", 1)[0]


@dataclass(frozen=True)
class Entry:
    """One known deviation: a case, a rule or a finding, its expected outcome and why.

    `findings` is the finding a finding entry names (one), or what a case entry recorded
    the case failing for (none in baselines written before findings existed).
    """

    index: int
    expected: Expected
    reason: str
    case: str | None = None
    rule: str | None = None
    findings: tuple[str, ...] = ()

    @property
    def kind(self) -> Kind:
        """What the entry names."""
        if self.case is not None:
            return "case"
        return "rule" if self.rule is not None else "finding"

    @property
    def ident(self) -> str:
        """The case, rule or finding id it names."""
        return self.case or self.rule or self.findings[0]

    @property
    def label(self) -> str:
        """`entry 3 (case 'x')`, as error messages name it."""
        return f"entry {self.index} ({self.kind} {self.ident!r})"

    def to_dict(self) -> dict[str, Any]:
        """The entry as written in a JSON baseline."""
        out: dict[str, Any] = {self.kind: self.ident} if self.kind != "finding" else {}
        if self.findings:
            out["finding"] = one_or_list(self.findings)
        return {**out, "expected": self.expected, "reason": self.reason}


@dataclass(frozen=True)
class Match:
    """The entries that cover one failing case, and what changed (None: as expected)."""

    entries: tuple[Entry, ...]
    change: str | None = None

    @property
    def reason(self) -> str:
        """The covering entries' reason(s)."""
        return "; ".join(dict.fromkeys(e.reason for e in self.entries))


@dataclass(frozen=True)
class Baseline:
    """A parsed baseline file."""

    path: Path
    entries: tuple[Entry, ...]
    target: str | None = None
    scope: str = DEFAULT.name  # the scope whose cases and rules the entries name

    def error(self, message: str, entry: Entry | None = None) -> BaselineError:
        """A BaselineError naming this file (and the entry)."""
        return _error(self.path, message, entry.label if entry else None)

    def check_scope(self, scope: Scope) -> None:
        """Raise BaselineError unless this is a baseline of the run's `scope`."""
        if scope_named(self.scope) is not scope:
            raise self.error(
                f"is a baseline of scope {self.scope}, this run's scope is {scope}"
                f" (a baseline names the cases and rules of one scope)"
            )

    def check_ids(self, case_ids: set[str], rule_ids: set[str], scope: Scope) -> None:
        """Raise BaselineError for a baseline of another scope, or an entry that names no
        case / no rule of the run.

        A finding entry must name a finding of one of the run's rules.
        """
        self.check_scope(scope)
        for entry in self.entries:
            if entry.kind == "case" and entry.case not in case_ids:
                raise self.error("names no case of this run", entry)
            if entry.kind == "rule" and entry.rule not in rule_ids:
                raise self.error("names no rule of this run", entry)
            if entry.kind == "finding":
                rule = finding_rule(entry.ident)
                if rule not in rule_ids and rule != NO_RULE:
                    raise self.error(f"names a finding of no rule of this run ({rule!r})", entry)

    def entry_for(self, kind: Kind, ident: str) -> Entry | None:
        """The entry naming this case, rule or finding id."""
        return next((e for e in self.entries if e.kind == kind and e.ident == ident), None)

    def match(self, result: CaseResult) -> Match | None:
        """The entries covering a failed or errored case, and what changed, if anything.

        Its own case entry first; else finding entries, when they name every finding of
        the case; else its rule's entry; else, if finding entries name some of its
        findings, a change (it also fails for another finding); else None (new).
        """
        own = self.entry_for("case", result.id)
        if own is not None:
            return Match((own,), _change(own, result))
        listed = [e for f in result.findings if (e := self.entry_for("finding", f)) is not None]
        unlisted = [f for f in result.findings if self.entry_for("finding", f) is None]
        if listed and not unlisted:
            expected = {e.expected for e in listed}
            change = None if expected == {result.outcome} else _change(listed[0], result)
            return Match(tuple(listed), change)
        rule = self.entry_for("rule", result.rule) if result.rule is not None else None
        if rule is not None:
            return Match((rule,), _change(rule, result))
        if listed:
            known = [e.ident for e in listed]
            change = f"baseline lists {', '.join(known)}; now {result.outcome} also for " + (
                ", ".join(unlisted)
            )
            return Match(tuple(listed), change)
        return None

    def covers_rule(self, rule: str) -> Entry | None:
        """A rule entry, else a finding entry of this rule (for fixed cases)."""
        return self.entry_for("rule", rule) or next(
            (e for e in self.entries if e.kind == "finding" and finding_rule(e.ident) == rule),
            None,
        )


def _change(entry: Entry, result: CaseResult) -> str | None:
    """How a covered case differs from its entry: another outcome, or another finding."""
    other_outcome = result.outcome != entry.expected
    recorded = entry.findings if entry.kind == "case" else ()
    other_finding = bool(recorded) and any(f not in recorded for f in result.findings)
    if not (other_outcome or other_finding):
        return None
    was = entry.expected + (f" for {', '.join(recorded)}" if recorded else "")
    now = result.outcome + (f" for {', '.join(result.findings)}" if result.findings else "")
    return f"baseline expects {was}; now {now}"


def _error(path: Path, message: str, where: str | None = None) -> BaselineError:
    text = f"baseline {path}: " + (f"{where}: " if where else "") + message
    return BaselineError(" ".join(text.split()))


def _keys(keys: set[str]) -> str:
    return ", ".join(repr(k) for k in sorted(keys))


def load_baseline(path: Path) -> Baseline:
    """Read and shape-check a baseline file (`.toml` as TOML, anything else as JSON)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _error(path, f"cannot read: {exc}") from exc
    data: Any
    if path.suffix.lower() == ".toml":
        import tomllib  # stdlib from Python 3.11 only: JSON baselines work on 3.10 too

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise _error(path, f"invalid TOML: {exc}") from exc
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise _error(path, f"invalid JSON at line {exc.lineno}: {exc.msg}") from exc
    if not isinstance(data, dict):
        raise _error(path, "top level must be a table with version and entries")
    if unknown := set(data) - _TOP_KEYS:
        raise _error(path, f"unknown top-level key {_keys(unknown)}")
    if data.get("version") != 1 or isinstance(data.get("version"), bool):
        raise _error(path, f"version must be 1, not {data.get('version')!r}")
    target = data.get("target")
    if target is not None and not isinstance(target, str):
        raise _error(path, "target must be a string")
    scope = data.get("scope", DEFAULT.name)
    if scope not in SCOPE_NAMES:
        raise _error(path, f"scope must be one of {', '.join(SCOPE_NAMES)}, not {scope!r}")
    raw = data.get("entries", [])
    if not isinstance(raw, list):
        raise _error(path, "entries must be a list")
    entries = tuple(_parse_entry(path, i, item) for i, item in enumerate(raw, start=1))
    _check_duplicates(path, entries)
    return Baseline(path=path, entries=entries, target=target, scope=scope)


def _parse_findings(path: Path, where: str, value: Any, alone: bool) -> tuple[str, ...]:
    """`finding`: one id, or (next to a case) a list of ids; each `<rule>#<what broke>`."""
    if value is None:
        return ()
    items = value if isinstance(value, list) and not alone else [value]
    if not items:
        raise _error(path, "finding must not be an empty list", where)
    for item in items:
        if not isinstance(item, str) or "#" not in item or item.startswith("#"):
            raise _error(
                path, f"finding must be a finding id '<rule>#<what broke>', not {item!r}", where
            )
    return tuple(items)


def _parse_entry(path: Path, index: int, item: Any) -> Entry:
    where = f"entry {index}"
    if not isinstance(item, dict):
        raise _error(path, "must be a table with case, rule or finding, expected, reason", where)
    kinds = [k for k in ("case", "rule") if k in item] or (["finding"] if "finding" in item else [])
    ident = item.get(kinds[0]) if kinds else None
    if isinstance(ident, str):
        where += f" ({kinds[0]} {ident!r})"
    if unknown := set(item) - _ENTRY_KEYS:
        raise _error(path, f"unknown key {_keys(unknown)}", where)
    if len(kinds) != 1:
        raise _error(path, "needs exactly one of 'case', 'rule' or 'finding'", where)
    if "rule" in item and "finding" in item:
        raise _error(
            path, "a rule entry covers all its cases: give findings their own entries", where
        )
    if not isinstance(ident, str) or not ident:
        raise _error(path, f"{kinds[0]} must be a non-empty string", where)
    findings = _parse_findings(path, where, item.get("finding"), alone=kinds == ["finding"])
    expected = item.get("expected")
    if expected not in EXPECTED:
        raise _error(path, f"expected must be 'failed' or 'error', not {expected!r}", where)
    reason = item.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise _error(path, "needs a non-empty reason", where)
    return Entry(
        index=index,
        expected=cast(Expected, expected),
        reason=reason,
        case=item.get("case"),
        rule=item.get("rule"),
        findings=findings,
    )


def _check_duplicates(path: Path, entries: tuple[Entry, ...]) -> None:
    seen: dict[tuple[str, str], Entry] = {}
    for entry in entries:
        key = (entry.kind, entry.ident)
        if key in seen:
            raise _error(path, f"repeats entry {seen[key].index}", entry.label)
        seen[key] = entry


def apply_baseline(run: RunResult, baseline: Baseline) -> None:
    """Mark every case: known, changed or new (failed or errored), fixed (passed), or None.

    A changed case's `baseline_reason` says what changed, then the entry's reason. A rule
    entry's (or finding entry's) passing cases count as fixed only when none of that
    rule's cases still fails: the entry is stale only then.
    """
    still_failing = {r.rule for r in run.results if r.outcome in FAILING and r.rule}
    for result in run.results:
        result.baseline, result.baseline_reason = mark(baseline, result, still_failing)


def mark(baseline: Baseline, result: CaseResult, still_failing: set[str] | None) -> Mark:
    """One case's baseline mark and reason. `still_failing` names the rules with a failing
    case in the run; None (not known yet) lets only a case's own entry make it fixed."""
    if result.outcome in FAILING:
        match = baseline.match(result)
        if match is None:
            return "new", None
        if match.change is None:
            return "known", match.reason
        return "changed", f"{match.change} (listed because: {match.reason})"
    if result.outcome != "passed":
        return None, None
    entry = baseline.entry_for("case", result.id)
    if entry is None and result.rule is not None and still_failing is not None:
        entry = None if result.rule in still_failing else baseline.covers_rule(result.rule)
    return ("fixed", entry.reason) if entry is not None else (None, None)


def changed_cases(run: RunResult) -> list[CaseResult]:
    """The cases a baseline covers that now fail differently (run order).

    Each one's `baseline_reason` reads "baseline expects failed for F; now error for G
    (listed because: <the entry's reason>)".
    """
    return [r for r in run.results if r.baseline == "changed"]


def one_or_list(findings: Sequence[str]) -> str | list[str]:
    """One finding as a string, several as a list (as baseline files write them)."""
    return findings[0] if len(findings) == 1 else list(findings)
