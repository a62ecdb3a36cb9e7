"""`batch-conformance rules`: every rule the suite checks, with its strength and evidence.

The rules are those of `conformance.rulebook.all_rules()`: the limits carried by the
schemas' `x-rules` and the behaviours of `specs/behaviours.json`. `--format table` (default)
prints one line per rule for a terminal; `--format json` prints
`{"rules": [{id, operation, summary, provenance, strength, evidence, note, source}, ...]}`.
"""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from conformance.results import RuleInfo
from conformance.rulebook import all_rules
from conformance.schemas import Scope

FORMATS = ("table", "json")
_HEADER = ("rule", "operation", "provenance", "strength", "evidence", "first evidence")


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


def _row(info: RuleInfo) -> tuple[str, ...]:
    first = info.evidence[0]["where"] if info.evidence else "-"
    return (
        info.id,
        info.operation,
        info.provenance,
        info.strength,
        str(len(info.evidence)),
        first,
    )


def table_lines(rules: list[RuleInfo]) -> list[str]:
    """A header and one aligned line per rule; the last column is never padded."""
    rows = [_HEADER, *(_row(info) for info in rules)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_HEADER) - 1)]
    lines = [
        "  ".join([*(cell.ljust(w) for cell, w in zip(row[:-1], widths, strict=True)), row[-1]])
        for row in rows
    ]
    should = sum(info.strength == "should" for info in rules)
    lines.append(f"{len(rules)} rules: {len(rules) - should} must, {should} should")
    return lines


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
