"""The compatibility matrix as text: Markdown and one self-contained HTML page.

Targets with their versions and run dates, a per-operation summary, a legend, then the
rules and the cases (`conformance.reports.compare` builds the `Matrix`).
"""

from __future__ import annotations

import html

from conformance.reports import questions
from conformance.reports.compare import COUNT_ORDER, UNKNOWN, Matrix, Row
from conformance.reports.html_style import MATRIX_CSS
from conformance.reports.html_text import escape as _e
from conformance.reports.html_text import ident
from conformance.reports.matrix_legend import (
    ABSENT,
    LIFECYCLE_ROW,
    NOT_IMPLEMENTED,
    NOT_TESTABLE,
    legend,
)

QUESTIONS = ("valid calls", "invalid input")


def _targets_table(matrix: Matrix) -> tuple[list[str], list[list[str]]]:
    head = ["column", "target", "version", "botocore", "scope", "run", *COUNT_ORDER, "findings"]
    rows = [
        [
            c.label,
            c.target,
            c.version or UNKNOWN,
            c.botocore,
            c.scope,
            c.run_date,
            *(str(c.counts[o]) for o in COUNT_ORDER),
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


def _terms(matrix: Matrix) -> set[str]:
    """Every cell the matrix shows (the legend says what the ones it shows mean); the job
    lifecycle row counts once a run decided it."""
    rows = (*matrix.operations, *matrix.rules, *matrix.cases)
    cells = {cell for row in rows for cell in row.cells}
    decided = any(text != questions.LIFECYCLE_UNKNOWN for text in matrix.lifecycle)
    return cells | ({LIFECYCLE_ROW} if decided else set())


def render_markdown(matrix: Matrix) -> str:
    """The matrix as GitHub Markdown; `≠` marks rows where the targets disagree."""
    lines = ["# Compatibility matrix", "", "## Targets", ""]
    lines += _md_table(*_targets_table(matrix))
    lines += [f"- fatal on {_md(c.label)}: {_md(c.fatal)}" for c in matrix.columns if c.fatal]
    lines += ["", _md(_summary_line(matrix)) + ".", ""]
    if coverage := _coverage_lines(matrix):
        lines += [*(f"- {_md(text)}" for text in coverage), ""]
    lines += _md_questions(matrix)
    lines += ["## Per operation: cases", ""]
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


def _short(label: str) -> str:
    """`moto 5.2.5` of `moto 5.2.5 (botocore 1.44.5, scope current)`."""
    return label.split(" (", 1)[0]


def _question_head(matrix: Matrix) -> list[str]:
    return [
        "operation",
        *(f"{_short(label)}: {q}" for label in matrix.labels for q in QUESTIONS),
    ]


def _md_questions(matrix: Matrix) -> list[str]:
    """Will valid Batch code work here? One line per target, then per operation."""
    if not matrix.answers:
        return []
    lines = ["## Will valid Batch code work here?", ""]
    lines += [
        f"- **{_md(c.label)}**: {_md(a)}"
        for c, a in zip(matrix.columns, matrix.answers, strict=True)
    ]
    lines += ["", "| job lifecycle | " + " | ".join(_md(t) for t in matrix.lifecycle) + " |"]
    lines += ["|---|" + "---|" * len(matrix.lifecycle), ""]
    lines += _md_table(_question_head(matrix), [[r.id, *r.cells] for r in matrix.questions])
    return [*lines, ""]


def _mark(row: Row) -> str:
    return "≠" if row.disagrees else ""


# ---- HTML ----------------------------------------------------------------------------


def _cell_class(cell: str) -> str:
    """The colour of a cell: its worst outcome (a failure, else an error), else its first word;
    a question's: a must finding (red), should findings only (amber), as AWS (green)."""
    if cell == ABSENT:
        return "absent"
    if cell.startswith(("deviates", "not refused")):
        return "must" if " must" in cell else "should"
    if cell in ("as AWS", "refused as AWS"):
        return "aws"
    if cell in (NOT_IMPLEMENTED, NOT_TESTABLE):
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
        # a row's own columns name it (rule, case, operation): identifiers, broken only
        # between their parts; the targets table's are labels and counts
        tds = "".join(
            f'<td class="id">{ident(text)}</td>' if row else f"<td>{_e(text)}</td>"
            for text in fixed
        )
        if row is not None:
            tds += "".join(f'<td class="{_e(_cell_class(c))}">{_e(c)}</td>' for c in row.cells)
        out.append(f"<tr{cls}>{tds}</tr>")
    out.append("</table>")
    return out


def _html_questions(matrix: Matrix) -> list[str]:
    if not matrix.answers:
        return []
    parts = ["<h2>Will valid Batch code work here?</h2>", '<ul class="answers">']
    parts += [
        f"<li><strong>{_e(c.label)}</strong>: {_e(a)}</li>"
        for c, a in zip(matrix.columns, matrix.answers, strict=True)
    ]
    parts.append("</ul>")
    lifecycle = "".join(
        f'<td colspan="{len(QUESTIONS)}" class="lifecycle">{_e(t)}</td>' for t in matrix.lifecycle
    )
    head = "".join(f"<th>{_e(h)}</th>" for h in _question_head(matrix))
    parts += ['<table class="ops questions">', f"<tr>{head}</tr>"]
    parts.append(f"<tr><td>job lifecycle</td>{lifecycle}</tr>")
    for row in matrix.questions:
        cells = "".join(f'<td class="{_e(_cell_class(c))}">{_e(c)}</td>' for c in row.cells)
        parts.append(f'<tr><td class="id">{ident(row.id)}</td>{cells}</tr>')
    parts.append("</table>")
    return parts


def render_html(matrix: Matrix) -> str:
    """The matrix as one self-contained HTML page (inline CSS, every text escaped)."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>Compatibility matrix</title>',
        f"<style>{MATRIX_CSS}</style></head><body>",
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
    parts += _html_questions(matrix)
    parts.append("<h2>Per operation: cases</h2>")
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
