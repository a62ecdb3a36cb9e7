"""`batch-conformance replay`: what it prints is redacted, and it leaves no folder behind."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from conformance.targets.moto_server import MotoServer
from conformance.targets.process import free_port
from tests.cli import RUN_TIMEOUT_S, cli
from tests.hostile.servers import HostileProxy

TIMEOUT_59 = "request_limits::test_limit[SubmitJob.timeout.minimum:outside:59]"
SECRETS = {
    "AWS_ACCESS_KEY_ID": "AKIAFAKEFAKEFAKE0002",
    "AWS_SECRET_ACCESS_KEY": "fakeSecretKey-replay-7c1e9a3b5d",
    "AWS_SESSION_TOKEN": "fakeSessionToken-replay-2f4a6c8e0b",
    "MY_SERVICE_TOKEN": "fakeServiceToken-replay-beefcafe",
}
SCRATCH_PREFIX = "batch-conformance-replay-"


@pytest.fixture(scope="module")
def moto_server() -> Iterator[MotoServer]:
    """A real moto server (it accepts a timeout of 59 s: the recorded case fails)."""
    server = MotoServer("us-east-1")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def recorded(moto_server: MotoServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report.json of a run of the timeout-59 case on the moto server."""
    folder = tmp_path_factory.mktemp("recorded")
    assert moto_server.endpoint_url is not None
    done = cli(
        "run",
        "--endpoint-url",
        moto_server.endpoint_url,
        "--case",
        TIMEOUT_59,
        "--report-dir",
        str(folder / "r"),
        cwd=folder,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    return folder / "r" / "report.json"


def replay(
    tmp_path: Path, report: Path, *args: str, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`batch-conformance replay REPORT TIMEOUT_59 ARGS` with TMPDIR in `tmp_path/tmp`."""
    scratch = tmp_path / "tmp"
    scratch.mkdir(exist_ok=True)
    environ = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    environ.update({"AWS_EC2_METADATA_DISABLED": "true", "TMPDIR": str(scratch), **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "conformance", "replay", str(report), TIMEOUT_59, *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environ,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )


def scratch_left(tmp_path: Path) -> list[str]:
    """Replay folders left in the TMPDIR that `replay` used."""
    return [p.name for p in (tmp_path / "tmp").iterdir() if p.name.startswith(SCRATCH_PREFIX)]


def test_replay_hides_secrets_an_endpoint_echoes(
    moto_server: MotoServer, recorded: Path, tmp_path: Path
) -> None:
    """An endpoint that puts the environment's secrets in its refusal: replay prints none."""
    assert moto_server.endpoint_url is not None
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

    with HostileProxy(moto_server.endpoint_url, message=echo_secrets, refuse=is_submit) as proxy:
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
    moto_server: MotoServer, recorded: Path, tmp_path: Path
) -> None:
    """A replay's scratch report is no CI step's summary: GITHUB_STEP_SUMMARY stays as it was."""
    summary = tmp_path / "step-summary.md"
    summary.write_text("before\n", encoding="utf-8")
    assert moto_server.endpoint_url
    done = replay(
        tmp_path,
        recorded,
        "--endpoint-url",
        moto_server.endpoint_url,
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
