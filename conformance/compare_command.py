"""`batch-conformance compare REPORT.json ... --out-dir DIR`: the compatibility matrix, written."""

from __future__ import annotations

import sys
from pathlib import Path

from conformance.reports.atomic import write_all
from conformance.reports.compare import build_matrix, one_line
from conformance.reports.matrix_render import render_html, render_markdown
from conformance.results import ReportError, load_report


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
        print(f"compare: cannot write to {out_dir}: {one_line(exc)}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0
