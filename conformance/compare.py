"""The compatibility matrix: N `report.json` files side by side, rules and cases down.

`build_matrix` is pure; `render_markdown` and `render_html` turn its `Matrix` into text;
`compare_main` is the `batch-conformance compare` command.
"""

from __future__ import annotations

import html
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from conformance.results import CaseResult, ReportError, RunResult, load_report

ABSENT = "—"


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

    @property
    def disagrees(self) -> bool:
        """True when the targets do not all give the same result."""
        return len({_agreement_key(c) for c in self.cells}) > 1


def _agreement_key(cell: str) -> str:
    """`pass 5/5` and `pass 4/4` agree (all passed); other cells compare as written."""
    return "pass" if cell.startswith("pass ") else cell


@dataclass(frozen=True)
class Matrix:
    """Targets across, rules then cases down, disagreeing rows first in each section."""

    labels: tuple[str, ...]
    counts: tuple[dict[str, int], ...]
    fatal: tuple[str | None, ...]
    rules: tuple[Row, ...]
    cases: tuple[Row, ...]

    @property
    def disagreeing(self) -> int:
        """How many rows (rules and cases) disagree."""
        return sum(row.disagrees for row in (*self.rules, *self.cases))

    @property
    def header(self) -> list[str]:
        """One line per target with its counts, then the number of disagreeing rows."""
        lines = []
        for label, counts, fatal in zip(self.labels, self.counts, self.fatal, strict=True):
            line = f"{label}: " + ", ".join(f"{counts[o]} {o}" for o in _COUNT_ORDER)
            lines.append(line + (f" (fatal: {fatal})" if fatal else ""))
        total = len(self.rules) + len(self.cases)
        lines.append(f"{self.disagreeing} of {total} rows disagree")
        return lines


_COUNT_ORDER = ("passed", "failed", "error", "skipped")


def make_labels(runs: Sequence[RunResult], labels: Sequence[str] | None) -> tuple[str, ...]:
    """Given labels or `<target> (botocore <version>)`, with `#n` added to equal ones."""
    base = (
        list(labels)
        if labels
        else [f"{run.target.name} (botocore {run.sdk.get('botocore', '?')})" for run in runs]
    )
    seen: dict[str, int] = {}
    out = []
    for label in base:
        seen[label] = seen.get(label, 0) + 1
        out.append(f"{label} #{seen[label]}" if base.count(label) > 1 else label)
    return tuple(out)


def _rule_cell(cases: list[CaseResult]) -> str:
    ran = [c for c in cases if c.outcome != "skipped"]
    if not cases:
        return ABSENT
    if not ran:
        return "skipped"
    failed = sum(c.outcome == "failed" for c in ran)
    if failed:
        return f"fail {failed}/{len(ran)}"
    if any(c.outcome == "error" for c in ran):
        return "error"
    return f"pass {len(ran)}/{len(ran)}"


def _ordered(rows: list[Row]) -> tuple[Row, ...]:
    return tuple(sorted(rows, key=lambda row: (not row.disagrees, row.id)))


def build_matrix(runs: Sequence[RunResult], labels: Sequence[str] | None = None) -> Matrix:
    """Lay the runs side by side (pure: no I/O)."""
    if labels is not None and len(labels) != len(runs):
        raise ValueError(f"{len(labels)} labels for {len(runs)} reports")
    by_case = [{r.id: r for r in run.results} for run in runs]
    by_rule: list[dict[str, list[CaseResult]]] = []
    for run in runs:
        grouped: dict[str, list[CaseResult]] = {rid: [] for rid in run.rules}
        for result in run.results:
            if result.rule:
                grouped.setdefault(result.rule, []).append(result)
        by_rule.append(grouped)

    rules = []
    for rid in sorted(set().union(*by_rule)):
        info = next((run.rules[rid] for run in runs if rid in run.rules), None)
        cells = tuple(_rule_cell(grouped.get(rid, [])) for grouped in by_rule)
        operation = info.operation if info else ""
        provenance = info.provenance if info else ""
        rules.append(Row(rid, cells, operation, provenance))

    cases = []
    for cid in sorted(set().union(*by_case)):
        cells = tuple(c[cid].outcome if cid in c else ABSENT for c in by_case)
        cases.append(Row(cid, cells))

    return Matrix(
        labels=make_labels(runs, labels),
        counts=tuple(run.summary for run in runs),
        fatal=tuple(run.fatal for run in runs),
        rules=_ordered(rules),
        cases=_ordered(cases),
    )


def _md(text: str) -> str:
    text = html.escape(" ".join(text.split()), quote=False)
    return text.replace("\\", "\\\\").replace("|", "\\|")


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(_md(h) for h in head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return lines


def render_markdown(matrix: Matrix) -> str:
    """The matrix as GitHub Markdown; `≠` marks rows where the targets disagree."""
    lines = ["# Compatibility matrix", ""]
    lines += [f"- {_md(line)}" for line in matrix.header]
    lines += ["", "## Rules", ""]
    lines += _md_table(
        ["", "rule", "operation", "provenance", *matrix.labels],
        [[_mark(r), r.id, r.operation, r.provenance, *r.cells] for r in matrix.rules],
    )
    lines += ["", "## Cases", ""]
    lines += _md_table(
        ["", "case", *matrix.labels],
        [[_mark(r), r.id, *r.cells] for r in matrix.cases],
    )
    return "\n".join(lines) + "\n"


def _mark(row: Row) -> str:
    return "≠" if row.disagrees else ""


_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin-bottom: 2em; }
th, td { border: 1px solid #ccc; padding: 2px 8px; text-align: left; font-size: 90%; }
th { background: #f0f0f0; }
tr.disagree td:first-child { border-left: 4px solid #d33; }
td.pass, td.passed { background: #e6f4e6; }
td.fail, td.failed { background: #fbe3e3; }
td.error { background: #fdf0d5; }
td.skipped, td.absent { color: #888; }
"""


def _cell_class(cell: str) -> str:
    if cell == ABSENT:
        return "absent"
    return cell.split(" ", 1)[0]


def _html_table(head: list[str], rows: list[tuple[Row, list[str]]]) -> list[str]:
    esc = html.escape
    out = ["<table>", "<tr>" + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr>"]
    for row, fixed in rows:
        cls = ' class="disagree"' if row.disagrees else ""
        tds = "".join(f"<td>{esc(text)}</td>" for text in fixed)
        tds += "".join(f'<td class="{esc(_cell_class(c))}">{esc(c)}</td>' for c in row.cells)
        out.append(f"<tr{cls}>{tds}</tr>")
    out.append("</table>")
    return out


def render_html(matrix: Matrix) -> str:
    """The matrix as one self-contained HTML page (inline CSS, every text escaped)."""
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>Compatibility matrix</title>',
        f"<style>{_CSS}</style></head><body>",
        "<h1>Compatibility matrix</h1>",
        "<ul>" + "".join(f"<li>{esc(line)}</li>" for line in matrix.header) + "</ul>",
        "<h2>Rules</h2>",
    ]
    parts += _html_table(
        ["rule", "operation", "provenance", *matrix.labels],
        [(r, [r.id, r.operation, r.provenance]) for r in matrix.rules],
    )
    parts.append("<h2>Cases</h2>")
    parts += _html_table(["case", *matrix.labels], [(r, [r.id]) for r in matrix.cases])
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to a temporary file beside `path`, then rename it into place."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
    matrix = build_matrix(runs, labels)
    written = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, text in (
            ("matrix.md", render_markdown(matrix)),
            ("matrix.html", render_html(matrix)),
        ):
            write_atomic(out_dir / name, text)
            written.append(out_dir / name)
    except OSError as exc:
        print(f"compare: cannot write to {out_dir}: {_one_line(exc)}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0
