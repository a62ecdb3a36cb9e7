"""The aws target's path, offline: `--target aws` against a moto server via AWS_ENDPOINT_URL.

boto3 (>= 1.28) sends every client (sts, iam, batch) to AWS_ENDPOINT_URL, so the real
target's code runs unchanged against moto. moto loads AWS's managed policies here
(MOTO_IAM_LOAD_MANAGED_POLICIES), as the real account has them. Every other way out is
routed to a tripwire that counts connections: nothing may reach AWS.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance.options import fargate_network
from conformance.provision import (
    NO_INSTANCES,
    FargateNetwork,
)
from conformance.targets.base import DUMMY_KEY
from tests.aws_account import (
    MOTO_ACCOUNT,
    OTHER_REASON,
    REGION,
    StatusProxy,
    always,
    leftovers,
)
from tests.cli import Done, cli, plugin
from tests.gate_cases import committed_baseline
from tests.hostile.servers import RawServer
from tests.suite_runs import AWS_ACCOUNT

STATUS_FLOW = "jobs::test_status_flow"
CASES = (STATUS_FLOW, "jobs::test_submit_answers_name_and_id", "jobs::test_timeout_override")
pytestmark = pytest.mark.xdist_group(AWS_ACCOUNT)  # one moto server with AWS policies


@pytest.fixture
def tripwire() -> Iterator[RawServer]:
    """Counts connections: every proxied (non-loopback) way out leads here."""
    with RawServer(lambda _conn, _stopping: None) as server:
        yield server


def aws_env(endpoint: str, tripwire: RawServer) -> dict[str, str]:
    """AWS_ENDPOINT_URL, dummy keys, everything else to the tripwire (on top of `clean_env`:
    no AWS_* of this machine)."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": DUMMY_KEY,
        "AWS_SECRET_ACCESS_KEY": DUMMY_KEY,
        "HTTPS_PROXY": tripwire.url,
        "HTTP_PROXY": tripwire.url,
        "NO_PROXY": "127.0.0.1,localhost",
    }


def run_aws(tmp_path: Path, endpoint: str, tripwire: RawServer, *extra: str) -> Done:
    """`batch-conformance run --target aws --allow-real-aws` against `endpoint`."""
    args = ["--target", "aws", "--allow-real-aws", "--region", REGION]
    args += ["--report-dir", str(tmp_path / "reports"), *extra]
    return cli("run", *args, cwd=tmp_path, env=aws_env(endpoint, tripwire))


def stderr_lines(done: Done) -> list[str]:
    """The non-blank lines on stderr."""
    return [line for line in done.stderr.splitlines() if line.strip()]


def account_line_first(done: Done, endpoint: str) -> None:
    """The first thing on stderr names the account, the region and the redirected endpoint."""
    first = stderr_lines(done)[0]
    assert first.startswith("batch-conformance: target aws,"), done.stderr
    assert f"account {MOTO_ACCOUNT}" in first, first
    assert f"region {REGION}" in first, first
    assert endpoint in first, first


# ---------------------------------------------------------------------------------------
# The CLI, as a user runs it


def test_aws_run_on_moto(tmp_path: Path, aws_moto_url: str, tripwire: RawServer) -> None:
    """Account and region first; status flow skipped with its reason; nothing left behind
    (the run gated by moto-server's baseline: what moto is known to get wrong in answers)."""
    before = leftovers(aws_moto_url)
    cases = [arg for case in CASES for arg in ("--case", case)]
    gate = ("--baseline", str(committed_baseline("seed", "moto-server")))
    done = run_aws(tmp_path, aws_moto_url, tripwire, *cases, *gate)
    assert done.returncode == 0, done.stdout + done.stderr
    account_line_first(done, aws_moto_url)
    assert "Traceback" not in done.stdout + done.stderr
    report = json.loads((tmp_path / "reports" / "report.json").read_text())
    assert report["target"]["name"] == "aws"
    outcomes = {r["id"]: (r["outcome"], r["message"]) for r in report["results"]}
    assert outcomes[STATUS_FLOW] == ("skipped", NO_INSTANCES)
    assert {outcomes[case][0] for case in CASES[1:]} == {"passed"}, outcomes
    assert report["cleanup"] == []
    assert leftovers(aws_moto_url) == before
    assert tripwire.connections == 0


def test_aws_run_with_invalid_environment_exits_3(
    tmp_path: Path, aws_moto_url: str, tripwire: RawServer
) -> None:
    """A compute environment that ends INVALID: exit 3, one line with its name and reason."""
    before = leftovers(aws_moto_url)
    with StatusProxy(aws_moto_url, always, "INVALID", OTHER_REASON) as proxy:
        done = run_aws(tmp_path, proxy.url, tripwire, "--case", STATUS_FLOW)
    assert proxy.rewritten
    assert done.returncode == 3, done.stdout + done.stderr
    account_line_first(done, proxy.url)
    assert len(stderr_lines(done)) == 2, done.stderr  # the account, then the one error line
    line = stderr_lines(done)[1]
    name = proxy.rewritten[0]
    assert re.fullmatch(r"bc[0-9a-f]{8}-ce", name), name
    assert f"compute environment {name} is INVALID" in line, line
    assert OTHER_REASON in line, line
    assert "Traceback" not in done.stdout + done.stderr
    report = json.loads((tmp_path / "reports" / "report.json").read_text())
    assert OTHER_REASON in report["fatal"]
    assert report["results"] == []
    assert leftovers(aws_moto_url) == before  # roles (with their policies) and all were deleted
    assert tripwire.connections == 0


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        (["--subnets", "subnet-1"], "--security-groups"),
        (["--security-groups", "sg-1"], "--subnets"),
        (["--subnets", " , ", "--security-groups", "sg-1"], "--subnets"),
        (["--subnets", "subnet-1", "--security-groups", "sg-1", "--job-queue", "q"], "--job-queue"),
    ],
    ids=["subnets-only", "groups-only", "empty-subnets", "with-job-queue"],
)
def test_fargate_options_usage_errors(
    tmp_path: Path, tripwire: RawServer, extra: list[str], named: str
) -> None:
    """Only one of --subnets/--security-groups (or with --job-queue): exit 2, one line."""
    done = run_aws(tmp_path, tripwire.url, tripwire, *extra)
    assert done.returncode == 2, done.stdout + done.stderr
    (line,) = stderr_lines(done)
    assert named in line, line
    assert tripwire.connections == 0


def test_plugin_fargate_option_usage_error(tmp_path: Path, tripwire: RawServer) -> None:
    """Plain pytest with --batch-subnets but no --batch-security-groups: a usage error."""
    done = plugin(
        "-q",
        "--batch-subnets",
        "subnet-1",
        "-k",
        "status_flow",
        cwd=tmp_path,
        env=aws_env(tripwire.url, tripwire),
    )
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, done.stdout + done.stderr
    assert "--batch-security-groups is missing or empty" in done.stdout + done.stderr
    assert tripwire.connections == 0


def test_fargate_network_parsing() -> None:
    """Comma-separated IDs, blanks dropped; nothing given, no Fargate."""
    assert fargate_network(None, None, "q") is None
    assert fargate_network("a, b,", "sg", None) == FargateNetwork(("a", "b"), ("sg",))
