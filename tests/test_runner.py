"""The runner's promises, proven end to end: the CLI (and plain pytest) run as subprocesses.

Every test reads what a user would see: the exit status, stdout/stderr and the report
files. Misbehaving endpoints come from `tests/hostile/servers.py`; real ones are moto
servers started here.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import boto3
import pytest

from conformance.calls import READ_TIMEOUT_ENV
from conformance.targets.moto_server import MotoServer
from conformance.targets.process import free_port
from tests.faulty.proxy import SETUP_NAME
from tests.hostile.servers import (
    HELD,
    LOST,
    SABOTAGE_KINDS,
    SCRIPT,
    HostileProxy,
    RawServer,
    Sabotage,
    dropping_server,
    garbage_server,
    html_server,
    not_implemented_json_server,
    not_implemented_server,
    silent_server,
)

REGION = "us-east-1"
REPORT_FILES = ("report.json", "report.md", "report.html", "junit.xml")
# A small slice of cases that calls SubmitJob (4 cases) / RegisterJobDefinition (4 cases).
SUBMIT_SLICE = "SubmitJob.jobName.length"
REGISTER_SLICE = "RegisterJobDefinition.jobDefinitionName.length"
SHORT_READ_TIMEOUT = "2"


# ---------------------------------------------------------------------------------------
# Helpers


@dataclass
class Run:
    """What one CLI (or pytest) subprocess left behind."""

    code: int
    stdout: str
    stderr: str
    report_dir: Path

    @property
    def report(self) -> dict[str, Any]:
        """report.json, parsed."""
        return dict(json.loads((self.report_dir / "report.json").read_text()))

    @property
    def outcomes(self) -> list[str]:
        """The outcome of every result in report.json."""
        return [str(r["outcome"]) for r in self.report["results"]]


def clean_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment without any AWS settings of the machine, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    env.update(extra or {})
    return env


def run_cli(
    tmp_path: Path,
    *args: str,
    env: Mapping[str, str] | None = None,
    timeout: float = 180,
) -> Run:
    """`python -m conformance run ARGS --report-dir TMP/reports` in TMP."""
    report_dir = tmp_path / "reports"
    argv = [sys.executable, "-m", "conformance", "run", *args, "--report-dir", str(report_dir)]
    done = subprocess.run(
        argv,
        cwd=tmp_path,
        env=clean_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr, report_dir)


def one_line(text: str) -> str:
    """The single non-blank line of `text` (fails when there are more or none)."""
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected exactly one line, got {len(lines)}:\n{text}"
    return lines[0]


def assert_no_traceback(run: Run) -> None:
    """Neither stream shows a Python traceback."""
    assert "Traceback" not in run.stdout + run.stderr, run.stdout + run.stderr


def assert_no_pass(run: Run) -> None:
    """No result of the run is `passed`."""
    assert "passed" not in run.outcomes, run.outcomes


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


def started_moto_server() -> MotoServer:
    """A moto server, started and warmed up (its first Batch call loads the backend slowly)."""
    server = MotoServer(REGION)
    server.start()
    assert server.endpoint_url is not None
    leftovers(server.endpoint_url)
    return server


@pytest.fixture(scope="module")
def moto_server() -> Iterator[MotoServer]:
    """A real moto server shared by the tests that do not count what is on it."""
    server = started_moto_server()
    yield server
    server.stop()


@pytest.fixture
def fresh_moto_server() -> Iterator[MotoServer]:
    """A moto server of this test's own, empty at the start."""
    server = started_moto_server()
    yield server
    server.stop()


def _is_register(path: str, body: bytes) -> bool:
    """A RegisterJobDefinition call of a case (not the run's own base definition)."""
    return path.startswith("/v1/registerjobdefinition") and b"-base" not in body


# ---------------------------------------------------------------------------------------
# Unreachable and misbehaving endpoints


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
def test_misbehaviour_during_cases_gives_errors(
    tmp_path: Path, moto_server: MotoServer, kind: str
) -> None:
    """An endpoint that turns bad after provisioning: the cases it touched error, run goes on."""
    url = moto_server.endpoint_url
    assert url is not None
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


# ---------------------------------------------------------------------------------------
# Hostile content and secrets


def test_script_in_error_message_is_escaped_in_html(
    tmp_path: Path, moto_server: MotoServer
) -> None:
    """A `<script>` in an endpoint's error message reaches report.html escaped, never raw."""
    url = moto_server.endpoint_url
    assert url is not None
    with HostileProxy(url, refuse=_is_register) as proxy:
        run = run_cli(tmp_path, "--endpoint-url", proxy.url, "-k", REGISTER_SLICE)
    assert proxy.refused >= 2
    assert run.code == 1, run.stdout + run.stderr
    html = (run.report_dir / "report.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert SCRIPT not in html
    assert "<script" not in html.lower()
    ET.parse(run.report_dir / "junit.xml")  # hostile text does not break the XML
    messages = [r["message"] for r in run.report["results"] if r["outcome"] == "failed"]
    assert any(SCRIPT in m for m in messages), messages  # report.json keeps the raw text


SECRETS = {
    "AWS_ACCESS_KEY_ID": "AKIAFAKEFAKEFAKE0001",
    "AWS_SECRET_ACCESS_KEY": "fakeSecretKey-9f3b1c7e5a2d4e6f8a0b",
    "AWS_SESSION_TOKEN": "fakeSessionToken-4b8c1a93e2f7d6c5b4a3",
    "MY_SERVICE_TOKEN": "fakeServiceToken-c0ffee42deadbeef",
}


def test_no_secret_in_reports_or_output(tmp_path: Path, moto_server: MotoServer) -> None:
    """Secrets in the environment, even echoed back by the endpoint, appear in no output."""
    url = moto_server.endpoint_url
    assert url is not None
    seen: list[Mapping[str, str]] = []

    def echo_secrets(headers: Mapping[str, str]) -> str:
        seen.append(headers)
        lowered = {k.lower(): v for k, v in headers.items()}
        return (  # short values first: messages are cut at ~160 characters on the way
            f"denied: secret={SECRETS['AWS_SECRET_ACCESS_KEY']}"
            f" service={SECRETS['MY_SERVICE_TOKEN']}"
            f" token={lowered.get('x-amz-security-token')}"
            f" Authorization: {lowered.get('authorization')}"
        )

    with HostileProxy(url, message=echo_secrets, refuse=_is_register) as proxy:
        run = run_cli(tmp_path, "--endpoint-url", proxy.url, "-k", REGISTER_SLICE, env=SECRETS)
    assert proxy.refused >= 2
    tokens = {h.get("X-Amz-Security-Token") for h in seen}
    assert SECRETS["AWS_SESSION_TOKEN"] in tokens  # the run really used the credentials
    assert run.code == 1, run.stdout + run.stderr
    files = sorted(p for p in run.report_dir.rglob("*") if p.is_file())
    assert {p.name for p in files} >= set(REPORT_FILES)
    outputs = {str(p.name): p.read_text(errors="replace") for p in files}
    outputs.update({"stdout": run.stdout, "stderr": run.stderr})
    for name, value in SECRETS.items():
        if name == "AWS_ACCESS_KEY_ID":
            continue
        leaks = [where for where, text in outputs.items() if value in text]
        assert not leaks, f"{name} leaked into {leaks}"
    assert "fakeSecretKey" not in json.dumps(run.report)


def test_no_secret_in_fatal_line(tmp_path: Path, moto_server: MotoServer) -> None:
    """An endpoint that echoes secrets while refusing provisioning: the fatal line hides them."""
    url = moto_server.endpoint_url
    assert url is not None
    leak = f"secret={SECRETS['AWS_SECRET_ACCESS_KEY']} service={SECRETS['MY_SERVICE_TOKEN']}"
    with HostileProxy(url, message=lambda _h: leak, refuse=lambda _p, _b: True) as proxy:
        run = run_cli(tmp_path, "--endpoint-url", proxy.url, env=SECRETS)
    assert proxy.refused >= 1
    assert run.code == 3, run.stdout + run.stderr
    line = one_line(run.stderr)
    assert "secret=" in line  # the endpoint's words reach the line, the values do not
    for name in ("AWS_SECRET_ACCESS_KEY", "MY_SERVICE_TOKEN"):
        assert SECRETS[name] not in run.stdout + run.stderr, name


# ---------------------------------------------------------------------------------------
# Cleanup


def test_full_run_leaves_nothing_behind(tmp_path: Path, fresh_moto_server: MotoServer) -> None:
    """After a full run on a moto server: no queue, environment, active definition or role."""
    url = fresh_moto_server.endpoint_url
    assert url is not None
    run = run_cli(tmp_path, "--endpoint-url", url)
    assert run.code == 1, run.stdout + run.stderr  # moto has known deviations
    assert len(run.outcomes) > 50
    assert leftovers(url) == {
        "scheduling policies": [],
        "job queues": [],
        "compute environments": [],
        "active job definitions": [],
        "roles": [],
    }


def test_full_current_run_leaves_nothing_behind(
    tmp_path: Path, fresh_moto_server: MotoServer
) -> None:
    """After a whole --scope current run (it creates compute environments, queues,
    scheduling policies, definitions and jobs of its own): nothing of the run is left."""
    url = fresh_moto_server.endpoint_url
    assert url is not None
    run = run_cli(tmp_path, "--endpoint-url", url, "--scope", "current")
    assert run.code == 1, run.stdout + run.stderr  # moto has known deviations
    assert len(run.outcomes) > 300
    assert leftovers(url) == {
        "scheduling policies": [],
        "job queues": [],
        "compute environments": [],
        "active job definitions": [],
        "roles": [],
    }
    assert "left on the endpoint" not in run.stdout + run.stderr


def test_cleanup_sweeps_by_prefix_what_no_answer_recorded(fresh_moto_server: MotoServer) -> None:
    """A compute environment, a queue and a scheduling policy named by the run whose answers
    never reached the ledger (a call cut off in flight) are deleted; another run's stay."""
    from conformance.provision import Provisioner
    from conformance.scopes import CURRENT
    from conformance.session import swept_kinds

    url = fresh_moto_server.endpoint_url
    assert url is not None
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
    tmp_path: Path, fresh_moto_server: MotoServer, sigint_reaches_children: None
) -> None:
    """SIGTERM while the current scope's cases make their own resources: swept all the same
    (by the run's prefix, even what the ledger never saw)."""
    url = fresh_moto_server.endpoint_url
    assert url is not None
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
    fresh_moto_server: MotoServer,
    sigint_reaches_children: None,
    signum: signal.Signals,
    hold: Callable[[], Sabotage],
) -> None:
    """Ctrl-C (or SIGTERM) mid-run still deletes everything the run created."""
    url = fresh_moto_server.endpoint_url
    assert url is not None
    proc, stdout, stderr = interrupted_run(tmp_path, url, [], hold(), [signum])
    left = leftovers(url)
    assert left == {
        "scheduling policies": [],
        "job queues": [],
        "compute environments": [],
        "active job definitions": [],
        "roles": [],
    }, stdout + stderr
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
    tmp_path: Path, fresh_moto_server: MotoServer, sigint_reaches_children: None
) -> None:
    """SIGTERM while the cleanup disables the run's queue (CI cancelling a job that is
    finishing): the cleanup goes on to its end, the run says so and exits 130."""
    url = fresh_moto_server.endpoint_url
    assert url is not None
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
    tmp_path: Path, fresh_moto_server: MotoServer, sigint_reaches_children: None
) -> None:
    """Ctrl-C twice during the cleanup: it stops at once; the run names the prefix of what
    may be left on the console and in the reports, with no traceback; exit 130."""
    url = fresh_moto_server.endpoint_url
    assert url is not None
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


# ---------------------------------------------------------------------------------------
# Usage errors


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--target", "nowhere"], "nowhere"),
        (["--examples", "0"], "--examples"),
        (["--endpoint-url", "not-a-url"], "not-a-url"),
        (["--endpoint-url", "http://127.0.0.1:notaport"], "notaport"),
        (["--baseline", "missing-baseline.json"], "missing-baseline.json"),
        (["--case", "no_such::case"], "no_such::case"),
        (["-k", "matches_no_case_at_all"], "no case"),
    ],
    ids=["target", "examples", "url", "port", "baseline", "case", "keyword"],
)
def test_usage_errors_exit_2_with_one_line(tmp_path: Path, args: list[str], named: str) -> None:
    """A bad option or file exits 2 with one line that names it, no traceback."""
    run = run_cli(tmp_path, *args)
    assert run.code == 2, run.stdout + run.stderr
    assert named in one_line(run.stderr)
    assert "--batch-" not in run.stderr, "the CLI names the plugin's option"
    assert_no_traceback(run)


# ---------------------------------------------------------------------------------------
# Plain pytest, and the reports of a default run


def plain_pytest(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`pytest --pyargs conformance.cases ARGS`, reports to tmp_path/reports."""
    argv = [sys.executable, "-m", "pytest", "--pyargs", "conformance.cases", "-p"]
    argv += ["no:cacheprovider", "--batch-report-dir", str(tmp_path / "reports"), *args]
    return subprocess.run(
        argv,
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_plain_pytest_runs_the_cases(tmp_path: Path) -> None:
    """`pytest --pyargs conformance.cases` with the plugin's options writes the four reports."""
    report_dir = tmp_path / "reports"
    done = plain_pytest(tmp_path, "--batch-target", "moto", "-q", "-k", SUBMIT_SLICE)
    run = Run(done.returncode, done.stdout, done.stderr, report_dir)
    assert run.code == 1, run.stdout + run.stderr  # moto accepts a 129-character jobName
    for name in REPORT_FILES:
        assert (report_dir / name).is_file(), name
    assert len(run.outcomes) == 4
    assert {r["rule"] for r in run.report["results"]} == {"SubmitJob.jobName.length"}
    assert "batch-conformance" in run.stdout  # the suite's own summary
    # pytest's own counts (its last line) are the suite's
    summary = run.report["summary"]
    pytest_line = run.stdout.strip().splitlines()[-1]
    assert f"{summary['failed']} failed, {summary['passed']} passed" in pytest_line, pytest_line


def test_plain_pytest_with_xdist_is_a_usage_error(tmp_path: Path) -> None:
    """`pytest -n` over the cases: one line pointing at `--workers`, nothing started."""
    done = plain_pytest(tmp_path, "-n", "2")
    assert done.returncode == 4, done.stdout + done.stderr
    assert "batch-conformance run --workers N" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert not (tmp_path / "reports").exists()


def test_default_run_writes_four_reports(tmp_path: Path) -> None:
    """A run with no options writes the four reports under reports/runs/; report.json schema."""
    done = subprocess.run(
        [sys.executable, "-m", "conformance", "run"],
        check=False,
        cwd=tmp_path,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 1, done.stdout + done.stderr  # moto has known deviations
    folders = list((tmp_path / "reports" / "runs").iterdir())
    assert len(folders) == 1
    folder = folders[0]
    assert sorted(p.name for p in folder.iterdir()) == sorted(REPORT_FILES)
    report = json.loads((folder / "report.json").read_text())
    for key in ("schema_version", "target", "sdk", "started_at", "duration_s", "summary"):
        assert key in report, key
    assert report["target"]["name"] == "moto"
    assert set(report["sdk"]) >= {"boto3", "botocore"}
    assert report["fatal"] is None
    results = report["results"]
    assert len(results) > 50
    for result in results:
        assert set(result) >= {"id", "rule", "operation", "outcome", "message"}
        assert result["outcome"] in {"passed", "failed", "error", "skipped"}
    assert len({r["id"] for r in results}) == len(results)
    counted = {k: report["summary"][k] for k in ("passed", "failed", "error", "skipped")}
    assert sum(counted.values()) == report["summary"]["total"] == len(results)
    # Every request a case expected to be accepted kept to what AWS documents (the runtime
    # guard in Batch.accept turns any other into a "suite defect" error, never sent).
    defects = [r["id"] for r in results if r["message"].startswith("suite defect")]
    assert not defects, defects
    # the console ends with the run's own total, which agrees with report.json, and last
    # the gate's verdict, as report.json words it
    total, last = done.stdout.strip().splitlines()[-2:]
    counts = report["summary"]
    expected = "  ".join(f"{o} {counts[o]}" for o in ("failed", "error", "passed", "skipped"))
    assert total.startswith(f"total: {expected} of {counts['total']} cases;"), total
    assert last == f"gate: {report['gate']['text']}", last
    assert last.startswith("gate: FAILED — "), last
    assert last.endswith("(no baseline: every failure is new)"), last
    assert {r["rule"] for r in results if r["rule"]} <= set(report["rules"])
    ET.parse(folder / "junit.xml")
