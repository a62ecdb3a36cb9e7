"""What a run produces: exchanges with the endpoint, graded checks, case results, the run.

These dataclasses are the single stream every report format consumes; `report.json` is
their `to_dict()` form (see `RunResult.to_dict`), versioned by `SCHEMA_VERSION`.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from conformance.scopes import DEFAULT

SCHEMA_VERSION = 1

Outcome = Literal["passed", "failed", "error", "skipped"]
OUTCOMES: tuple[Outcome, ...] = ("failed", "error", "passed", "skipped")
RejectedBy = Literal["client", "server"]
Strength = Literal["must", "should"]


@dataclass
class Exchange:
    """One request to the endpoint and what came back (secrets never stored here)."""

    operation: str
    request: dict[str, Any]
    http_status: int | None = None
    error_code: str | None = None
    error_message: str | None = None
    body: str | None = None
    rejected_by: RejectedBy | None = None
    transport_error: str | None = None
    duration_s: float = 0.0
    retries: int = 0
    # transient server errors (HTTP 500/502/503/504) answered before this, each retried
    server_errors: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        """True when the endpoint answered 2xx."""
        return self.http_status is not None and 200 <= self.http_status < 300


@dataclass
class Check:
    """One named point graded in a case, e.g. `http-status-400`."""

    name: str
    passed: bool
    detail: str = ""
    operation: str | None = None  # whose answer (or refusal) it judged


RESPONSE_SCHEMA = "response-schema"
SERVER_ERROR_RETRIED = "server-error-retried"


@dataclass
class Observation:
    """A deviation a case saw in passing, judged by its own rule: a response-schema
    violation (`check` RESPONSE_SCHEMA), or transient server errors a retry cured
    (SERVER_ERROR_RETRIED).

    `rule` is the rule it breaks (a response rule, `<Operation>.response.structure`, or
    `<Operation>.behaviour.transient-server-error`), `path` the concrete JSON path (the
    statuses retried), `where` the same path with list indexes as `[*]`.
    """

    operation: str
    rule: str
    path: str
    where: str
    message: str
    case: str = ""
    body: str = ""
    check: str = RESPONSE_SCHEMA


@dataclass
class CaseResult:
    """The outcome of one case, with the evidence a maintainer needs to act on it."""

    id: str
    outcome: Outcome
    rule: str | None = None
    operation: str | None = None
    message: str = ""
    duration_s: float = 0.0
    call_s: float = 0.0
    checks: list[Check] = field(default_factory=list)
    exchanges: list[Exchange] = field(default_factory=list)
    schema_path: str | None = None
    example: str | None = None
    baseline: Literal["new", "known", "changed", "fixed"] | None = None
    baseline_reason: str | None = None
    strength: Strength = "must"
    retries: int = 0
    notes: list[str] = field(default_factory=list)
    observed: list[Observation] = field(default_factory=list)
    seen_by: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)  # operations it read an accepted answer of
    # the rule a failure was judged by, when not the case's own: a generated request that
    # broke one limit fails as that limit's rule (its strength, its finding)
    judged_by: str | None = None

    @property
    def warning(self) -> bool:
        """A failure of a `should` rule: reported, but it fails a run only with --strict."""
        return self.outcome == "failed" and self.strength == "should"

    def blocks(self, strict: bool) -> bool:
        """Does this result fail the run? Errors always do; `should` failures only if strict."""
        if self.outcome == "error":
            return True
        return self.outcome == "failed" and (strict or self.strength != "should")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CaseResult:
        """Inverse of `to_dict`."""
        data = dict(data)
        data["checks"] = [Check(**c) for c in data.get("checks", [])]
        data["exchanges"] = [Exchange(**e) for e in data.get("exchanges", [])]
        data["observed"] = [Observation(**o) for o in data.get("observed", [])]
        return cls(**data)


@dataclass
class Finding:
    """One distinct deviation: a rule, what broke, the cases that show it (see findings.py)."""

    id: str
    rule: str
    strength: Strength
    operation: str | None
    what: str
    outcome: Outcome
    message: str
    cases: list[str] = field(default_factory=list)


@dataclass
class TargetInfo:
    """Which endpoint a run talked to; `version` is the emulator's (None: unknown, or AWS)."""

    name: str
    endpoint: str | None
    region: str
    version: str | None = None


@dataclass
class RuleInfo:
    """A rule as the reports show it: where it comes from, what it says, how firm it is.

    `strength` is `must` or `should`; `evidence` lists `{kind, quote, where}` items (kind
    `seed`, `doc`, `observed` or `contradicts`); `note` says why evidence conflicts. The
    defaults let a report.json written before these fields existed load.
    """

    id: str
    operation: str
    summary: str
    provenance: str
    source: str
    strength: str = "must"
    evidence: list[dict[str, str]] = field(default_factory=list)
    note: str | None = None


@dataclass
class RunResult:
    """Everything one run produced."""

    target: TargetInfo
    sdk: dict[str, str]
    started_at: str
    duration_s: float
    results: list[CaseResult]
    rules: dict[str, RuleInfo] = field(default_factory=dict)
    seed: int | None = None
    fatal: str | None = None
    cleanup: list[str] = field(default_factory=list)
    strict: bool = False
    strict_baseline: bool = False
    workers: int = 1
    findings: list[Finding] = field(default_factory=list)
    interrupted: str | None = None
    scope: str = DEFAULT.name  # the name of the scope whose rules judged (conformance.scopes)
    baseline: str | None = None  # the baseline file the gate applied, if any
    notes: list[str] = field(default_factory=list)  # what the target's start noticed
    lifecycle: str | None = None  # does the endpoint run jobs? (conformance.lifecycle)
    schema_version: int = SCHEMA_VERSION

    @property
    def summary(self) -> dict[str, int]:
        """Counts per outcome, every outcome present."""
        counts: dict[str, int] = dict.fromkeys(OUTCOMES, 0)
        for result in self.results:
            counts[result.outcome] += 1
        counts["total"] = len(self.results)
        counts["warnings"] = sum(1 for r in self.results if r.warning)
        counts["retries"] = sum(r.retries for r in self.results)
        counts["findings"] = len(self.findings)
        return counts

    def to_dict(self) -> dict[str, Any]:
        """The documented `report.json` form."""
        return {
            "schema_version": self.schema_version,
            "target": asdict(self.target),
            "sdk": dict(self.sdk),
            "seed": self.seed,
            "scope": self.scope,
            "started_at": self.started_at,
            "duration_s": round(self.duration_s, 3),
            "fatal": self.fatal,
            "cleanup": list(self.cleanup),
            "strict": self.strict,
            "strict_baseline": self.strict_baseline,
            "workers": self.workers,
            "interrupted": self.interrupted,
            "baseline": self.baseline,
            "notes": list(self.notes),
            "lifecycle": self.lifecycle,
            "summary": self.summary,
            "findings": [asdict(f) for f in self.findings],
            "rules": {rid: asdict(info) for rid, info in sorted(self.rules.items())},
            "results": [r.to_dict() for r in self.results],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunResult:
        """Read back a `report.json` document (raises KeyError/TypeError if malformed)."""
        return cls(
            target=TargetInfo(**data["target"]),
            sdk=dict(data["sdk"]),
            started_at=data["started_at"],
            duration_s=float(data["duration_s"]),
            results=[CaseResult.from_dict(r) for r in data["results"]],
            rules={k: RuleInfo(**v) for k, v in data.get("rules", {}).items()},
            seed=data.get("seed"),
            fatal=data.get("fatal"),
            cleanup=list(data.get("cleanup", [])),
            strict=bool(data.get("strict", False)),
            strict_baseline=bool(data.get("strict_baseline", False)),
            workers=int(data.get("workers", 1)),
            findings=[Finding(**f) for f in data.get("findings", [])],
            interrupted=data.get("interrupted"),
            scope=str(data.get("scope", DEFAULT.name)),
            baseline=data.get("baseline"),
            notes=[str(note) for note in data.get("notes", [])],
            lifecycle=data.get("lifecycle"),
            schema_version=int(data["schema_version"]),
        )


class ReportError(Exception):
    """A `report.json` that cannot be read; str() is one line naming the file."""


EXPECTED = "expected the report.json a run writes into its report folder"
_REPORT_KEYS = {"target": dict, "sdk": dict, "started_at": str, "results": list}
_PARTS = {"findings": list, "rules": dict}
_JSON_NAMES = {dict: "an object", list: "an array", str: "a string"}


def load_report(path: Path) -> RunResult:
    """Read one `report.json` (raises ReportError: one line naming the file and what it is)."""
    where = f"report {path}"
    if path.is_dir():
        inside = " (give the report.json inside it)" if (path / "report.json").is_file() else ""
        raise ReportError(f"{where}: is a folder{inside}; {EXPECTED}")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ReportError(f"{where}: no such file; {EXPECTED}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportError(f"{where}: cannot read: {_one_line(exc)}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportError(f"{where}: {_not_json(text, exc)}; {EXPECTED}") from exc
    if problem := _not_a_report(data):
        raise ReportError(f"{where}: {problem}; {EXPECTED}")
    for key, kind in {**_REPORT_KEYS, **_PARTS}.items():
        if key in data and not isinstance(data[key], kind):
            raise ReportError(f"{where}: a damaged report.json: {key} is not {_JSON_NAMES[kind]}")
    try:
        run = RunResult.from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ReportError(f"{where}: a damaged report.json: {_damage(exc)}") from exc
    for result in run.results:
        if result.outcome not in OUTCOMES:
            raise ReportError(f"{where}: case {result.id!r}: unknown outcome {result.outcome!r}")
    return run


def _not_json(text: str, exc: json.JSONDecodeError) -> str:
    """What a file that is not JSON looks like: empty, an HTML page, XML, or garbage."""
    head = text.lstrip()[:200].lower()
    if not head:
        return "is empty"
    if head.startswith("<!doctype html") or head.startswith("<html"):
        return "is an HTML page (a report.html?), not JSON"
    if head.startswith("<"):
        return "is XML (a junit.xml?), not JSON"
    if head.startswith("#"):
        return "is Markdown (a report.md?), not JSON"
    return f"is not JSON (line {exc.lineno}: {exc.msg})"


def _not_a_report(data: Any) -> str | None:
    """Why a JSON document is not a report.json (a baseline, a list, keys missing), or None."""
    if not isinstance(data, dict):
        return f"is JSON, but a {type(data).__name__}, not a report.json"
    if "entries" in data and "results" not in data:
        return "is a baseline file (known deviations), not a report.json"
    missing = [key for key in (*_REPORT_KEYS, "schema_version") if key not in data]
    if missing:
        return f"is JSON, but not a report.json (no {', '.join(missing)})"
    return None


def _damage(exc: BaseException) -> str:
    """The reader's complaint in the file's terms (`unknown field 'x'`), not Python's."""
    text = _one_line(exc)
    if unknown := re.search(r"unexpected keyword argument '(\w+)'", text):
        return f"unknown field {unknown.group(1)!r} (written by a newer version?)"
    if missing := re.search(r"missing \d+ required positional arguments?: (.+)$", text):
        return f"missing field(s) {missing.group(1)}"
    if isinstance(exc, KeyError):
        return f"missing field {text}"
    return f"a field of the wrong kind ({text})"


def _one_line(exc: BaseException) -> str:
    return " ".join((str(exc) or type(exc).__name__).split())
