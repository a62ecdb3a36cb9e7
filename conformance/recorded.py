"""Public recordings of real AWS Batch answers, `specs/recorded/<Operation>/<slug>.json`.

Real AWS is the judge: every response schema and response rule must accept what AWS has
been recorded answering. Each file holds one answer body as the service sent it, with its
provenance (where it was published, what call it was, whether and how it was edited by
hand); `specs/recorded/README.md` describes the format. A recording's id,
`<Operation>/<slug>`, is stable: rules may cite it as evidence.

`recordings()` reads them all and refuses, in one line naming the file, one without a
provenance `source`, `url` or `what`, without an `edited` entry (null when nothing was
edited), or of an operation outside the current scope.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conformance.scopes import CURRENT, SPECS_DIR

RECORDED_DIR: Path = SPECS_DIR / "recorded"
EVIDENCE_PREFIX = "specs/recorded/"  # how a rule's `observed` evidence names a recording
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
REQUIRED_PROVENANCE: tuple[str, ...] = ("source", "url", "what")
OPTIONAL_PROVENANCE: tuple[str, ...] = ("path", "commit", "recorded", "checked")


@dataclass(frozen=True)
class Recording:
    """One recorded answer of real AWS, with where it comes from."""

    operation: str
    slug: str
    source: str
    url: str
    what: str
    edited: str | None
    answer: dict[str, Any]
    file: Path
    path: str | None = None
    commit: str | None = None
    recorded: str | None = None
    checked: str | None = None

    @property
    def id(self) -> str:
        """`DescribeJobs/pcf-5`: the stable name rules cite."""
        return f"{self.operation}/{self.slug}"

    @property
    def latest_date(self) -> str | None:
        """The latest day it can have been recorded (`YYYY-MM-DD`: the first date `recorded`
        names, the day itself or "on or before" it), or None when unknown."""
        found = _DATE.search(self.recorded or "")
        return found.group(0) if found else None

    def predates(self, since: str | None) -> bool:
        """Was it surely recorded before `since` (a rule's era: AWS answers so since then)?"""
        return since is not None and self.latest_date is not None and self.latest_date < since


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _problem(data: Any, file: Path) -> str | None:
    """What makes `data` (the parsed `file`) no recording, or None."""
    if not isinstance(data, dict):
        return "not a JSON object"
    operation = data.get("operation")
    if operation not in CURRENT.operations:
        return f"operation {operation!r} is not an operation of the current scope"
    if file.parent.name != operation:
        return f"operation {operation!r} does not match its folder {file.parent.name!r}"
    provenance = data.get("provenance")
    if not isinstance(provenance, dict):
        return "no provenance object"
    for field in REQUIRED_PROVENANCE:
        if not _text(provenance.get(field)):
            return f"provenance needs a non-empty {field}"
    if "edited" not in provenance:
        return "provenance must say whether it was edited (edited: null or what was edited)"
    edited = provenance["edited"]
    if edited is not None and not _text(edited):
        return "provenance edited must be null or a non-empty string"
    for field in OPTIONAL_PROVENANCE:
        if provenance.get(field) is not None and not _text(provenance[field]):
            return f"provenance {field}, when given, must be a non-empty string"
    if not isinstance(data.get("answer"), dict):
        return "answer must be a JSON object (the response body)"
    return None


def load_recording(file: Path) -> Recording:
    """The recording in `file`; ValueError naming the file if it is not one."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{file}: not JSON ({error.msg}, line {error.lineno})") from None
    problem = _problem(data, file)
    if problem:
        raise ValueError(f"{file}: {problem}")
    provenance = data["provenance"]
    return Recording(
        operation=data["operation"],
        slug=file.stem,
        source=provenance["source"],
        url=provenance["url"],
        what=provenance["what"],
        edited=provenance["edited"],
        answer=data["answer"],
        file=file,
        **{field: provenance.get(field) for field in OPTIONAL_PROVENANCE},
    )


def recordings(directory: Path = RECORDED_DIR) -> list[Recording]:
    """Every recording under `directory`, sorted by id."""
    found = [load_recording(file) for file in sorted(directory.glob("*/*.json"))]
    return sorted(found, key=lambda recording: recording.id)
