"""Pieces report.html is built of: its anchors (link targets), badges, fact tables, sources."""

from __future__ import annotations

import re

from conformance.reports import evidence as ev
from conformance.reports import unimplemented
from conformance.reports.html_text import escape as _e
from conformance.reports.html_text import ident_code as _id
from conformance.results import RunResult

_SLUG = re.compile(r"[^A-Za-z0-9._-]")


class Anchors:
    """The page's link targets: `case-N` (run order; failing and fixed cases have one),
    `rule-<id>` (a failing rule's cases), `finding-N`."""

    def __init__(self, run: RunResult) -> None:
        self.case = {
            r.id: f"case-{n}"
            for n, r in enumerate(run.results, 1)
            if r.outcome in ev.FAILING or r.baseline == "fixed"
        }
        self.finding = {
            view.finding.id: f"finding-{n}"
            for n, view in enumerate(unimplemented.listed(ev.findings(run)), 1)
        }
        self.failing_rules = {row.rule for row in ev.failing_rules(run)}

    @staticmethod
    def rule(rule: str) -> str:
        return "rule-" + _SLUG.sub("-", rule)

    def rule_link(self, rule: str) -> str:
        """The rule's code, linked to its failing cases when it has any."""
        code = _id(rule)
        return f'<a href="#{self.rule(rule)}">{code}</a>' if rule in self.failing_rules else code

    def case_link(self, case_id: str) -> str:
        code = _id(case_id)
        anchor = self.case.get(case_id)
        return f'<a href="#{anchor}">{code}</a>' if anchor else code


def facts_table(facts: list[tuple[str, str]]) -> str:
    """A two-column table of label and (already escaped) HTML."""
    rows = "".join(f"<tr><th>{_e(k)}</th><td>{v}</td></tr>" for k, v in facts)
    return f'<table class="facts">{rows}</table>'


def badge(outcome: str, label: str | None = None) -> str:
    return f'<span class="o o-{_e(outcome)}">{_e(label or outcome)}</span>'


def prov(provenance: str) -> str:
    slug = "".join(ch for ch in provenance if ch.isalnum())
    return f'<span class="p-{slug}">{_e(provenance)}</span>'


def where_link(where: str) -> str:
    """A source: a link when it is a web address, else plain text (escaped either way)."""
    if not where:
        return ""
    if where.startswith("https://"):
        return f' (<a href="{_e(where)}">{_e(where)}</a>)'
    return f" ({_e(where)})"
