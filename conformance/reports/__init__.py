"""Report writers: `write_reports(run, report_dir)` is the one public door.

It redacts the run once (`redact.redact_obj` over `run.to_dict()` and the gate's tally,
`conformance.gate`, as report.json's `gate`), renders every format
from that redacted copy (`json_report`, `markdown`, `html`, `junit`), and writes the files
together through `atomic`: if any writer raises, the previous reports stay intact.

When the environment variable `GITHUB_STEP_SUMMARY` names a file (GitHub Actions sets it
for each step), the run's report.md is appended to it, so the job's summary page shows it.
That file is a courtesy: if it cannot be written, one line on stderr says so and the run
goes on (its reports are written all the same).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

from conformance.gate import tally
from conformance.redact import redact_obj
from conformance.reports import atomic, html, json_report, junit, markdown
from conformance.results import RunResult

__all__ = ["REPORT_FILES", "STEP_SUMMARY_VARIABLE", "append_step_summary", "write_reports"]

REPORT_FILES = ("report.md", "report.html", "junit.xml", "report.json")
STEP_SUMMARY_VARIABLE = "GITHUB_STEP_SUMMARY"


def write_reports(
    run: RunResult, report_dir: Path, env: Mapping[str, str] | None = None
) -> list[Path]:
    """Write report.json, report.md, report.html and junit.xml into `report_dir`.

    Returns the paths written. report.json is moved into place last, so it is the
    newest file only when all four were written. Then report.md is appended to the file
    `GITHUB_STEP_SUMMARY` names in `env` (default: os.environ), if it names one.
    """
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    doc = redact_obj({**run.to_dict(), "gate": tally(run).to_dict()})
    safe = RunResult.from_dict(doc)
    report_json = report_dir / "report.json"
    texts = {
        "report.md": markdown.render(safe, report_json),
        "report.html": html.render(safe, report_json),
        "junit.xml": junit.render(safe),
        "report.json": json_report.render(doc),
    }
    files = {report_dir / name: texts[name].encode("utf-8", "replace") for name in REPORT_FILES}
    written = atomic.write_all(files)
    append_step_summary(texts["report.md"], env)
    return written


def append_step_summary(text: str, env: Mapping[str, str] | None = None) -> Path | None:
    """Append `text` to the file `GITHUB_STEP_SUMMARY` names; the path, or None.

    Unset or empty: nothing happens. A file that cannot be written: one line on stderr.
    """
    name = (os.environ if env is None else env).get(STEP_SUMMARY_VARIABLE, "")
    if not name:
        return None
    path = Path(name)
    try:
        with path.open("a", encoding="utf-8", errors="replace") as handle:
            handle.write(text if text.endswith("\n") else text + "\n")
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        print(
            f"batch-conformance: cannot append the summary to {STEP_SUMMARY_VARIABLE}"
            f" ({path}): {reason}; the reports are written",
            file=sys.stderr,
        )
        return None
    return path
