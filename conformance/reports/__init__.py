"""Report writers: `write_reports(run, report_dir)` is the one public door.

It redacts the run once (`redact.redact_obj` over `run.to_dict()`), renders every format
from that redacted copy (`json_report`, `markdown`, `html`, `junit`), and writes the files
together through `atomic`: if any writer raises, the previous reports stay intact.
"""

from __future__ import annotations

from pathlib import Path

from conformance.reports import atomic, html, json_report, junit, markdown
from conformance.reports.redact import redact_obj
from conformance.results import RunResult

__all__ = ["REPORT_FILES", "write_reports"]

REPORT_FILES = ("report.md", "report.html", "junit.xml", "report.json")


def write_reports(run: RunResult, report_dir: Path) -> list[Path]:
    """Write report.json, report.md, report.html and junit.xml into `report_dir`.

    Returns the paths written. report.json is moved into place last, so it is the
    newest file only when all four were written.
    """
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    doc = redact_obj(run.to_dict())
    safe = RunResult.from_dict(doc)
    report_json = report_dir / "report.json"
    texts = {
        "report.md": markdown.render(safe, report_json),
        "report.html": html.render(safe, report_json),
        "junit.xml": junit.render(safe),
        "report.json": json_report.render(doc),
    }
    files = {report_dir / name: texts[name].encode("utf-8", "replace") for name in REPORT_FILES}
    return atomic.write_all(files)
