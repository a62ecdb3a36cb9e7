"""What a report says of the run as a whole beside its findings, one labelled line each:
the operations the endpoint does not implement (current scope), and whether it runs jobs
as their command says (the job lifecycle, decided once per run)."""

from __future__ import annotations

from conformance.reports.unimplemented import not_implemented_text
from conformance.results import RunResult


def run_notes(run: RunResult) -> list[tuple[str, str]]:
    """(label, text) of each note the run has, in the order the reports show them."""
    notes: list[tuple[str, str]] = []
    if (lacking := not_implemented_text(run)) is not None:
        notes.append(("Not implemented", lacking))
    if run.lifecycle:
        notes.append(("Job lifecycle", run.lifecycle))
    return notes
