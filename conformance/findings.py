"""Findings: distinct deviations, each a rule, what broke, and the cases that show it.

Many cases can show one deviation (four pattern probes of one name rule are all accepted;
one missing member is seen by every answer of an operation; a generated request that broke
one limit is refused no more than that limit's own boundary case is). A finding groups them:
its id is stable across runs and readable (`<rule>#<what broke>`), so a baseline can name it.
A case whose failure is judged by another rule than its own (`CaseResult.judged_by`: the
limit a generated request broke) is that rule's finding, at that rule's strength.
What broke is the failing check: an operation not implemented at all, a refusal
expected, a refusal with the wrong status,
code or message, a valid request refused, a JSON path of the response schema, a value
(a hand-written behaviour), or no result at all (an error).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from conformance.results import (
    RESPONSE_SCHEMA,
    SERVER_ERROR_RETRIED,
    CaseResult,
    Finding,
    Strength,
)
from conformance.verdicts import TRANSIENT_WHERE

REFUSAL_CHECKS = ("http-status-400", "error-code-ClientException", "error-message-present")
NO_RULE = "(no rule)"
_PARAM = re.compile(r"\[(.*)\]$")


def _param(case_id: str) -> str:
    found = _PARAM.search(case_id)
    return found.group(1) if found else ""


def what_broke(result: CaseResult) -> list[tuple[str, str]]:
    """What broke in a failed or errored case: (finding key, one-line message) pairs."""
    if result.outcome == "error":
        return [(f"no-result{_suffix(result)}", result.message)]
    failed = [c for c in result.checks if not c.passed]
    schema = {
        c.detail.split(":", 1)[0]: f"{result.operation} answer at {c.detail}"
        for c in failed
        if c.name == RESPONSE_SCHEMA
    }
    if schema:
        return list(schema.items())
    retried = [c for c in failed if c.name == SERVER_ERROR_RETRIED]
    if retried:  # the transient 5xx a retry cured: one finding, however many were seen
        detail = retried[0].detail.split(": ", 1)[-1]
        return [(TRANSIENT_WHERE, f"{result.operation}: transient 5xx, retried: {detail}")]
    names = {c.name for c in failed}
    if "implemented" in names:  # the current scope's probe: one finding per operation
        return [("not-implemented", result.message)]
    if "answered-properly" in names:
        return [("no-batch-answer", result.message)]
    if "accepted" in names:
        return [("valid-request-refused", result.message)]
    if result.message.startswith("accepted (HTTP"):
        return [("refusal-expected", result.message)]
    refusal = [n for n in REFUSAL_CHECKS if n in names]
    if refusal:
        return [("refused-badly:" + "+".join(refusal), result.message)]
    return [(f"value{_suffix(result)}", result.message)]


def answering(result: CaseResult) -> str | None:
    """The operation whose answer or refusal was wrong: that of the first failed check that
    says so (a lifecycle read DescribeComputeEnvironments, not CreateComputeEnvironment),
    else the case's."""
    return next(
        (c.operation for c in result.checks if not c.passed and c.operation),
        result.operation,
    )


def _suffix(result: CaseResult) -> str:
    param = _param(result.id)
    return f"[{param}]" if param and not result.id.startswith("generated::") else ""


def find(results: list[CaseResult], strength: Callable[[str], Strength]) -> list[Finding]:
    """The findings of a run, in the order their first case ran; each case names its own."""
    found: dict[str, Finding] = {}
    for result in results:
        result.findings = []
        if result.outcome not in {"failed", "error"}:
            continue
        rule = result.judged_by or result.rule or NO_RULE
        for what, message in what_broke(result):
            fid = f"{rule}#{what}"
            finding = found.get(fid)
            if finding is None:
                finding = found[fid] = Finding(
                    id=fid,
                    rule=rule,
                    strength=strength(rule),
                    operation=answering(result),
                    what=what,
                    outcome=result.outcome,
                    message=message,
                )
            finding.cases.append(result.id)
            result.findings.append(fid)
    return list(found.values())
