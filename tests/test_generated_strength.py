"""One fault, one finding, at the rule's strength (issue 19 §4).

A generated request with one limit broken lands on some limit: when it is accepted, the
case fails as that limit's rule (its strength, its finding), the finding its boundary case
shows too. An endpoint as lenient as AWS has been seen to be, accepting `AWS_BATCH_`
environment names (a `should` rule), passes the gate: the generated case that lands on it
is a warning, folded into the boundary case's finding, never a second, `must` finding.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from conformance.findings import find
from conformance.results import CaseResult, Check, Strength
from tests.faulty.fault import Fault
from tests.faulty.proxy import FaultyProxy
from tests.faulty.request_rules import SEED
from tests.suite_runs import run_suite

RESERVED = "containerProperties.environment.name.reserved"
OVERRIDE_RESERVED = "containerOverrides.environment.name.reserved"
GENERATED = "generated::test_generated_request_with_one_broken_limit_refused[{}]"
LIMIT = "request_limits::test_limit[{}]"
# AWS has been seen to accept and silently drop AWS_BATCH_ names (raster-foundry/raster-foundry
# #2525, azavea/raster-vision#926): the reference, with that leniency and nothing else.
LENIENT = Fault(
    "accepts-aws-batch-prefix",
    "accepts AWS_BATCH_ environment names, as AWS has been seen to",
    frozenset(),
    (),
    limits={
        "RegisterJobDefinition": replace(SEED, reserved_env_prefix=None),
        "SubmitJob": replace(SEED, reserved_env_prefix=None),
    },
)
SEEDS = (0, 1)  # 0..9 checked by hand: see the commit that added this module


def _result(case: str, rule: str, judged_by: str | None = None) -> CaseResult:
    check = Check("http-status-400", False, "HTTP 200")
    return CaseResult(
        case,
        "failed",
        rule,
        "RegisterJobDefinition",
        "accepted (HTTP 200)",
        checks=[check],
        judged_by=judged_by,
    )


def test_a_generated_failure_is_the_finding_of_the_limit_it_broke() -> None:
    """The generated case and the boundary case of the limit make one finding, at the limit's
    strength; a generated case judged by its own rule keeps its own finding."""
    limit = f"RegisterJobDefinition.{RESERVED}"
    strengths: dict[str, Strength] = {limit: "should"}
    boundary = _result(LIMIT.format(f"{limit}:outside:AWS_BATCH_TEST"), limit)
    generated = _result(
        GENERATED.format("RegisterJobDefinition"), "RegisterJobDefinition.generated.refused", limit
    )
    alone = _result(GENERATED.format("SubmitJob"), "SubmitJob.generated.refused")
    found = find([boundary, generated, alone], lambda rule: strengths.get(rule, "must"))
    assert [(f.id, f.strength, f.cases) for f in found] == [
        (f"{limit}#refusal-expected", "should", [boundary.id, generated.id]),
        ("SubmitJob.generated.refused#refusal-expected", "must", [alone.id]),
    ]
    assert generated.findings == boundary.findings


@pytest.fixture(scope="module")
def lenient(moto_url: str) -> Iterator[FaultyProxy]:
    """The reference, accepting AWS_BATCH_ names, in front of the shared moto server."""
    with FaultyProxy(moto_url) as proxy:
        proxy.behave(LENIENT)
        yield proxy


@pytest.mark.parametrize("seed", SEEDS)
def test_aws_batch_prefix_accepted_passes_the_gate(
    lenient: FaultyProxy, tmp_path: Path, seed: int
) -> None:
    """The generated cases that can land on the prefix, and the prefix's boundary cases:
    warnings only, one finding per rule, exit 0."""
    cases = [
        GENERATED.format("RegisterJobDefinition"),
        GENERATED.format("SubmitJob"),
        LIMIT.format(f"RegisterJobDefinition.{RESERVED}:outside:AWS_BATCH_TEST"),
        LIMIT.format(f"SubmitJob.{OVERRIDE_RESERVED}:outside:AWS_BATCH_TEST"),
    ]
    run = run_suite(lenient.url, None, tmp_path, cases, extra_args=("--seed", str(seed)))
    assert run.code == 0, run.explain()
    failed = run.not_passed()
    assert failed, run.explain()  # the boundary cases at least: AWS's leniency is reported
    assert all(r["outcome"] == "failed" and r["strength"] == "should" for r in failed), (
        run.explain()
    )
    findings = {f["id"]: f for f in run.report["findings"]}
    assert set(findings) <= {
        f"RegisterJobDefinition.{RESERVED}#refusal-expected",
        f"SubmitJob.{OVERRIDE_RESERVED}#refusal-expected",
    }, sorted(findings)
    generated = [r for r in failed if r["id"].startswith("generated::")]
    assert generated, run.explain()  # on these seeds a generated request lands on the prefix
    for result in generated:
        assert result["judged_by"] in {f["rule"] for f in findings.values()}
        (finding,) = result["findings"]
        assert result["id"] in findings[finding]["cases"]
    assert run.report["gate"]["verdict"] == "passed", run.report["gate"]
