"""Unreachable and misbehaving endpoints: exit 3 with one line, or errors only, never a pass."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conformance.calls import READ_TIMEOUT_ENV
from conformance.targets.process import free_port
from tests.cli import (
    assert_no_pass,
    assert_no_traceback,
    one_line,
    run_cli,
)
from tests.hostile.servers import (
    SABOTAGE_KINDS,
    HostileProxy,
    RawServer,
    dropping_server,
    garbage_server,
    html_server,
    not_implemented_json_server,
    not_implemented_server,
    silent_server,
)

# A small slice of cases that calls SubmitJob (4 cases).
SUBMIT_SLICE = "SubmitJob.jobName.length"
SHORT_READ_TIMEOUT = "2"


def test_unreachable_endpoint_exits_3_with_one_line(tmp_path: Path) -> None:
    """A closed port exits 3 with one line naming endpoint and cause; report.json says fatal."""
    url = f"http://127.0.0.1:{free_port()}"
    run = run_cli(tmp_path, "--endpoint-url", url)
    assert run.code == 3, run.stderr
    line = one_line(run.stderr)
    assert url in line
    assert "connect" in line.lower()
    assert_no_traceback(run)
    report = run.report
    assert report["fatal"]
    assert url in report["fatal"]
    assert_no_pass(run)


@pytest.mark.parametrize(
    "make_server",
    [html_server, garbage_server, silent_server, dropping_server, not_implemented_json_server],
    ids=["html", "garbage", "silent", "dropping", "501-json-everywhere"],
)
def test_misbehaving_endpoint_never_passes(
    tmp_path: Path, make_server: Callable[[], RawServer]
) -> None:
    """HTML, garbage, silence or a dropped connection: exit 3 with one line, or errors only."""
    with make_server() as server:
        run = run_cli(
            tmp_path, "--endpoint-url", server.url, env={READ_TIMEOUT_ENV: SHORT_READ_TIMEOUT}
        )
    assert_no_traceback(run)
    if run.code == 3:
        line = one_line(run.stderr)
        assert server.url in line
        assert run.report["fatal"]
    else:
        assert run.code == 1, run.stdout + run.stderr
        assert set(run.outcomes) == {"error"}
    assert_no_pass(run)


@pytest.mark.parametrize("kind", SABOTAGE_KINDS)
def test_misbehaviour_during_cases_gives_errors(tmp_path: Path, moto_url: str, kind: str) -> None:
    """An endpoint that turns bad after provisioning: the cases it touched error, run goes on."""
    url = moto_url
    with HostileProxy(
        url, sabotage=lambda p, _b: kind if p.startswith("/v1/submitjob") else None
    ) as proxy:
        run = run_cli(
            tmp_path,
            "--endpoint-url",
            proxy.url,
            "-k",
            SUBMIT_SLICE,
            env={READ_TIMEOUT_ENV: SHORT_READ_TIMEOUT},
        )
    assert proxy.sabotaged >= 4, run.stdout + run.stderr
    assert_no_traceback(run)
    assert run.code == 1, run.stdout + run.stderr
    assert run.report["fatal"] is None
    assert len(run.outcomes) == 4
    assert set(run.outcomes) == {"error"}, run.outcomes
    for result in run.report["results"]:
        transport = [x["transport_error"] for x in result["exchanges"] if x["transport_error"]]
        assert transport, result


def test_http_501_everywhere_says_not_implemented(tmp_path: Path) -> None:
    """HTTP 501 to every call (LocalStack community): exit 3, one line, 'not implemented'."""
    with not_implemented_server() as server:
        run = run_cli(tmp_path, "--endpoint-url", server.url)
    assert run.code == 3, run.stdout + run.stderr
    line = one_line(run.stderr)
    assert server.url in line
    assert "501 Not Implemented" in line
    assert "does not serve" in line
    assert_no_traceback(run)
    assert_no_pass(run)
