"""The compatibility matrix: N `report.json` files side by side, rules and cases down.

`build_matrix` is pure; `render_markdown` and `render_html` turn its `Matrix` into text
(targets with their versions and run dates, a per-operation summary, a legend, then the
rules and the cases); `compare_main` is the `batch-conformance compare` command.
"""

from __future__ import annotations

import html
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from conformance.reports import evidence as ev
from conformance.reports.atomic import write_all
from conformance.reports.matrix_legend import (
    ABSENT,
    LEGEND,
    LIFECYCLE_ROW,
    NOT_IMPLEMENTED,
    NOT_TESTABLE,
    legend,
    lifecycle_cell,
    not_testable,
)
from conformance.results import CaseResult, ReportError, RunResult, load_report
from conformance.scopes import DEFAULT

__all__ = ["ABSENT", "LEGEND", "NOT_IMPLEMENTED", "build_matrix", "compare_main"]
UNKNOWN = "unknown"
NO_OPERATION = "(no operation)"
_COUNT_ORDER = ("passed", "failed", "error", "skipped")
_SHORT = {"passed": "pass", "failed": "fail", "error": "error", "skipped": "skip"}


def _one_line(exc: BaseException) -> str:
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
        shown = [f"{_SHORT[o]} {counts[o]}" for o in _COUNT_ORDER if counts.get(o)]
        return " · ".join(shown) if shown else "no cases"
    if not parts:
        return f"pass {total}/{total}"
    return " · ".join(parts) + ("/" if len(parts) == 1 else " /") + str(total)


def _counts(cases: Sequence[CaseResult]) -> dict[str, int]:
    counts = dict.fromkeys(_COUNT_ORDER, 0)
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
    if operation in ev.lacking_operations(run):
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
    probed = ev.probed_operations(run)
    if not probed:
        return None
    found = {f.operation for f in run.findings}
    implemented = probed - ev.lacking_operations(run)
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
    if any(run.lifecycle for run in runs):  # a row of its own: does each target run jobs?
        op_rows.append(Row(LIFECYCLE_ROW, tuple(lifecycle_cell(run) for run in runs)))

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
    return Matrix(
        columns=tuple(_column(run, label) for run, label in zip(runs, names, strict=True)),
        operations=tuple(op_rows),
        rules=_ordered(rules),
        cases=_ordered(cases),
    )


def _targets_table(matrix: Matrix) -> tuple[list[str], list[list[str]]]:
    head = ["column", "target", "version", "botocore", "scope", "run", *_COUNT_ORDER, "findings"]
    rows = [
        [
            c.label,
            c.target,
            c.version or UNKNOWN,
            c.botocore,
            c.scope,
            c.run_date,
            *(str(c.counts[o]) for o in _COUNT_ORDER),
            ABSENT if c.findings is None else str(c.findings),
        ]
        for c in matrix.columns
    ]
    return head, rows


def _coverage_lines(matrix: Matrix) -> list[str]:
    """`moto 5.2.5 (...): implements 24 of 48 operations, 9 of them without a finding`."""
    return [f"{c.label}: {c.operations}" for c in matrix.columns if c.operations]


def _summary_line(matrix: Matrix) -> str:
    total = len(matrix.rules) + len(matrix.cases)
    return f"{matrix.disagreeing} of {total} rows (rules and cases) disagree between the targets"


# ---- Markdown ------------------------------------------------------------------------


def _md(text: str) -> str:
    """A Markdown table cell or list item: one line, HTML escaped, pipes escaped."""
    text = html.escape(" ".join(text.split()), quote=False)
    return text.replace("\\", "\\\\").replace("|", "\\|")


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(_md(h) for h in head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return lines


def render_markdown(matrix: Matrix) -> str:
    """The matrix as GitHub Markdown; `≠` marks rows where the targets disagree."""
    lines = ["# Compatibility matrix", "", "## Targets", ""]
    lines += _md_table(*_targets_table(matrix))
    lines += [f"- fatal on {_md(c.label)}: {_md(c.fatal)}" for c in matrix.columns if c.fatal]
    lines += ["", _md(_summary_line(matrix)) + ".", ""]
    if coverage := _coverage_lines(matrix):
        lines += [*(f"- {_md(text)}" for text in coverage), ""]
    lines += ["## Per operation", ""]
    lines += _md_table(["operation", *matrix.labels], [[r.id, *r.cells] for r in matrix.operations])
    lines += ["", "## Legend", ""]
    lines += [f"- `{term}`: {_md(meaning)}" for term, meaning in legend(_terms(matrix))]
    lines += ["", "## Rules", ""]
    lines += _md_table(
        ["", "rule", "operation", "strength", "provenance", *matrix.labels],
        [[_mark(r), r.id, r.operation, r.strength, r.provenance, *r.cells] for r in matrix.rules],
    )
    lines += ["", "## Cases", ""]
    lines += _md_table(
        ["", "case", *matrix.labels],
        [[_mark(r), r.id, *r.cells] for r in matrix.cases],
    )
    return "\n".join(lines) + "\n"


def _terms(matrix: Matrix) -> set[str]:
    """Every row id and cell of the matrix (the legend says what the ones it shows mean)."""
    rows = (*matrix.operations, *matrix.rules, *matrix.cases)
    return {row.id for row in rows} | {cell for row in rows for cell in row.cells}


def _mark(row: Row) -> str:
    return "≠" if row.disagrees else ""


# ---- HTML ----------------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; max-width: 1400px; }
table { border-collapse: collapse; margin-bottom: 2em; }
th, td { border: 1px solid #ccc; padding: 2px 8px; text-align: left; font-size: 90%; }
th { background: #f0f0f0; }
tr.disagree td:first-child { border-left: 4px solid #d33; }
td.pass, td.passed { background: #e6f4e6; }
td.fail, td.failed { background: #fbe3e3; }
td.error { background: #fdf0d5; }
td.skip, td.skipped, td.absent { color: #888; }
td.not-implemented { background: #e8e8e8; color: #555; font-style: italic; }
td { overflow-wrap: anywhere; }
table.ops td:first-child { overflow-wrap: normal; white-space: nowrap; }
dl.legend { display: grid; grid-template-columns: max-content auto; gap: 2px 1em; }
dl.legend dt { font-family: monospace; }
dl.legend dd { margin: 0; }
"""


def _e(text: object) -> str:
    """Every text that reaches the HTML page passes through here."""
    return html.escape(str(text), quote=True)


def _cell_class(cell: str) -> str:
    """The colour of a cell: its worst outcome (a failure, else an error), else its first word."""
    if cell == ABSENT:
        return "absent"
    if cell in (NOT_IMPLEMENTED, NOT_TESTABLE) or cell.startswith("not "):
        return "not-implemented"
    words = cell.split()
    for worst in ("fail", "failed", "error"):
        if worst in words:
            return worst
    return words[0]


def _html_table(
    head: list[str], rows: list[tuple[Row | None, list[str]]], css: str = ""
) -> list[str]:
    out = [
        f'<table class="{css}">' if css else "<table>",
        "<tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr>",
    ]
    for row, fixed in rows:
        cls = ' class="disagree"' if row is not None and row.disagrees else ""
        tds = "".join(f"<td>{_e(text)}</td>" for text in fixed)
        if row is not None:
            tds += "".join(f'<td class="{_e(_cell_class(c))}">{_e(c)}</td>' for c in row.cells)
        out.append(f"<tr{cls}>{tds}</tr>")
    out.append("</table>")
    return out


def render_html(matrix: Matrix) -> str:
    """The matrix as one self-contained HTML page (inline CSS, every text escaped)."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>Compatibility matrix</title>',
        f"<style>{_CSS}</style></head><body>",
        "<h1>Compatibility matrix</h1>",
        "<h2>Targets</h2>",
    ]
    head, rows = _targets_table(matrix)
    parts += _html_table(head, [(None, row) for row in rows])
    fatal = [f"<li>fatal on {_e(c.label)}: {_e(c.fatal)}</li>" for c in matrix.columns if c.fatal]
    if fatal:
        parts.append("<ul>" + "".join(fatal) + "</ul>")
    parts.append(f"<p>{_e(_summary_line(matrix))}.</p>")
    if coverage := _coverage_lines(matrix):
        parts.append("<ul>" + "".join(f"<li>{_e(text)}</li>" for text in coverage) + "</ul>")
    parts.append("<h2>Per operation</h2>")
    parts += _html_table(
        ["operation", *matrix.labels], [(r, [r.id]) for r in matrix.operations], css="ops"
    )
    parts.append("<h2>Legend</h2>")
    parts.append(
        '<dl class="legend">'
        + "".join(
            f"<dt>{_e(term)}</dt><dd>{_e(meaning)}</dd>" for term, meaning in legend(_terms(matrix))
        )
        + "</dl>"
    )
    parts.append("<h2>Rules</h2>")
    parts += _html_table(
        ["rule", "operation", "strength", "provenance", *matrix.labels],
        [(r, [r.id, r.operation, r.strength, r.provenance]) for r in matrix.rules],
    )
    parts.append("<h2>Cases</h2>")
    parts += _html_table(["case", *matrix.labels], [(r, [r.id]) for r in matrix.cases])
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# ---- the command ---------------------------------------------------------------------


def compare_main(report_paths: list[Path], out_dir: Path, labels: list[str] | None) -> int:
    """`batch-conformance compare`: write matrix.md and matrix.html, print their paths."""
    if not report_paths:
        print("compare: give at least one report.json", file=sys.stderr)
        return 2
    if labels is not None and len(labels) != len(report_paths):
        print(f"compare: {len(labels)} labels for {len(report_paths)} reports", file=sys.stderr)
        return 2
    try:
        runs = [load_report(path) for path in report_paths]
    except ReportError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    try:
        matrix = build_matrix(runs, labels)
    except ValueError as exc:
        print(f"compare: {exc}", file=sys.stderr)
        return 2
    files = {
        out_dir / "matrix.md": render_markdown(matrix).encode("utf-8"),
        out_dir / "matrix.html": render_html(matrix).encode("utf-8"),
    }
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        written = write_all(files)
    except OSError as exc:
        print(f"compare: cannot write to {out_dir}: {_one_line(exc)}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0
