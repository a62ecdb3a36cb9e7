"""junit.xml: one testsuite `batch-conformance`, one testcase per case result.

A CI system shows red only what fails the run. A case that does not fail it although it
failed — a known deviation of the baseline (`baseline == "known"`) or a warning (a failed
`should` case, `CaseResult.warning`, without --strict) — is written as `<skipped>` with a
message saying which (`known deviation: …`, `warning (should rule): …`), its evidence in
`<system-out>`: visible, not red. With --strict-baseline a baseline entry that now
passes (`baseline == "fixed"`) fails the run, so it is a `<failure>`. Hence `failures` and
`errors` count only the cases that fail the run, `skipped` counts skipped cases and
those, and `tests` is report.json's total. The testsuite's properties carry report.json's
own counts (`summary.failed`, `summary.error`, ...) and its gate (`gate.verdict`, `gate.new`,
`gate.changed`, `gate.fixed`, `gate.known`, `gate.warnings`), so they agree visibly.

Built with ElementTree (which escapes); characters XML 1.0 forbids are stripped first.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from conformance.gate import standing, tally
from conformance.reports import evidence as ev
from conformance.results import CaseResult, RunResult

SUITE = "batch-conformance"
EVIDENCE_LIMIT = 8000
_ILLEGAL_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ELEMENT = {"failed": "failure", "error": "error", "skipped": "skipped"}


def render(run: RunResult) -> str:
    """The whole junit.xml document."""
    counts = run.summary
    elements = [_element(run, r) for r in run.results]
    stats = {
        "tests": str(counts["total"]),
        "failures": str(elements.count("failure")),
        "errors": str(elements.count("error")),
        "skipped": str(elements.count("skipped")),
        "time": f"{run.duration_s:.3f}",
    }
    root = ET.Element("testsuites", {"name": SUITE, **stats})
    suite = ET.SubElement(
        root, "testsuite", {"name": SUITE, **stats, "timestamp": _x(run.started_at)}
    )
    props = ET.SubElement(suite, "properties")
    for name, value in _properties(run):
        ET.SubElement(props, "property", {"name": name, "value": _x(value)})
    for result, tag in zip(run.results, elements, strict=True):
        case = ET.SubElement(
            suite,
            "testcase",
            {
                "classname": _x(result.operation or "batch"),
                "name": _x(result.id),
                "time": f"{result.duration_s:.3f}",
            },
        )
        if tag is None:
            continue
        message = ev.one_line(result.message)
        if tag == "skipped" and result.outcome in ev.FAILING:
            ET.SubElement(case, "skipped", {"message": _x(f"{_why_not_red(result)}: {message}")})
            ET.SubElement(case, "system-out").text = _x(_evidence(run, result))
        elif tag == "skipped":
            ET.SubElement(case, "skipped", {"message": _x(message)})
        else:
            if result.baseline == "changed":
                reason = ev.one_line(result.baseline_reason or "", 300)
                message = f"changed against the baseline ({reason}): {message}"
            elif result.baseline == "fixed":
                message = "passes now: remove it from the baseline (--strict-baseline)"
            attrs = {"message": _x(message), "type": _x(result.rule or result.outcome)}
            ET.SubElement(case, tag, attrs).text = _x(_evidence(run, result))
    stops = [f"interrupted: {run.interrupted}"] if run.interrupted else []
    stops += [f"fatal: {run.fatal}"] if run.fatal else []
    if stops:
        ET.SubElement(suite, "system-err").text = _x("\n".join(stops))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _element(run: RunResult, result: CaseResult) -> str | None:
    """`failure`, `error`, `skipped` or None (passed): red only for what fails the gate."""
    kind = standing(result, run.strict)
    if kind in ("known", "warning"):
        return "skipped"
    if kind == "fixed" and run.strict_baseline:
        return "failure"  # --strict-baseline: a stale entry fails the run
    return _ELEMENT.get(result.outcome)


def _why_not_red(result: CaseResult) -> str:
    if result.baseline == "known":
        reason = f" ({ev.one_line(result.baseline_reason, 200)})" if result.baseline_reason else ""
        return f"known deviation{reason}, {result.outcome}"
    return "warning (should rule, fails a run only with --strict), failed"


def _properties(run: RunResult) -> list[tuple[str, str]]:
    props = [
        ("target", run.target.name),
        ("endpoint", run.target.endpoint or ""),
        ("region", run.target.region),
        ("seed", "" if run.seed is None else str(run.seed)),
        ("scope", run.scope),
    ]
    props += [(f"sdk.{name}", version) for name, version in sorted(run.sdk.items())]
    counts = run.summary
    props += [(f"summary.{key}", str(counts[key])) for key in sorted(counts)]
    gate = tally(run)
    props.append(("summary.known", str(gate.known)))
    props += [
        (f"gate.{key}", str(value)) for key, value in gate.to_dict().items() if value is not None
    ]
    props.append(("strict", "true" if run.strict else "false"))
    if run.interrupted:
        props.append(("interrupted", run.interrupted))
    if run.fatal:
        props.append(("fatal", run.fatal))
    return props


def _evidence(run: RunResult, result: CaseResult) -> str:
    head = "rule: none"
    if result.rule:
        head = f"rule: {result.rule} (provenance {ev.provenance(run, result)})"
    cite = ev.source(run, result)
    lines = [head, *([f"source: {cite}"] if cite else [])]
    lines += [f"finding: {fid}" for fid in result.findings]
    lines += ev.evidence_lines(result)
    return ev.truncate("\n".join(lines), EVIDENCE_LIMIT)


def _x(text: str) -> str:
    """`text` without the characters XML 1.0 does not allow."""
    return _ILLEGAL_XML.sub("", text)
