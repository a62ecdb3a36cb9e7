"""Endpoints as they really are (issue 19 §5-§6), proven end to end through the CLI.

Verdicts that do not depend on what earlier runs left; AWS's own transient 5xx answers,
retried as SDKs retry them; a moto server refused more than one worker. Each CLI run is a
small slice of cases against a real moto server, behind a proxy that misbehaves where a test
says (`tests/scripted.py`); §7 is tests/test_real_endpoints.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conformance.answer_check import observe
from conformance.attribution import own_listing, owned_by
from conformance.endpoint_errors import INTERNAL_ERROR
from conformance.errors import UsageError
from conformance.scopes import SEED
from conformance.targets import workers_for
from tests.cli import one_line, run_cli
from tests.proxy_core import Answer
from tests.scripted import (
    ECHO,
    GATED,
    Forward,
    ScriptedProxy,
    batch,
    findings,
    folder,
    result,
    server_exception,
    setup_call,
    verdicts,
)

TRANSIENT = "SubmitJob.behaviour.transient-server-error#transient-5xx-retried"
LISTING_RULES = ("DescribeJobDefinitions.maxResults.range",)
LISTING_JUDGE = "DescribeJobDefinitions.response.jobDefinitions.maxItems"
ARN = "arn:aws:batch:us-east-1:123456789012"


# ---------------------------------------------------------------------------------------
# §5 Verdicts that do not depend on what earlier runs left


def test_the_gate_gives_the_same_verdicts_on_an_endpoint_others_used(
    tmp_path: Path, fresh_moto_url: str
) -> None:
    """The cases that list the account, gated by moto-server's baseline, on a fresh moto
    server, then on the same server once other runs left 120 definitions (INACTIVE, as a
    run's cleanup leaves them): the same verdicts, the same gate, and a note that says the
    endpoint is not fresh."""
    args = ["--endpoint-url", fresh_moto_url, *GATED]
    for rule in (*LISTING_RULES, LISTING_JUDGE):
        args += ["--case", rule]
    fresh = run_cli(folder(tmp_path, "fresh"), *args)
    client = batch(fresh_moto_url)
    for n in range(120):
        left = client.register_job_definition(
            jobDefinitionName=f"bc0ther{n % 3}-jd-{n}",
            type="container",
            containerProperties={"image": "busybox", "vcpus": 1, "memory": 128},
        )
        client.deregister_job_definition(jobDefinition=left["jobDefinitionArn"])
    used = run_cli(folder(tmp_path, "used"), *args)
    assert fresh.code == 0, fresh.stdout + fresh.stderr
    assert used.code == fresh.code, used.stdout + used.stderr
    assert verdicts(used) == verdicts(fresh)
    assert used.report["gate"]["text"] == fresh.report["gate"]["text"]
    notes = [n for r in used.report["results"] for n in r["notes"]]
    assert any(n.startswith("not a fresh endpoint: DescribeJobDefinitions listed") for n in notes)
    assert not any("not a fresh" in n for r in fresh.report["results"] for n in r["notes"])


def test_a_listing_is_judged_on_the_run_s_own_entries_and_says_what_broke() -> None:
    """140 definitions in one page, 40 of them the run's: not judged (a note says the
    endpoint is not fresh); 101 of the run's own: '101 items: more than 100 items'."""

    def page(own: int, others: int) -> dict[str, Any]:
        entries = [(f"bc12345678-jd-{n}", n) for n in range(own)]
        entries += [(f"bc0ther000-jd-{n}", n) for n in range(others)]
        return {
            "jobDefinitions": [
                {
                    "jobDefinitionName": name,
                    "jobDefinitionArn": f"{ARN}:job-definition/{name}:1",
                    "revision": 1,
                    "type": "container",
                    "status": "INACTIVE",
                }
                for name, _n in entries
            ]
        }

    owned = owned_by("bc12345678")
    judged, note = own_listing("DescribeJobDefinitions", page(40, 100), owned)
    assert len(judged["jobDefinitions"]) == 40
    assert note is not None
    assert note.startswith("not a fresh endpoint: DescribeJobDefinitions listed 140")
    assert observe("DescribeJobDefinitions", judged, "", SEED) == []
    mine, none = own_listing("DescribeJobDefinitions", page(101, 0), owned)
    assert none is None
    (broken,) = observe("DescribeJobDefinitions", mine, "", SEED)
    assert broken.rule == "DescribeJobDefinitions.response.jobDefinitions.maxItems"
    assert broken.message == "101 items: more than 100 items"


# ---------------------------------------------------------------------------------------
# §6 AWS's own transient answers, as SDKs treat them


def test_a_transient_500_retried_is_a_should_finding(tmp_path: Path, moto_url: str) -> None:
    """The case's SubmitJob answers 500 ServerException once, then as usual: the case passes
    on the retry, and the 500 is a finding of a `should` rule (a warning, the run exits 0)."""
    failed = 0

    def once(path: str, body: bytes, forward: Forward) -> Answer:
        nonlocal failed
        if path == "/v1/submitjob" and not failed and not setup_call(body):
            failed += 1
            return server_exception("Failed to create shareIdentifier default")
        return forward()

    with ScriptedProxy(moto_url, once) as proxy:
        run = run_cli(tmp_path, "--endpoint-url", proxy.url, "--case", ECHO, *GATED)
    assert run.code == 0, run.stdout + run.stderr
    assert proxy.count("/v1/submitjob") == 2
    assert result(run, ECHO)["outcome"] == "passed"
    (retried,) = [x for x in result(run, ECHO)["exchanges"] if x["server_errors"]]
    assert retried["server_errors"] == [
        "HTTP 500 ServerException: Failed to create shareIdentifier default"
    ]
    assert retried["http_status"] == 200
    finding = findings(run)[TRANSIENT]
    assert finding["strength"] == "should"
    assert "transient 5xx, retried" in finding["message"]
    assert run.report["gate"]["warnings"] == 1


def test_a_persistent_500_stays_a_failure(tmp_path: Path, moto_url: str) -> None:
    """Every SubmitJob answers 500: retried as SDKs do, then the case fails on the 500;
    no transient finding."""

    def always(path: str, _body: bytes, forward: Forward) -> Answer:
        return server_exception("broken") if path == "/v1/submitjob" else forward()

    with ScriptedProxy(moto_url, always) as proxy:
        run = run_cli(tmp_path, "--endpoint-url", proxy.url, "--case", ECHO, *GATED)
    assert run.code == 1, run.stdout + run.stderr
    assert proxy.count("/v1/submitjob") == 3  # the call and botocore's standard 2 retries
    echo = result(run, ECHO)
    assert echo["outcome"] == "failed"
    assert f"{INTERNAL_ERROR} (HTTP 500): ServerException: broken" in echo["message"]
    assert len(echo["exchanges"][-1]["server_errors"]) == 2
    assert TRANSIENT not in findings(run)


def test_more_than_one_worker_is_refused_for_a_moto_server(tmp_path: Path, moto_url: str) -> None:
    """moto's server is not thread-safe: --workers 2 is a usage error in one line, for the
    moto-server target and for an endpoint that is a moto server; nothing is started."""
    with pytest.raises(UsageError, match="not thread-safe"):
        workers_for("moto-server", 2)
    assert workers_for("moto-server", None) == 1
    for args in (["--target", "moto-server"], ["--endpoint-url", moto_url]):
        run = run_cli(tmp_path, *args, "--workers", "2")
        assert run.code == 2, run.stdout + run.stderr
        line = one_line(run.stderr)
        assert "--workers 2" in line
        assert "not thread-safe" in line
        assert "--workers 1" in line
