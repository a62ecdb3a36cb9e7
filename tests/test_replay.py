"""`batch-conformance replay`: what it prints is redacted, and it leaves no folder behind."""

from __future__ import annotations

import html
import json
import re
import shlex
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from conformance.targets.process import free_port
from tests.cli import Done, cli, report, run_case
from tests.faulty.current_faults import not_found_page
from tests.faulty.proxy import SETUP_NAME, FaultyProxy
from tests.hostile.servers import HostileProxy
from tests.proxy_core import Answer

pytestmark = pytest.mark.xdist_group("replay")  # its tests read one recorded run

TIMEOUT_59 = "request_limits::test_limit[SubmitJob.timeout.minimum:outside:59]"
SECRETS = {
    "AWS_ACCESS_KEY_ID": "AKIAFAKEFAKEFAKE0002",
    "AWS_SECRET_ACCESS_KEY": "fakeSecretKey-replay-7c1e9a3b5d",
    "AWS_SESSION_TOKEN": "fakeSessionToken-replay-2f4a6c8e0b",
    "MY_SERVICE_TOKEN": "fakeServiceToken-replay-beefcafe",
}
SCRATCH_PREFIX = "batch-conformance-replay-"


@pytest.fixture(scope="module")
def recorded(moto_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report.json of a run of the timeout-59 case on the moto server (it accepts a
    timeout of 59 s: the case fails)."""
    folder = tmp_path_factory.mktemp("recorded")
    done = run_case(moto_url, TIMEOUT_59, folder / "r")
    assert done.returncode == 1, done.stdout + done.stderr
    return folder / "r" / "report.json"


def replay(tmp_path: Path, report: Path, *args: str, env: Mapping[str, str] | None = None) -> Done:
    """`batch-conformance replay REPORT TIMEOUT_59 ARGS` with TMPDIR in `tmp_path/tmp`."""
    scratch = tmp_path / "tmp"
    scratch.mkdir(exist_ok=True)
    environ = {"TMPDIR": str(scratch), **(env or {})}
    return cli("replay", str(report), TIMEOUT_59, *args, cwd=tmp_path, env=environ)


def scratch_left(tmp_path: Path) -> list[str]:
    """Replay folders left in the TMPDIR that `replay` used."""
    return [p.name for p in (tmp_path / "tmp").iterdir() if p.name.startswith(SCRATCH_PREFIX)]


def test_replay_hides_secrets_an_endpoint_echoes(
    moto_url: str, recorded: Path, tmp_path: Path
) -> None:
    """An endpoint that puts the environment's secrets in its refusal: replay prints none."""
    seen: list[Mapping[str, str]] = []

    def echo_secrets(headers: Mapping[str, str]) -> str:
        seen.append(headers)
        lowered = {k.lower(): v for k, v in headers.items()}
        return (
            f"denied: secret={SECRETS['AWS_SECRET_ACCESS_KEY']}"
            f" service={SECRETS['MY_SERVICE_TOKEN']}"
            f" token={lowered.get('x-amz-security-token')}"
        )

    def is_submit(path: str, _body: bytes) -> bool:
        return path.startswith("/v1/submitjob")

    with HostileProxy(moto_url, message=echo_secrets, refuse=is_submit) as proxy:
        done = replay(tmp_path, recorded, "--endpoint-url", proxy.url, env=SECRETS)
    assert proxy.refused >= 1
    assert SECRETS["AWS_SESSION_TOKEN"] in {h.get("X-Amz-Security-Token") for h in seen}
    output = done.stdout + done.stderr
    assert done.returncode == 0, output  # refused as it should be: passes now
    assert f"replay: {TIMEOUT_59} passes now" in done.stdout
    assert "denied: secret=***" in done.stdout  # the endpoint's words are shown, redacted
    for name in ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "MY_SERVICE_TOKEN"):
        assert SECRETS[name] not in output, f"{name} leaked"
    assert scratch_left(tmp_path) == []


def test_replay_leaves_the_step_summary_alone(
    moto_url: str, recorded: Path, tmp_path: Path
) -> None:
    """A replay's scratch report is no CI step's summary: GITHUB_STEP_SUMMARY stays as it was."""
    summary = tmp_path / "step-summary.md"
    summary.write_text("before\n", encoding="utf-8")
    done = replay(
        tmp_path,
        recorded,
        "--endpoint-url",
        moto_url,
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert done.returncode in {0, 1}, done.stdout + done.stderr
    assert summary.read_text(encoding="utf-8") == "before\n"


def test_failed_replay_leaves_no_folder(recorded: Path, tmp_path: Path) -> None:
    """A replay whose endpoint is unreachable exits 3 and removes its report folder too."""
    done = replay(tmp_path, recorded, "--endpoint-url", f"http://127.0.0.1:{free_port()}")
    assert done.returncode == 3, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert scratch_left(tmp_path) == []


# ---------------------------------------------------------------------------------------
# The replay commands a report prints, in both scopes


PRIORITY_1001 = "request_limits::test_limit[CreateJobQueue.priority.range:outside:1001]"
REPLAY_LINE = re.compile(r"^\s*replay: (batch-conformance replay .+)$", re.MULTILINE)
HTML_REPLAY = re.compile(r"<pre>(batch-conformance replay [^<]+)</pre>")


class NoSubmitProxy(FaultyProxy):
    """The faulty endpoint; with `no_submit`, SubmitJob of a case answers 404 (an HTML page),
    as an emulator without that route does."""

    no_submit = False

    def batch(self, operation: str, path: str, headers: Mapping[str, str], raw: bytes) -> Answer:
        """A 404 page for a case's SubmitJob when `no_submit`, else as usual."""
        name = str(json.loads(raw or b"{}").get("jobName", ""))
        if self.no_submit and operation == "SubmitJob" and not SETUP_NAME.search(name):
            return not_found_page("")
        return super().batch(operation, path, headers, raw)


@pytest.fixture
def proxy(moto_url: str) -> Iterator[NoSubmitProxy]:
    """tests/faulty's endpoint in front of the shared moto server, which can lack SubmitJob."""
    with NoSubmitProxy(moto_url) as proxy:
        yield proxy


def printed_replays(folder: Path, console: str) -> set[str]:
    """Every replay command the console, report.md and report.html print."""
    commands = set(REPLAY_LINE.findall(console))
    markdown = (folder / "report.md").read_text(encoding="utf-8")
    commands |= {
        line for line in markdown.splitlines() if line.startswith("batch-conformance replay")
    }
    page = (folder / "report.html").read_text(encoding="utf-8")
    commands |= {html.unescape(found) for found in HTML_REPLAY.findall(page)}
    return commands


def run_printed(command: str, cwd: Path) -> Done:
    """A printed `batch-conformance ...` command, exactly as printed, from `cwd`."""
    argv = shlex.split(command)
    assert argv[0] == "batch-conformance"
    return cli(*argv[1:], cwd=cwd)


@pytest.mark.parametrize(
    ("scope", "fault", "case"),
    [
        ("seed", "lax-submit-timeout-59", TIMEOUT_59),
        ("current", "lax-queue-priority-1001", PRIORITY_1001),  # a case of the current scope only
    ],
)
def test_printed_replay_commands_work_as_printed(
    proxy: NoSubmitProxy, tmp_path: Path, scope: str, fault: str, case: str
) -> None:
    """The one replay command the console, report.md and report.html print for a failing
    case replays it, in its report's scope: still failing with the fault, passing without."""
    proxy.fault = fault
    try:
        done = cli(
            "run",
            "--scope",
            scope,
            "--endpoint-url",
            proxy.url,
            "--case",
            case,
            "--report-dir",
            "r",
            cwd=tmp_path,
        )
        (result,) = report(tmp_path / "r")["results"]
        assert (result["id"], result["outcome"]) == (case, "failed"), done.stdout + done.stderr
        (command,) = printed_replays(tmp_path / "r", done.stdout)
        assert "--scope" not in command  # the report says its scope
        again = run_printed(command, tmp_path)
        assert again.returncode == 1, again.stdout + again.stderr
        assert f"replay: {case} still failed" in again.stdout
    finally:
        proxy.fault = None
    fixed = run_printed(command, tmp_path)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert f"replay: {case} passes now" in fixed.stdout


def test_replay_of_a_case_in_both_scopes_keeps_its_reports_scope(
    proxy: NoSubmitProxy, tmp_path: Path
) -> None:
    """TIMEOUT_59 is a case of both scopes. Replayed from a current report against an
    endpoint without SubmitJob, it is skipped as the current scope does (the operation's
    own case judges it); the seed scope would make it an error."""
    done = cli("run", "--scope", "current", "--case", TIMEOUT_59, "--report-dir", "r", cwd=tmp_path)
    assert done.returncode in {0, 1}, done.stdout + done.stderr
    proxy.no_submit = True
    try:
        again = replay(tmp_path, tmp_path / "r" / "report.json", "--endpoint-url", proxy.url)
    finally:
        proxy.no_submit = False
    assert "replayed (endpoint, scope current): SKIPPED not implemented" in again.stdout, (
        again.stdout + again.stderr
    )
    assert f"replay: {TIMEOUT_59} still skipped" in again.stdout
