"""Baselines: known deviations with reasons, so the gate fails only on what got worse.

A baseline file (JSON, or TOML by extension) lists entries that each name a case or a
rule (covering all its cases), the expected outcome and a reason:

    {"version": 1, "target": "moto", "entries": [
        {"case": "SubmitJob.timeout.minimum[59]", "expected": "failed", "reason": "<link>"},
        {"rule": "SubmitJob.timeout.minimum", "expected": "failed", "reason": "<link>"}]}

`load_baseline` reads one, `Baseline.check_ids` checks it against the run's ids,
`apply_baseline` marks each case new/known/fixed, `gate` decides the exit status.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TextIO, cast

from conformance.results import CaseResult, ReportError, RunResult, load_report

Expected = Literal["failed", "error"]
EXPECTED: tuple[Expected, ...] = ("failed", "error")
TODO_REASON = "TODO: explain this deviation"
_FAILING = ("failed", "error")
_TOP_KEYS = {"version", "target", "entries"}
_ENTRY_KEYS = {"case", "rule", "expected", "reason"}


class BaselineError(Exception):
    """A broken baseline; str() is one line naming the file and, if any, the entry."""


@dataclass(frozen=True)
class Entry:
    """One known deviation: a case or a whole rule, its expected outcome and why."""

    index: int
    expected: Expected
    reason: str
    case: str | None = None
    rule: str | None = None

    @property
    def label(self) -> str:
        """`entry 3 (case 'x')`, as error messages name it."""
        kind, ident = ("case", self.case) if self.case is not None else ("rule", self.rule)
        return f"entry {self.index} ({kind} {ident!r})"

    def to_dict(self) -> dict[str, str]:
        """The entry as written in a JSON baseline."""
        key = {"case": self.case} if self.case is not None else {"rule": cast(str, self.rule)}
        return {**key, "expected": self.expected, "reason": self.reason}


@dataclass(frozen=True)
class Baseline:
    """A parsed baseline file."""

    path: Path
    entries: tuple[Entry, ...]
    target: str | None = None

    def error(self, message: str, entry: Entry | None = None) -> BaselineError:
        """A BaselineError naming this file (and the entry)."""
        return _error(self.path, message, entry.label if entry else None)

    def check_ids(self, case_ids: set[str], rule_ids: set[str]) -> None:
        """Raise BaselineError for an entry whose id names no case / no rule of the run."""
        for entry in self.entries:
            if entry.case is not None and entry.case not in case_ids:
                raise self.error("names no case of this run", entry)
            if entry.rule is not None and entry.rule not in rule_ids:
                raise self.error("names no rule of this run", entry)

    def covering(self, result: CaseResult) -> Entry | None:
        """The entry for this case: its own case entry first, else its rule's entry."""
        for entry in self.entries:
            if entry.case == result.id:
                return entry
        if result.rule is None:
            return None
        return next((e for e in self.entries if e.rule == result.rule), None)


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
    raw = data.get("entries", [])
    if not isinstance(raw, list):
        raise _error(path, "entries must be a list")
    entries = tuple(_parse_entry(path, i, item) for i, item in enumerate(raw, start=1))
    _check_duplicates(path, entries)
    return Baseline(path=path, entries=entries, target=target)


def _parse_entry(path: Path, index: int, item: Any) -> Entry:
    where = f"entry {index}"
    if not isinstance(item, dict):
        raise _error(path, "must be a table with case or rule, expected, reason", where)
    ident = item.get("case", item.get("rule"))
    if isinstance(ident, str):
        where += f" ({'case' if 'case' in item else 'rule'} {ident!r})"
    if unknown := set(item) - _ENTRY_KEYS:
        raise _error(path, f"unknown key {_keys(unknown)}", where)
    if ("case" in item) == ("rule" in item):
        raise _error(path, "needs exactly one of 'case' or 'rule'", where)
    if not isinstance(ident, str) or not ident:
        raise _error(path, "case/rule must be a non-empty string", where)
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
    )


def _check_duplicates(path: Path, entries: tuple[Entry, ...]) -> None:
    seen: dict[tuple[str, str | None], Entry] = {}
    for entry in entries:
        key = ("case", entry.case) if entry.case is not None else ("rule", entry.rule)
        if key in seen:
            raise _error(path, f"repeats entry {seen[key].index}", entry.label)
        seen[key] = entry


def apply_baseline(run: RunResult, baseline: Baseline) -> None:
    """Mark every case: new/known (failed or errored), fixed (covered, now passed), or None.

    A rule entry's passing cases count as fixed only when none of that rule's cases still
    fails: the entry is stale only then.
    """
    still_failing = {r.rule for r in run.results if r.outcome in _FAILING and r.rule}
    for result in run.results:
        entry = baseline.covering(result)
        result.baseline, result.baseline_reason = None, None
        if result.outcome in _FAILING:
            result.baseline = "known" if entry else "new"
            result.baseline_reason = entry.reason if entry else None
        elif result.outcome == "passed" and entry is not None:
            if entry.case is None and entry.rule in still_failing:
                continue
            result.baseline, result.baseline_reason = "fixed", entry.reason


def summarize_baseline(run: RunResult) -> dict[str, list[CaseResult]]:
    """The cases grouped as new / known / fixed (keys always present, run order kept)."""
    groups: dict[str, list[CaseResult]] = {"new": [], "known": [], "fixed": []}
    for result in run.results:
        if result.baseline is not None:
            groups[result.baseline].append(result)
    return groups


def summary_lines(run: RunResult) -> list[str]:
    """One line per new failure, known deviation (with reason) and fixed case."""
    groups = summarize_baseline(run)
    lines = [f"new failure: {r.id} ({r.outcome})" for r in groups["new"]]
    lines += [f"known: {r.id} ({r.outcome}): {r.baseline_reason}" for r in groups["known"]]
    lines += [f"fixed: {r.id}: remove it from the baseline" for r in groups["fixed"]]
    return lines


def gate(run: RunResult, strict_baseline: bool, strict: bool = False) -> int:
    """1 if a failure is not known (or, with `strict_baseline`, an entry is fixed), else 0.

    A failed or errored case with no baseline mark counts as new, so a run without a
    baseline fails on any failure. A failure of a `should` rule is a warning: it fails
    the gate only with `strict`.
    """
    for result in run.results:
        if result.baseline != "known" and result.blocks(strict):
            return 1
        if strict_baseline and result.baseline == "fixed":
            return 1
    return 0


def baseline_from_report(report: RunResult, existing: Baseline | None) -> str:
    """A JSON baseline covering every failed/errored case, keeping existing reasons.

    A case covered by an existing rule entry keeps that rule entry instead of its own.
    """
    entries: dict[tuple[str, str], dict[str, str]] = {}
    for result in report.results:
        if result.outcome not in _FAILING:
            continue
        entry = existing.covering(result) if existing else None
        if entry is not None and entry.rule is not None:
            entries[(entry.rule, "rule")] = entry.to_dict()
            continue
        reason = entry.reason if entry else TODO_REASON
        entries[(result.id, "case")] = {
            "case": result.id,
            "expected": result.outcome,
            "reason": reason,
        }
    target = existing.target if existing and existing.target else report.target.name
    doc = {"version": 1, "target": target, "entries": [entries[k] for k in sorted(entries)]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def baseline_main(report_path: Path, existing: Path | None, out: TextIO) -> int:
    """`batch-conformance baseline REPORT.json [--existing FILE]`: write to `out`."""
    try:
        report = load_report(report_path)
        old = load_baseline(existing) if existing is not None else None
    except (ReportError, BaselineError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    out.write(baseline_from_report(report, old))
    return 0
