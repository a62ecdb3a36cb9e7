"""The compatibility matrix: N `report.json` files side by side, rules and cases down.

`build_matrix` is pure; `matrix_render.render_markdown` and `render_html` turn its `Matrix`
into text; `compare_main` is the `batch-conformance compare` command.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from conformance.reports import questions, unimplemented
from conformance.reports.matrix_legend import ABSENT, NOT_IMPLEMENTED, NOT_TESTABLE, not_testable
from conformance.results import CaseResult, RunResult
from conformance.scopes import DEFAULT

UNKNOWN = "unknown"
NO_OPERATION = "(no operation)"
COUNT_ORDER = ("passed", "failed", "error", "skipped")
_SHORT = {"passed": "pass", "failed": "fail", "error": "error", "skipped": "skip"}


def one_line(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return " ".join(text.split())


@dataclass(frozen=True)
class Row:
    """One rule or case across the targets; `cells` follow `Matrix.labels`."""

    id: str
    cells: tuple[str, ...]
    operation: str = ""
    provenance: str = ""
    strength: str = ""

    @property
    def disagrees(self) -> bool:
        """True when the targets do not all give the same result."""
        return len({_agreement_key(c) for c in self.cells}) > 1


def _agreement_key(cell: str) -> str:
    """`pass 5/5` and `pass 4/4` agree (all passed); other cells compare as written."""
    return "pass" if cell.startswith("pass ") else cell


@dataclass(frozen=True)
class Column:
    """One run: its label, what it ran against (target, version, botocore), when, its counts.

    `findings` is None for a report written before findings existed.
    """

    label: str
    target: str
    version: str | None
    botocore: str
    scope: str
    started_at: str
    counts: dict[str, int]
    findings: int | None
    fatal: str | None
    operations: str | None = None  # current scope: how many it implements, how many cleanly

    @property
    def run_date(self) -> str:
        """`2026-11-24 07:47 UTC` (the report's own text if it is not ISO 8601)."""
        try:
            when = datetime.fromisoformat(self.started_at)
        except ValueError:
            return self.started_at
        if when.tzinfo is not None:
            when = when.astimezone(UTC)
        return when.strftime("%Y-%m-%d %H:%M UTC")


@dataclass(frozen=True)
class Matrix:
    """Targets across; operations, then rules, then cases down, disagreeing rows first."""

    columns: tuple[Column, ...]
    operations: tuple[Row, ...]
    rules: tuple[Row, ...]
    cases: tuple[Row, ...]
    answers: tuple[str, ...] = ()  # per target: will valid Batch code work here?
    questions: tuple[Row, ...] = ()  # per operation: valid calls, invalid input, per target
    lifecycle: tuple[str, ...] = ()  # per target: is the job lifecycle modelled?

    @property
    def labels(self) -> tuple[str, ...]:
        """The column labels, in report order."""
        return tuple(column.label for column in self.columns)

    @property
    def disagreeing(self) -> int:
        """How many rows (rules and cases) disagree."""
        return sum(row.disagrees for row in (*self.rules, *self.cases))


def default_label(run: RunResult) -> str:
    """`moto 5.2.5 (botocore 1.44.5)`; an endpoint without a version shows its URL."""
    target = run.target
    name = target.name
    if target.version:
        name += f" {target.version}"
    elif target.name == "endpoint" and target.endpoint:
        name += f" {target.endpoint}"
    scope = "" if run.scope == DEFAULT.name else f", scope {run.scope}"
    return f"{name} (botocore {run.sdk.get('botocore', '?')}{scope})"


def make_labels(runs: Sequence[RunResult], labels: Sequence[str] | None) -> tuple[str, ...]:
    """Given labels or `default_label`s, with `#n` added to equal ones."""
    base = list(labels) if labels else [default_label(run) for run in runs]
    seen: dict[str, int] = {}
    out = []
    for label in base:
        seen[label] = seen.get(label, 0) + 1
        out.append(f"{label} #{seen[label]}" if base.count(label) > 1 else label)
    return tuple(out)


def _tally(counts: dict[str, int], total: int, *, slash: bool) -> str:
    """`fail 1/4`, `fail 1 · error 1 /4`, `pass 4/4` (`slash`), or `pass 4 · fail 1`."""
    parts = [f"{_SHORT[o]} {counts[o]}" for o in ("failed", "error") if counts.get(o)]
    if not slash:
        shown = [f"{_SHORT[o]} {counts[o]}" for o in COUNT_ORDER if counts.get(o)]
        return " · ".join(shown) if shown else "no cases"
    if not parts:
        return f"pass {total}/{total}"
    return " · ".join(parts) + ("/" if len(parts) == 1 else " /") + str(total)


def _counts(cases: Sequence[CaseResult]) -> dict[str, int]:
    counts = dict.fromkeys(COUNT_ORDER, 0)
    for case in cases:
        counts[case.outcome] += 1
    return counts


def _rule_cell(cases: list[CaseResult]) -> str:
    if not cases:
        return ABSENT
    ran = [c for c in cases if c.outcome != "skipped"]
    if not ran:
        return NOT_TESTABLE if all(not_testable(c) for c in cases) else "skipped"
    return _tally(_counts(ran), len(ran), slash=True)


def _operation_cell(run: RunResult, operation: str) -> str:
    cases = [r for r in run.results if (r.operation or NO_OPERATION) == operation]
    if not cases:
        return ABSENT
    if operation in unimplemented.lacking_operations(run):
        return NOT_IMPLEMENTED
    text = _tally(_counts(cases), len(cases), slash=False)
    if _has_findings(run):
        found = sum((f.operation or NO_OPERATION) == operation for f in run.findings)
        text += f" · {found} finding" + ("" if found == 1 else "s")
    return text


def _has_findings(run: RunResult) -> bool:
    """Did the report record findings? (Reports written before findings existed did not.)"""
    return bool(run.findings) or not any(r.outcome in {"failed", "error"} for r in run.results)


def _ordered(rows: list[Row]) -> tuple[Row, ...]:
    return tuple(sorted(rows, key=lambda row: (not row.disagrees, row.id)))


def _column(run: RunResult, label: str) -> Column:
    return Column(
        label=label,
        target=run.target.name,
        version=run.target.version,
        botocore=run.sdk.get("botocore", "?"),
        scope=run.scope,
        started_at=run.started_at,
        counts=run.summary,
        findings=len(run.findings) if _has_findings(run) else None,
        fatal=run.fatal,
        operations=_coverage(run),
    )


def _coverage(run: RunResult) -> str | None:
    """`implements 24 of 48 operations, 9 of them without a finding` (a run with probes)."""
    probed = unimplemented.probed_operations(run)
    if not probed:
        return None
    found = {f.operation for f in run.findings}
    implemented = probed - unimplemented.lacking_operations(run)
    clean = implemented - found
    return (
        f"implements {len(implemented)} of {len(probed)} operations,"
        f" {len(clean)} of them without a finding"
    )


def build_matrix(runs: Sequence[RunResult], labels: Sequence[str] | None = None) -> Matrix:
    """Lay the runs side by side (pure: no I/O)."""
    if labels is not None and len(labels) != len(runs):
        raise ValueError(f"{len(labels)} labels for {len(runs)} reports")
    scopes = sorted({run.scope for run in runs})
    if len(scopes) > 1:
        raise ValueError(
            f"reports of different scopes ({', '.join(scopes)}): a matrix compares one scope"
        )
    by_case = [{r.id: r for r in run.results} for run in runs]
    by_rule: list[dict[str, list[CaseResult]]] = []
    for run in runs:
        grouped: dict[str, list[CaseResult]] = {rid: [] for rid in run.rules}
        for result in run.results:
            if result.rule:
                grouped.setdefault(result.rule, []).append(result)
        by_rule.append(grouped)

    operations = sorted({r.operation or NO_OPERATION for run in runs for r in run.results})
    op_rows = [Row(op, tuple(_operation_cell(run, op) for run in runs)) for op in operations]

    rules = []
    for rid in sorted(set().union(*by_rule)):
        info = next((run.rules[rid] for run in runs if rid in run.rules), None)
        cells = tuple(_rule_cell(grouped.get(rid, [])) for grouped in by_rule)
        rules.append(
            Row(
                rid,
                cells,
                operation=info.operation if info else "",
                provenance=info.provenance if info else "",
                strength=info.strength if info else "",
            )
        )

    cases = []
    for cid in sorted(set().union(*by_case)):
        cells = tuple(
            (NOT_TESTABLE if not_testable(c[cid]) else c[cid].outcome) if cid in c else ABSENT
            for c in by_case
        )
        cases.append(Row(cid, cells))

    names = make_labels(runs, labels)
    real_ops = [op for op in operations if op != NO_OPERATION]
    return Matrix(
        columns=tuple(_column(run, label) for run, label in zip(runs, names, strict=True)),
        operations=tuple(op_rows),
        rules=_ordered(rules),
        cases=_ordered(cases),
        answers=tuple(questions.target_line(run) for run in runs),
        questions=tuple(
            Row(
                op,
                tuple(
                    cell
                    for run in runs
                    for cell in (questions.valid_cell(run, op), questions.invalid_cell(run, op))
                ),
            )
            for op in real_ops
        ),
        lifecycle=tuple(questions.lifecycle_text(run) for run in runs),
    )
