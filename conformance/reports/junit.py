"""junit.xml: one testsuite `batch-conformance`, one testcase per case result.

Built with ElementTree (which escapes); characters XML 1.0 forbids are stripped first.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from conformance.reports import evidence as ev
from conformance.results import CaseResult, RunResult

SUITE = "batch-conformance"
EVIDENCE_LIMIT = 8000
_ILLEGAL_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ELEMENT = {"failed": "failure", "error": "error", "skipped": "skipped"}


def render(run: RunResult) -> str:
    """The whole junit.xml document."""
    counts = run.summary
    stats = {
        "tests": str(counts["total"]),
        "failures": str(counts["failed"]),
        "errors": str(counts["error"]),
        "skipped": str(counts["skipped"]),
        "time": f"{run.duration_s:.3f}",
    }
    root = ET.Element("testsuites", {"name": SUITE, **stats})
    suite = ET.SubElement(
        root, "testsuite", {"name": SUITE, **stats, "timestamp": _x(run.started_at)}
    )
    props = ET.SubElement(suite, "properties")
    for name, value in _properties(run):
        ET.SubElement(props, "property", {"name": name, "value": _x(value)})
    for result in run.results:
        case = ET.SubElement(
            suite,
            "testcase",
            {
                "classname": _x(result.operation or "batch"),
                "name": _x(result.id),
                "time": f"{result.duration_s:.3f}",
            },
        )
        if tag := _ELEMENT.get(result.outcome):
            attrs = {"message": _x(ev.one_line(result.message))}
            if tag != "skipped":
                attrs["type"] = _x(result.rule or result.outcome)
            child = ET.SubElement(case, tag, attrs)
            if tag != "skipped":
                child.text = _x(_evidence(run, result))
    if run.fatal:
        ET.SubElement(suite, "system-err").text = _x(f"fatal: {run.fatal}")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _properties(run: RunResult) -> list[tuple[str, str]]:
    props = [
        ("target", run.target.name),
        ("endpoint", run.target.endpoint or ""),
        ("region", run.target.region),
        ("seed", "" if run.seed is None else str(run.seed)),
    ]
    props += [(f"sdk.{name}", version) for name, version in sorted(run.sdk.items())]
    if run.fatal:
        props.append(("fatal", run.fatal))
    return props


def _evidence(run: RunResult, result: CaseResult) -> str:
    head = "rule: none"
    if result.rule:
        head = f"rule: {result.rule} (provenance {ev.provenance(run, result)})"
    cite = ev.source(run, result)
    lines = [head, *([f"source: {cite}"] if cite else []), *ev.evidence_lines(result)]
    return ev.truncate("\n".join(lines), EVIDENCE_LIMIT)


def _x(text: str) -> str:
    """`text` without the characters XML 1.0 does not allow."""
    return _ILLEGAL_XML.sub("", text)
