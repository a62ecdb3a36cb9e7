"""report.md: a run summary fit for a pull-request comment or a CI step summary.

Everything that came from the endpoint or the run sits in code spans or fenced blocks
(no Markdown, HTML or @-mentions leak through); table cells escape their pipes.
"""

from __future__ import annotations

import re
from pathlib import Path

from conformance.reports import evidence as ev
from conformance.results import OUTCOMES, CaseResult, RunResult

MAX_DETAILED = 50
MAX_LISTED = 300
ICONS = {"failed": "❌", "error": "⚠️", "passed": "✅", "skipped": "⏭️"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#!@])")
_COUNT_ORDER = ("passed", "failed", "error", "skipped")


def render(run: RunResult, report_json: Path) -> str:
    """The whole report.md; `report_json` is the path the replay commands name."""
    lines = [f"# AWS Batch conformance: {_code(run.target.name)}", ""]
    if run.fatal:
        lines += [f"> **Fatal: the run stopped early.** {_code(run.fatal)}", ""]
    lines += _header(run)
    if run.cleanup:
        lines += ["## Left on the endpoint", ""]
        lines += [f"- {_code(ev.one_line(note))}" for note in run.cleanup]
        lines.append("")
    lines += _failures(run, report_json)
    lines += _rules(run)
    lines += _all_results(run)
    return "\n".join(lines).rstrip() + "\n"


def _header(run: RunResult) -> list[str]:
    endpoint = _code(run.target.endpoint, table=True) if run.target.endpoint else "in-process"
    seed = "none" if run.seed is None else str(run.seed)
    counts = run.summary
    summary = " · ".join(f"{ICONS[o]} {counts[o]} {o}" for o in OUTCOMES)
    return [
        "| Target | Endpoint | Region | SDK | Seed | Started | Duration |",
        "|---|---|---|---|---|---|---|",
        f"| {_code(run.target.name, table=True)} | {endpoint} "
        f"| {_code(run.target.region, table=True)} | {_text(ev.sdk_text(run))} | {seed} "
        f"| {_text(run.started_at)} | {run.duration_s:.1f} s |",
        "",
        f"**{summary}** ({counts['total']} total; {counts['warnings']} of the failures are"
        f" warnings of `should` rules; {counts['retries']} throttled calls retried)",
        "",
    ]


def _failures(run: RunResult, report_json: Path) -> list[str]:
    groups = ev.baseline_groups(run)
    if groups is None:
        failing = ev.failing(run)
        return _section("Failures", failing, run, report_json) if failing else []
    lines: list[str] = []
    for key in ("new", "known"):
        if groups[key]:
            lines += _section(ev.BASELINE_TITLES[key], groups[key], run, report_json)
    if groups["fixed"]:
        lines += [f"## {ev.BASELINE_TITLES['fixed']} ({len(groups['fixed'])})", ""]
        lines += [
            f"- {_code(r.id)} — rule {_code(r.rule or ev.NO_RULE)}; "
            f"baseline reason: {_text(r.baseline_reason or '')}"
            for r in groups["fixed"]
        ]
        lines.append("")
    return lines


def _section(title: str, results: list[CaseResult], run: RunResult, report_json: Path) -> list[str]:
    lines = [f"## {title} ({len(results)})", ""]
    for number, result in enumerate(results[:MAX_DETAILED], 1):
        lines += _failure(number, result, run, report_json)
    if rest := results[MAX_DETAILED:]:
        lines += [f"{len(rest)} more (details in report.html and report.json):", ""]
        lines += [
            f"- {ICONS[r.outcome]} {_code(r.id)} · provenance **{_text(ev.provenance(run, r))}**:"
            f" {_code(ev.one_line(r.message))}"
            for r in rest
        ]
        replays = "\n".join(ev.replay_command(report_json, r.id) for r in rest)
        lines += ["", "Replay:", "", _fence(replays, "sh"), ""]
    return lines


def _failure(number: int, result: CaseResult, run: RunResult, report_json: Path) -> list[str]:
    op = f" ({_code(result.operation)})" if result.operation else ""
    if result.rule:
        cite = ev.source(run, result)
        rule = f"{_code(result.rule)}{op} · provenance **{_text(ev.provenance(run, result))}**"
        rule += f" · {_text(cite)}" if cite else ""
    else:
        rule = f"none{op}"
    lines = [
        f"### {number}. {ICONS[result.outcome]} {result.outcome}: {_code(result.id)}",
        "",
        f"- **Rule:** {rule}",
        f"- **Strength:** {_text(ev.strength(result))}",
        f"- **Message:** {_code(ev.one_line(result.message) or '(none)')}",
    ]
    if sources := ev.evidence_summary(run, result):
        lines.append("- **Evidence:**")
        lines += [f"  - {_text(item)}" for item in sources]
    if result.baseline == "known":
        lines.append(f"- **Known deviation:** {_text(result.baseline_reason or '')}")
    lines += [
        f"- **Failing check:** {_code(c.name)} — {_code(ev.one_line(c.detail))}"
        for c in ev.failing_checks(result)
    ]
    if evidence := ev.evidence_text(result, checks=False):
        lines += ["", _fence(evidence, "text")]
    lines += ["", "Replay:", "", _fence(ev.replay_command(report_json, result.id), "sh"), ""]
    return lines


def _rules(run: RunResult) -> list[str]:
    rows = ev.rule_rows(run)
    if not rows:
        return []
    lines = [
        "## Outcomes per rule",
        "",
        "| Rule | Operation | Provenance | Passed | Failed | Error | Skipped |",
        "|---|---|---|--:|--:|--:|--:|",
    ]

    def rule_cell(rule: str) -> str:
        return _text(rule) if rule == ev.NO_RULE else _code(rule, table=True)

    for row in rows:
        counts = " | ".join(str(row.counts[o]) for o in _COUNT_ORDER)
        lines.append(
            f"| {rule_cell(row.rule)} | {_code(row.operation, table=True)} "
            f"| {_text(row.provenance)} | {counts} |"
        )
    by_prov = " · ".join(f"{k} {v}" for k, v in ev.provenance_counts(run).items())
    return [*lines, "", f"**Failures by provenance:** {_text(by_prov)}", ""]


def _all_results(run: RunResult) -> list[str]:
    ordered = [r for o in OUTCOMES for r in run.results if r.outcome == o]
    if not ordered:
        return []
    lines = [
        f"<details><summary>All results ({len(ordered)})</summary>",
        "",
        "| Outcome | Case | Rule | Message |",
        "|---|---|---|---|",
    ]
    for r in ordered[:MAX_LISTED]:
        message = _code(ev.one_line(r.message, 200), table=True)
        lines.append(
            f"| {ICONS[r.outcome]} {r.outcome} | {_code(r.id, table=True)} "
            f"| {_code(r.rule or '', table=True)} | {message} |"
        )
    if len(ordered) > MAX_LISTED:
        lines += ["", f"{len(ordered) - MAX_LISTED} more in report.html and report.json."]
    return [*lines, "", "</details>", ""]


def _text(text: str) -> str:
    """Our own prose (rule summaries, sources) with Markdown punctuation escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _code(text: str | None, *, table: bool = False) -> str:
    """A code span that survives any backticks in `text`; pipes escaped inside tables."""
    flat = " ".join(str(text or "").split())
    if not flat:
        return ""
    longest = max((len(m) for m in re.findall(r"`+", flat)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    span = f"{ticks}{pad}{flat}{pad}{ticks}"
    return span.replace("|", "\\|") if table else span


def _fence(text: str, info: str) -> str:
    """A fenced block longer than any backtick run inside `text`."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{text}\n{ticks}"
