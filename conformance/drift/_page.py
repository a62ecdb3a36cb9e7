"""The page of `drift --from A --to B` in three formats, each one pure function of the `Page`:
text (the terminal: rules by id, their boundary cases counted, round trips by id, folded
lists shortened), Markdown (every case id, every folded item) and JSON (every change)."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from typing import Any

from conformance.drift._coverage import Coverage
from conformance.drift._view import Line, Page

WIDTH = 100
MAX_CHARS = 280  # of a folded list of changes, on the text page
MAX_TRIPS = 2  # round-trip cases named one by one on the text page
UNTESTED = "no rule: untested"
HEURISTIC = (
    "Documented limits are a heuristic: docstring sentences with a number near a limit word,"
    " compared by their numbers."
)
CASE_IDS = (
    "A rule's limit cases are request_limits::test_limit[<rule>:<side>:<value>]; a seed"
    " response rule's, responses::test_response_rule[<rule>]."
)


def _wrap(text: str, indent: str, more: str) -> list[str]:
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=more,
        break_on_hyphens=False,
        break_long_words=False,
    ) or [indent.rstrip()]


def _rule_cases(rule: str, cases: tuple[str, ...]) -> int:
    """How many of `cases` are the rule's own: its id is their parameter (`[<rule>]`), or
    starts it (a boundary: `[<rule>:outside:59]`)."""
    return sum(1 for c in cases if f"[{rule}:" in c or c.endswith(f"[{rule}]"))


def coverage_brief(coverage: Coverage | None) -> list[str]:
    """A scope's coverage in a few words: rules (with their limit cases), round trips, notes."""
    if coverage is None:
        return []
    said = []
    if coverage.rules:
        rules = [
            f"{rule} ({n} cases)" if (n := _rule_cases(rule, coverage.cases)) else rule
            for rule in coverage.rules
        ]
        said.append(("rule " if len(rules) == 1 else "rules: ") + ", ".join(rules))
    trips = [c for c in coverage.cases if c.startswith("round_trip::")]
    if len(trips) > MAX_TRIPS:
        per_operation = dict.fromkeys(f"{c.partition('.')[0]}.…]" for c in trips)
        said.append(f"{len(trips)} round trips: " + ", ".join(per_operation))
    elif trips:
        said.append("round trip: " + ", ".join(trips))
    counted = sum(_rule_cases(rule, coverage.cases) for rule in coverage.rules) + len(trips)
    if len(coverage.cases) > counted:
        said.append(f"{len(coverage.cases) - counted} more cases of the operation")
    if coverage.untested:
        said.append(UNTESTED)
    if coverage.note:
        said.append(coverage.note)
    return said


def _capped(items: tuple[str, ...]) -> list[str]:
    """The first items of a folded list that fit in `MAX_CHARS`, and how many more."""
    shown: list[str] = []
    for item in items:
        if shown and sum(len(i) + 2 for i in (*shown, item)) > MAX_CHARS:
            return [*shown, f"… +{len(items) - len(shown)} more (--format md lists them)"]
        shown.append(item)
    return shown


def _text_line(line: Line) -> list[str]:
    mark = "BREAKING " if line.breaking else ""
    said = coverage_brief(line.coverage)
    if line.items:
        shown = _capped(line.items) if line.coverage is not None else list(line.items)
        out = _wrap(f"{mark}{line.text}: {', '.join(shown)}", "    ", "        ")
        said = [s for s in said if s != UNTESTED]
    else:
        out = _wrap(mark + line.text, "    ", "        ")
    if line.was:
        said.insert(0, f'was: "{line.was}"')
    if line.note:
        said.append(line.note)
    for detail in said:
        out += _wrap(detail, "        ", "          ")
    return out


def render_text(page: Page) -> str:
    """The page for a terminal."""
    out = [
        f"drift: {page.old[0]} -> {page.new[0]} (botocore's batch model)",
        f"  from: {page.old[1]}",
        f"  to:   {page.new[1]}",
    ]
    for line in page.summary:
        out += _wrap(line, "", "  ")
    if page.breaking:
        out.append(f"BREAKING for a client ({len(page.breaking)}; exit status 1):")
        out += [f"  {line}" for line in page.breaking]
    elif page.entries:
        out.append("breaking for a client: none")
    if page.untested:
        out.append("left untested by the current scope:")
        out += [f"  {line}" for line in page.untested]
    for section in page.sections:
        out += ["", section.title]
        for line in section.intro:
            out += _wrap(line, "  ", "    ")
        for group in section.groups:
            out.append(f"  {group.title}")
            for item in group.lines:
                out += _text_line(item)
    if page.entries:
        out += ["", *_wrap(HEURISTIC, "", ""), *_wrap(CASE_IDS, "", "")]
    return "\n".join(out) + "\n"


def _md_line(line: Line) -> list[str]:
    mark = "**BREAKING** " if line.breaking else ""
    coverage = line.coverage
    if coverage is None and line.items:
        return [f"- {line.text}: {', '.join(line.items)}"]
    out = [f"- {mark}{line.text}" if line.items else f"- {mark}`{line.text}`"]
    out += [f"  - `{item}`" for item in line.items]
    if line.was:
        out.append(f'  - was: "{line.was}"')
    if line.note:
        out.append(f"  - {line.note}")
    if coverage is None:
        return out
    if coverage.rules:
        out.append("  - rules: " + ", ".join(f"`{r}`" for r in coverage.rules))
    if coverage.cases:
        out.append("  - cases: " + ", ".join(f"`{c}`" for c in coverage.cases))
    if coverage.untested:
        out.append(f"  - {UNTESTED}")
    if coverage.note:
        out.append(f"  - {coverage.note}")
    return out


def render_md(page: Page) -> str:
    """The page in Markdown: every item and case id."""
    out = [
        f"# SDK drift: {page.old[0]} → {page.new[0]}",
        "",
        f"- from: {page.old[1]}",
        f"- to: {page.new[1]}",
        *[f"- {line}" for line in page.summary],
        "",
    ]
    if page.breaking:
        out += [f"**Breaking for a client ({len(page.breaking)}):**", ""]
        out += [f"- `{line}`" for line in page.breaking]
    elif page.entries:
        out.append("Breaking for a client: none.")
    if page.untested:
        out += ["", "Left untested by the current scope:", ""]
        out += [f"- {line}" for line in page.untested]
    for section in page.sections:
        out += ["", f"## {section.title[0].upper()}{section.title[1:]}"]
        out += ["", *[f"{line}." for line in section.intro]] if section.intro else []
        for group in section.groups:
            out += ["", f"### {group.title}", ""]
            for item in group.lines:
                out += _md_line(item)
    if page.entries:
        out += ["", f"*{HEURISTIC} {CASE_IDS}*"]
    return "\n".join(out) + "\n"


def page_dict(page: Page) -> dict[str, Any]:
    """The page as data: every change, and each scope's rules and cases for it."""
    return {
        "from": {"label": page.old[0], "origin": page.old[1]},
        "to": {"label": page.new[0], "origin": page.new[1]},
        "breaking": any(e.change.breaking for e in page.entries),
        "summary": list(page.summary),
        "untested": list(page.untested),
        "changes": [
            {
                "operation": e.change.operation,
                "direction": e.change.direction,
                "path": e.change.path,
                "kind": e.change.kind,
                "detail": e.change.detail,
                "before": e.change.before or None,
                "breaking": e.change.breaking,
                "scopes": {
                    scope.name: {
                        "known": c.known,
                        "rules": list(c.rules),
                        "cases": list(c.cases),
                        "untested": c.untested,
                        "note": c.note or None,
                    }
                    for scope, c in e.coverage.items()
                },
            }
            for e in page.entries
        ],
    }


def render_json(page: Page) -> str:
    """The page as JSON."""
    return json.dumps(page_dict(page), indent=2) + "\n"


RENDERERS: dict[str, Callable[[Page], str]] = {
    "text": render_text,
    "md": render_md,
    "json": render_json,
}
