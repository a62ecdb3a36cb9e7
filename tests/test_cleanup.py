"""Cleanup: a run leaves nothing behind on the endpoint, whole, swept by prefix, or
interrupted (SIGINT, SIGTERM, twice)."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.cli import (
    clean_env,
    run_cli,
)
from tests.faulty.proxy import SETUP_NAME
from tests.gate_cases import assert_gate_green, committed_baseline
from tests.hostile.servers import (
    HELD,
    LOST,
    HostileProxy,
    Sabotage,
)
from tests.suite_runs import WHOLE_RUN_TIMEOUT_S

REGION = "us-east-1"


NOTHING_LEFT: dict[str, list[str]] = {
    "scheduling policies": [],
    "job queues": [],
    "compute environments": [],
    "active job definitions": [],
    "roles": [],
}


def leftovers(endpoint: str) -> dict[str, list[str]]:
    """What is left on a moto server that a run (prefix `bc`) could have created."""
    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
    )
    batch = session.client("batch", endpoint_url=endpoint)
    iam = session.client("iam", endpoint_url=endpoint)
    queues = batch.describe_job_queues()["jobQueues"]
    envs = batch.describe_compute_environments()["computeEnvironments"]
    defs = batch.describe_job_definitions(status="ACTIVE")["jobDefinitions"]
    roles = iam.list_roles()["Roles"]
    policies = batch.list_scheduling_policies()["schedulingPolicies"]
    return {
        "scheduling policies": [
            p["arn"] for p in policies if p["arn"].rsplit("/", 1)[-1].startswith("bc")
        ],
        "job queues": [q["jobQueueName"] for q in queues if q["jobQueueName"].startswith("bc")],
        "compute environments": [
            e["computeEnvironmentName"]
            for e in envs
            if e["computeEnvironmentName"].startswith("bc")
        ],
        "active job definitions": [
            d["jobDefinitionName"] for d in defs if d["jobDefinitionName"].startswith("bc")
        ],
        "roles": [r["RoleName"] for r in roles if r["RoleName"].startswith("bc")],
    }


@pytest.fixture
def sigint_reaches_children() -> Iterator[None]:
    """SIGINT not ignored here, so a child started now gets its default (Python's Ctrl-C).

    A shell starts background jobs with SIGINT ignored and children inherit that: `.ci/run &`
    would make Ctrl-C a no-op for the run under test. A handler set here becomes the
    default in an exec'd child.
    """
    previous = signal.getsignal(signal.SIGINT)
    if previous == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def nth_call(
    path: str,
    n: int,
    where: Callable[[dict[str, Any]], bool] | None = None,
    kind: str = "silent",
) -> Sabotage:
    """Sabotage `kind` for the `n`th request to `path` (of those whose JSON body passes
    `where`, if given); every other request goes through."""
    seen = 0
    lock = threading.Lock()

    def pick(request_path: str, body: bytes) -> str | None:
        nonlocal seen
        if request_path.split("?", 1)[0].rstrip("/") != path:
            return None
        if where is not None and not where(json.loads(body or b"{}")):
            return None
        with lock:
            seen += 1
            return kind if seen == n else None

    return pick


def interrupted_run(
    tmp_path: Path,
    upstream: str,
    args: list[str],
    hold: Sabotage,
    signals: Sequence[signal.Signals],
) -> tuple[subprocess.Popen[str], str, str]:
    """`batch-conformance run ARGS` against `upstream` through a proxy that holds the request
    `hold` picks; `signals` are sent while that call waits for its answer (so they land at
    that moment whatever the machine's load), each after the run said it saw the one before.
    A `HELD` call then goes through. The finished process and its output."""
    out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"

    def said(n: int) -> bool:  # the run has told of more than `n` deferred interrupts
        return err.read_text(encoding="utf-8").count("interrupt again") > n

    with (
        HostileProxy(upstream, sabotage=hold, rewrite=False) as proxy,
        out.open("w") as stdout_file,
        err.open("w") as stderr_file,
    ):
        argv = [sys.executable, "-m", "conformance", "run", "--endpoint-url", proxy.url]
        argv += [*args, "--report-dir", str(tmp_path / "reports")]
        proc = subprocess.Popen(
            argv, cwd=tmp_path, env=clean_env(), stdout=stdout_file, stderr=stderr_file, text=True
        )
        try:
            _wait_until(proc, "the run made the call to hold", proxy.holding.is_set, err)
            for n, signum in enumerate(signals):
                proc.send_signal(signum)
                if n + 1 < len(signals):
                    _wait_until(proc, "the run said it saw the interrupt", partial(said, n), err)
            proxy.released.set()
            proc.wait(timeout=120)
        finally:
            proxy.released.set()
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return proc, out.read_text(encoding="utf-8"), err.read_text(encoding="utf-8")


def _wait_until(
    proc: subprocess.Popen[str], what: str, condition: Callable[[], bool], stderr: Path
) -> None:
    """Poll `condition` while the run goes on (2 minutes at most), or fail naming `what`."""
    deadline = time.monotonic() + 120
    while not condition():
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"waited in vain until {what}:\n{stderr.read_text(encoding='utf-8')}")
        time.sleep(0.05)


@pytest.mark.parametrize(("scope", "at_least"), [("seed", 50), ("current", 300)])
def test_whole_run_gated_and_leaves_nothing_behind(
    tmp_path: Path, fresh_moto_url: str, scope: str, at_least: int
) -> None:
    """A whole run on a moto server of its own, gated by the moto server's committed baseline
    (its CI gate): exit 0. Afterwards nothing of the run is left (the current scope creates
    compute environments, queues, scheduling policies, definitions and jobs of its own)."""
    gate = str(committed_baseline(scope, "moto-server"))
    args = ("--scope", scope, "--endpoint-url", fresh_moto_url, "--baseline", gate)
    run = run_cli(tmp_path, *args, timeout=WHOLE_RUN_TIMEOUT_S)
    assert_gate_green(run.code, run.stdout + run.stderr, run.report_dir)
    assert len(run.outcomes) > at_least
    assert leftovers(fresh_moto_url) == NOTHING_LEFT
    assert "left on the endpoint" not in run.stdout + run.stderr


def test_cleanup_sweeps_by_prefix_what_no_answer_recorded(fresh_moto_url: str) -> None:
    """A compute environment, a queue and a scheduling policy named by the run whose answers
    never reached the ledger (a call cut off in flight) are deleted; another run's stay."""
    from conformance.provision import Provisioner
    from conformance.scopes import CURRENT
    from conformance.session import swept_kinds

    url = fresh_moto_url
    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
    )
    batch = session.client("batch", endpoint_url=url)
    iam = session.client("iam", endpoint_url=url)
    role = iam.create_role(RoleName="bcsweep-role", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    for prefix in ("bcsweep", "bcother"):
        batch.create_compute_environment(
            computeEnvironmentName=f"{prefix}-ce-9",
            type="UNMANAGED",
            state="ENABLED",
            serviceRole=role,
        )
        batch.create_job_queue(
            jobQueueName=f"{prefix}-jq-9",
            priority=1,
            state="ENABLED",
            computeEnvironmentOrder=[{"order": 1, "computeEnvironment": f"{prefix}-ce-9"}],
        )
        batch.create_scheduling_policy(name=f"{prefix}-sp-9")
    provisioner = Provisioner(batch, iam, url, "bcsweep")
    provisioner.cleaner.swept = swept_kinds(CURRENT)
    provisioner.cleanup()
    queues = [q["jobQueueName"] for q in batch.describe_job_queues()["jobQueues"]]
    envs = [
        e["computeEnvironmentName"]
        for e in batch.describe_compute_environments()["computeEnvironments"]
    ]
    policies = [
        p["arn"].rsplit("/", 1)[-1] for p in batch.list_scheduling_policies()["schedulingPolicies"]
    ]
    assert (queues, envs, policies) == (["bcother-jq-9"], ["bcother-ce-9"], ["bcother-sp-9"])
    assert provisioner.cleanup_errors == []


def test_interrupted_current_run_sweeps_what_its_cases_made(
    tmp_path: Path, fresh_moto_url: str, sigint_reaches_children: None
) -> None:
    """SIGTERM while the current scope's cases make their own resources: swept all the same
    (by the run's prefix, even what the ledger never saw)."""
    url = fresh_moto_url
    # the second policy is made on the endpoint but its answer never reaches the run
    hold = nth_call("/v1/createschedulingpolicy", 2, kind=LOST)
    proc, stdout, stderr = interrupted_run(
        tmp_path, url, ["--scope", "current"], hold, [signal.SIGTERM]
    )
    assert proc.returncode == 130, stdout + stderr
    assert all(not left for left in leftovers(url).values()), leftovers(url)


def _case_definition(request: dict[str, Any]) -> bool:
    """A definition a case registers (not the run's base, anchor or array setup)."""
    return not SETUP_NAME.search(str(request.get("jobDefinitionName", "")))


@pytest.mark.parametrize(
    ("signum", "hold"),
    [
        # provisioning: the roles and the queue exist, the base definition is in flight
        (signal.SIGINT, lambda: nth_call("/v1/registerjobdefinition", 1)),
        # cases: three of their own definitions registered, the fourth in flight
        (signal.SIGTERM, lambda: nth_call("/v1/registerjobdefinition", 4, _case_definition)),
    ],
    ids=["sigint-while-provisioning", "sigterm-during-cases"],
)
def test_interrupted_run_leaves_nothing_behind(
    tmp_path: Path,
    fresh_moto_url: str,
    sigint_reaches_children: None,
    signum: signal.Signals,
    hold: Callable[[], Sabotage],
) -> None:
    """Ctrl-C (or SIGTERM) mid-run still deletes everything the run created."""
    url = fresh_moto_url
    proc, stdout, stderr = interrupted_run(tmp_path, url, [], hold(), [signum])
    left = leftovers(url)
    assert left == NOTHING_LEFT, stdout + stderr
    assert proc.returncode == 130, stdout + stderr
    assert "Traceback" not in stderr, stderr
    assert "interrupted" in stderr, stderr  # said on the console
    if signum == signal.SIGTERM:  # interrupted during the cases: said in every report
        reports = tmp_path / "reports"
        report = json.loads((reports / "report.json").read_text(encoding="utf-8"))
        assert str(report["interrupted"]).startswith("interrupted after"), report["interrupted"]
        assert report["interrupted"] in stdout
        assert "Interrupted" in (reports / "report.md").read_text(encoding="utf-8")
        assert "Interrupted" in (reports / "report.html").read_text(encoding="utf-8")
        assert "interrupted" in (reports / "junit.xml").read_text(encoding="utf-8")


def test_interrupt_during_cleanup_lets_it_finish(
    tmp_path: Path, fresh_moto_url: str, sigint_reaches_children: None
) -> None:
    """SIGTERM while the cleanup disables the run's queue (CI cancelling a job that is
    finishing): the cleanup goes on to its end, the run says so and exits 130."""
    url = fresh_moto_url
    hold = nth_call("/v1/updatejobqueue", 1, kind=HELD)  # only the cleanup disables it
    proc, stdout, stderr = interrupted_run(tmp_path, url, [], hold, [signal.SIGTERM])
    assert all(not left for left in leftovers(url).values()), leftovers(url)
    assert proc.returncode == 130, stdout + stderr
    assert "Traceback" not in stderr, stderr
    assert "cleaning up what the run created first" in stderr, stderr
    report = json.loads((tmp_path / "reports" / "report.json").read_text(encoding="utf-8"))
    assert re.fullmatch(
        r"interrupted during the cleanup after (\d+) of \1 cases;"
        r" what the run created was cleaned up",
        report["interrupted"],
    ), report["interrupted"]
    assert report["cleanup"] == [], report["cleanup"]


def test_second_interrupt_stops_cleanup_and_says_what_may_be_left(
    tmp_path: Path, fresh_moto_url: str, sigint_reaches_children: None
) -> None:
    """Ctrl-C twice during the cleanup: it stops at once; the run names the prefix of what
    may be left on the console and in the reports, with no traceback; exit 130."""
    url = fresh_moto_url
    hold = nth_call("/v1/updatejobqueue", 1, kind=HELD)
    proc, stdout, stderr = interrupted_run(tmp_path, url, [], hold, [signal.SIGINT, signal.SIGINT])
    left = leftovers(url)
    assert left["job queues"], left
    assert left["compute environments"], left
    assert left["roles"], left
    assert proc.returncode == 130, stdout + stderr
    assert "Traceback" not in stderr, stderr
    report = json.loads((tmp_path / "reports" / "report.json").read_text(encoding="utf-8"))
    prefix = left["job queues"][0].split("-", 1)[0]
    note = f"stopped by a second interrupt: what is named {prefix}-* may be left on the endpoint"
    assert note in report["cleanup"], report["cleanup"]
    assert "the cleanup was stopped too" in report["interrupted"], report["interrupted"]
    assert note in stdout + stderr
    assert prefix in (tmp_path / "reports" / "report.md").read_text(encoding="utf-8")
    assert prefix in (tmp_path / "reports" / "report.html").read_text(encoding="utf-8")
