"""`batch-conformance cases`: every case id of a scope, with its rule and strength.

The cases are collected as a run collects them (pytest's `--collect-only`: no endpoint is
started), so the ids are exactly those `--case`, `--batch-case`, baselines and reports use.
`--rule ID` (repeatable) keeps the cases of a rule, or of a finding's rule. `--format text`
(default) prints one aligned line per case and a count; `--format json` prints
`{"scope", "cases": [{id, rule, operation, strength}, ...]}`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from typing import TextIO

import pytest

from conformance.case_select import choose
from conformance.errors import UsageError
from conformance.scopes import Scope

FORMATS = ("text", "json")


@dataclass(frozen=True)
class CaseEntry:
    """One case as listed."""

    id: str
    rule: str | None
    operation: str | None
    strength: str


class _Listing:
    """Collects the cases pytest collected (after the suite's plugin sorted them)."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.cases: list[CaseEntry] = []

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        """Note each case's id, rule, operation and strength, in run order."""
        from conformance.plugin import is_case, record_for

        for index, item in enumerate(session.items):
            if is_case(item):
                record = record_for(item, index, self.scope)
                self.cases.append(
                    CaseEntry(record.case_id, record.rule, record.operation, record.strength)
                )


def collect(scope: Scope) -> tuple[int, list[CaseEntry]]:
    """pytest's exit status collecting the cases of `scope` (no endpoint), and the cases in
    run order."""
    from conformance.runner import PLUGIN_MODULE, PYTEST_INI, plugin_from_entry_point

    cases_dir = scope.cases_dir
    args = [str(cases_dir), "-c", str(PYTEST_INI), "--rootdir", str(cases_dir)]
    args += ["-p", "no:cacheprovider", "-p", "no:terminal", "--collect-only"]
    args += ["--batch-scope", scope.name, "-W", "ignore::pytest.PytestAssertRewriteWarning"]
    if not plugin_from_entry_point():
        args += ["-p", PLUGIN_MODULE]
    listing = _Listing(scope)
    code = int(pytest.main(args, plugins=[listing]))
    return code, listing.cases


@cache
def collected(scope: Scope) -> tuple[CaseEntry, ...]:
    """The cases of `scope`, collected once per process (UsageError if they cannot be)."""
    code, cases = collect(scope)
    if code != pytest.ExitCode.OK:
        raise UsageError(f"collecting the cases of scope {scope} failed (pytest exit {code})")
    return tuple(cases)


def text_lines(cases: Sequence[CaseEntry], scope: Scope) -> list[str]:
    """One aligned line per case (id, rule, strength), then the count."""
    width = max((len(c.id) for c in cases), default=0)
    rule_width = max((len(c.rule or "-") for c in cases), default=0)
    lines = [f"{c.id:{width}}  {c.rule or '-':{rule_width}}  {c.strength}" for c in cases]
    rules = {c.rule for c in cases if c.rule}
    plural = "" if len(rules) == 1 else "s"
    lines.append(f"{len(cases)} cases of {len(rules)} rule{plural} (scope {scope})")
    return lines


def cases_main(scope: Scope, rules: Sequence[str], fmt: str, out: TextIO = sys.stdout) -> int:
    """Print the cases of `scope` (only those of `rules`, if any) in `fmt`; 0, or 1 if they
    cannot be collected (UsageError for an id that names no case, rule or finding)."""
    code, cases = collect(scope)
    if code != pytest.ExitCode.OK:
        print(
            f"batch-conformance: collecting the cases failed (pytest exit {code})", file=sys.stderr
        )
        return 1
    if rules:
        chosen = choose(rules, [(c.id, c.rule) for c in cases])
        cases = [c for c in cases if c.id in chosen]
    if fmt == "json":
        doc = {"scope": scope.name, "cases": [asdict(c) for c in cases]}
        out.write(json.dumps(doc, indent=2) + "\n")
    else:
        out.write("\n".join(text_lines(cases, scope)) + "\n")
    return 0
