"""Targets: which one a user's options pick, the aws opt-in, and a real moto server over HTTP."""

from __future__ import annotations

import json
import os
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from conformance.calls import READ_TIMEOUT_ENV, _seconds_from_env
from conformance.targets import TargetOptions, UsageError, make_target
from conformance.targets.endpoint import EndpointTarget, check_url
from conformance.targets.moto_server import MotoServer
from conformance.targets.process import free_port
from tests.cli import Done, python
from tests.hostile.servers import RawServer

REGION = "us-east-1"
REPORT_FILES = ("report.json", "report.md", "report.html", "junit.xml")
GARBAGE_AWS = {
    "AWS_ACCESS_KEY_ID": "AKIAGARBAGEGARBAGE00",
    "AWS_SECRET_ACCESS_KEY": "garbage-secret-key-not-real",
    "AWS_SESSION_TOKEN": "garbage-session-token-not-real",
    "AWS_DEFAULT_REGION": REGION,
}


def run(tmp_path: Path, argv: list[str], env: Mapping[str, str]) -> Done:
    """Run `argv` with this module's Python in `tmp_path`, with `clean_env(env)`."""
    return python(argv, tmp_path, env)


def lines(text: str) -> list[str]:
    """The non-blank lines of `text`."""
    return [line for line in text.splitlines() if line.strip()]


def _ignore(_conn: socket.socket, _stopping: threading.Event) -> None:
    """A connection handler that does nothing (the server only counts connections)."""


@pytest.fixture
def tripwire() -> Iterator[RawServer]:
    """A listener that counts connections: every AWS URL and proxy points at it."""
    with RawServer(_ignore) as server:
        yield server


def tripwire_env(server: RawServer) -> dict[str, str]:
    """Garbage credentials, and every way out to AWS routed to the tripwire."""
    return {
        **GARBAGE_AWS,
        "AWS_ENDPOINT_URL": server.url,
        "HTTPS_PROXY": server.url,
        "HTTP_PROXY": server.url,
        "NO_PROXY": "",
    }


# ---------------------------------------------------------------------------------------
# The aws opt-in


def test_aws_target_refuses_without_opt_in(tmp_path: Path, tripwire: RawServer) -> None:
    """`--target aws` without --allow-real-aws: exit 2, one line, not one connection."""
    done = run(
        tmp_path,
        ["-m", "conformance", "run", "--target", "aws", "--report-dir", "reports"],
        tripwire_env(tripwire),
    )
    assert done.returncode == 2, done.stdout + done.stderr
    (line,) = lines(done.stderr)
    assert "--allow-real-aws" in line
    assert "Traceback" not in done.stdout + done.stderr
    assert tripwire.connections == 0
    assert not (tmp_path / "reports").exists()


def test_aws_target_refuses_without_opt_in_in_pytest(tmp_path: Path, tripwire: RawServer) -> None:
    """Plain pytest with --batch-target aws and no --batch-allow-real-aws refuses too."""
    argv = ["-m", "pytest", "--pyargs", "conformance.cases", "-p", "no:cacheprovider", "-q"]
    argv += ["--batch-target", "aws", "--batch-report-dir", "reports", "-k", "jobName.length"]
    done = run(tmp_path, argv, tripwire_env(tripwire))
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, done.stdout + done.stderr
    assert "--allow-real-aws" in done.stdout + done.stderr
    assert tripwire.connections == 0


def test_aws_target_with_opt_in_fails_in_one_line(tmp_path: Path) -> None:
    """With the opt-in and an unreachable AWS, it exits 3 with one line, before any case."""
    closed = f"http://127.0.0.1:{free_port()}"
    env = {**GARBAGE_AWS, "AWS_ENDPOINT_URL": closed}
    argv = ["-m", "conformance", "run", "--target", "aws", "--allow-real-aws"]
    done = run(tmp_path, [*argv, "--report-dir", "reports"], env)
    assert done.returncode == 3, done.stdout + done.stderr
    (line,) = lines(done.stderr)
    assert "target aws" in line
    assert "Traceback" not in done.stdout + done.stderr
    report = json.loads((tmp_path / "reports" / "report.json").read_text())
    assert report["fatal"]
    assert report["results"] == []


# ---------------------------------------------------------------------------------------
# Picking a target


def test_endpoint_url_implies_the_endpoint_target() -> None:
    """An endpoint URL with the default target picks the `endpoint` target, URL as given."""
    target = make_target(TargetOptions("moto", "http://127.0.0.1:4566/", REGION))
    assert isinstance(target, EndpointTarget)
    assert target.endpoint_url == "http://127.0.0.1:4566"
    assert target.info.name == "endpoint"


@pytest.mark.parametrize(
    ("name", "url"),
    [("endpoint", None), ("nowhere", None), ("aws", None)],
    ids=["endpoint-without-url", "unknown", "aws-without-opt-in"],
)
def test_bad_target_choices_are_usage_errors(name: str, url: str | None) -> None:
    """A target that cannot be built from the options is a UsageError with one line."""
    with pytest.raises(UsageError) as caught:
        make_target(TargetOptions(name, url, REGION))
    assert len(str(caught.value).splitlines()) == 1


@pytest.mark.parametrize(
    "url", ["127.0.0.1:4566", "ftp://127.0.0.1", "http://", "http://h:port", "http://h:99999"]
)
def test_check_url_refuses_what_is_not_an_http_url(url: str) -> None:
    """--endpoint-url must be http(s)://HOST[:PORT]."""
    with pytest.raises(UsageError):
        check_url(url)


def test_endpoint_credentials_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The endpoint target uses the environment's credentials if any, else dummy ones."""
    target = EndpointTarget("http://127.0.0.1:4566", REGION)
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    dummy = target.session().get_credentials()
    assert dummy is not None
    assert dummy.access_key == "testing"
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", GARBAGE_AWS["AWS_ACCESS_KEY_ID"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", GARBAGE_AWS["AWS_SECRET_ACCESS_KEY"])
    from_env = target.session().get_credentials()
    assert from_env is not None
    assert from_env.access_key == GARBAGE_AWS["AWS_ACCESS_KEY_ID"]


@pytest.mark.parametrize(
    ("value", "expected"), [(None, 30.0), ("2.5", 2.5), ("0", 30.0), ("soon", 30.0)]
)
def test_read_timeout_from_environment(
    monkeypatch: pytest.MonkeyPatch, value: str | None, expected: float
) -> None:
    """BATCH_CONFORMANCE_READ_TIMEOUT bounds reads; nonsense falls back to 30 s."""
    if value is None:
        monkeypatch.delenv(READ_TIMEOUT_ENV, raising=False)
    else:
        monkeypatch.setenv(READ_TIMEOUT_ENV, value)
    assert _seconds_from_env(READ_TIMEOUT_ENV, 30.0) == expected


# ---------------------------------------------------------------------------------------
# A real moto server


def test_moto_server_starts_configured_and_stops() -> None:
    """The moto-server target answers Batch on 127.0.0.1 without Docker, and stops for good
    (its own server: this test stops it)."""
    server = MotoServer(REGION)
    server.start()
    url = server.endpoint_url
    assert url is not None
    try:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(url + "/moto-api/config", timeout=10) as answer:
            config = json.loads(answer.read())
        assert config["batch"]["use_docker"] is False
        client = server.session().client("batch", endpoint_url=url)
        assert client.describe_job_queues()["jobQueues"] == []
    finally:
        server.stop()
    server.stop()  # twice is fine
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url + "/moto-api/", timeout=2)


def test_suite_over_http_against_moto_server(tmp_path: Path) -> None:
    """`--target moto-server` runs cases over HTTP: rule ids, exit 1 (deviations), 4 reports."""
    argv = ["-m", "conformance", "run", "--target", "moto-server", "--report-dir", "reports"]
    argv += ["-k", "SubmitJob and (jobName or timeout or retryStrategy)"]
    done = run(tmp_path, argv, {})
    assert done.returncode == 1, done.stdout + done.stderr
    folder = tmp_path / "reports"
    for name in REPORT_FILES:
        assert (folder / name).is_file(), name
    report = json.loads((folder / "report.json").read_text())
    assert report["target"]["name"] == "moto-server"
    assert report["target"]["endpoint"].startswith("http://127.0.0.1:")
    results = report["results"]
    assert len(results) >= 15
    assert all(r["rule"] for r in results)
    assert {r["operation"] for r in results} >= {"SubmitJob"}
    assert "failed" in {r["outcome"] for r in results}
    assert "passed" in {r["outcome"] for r in results}
    exchanges = [x for r in results for x in r["exchanges"]]
    assert exchanges
    assert all(x["http_status"] is not None for x in exchanges if not x["rejected_by"])
