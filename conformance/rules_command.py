"""`batch-conformance rules`: every rule the suite checks, with its strength and evidence.

The rules are those of `conformance.rulebook.all_rules()`: the limits carried by the
schemas' `x-rules` and the behaviours of `specs/behaviours.json`. `--format table` (default)
prints one line per rule for a terminal (its id, strength, provenance and what it checks,
fit to the terminal's width); `--format json` prints everything:
`{"rules": [{id, operation, summary, provenance, strength, evidence, note, source}, ...]}`.
"""

from __future__ import annotations

import json
import shutil
import sys
from typing import Any, TextIO

from conformance.results import RuleInfo
from conformance.rulebook import all_rules
from conformance.schemas import Scope

FORMATS = ("table", "json")
_HEADER = ("rule", "strength", "provenance", "what it checks")
GAP = "  "
DEFAULT_WIDTH = 120  # when the output is no terminal and COLUMNS is unset
MIN_RULE, MIN_CHECKS = 28, 24


def rule_dict(info: RuleInfo) -> dict[str, Any]:
    """One rule in the `--format json` form (fields in a fixed order)."""
    return {
        "id": info.id,
        "operation": info.operation,
        "summary": info.summary,
        "provenance": info.provenance,
        "strength": info.strength,
        "evidence": [dict(item) for item in info.evidence],
        "note": info.note,
        "source": info.source,
    }


def table_lines(rules: list[RuleInfo], width: int | None = None) -> list[str]:
    """A header, one line per rule and a count, `width` columns wide (default: the terminal's).

    The rule's summary (what it checks) is cut with `…` to fit; a rule id is never cut: one
    longer than its column has its line to itself, its other cells on the next line.
    """
    width = width or shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    rows = [_HEADER, *((i.id, i.strength, i.provenance, i.summary) for i in rules)]
    fixed = [max(len(row[col]) for row in rows) for col in (1, 2)]
    room = width - sum(fixed) - 3 * len(GAP)
    rule_w = min(max(len(row[0]) for row in rows), max(MIN_RULE, room * 3 // 5))
    checks_w = max(MIN_CHECKS, room - rule_w)
    lines = []
    for rule, *cells in rows:
        rest = GAP.join(
            [cells[0].ljust(fixed[0]), cells[1].ljust(fixed[1]), _cut(cells[2], checks_w)]
        )
        if len(rule) > rule_w:
            lines += [rule, " " * (rule_w + len(GAP)) + rest]
        else:
            lines.append(rule.ljust(rule_w) + GAP + rest)
    should = sum(info.strength == "should" for info in rules)
    lines.append(f"{len(rules)} rules: {len(rules) - should} must, {should} should")
    return [line.rstrip() for line in lines]


def _cut(text: str, width: int) -> str:
    """`text` on one line, cut to `width` characters with `…` when longer."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def rules_main(fmt: str, out: TextIO, scope: Scope) -> int:
    """Print every rule of `scope` in `fmt` (`table` or `json`) to `out`; 0, or 2 for an
    unknown format."""
    rules = [info for _, info in sorted(all_rules(scope).items())]
    if fmt == "json":
        out.write(json.dumps({"rules": [rule_dict(i) for i in rules]}, indent=2) + "\n")
        return 0
    if fmt == "table":
        out.write("\n".join(table_lines(rules)) + "\n")
        return 0
    print(
        f"batch-conformance: unknown format {fmt!r} (choose {', '.join(FORMATS)})", file=sys.stderr
    )
    return 2
