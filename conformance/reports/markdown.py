"""report.md: a run summary fit for a pull-request comment or a CI step summary.

It leads with the findings ("N deviations across M failing cases"), each shown once with
its rule, strength, what broke, one message, its cases, its rule's evidence and one replay
command; then the failing rules; then the failing cases in detail.

It is never longer than `MAX_CHARS` (60,000) characters, whatever the run: GitHub refuses a
pull-request comment over 65,536. Blocks go in, in that order, while they fit: the header,
every finding in detail and then one line each, the failing rules, the cases' details and
then one line and a replay command each, all results. The last lines always point to
report.html and report.json, and say what was left out to fit.

Everything that came from the endpoint or the run sits in code spans or fenced blocks
(no Markdown, HTML or @-mentions leak through); table cells escape their pipes.
"""

from __future__ import annotations

import re
from pathlib import Path

from conformance.reports import counts as words
from conformance.reports import evidence as ev
from conformance.reports import run_notes, unimplemented
from conformance.reports.md_budget import Budget, Left
from conformance.results import OUTCOMES, CaseResult, RunResult

MAX_CHARS = 60_000
FOOTER_RESERVE = 2_000
CASES_NAMED = 5
QUOTE_LIMIT = 200
CASE_BODY_LIMIT = 300
CASE_EXCHANGES = 1
CASE_REQUEST_LIMIT = 600
MESSAGE_LIMIT = 300
FINDINGS_SHARE = 0.55
RULES_SHARE = 0.25
ICONS = {"failed": "❌", "error": "💥", "passed": "✅", "skipped": "⏭️"}
WARNING_ICON = "🔶"
KNOWN_ICON = "📌"
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#!@])")
_COUNT_ORDER = ("failed", "error", "passed", "skipped")


def render(run: RunResult, report_json: Path, limit: int = MAX_CHARS) -> str:
    """The whole report.md, at most `limit` characters; `report_json` names the replay file."""
    budget = Budget(max(0, limit - FOOTER_RESERVE))
    left = Left()
    for block in _head(run):
        budget.add(block)
    with budget.capped(FINDINGS_SHARE):
        _findings(budget, left, run, report_json)
    _fixed(budget, left, run)
    with budget.capped(RULES_SHARE):
        _failing_rules(budget, left, run)
    if run.cleanup:
        lines = [f"- {_code(ev.one_line(note, 300))}" for note in run.cleanup]
        left.note(_list(budget, lines, "## Left on the endpoint"), len(lines), "cleanup notes")
    _cases(budget, left, run, report_json)
    _all_results(budget, left, run)
    text = budget.text() + "\n" + _footer(left, report_json)
    return text[:limit]


def _head(run: RunResult) -> list[list[str]]:
    blocks = [[f"# AWS Batch conformance: {_code(ev.one_line(run.target.name, 200))}"]]
    if run.interrupted:
        blocks.append([f"> **Interrupted.** {_code(ev.one_line(run.interrupted, 500))}"])
    if run.fatal:
        blocks.append([f"> **Fatal: the run stopped early.** {_code(ev.one_line(run.fatal, 500))}"])
    endpoint = run.target.endpoint
    where = _code(ev.one_line(endpoint, 300), table=True) if endpoint else "in-process"
    seed = "none" if run.seed is None else str(run.seed)
    blocks.append(
        [
            "| Target | Scope | Endpoint | Region | SDK | Seed | Started | Duration |",
            "|---|---|---|---|---|---|---|---|",
            f"| {_code(ev.one_line(run.target.name, 200), table=True)} "
            f"| {_text(ev.scope_text(run))} | {where} "
            f"| {_code(ev.one_line(run.target.region, 100), table=True)} "
            f"| {_text(ev.one_line(ev.sdk_text(run), 200))} | {seed} "
            f"| {_text(ev.one_line(run.started_at, 100))} | {run.duration_s:.1f} s |",
        ]
    )
    blocks += [[f"**Note:** {_text(ev.one_line(note, 600))}"] for note in run.notes]
    counts = run.summary
    views = ev.findings(run)
    if any(v.blocking for v in views):
        icon = "❌"
    elif any(v.warning and not v.known for v in views):
        icon = WARNING_ICON
    else:
        icon = "✅"  # nothing, or nothing but known deviations
    blocks.append([f"## {icon} {_text(words.headline(run))}"])
    outcomes = " · ".join(f"{ICONS[o]} {counts[o]:,} {o}" for o in _COUNT_ORDER)
    blocks.append(
        [
            f"{outcomes} ({counts['total']:,} cases; {_text(words.cases_note(run))};"
            f" {counts['retries']:,} throttled calls retried)"
        ]
    )
    blocks.append([f"**Gate:** {_text(ev.gate_text(run))}"])
    for label, note in run_notes.run_notes(run):
        blocks.append([f"**{label}:** {_text(note)}"])
    if run.cleanup:
        blocks.append(
            [
                f"**Left on the endpoint:** {len(run.cleanup):,} cleanup note(s) name what may"
                " be left (listed after the failing rules)"
            ]
        )
    return blocks


def _findings(budget: Budget, left: Left, run: RunResult, report_json: Path) -> None:
    views = unimplemented.listed(everything := ev.findings(run))
    if not views or not budget.add([f"## {_text(unimplemented.listed_title(everything))}"]):
        left.note(0, len(views), "findings")
        return
    lines = [_finding_line(n, view) for n, view in enumerate(views, 1)]
    detailed = budget.detail(
        (_finding(n, view, run, report_json) for n, view in enumerate(views, 1)),
        [len(line) + 1 for line in lines],
    )
    rest = views[detailed:]
    listed = _list(budget, lines[detailed:], f"{len(rest):,} more findings, one line each:")
    left.note(detailed + listed, len(views), "findings")


def _finding_line(number: int, view: ev.FindingView) -> str:
    message = _code(ev.one_line(view.finding.message, 160))
    return (
        f"- {number}. {_finding_icon(view)} {_code(view.finding.id)} · {_text(view.label)} · "
        f"{_count(len(view.cases), 'case')}: {message}"
    )


def _finding(number: int, view: ev.FindingView, run: RunResult, report_json: Path) -> list[str]:
    """One finding: the id (its rule + what broke), how it counts, its cases, evidence, replay."""
    finding = view.finding
    info = run.rules.get(finding.rule)
    facts = [_text(view.label), _text(ev.what_text(finding))]
    if finding.operation:
        facts.append(_code(finding.operation))
    if info:
        facts.append(f"provenance {_text(info.provenance)}")
    named = ", ".join(_code(ev.one_line(c.id, 200)) for c in view.cases[:CASES_NAMED])
    if (more := len(view.cases) - CASES_NAMED) > 0:
        named += f" and {more:,} more"
    lines = [
        f"### {number}. {_finding_icon(view)} {_code(finding.id)}",
        "",
        "- " + " · ".join(facts),
        f"- {_code(ev.one_line(finding.message, MESSAGE_LIMIT) or '(no message)')}",
        f"- {_count(len(view.cases), 'case')}: {named or '(none recorded)'}",
    ]
    if view.warning:
        kind = "a new warning (the baseline does not list it)" if view.new else "a warning"
        lines.append(f"- {kind}: it fails a run only with --strict")
    if view.known and view.first and view.first.baseline_reason:
        reason = ev.one_line(view.first.baseline_reason, MESSAGE_LIMIT)
        lines.append(f"- **Known deviation:** {_text(reason)}")
    lines += _evidence_brief(run, finding.rule)
    if view.first is not None:
        lines += ["", _fence(ev.replay_command(report_json, view.first.id), "sh")]
    return lines


def _evidence_brief(run: RunResult, rule: str) -> list[str]:
    """The rule's evidence in two lines at most: the first quote, where the rest is, why."""
    items = ev.rule_evidence(run, rule)
    quoted = [(k, q, w) for k, q, w in items if k != "note"]
    lines = []
    if quoted:
        kind, quote, where = quoted[0]
        text = f'{kind} "{ev.one_line(quote, QUOTE_LIMIT)}"' + (f" ({where})" if where else "")
        if also := [f"{k} ({w})" if w else k for k, _, w in quoted[1:]]:
            text += "; also " + ", ".join(also)
        lines.append(f"- **Evidence:** {_text(text)}")
    if notes := [q for k, q, _ in items if k == "note"]:
        lines.append(f"- **Note:** {_text(ev.one_line(notes[0], QUOTE_LIMIT))}")
    return lines


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


def _finding_icon(view: ev.FindingView) -> str:
    if view.known:
        return KNOWN_ICON
    if view.warning:
        return WARNING_ICON
    return ICONS.get(view.finding.outcome, "❌")


def _fixed(budget: Budget, left: Left, run: RunResult) -> None:
    fixed = ev.fixed_cases(run)
    if not fixed:
        return
    shown = _list(
        budget,
        [
            f"- {_code(ev.one_line(r.id, 200))} — rule {_code(r.rule or ev.NO_RULE)}; "
            f"baseline reason: {_text(ev.one_line(r.baseline_reason or '', 300))}"
            for r in fixed
        ],
        f"## {ev.FIXED_TITLE} ({len(fixed):,})",
    )
    left.note(shown, len(fixed), "fixed cases")


def _failing_rules(budget: Budget, left: Left, run: RunResult) -> None:
    rows = ev.failing_rules(run)
    if not rows:
        return
    head = [
        f"## Failing rules ({len(rows):,})",
        "",
        "| Rule | Operation | Provenance | Strength | Failed | Error | Passed | Skipped |",
        "|---|---|---|---|--:|--:|--:|--:|",
    ]
    lines = []
    for row in rows:
        rule = _text(row.rule) if row.rule == ev.NO_RULE else _code(row.rule, table=True)
        counts = " | ".join(str(row.counts[o]) for o in _COUNT_ORDER)
        lines.append(
            f"| {rule} | {_code(row.operation, table=True)} | {_text(row.provenance)} "
            f"| {_text(row.strength)} | {counts} |"
        )
    shown = _rows(budget, head, lines)
    left.note(shown, len(rows), "failing rules")


def _case_order(run: RunResult) -> list[CaseResult]:
    """Failing cases in the order of their findings (blocking first), each once."""
    seen: set[str] = set()
    ordered: list[CaseResult] = []
    for view in unimplemented.listed(ev.findings(run)):
        for case in view.cases:
            if case.id not in seen:
                seen.add(case.id)
                ordered.append(case)
    ordered += [r for r in ev.failing(run) if r.id not in seen]
    return ordered


def _cases(budget: Budget, left: Left, run: RunResult, report_json: Path) -> None:
    cases = _case_order(run)
    if not cases or not budget.add([f"## Failing cases ({len(cases):,})"]):
        left.note(0, len(cases), "failing cases")
        return
    firsts = {v.first.id for v in unimplemented.listed(ev.findings(run)) if v.first is not None}
    listing = [len(_bullet(c)) + len(ev.replay_command(report_json, c.id)) + 2 for c in cases]
    detailed = budget.detail((_case(c, run, report_json, c.id in firsts) for c in cases), listing)
    rest = cases[detailed:]
    listed = _listed_cases(budget, rest, report_json)
    left.note(detailed + listed, len(cases), "failing cases")


def _listed_cases(budget: Budget, cases: list[CaseResult], report_json: Path) -> int:
    """One line per case, then their replay commands in one block, as many as fit."""
    title = f"{len(cases):,} more failing cases, one line each, their replay commands below:"
    room = budget.room() - 1 - len(title) - 2 - len("```sh\n\n```\n") - 2
    bullets: list[str] = []
    replays: list[str] = []
    for case in cases:
        bullet = _bullet(case)
        replay = ev.replay_command(report_json, case.id)
        cost = len(bullet) + len(replay) + 2
        if cost > room:
            break
        bullets.append(bullet)
        replays.append(replay)
        room -= cost
    if bullets and budget.add([title, "", *bullets, "", _fence("\n".join(replays), "sh")]):
        return len(bullets)
    return 0


def _bullet(case: CaseResult) -> str:
    message = _code(ev.one_line(case.message, 160))
    return f"- {ICONS[case.outcome]} {_code(ev.one_line(case.id, 300))}: {message}"


def _case(result: CaseResult, run: RunResult, report_json: Path, replayed: bool) -> list[str]:
    """One failing case: outcome, its findings, message, failing checks, what was sent."""
    how = f"{result.outcome} · {ev.strength(result, run.strict)}"
    if result.baseline in {"known", "changed"}:
        how += " · known deviation" if result.baseline == "known" else " · changed"
    findings = ", ".join(_code(f) for f in result.findings)
    lines = [
        f"### {ICONS[result.outcome]} {_code(ev.one_line(result.id, 300))}",
        "",
        f"- {how}" + (f" · finding {findings}" if findings else ""),
        f"- {_code(ev.one_line(result.message, MESSAGE_LIMIT) or '(no message)')}",
    ]
    if result.baseline in {"known", "changed"} and result.baseline_reason:
        label = "Baseline reason" if result.baseline == "known" else "Changed against the baseline"
        lines.append(f"- **{label}:** {_text(ev.one_line(result.baseline_reason))}")
    if checks := ev.failing_checks(result):
        lines.append(
            "- **Failing checks:** "
            + " · ".join(f"{_code(c.name)} {_code(ev.one_line(c.detail, 200))}" for c in checks)
        )
    text = ev.evidence_text(
        result,
        CASE_BODY_LIMIT,
        checks=False,
        last_exchanges=CASE_EXCHANGES,
        request_limit=CASE_REQUEST_LIMIT,
    )
    if text:
        lines += ["", _fence(text, "text")]
    if not replayed:  # the first case of a finding has its replay command there
        lines += ["", _fence(ev.replay_command(report_json, result.id), "sh")]
    return lines


def _all_results(budget: Budget, left: Left, run: RunResult) -> None:
    ordered = [r for o in OUTCOMES for r in run.results if r.outcome == o]
    if not ordered:
        return
    head = [
        f"<details><summary>All results ({len(ordered):,})</summary>",
        "",
        "| Outcome | Case | Rule | Message |",
        "|---|---|---|---|",
    ]
    rows = [
        f"| {ICONS[r.outcome]} {r.outcome} | {_code(ev.one_line(r.id, 200), table=True)} "
        f"| {_code(r.rule or '', table=True)} | {_code(ev.one_line(r.message, 160), table=True)} |"
        for r in ordered
    ]
    # Whole or not at all: a part of an alphabetical table answers nothing.
    if not budget.add([*head, *rows, "", "</details>"]):
        left.items.append(f"the table of all {len(ordered):,} results")


def _rows(budget: Budget, head: list[str], rows: list[str], tail: tuple[str, ...] = ()) -> int:
    """A table with as many of its rows as fit; returns how many."""
    room = budget.room() - 1 - sum(len(line) + 1 for line in [*head, *tail])
    shown: list[str] = []
    for row in rows:
        if len(row) + 1 > room:
            break
        shown.append(row)
        room -= len(row) + 1
    if shown and budget.add([*head, *shown, *tail]):
        return len(shown)
    return 0


def _list(budget: Budget, items: list[str], title: str) -> int:
    """A titled bullet list with as many items as fit; returns how many."""
    if not items:
        return 0
    return _rows(budget, [title, ""], items)


def _footer(left: Left, report_json: Path) -> str:
    folder = ev.one_line(str(report_json.parent), 300)
    lines = ["---", ""]
    if left.items:
        lines.append(
            f"**Cut to fit {MAX_CHARS:,} characters**, left out here: "
            + "; ".join(left.items)
            + ". They are in report.html and report.json."
        )
        lines.append("")
    lines.append(
        f"Full report: `report.html` (every case, exchange and rule) and `report.json`"
        f" (for machines), in {_code(folder)}."
    )
    return "\n".join(lines) + "\n"


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
