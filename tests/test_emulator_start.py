"""Emulators that cannot start: one line naming the cause, exit 3, never a traceback."""

from __future__ import annotations

import importlib.metadata
import os
import sys
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from conformance.targets import TargetError
from conformance.targets.moto_server import configure_moto_server, installed_moto
from conformance.targets.process import ServerProcess, free_port
from tests.cli import cli, report
from tests.proxy_core import HTTPServer

DIES = [sys.executable, "-c", "import sys; print('starting'); print('boom'); sys.exit(4)"]
# Imported by every Python started with this folder on PYTHONPATH: the moto server's
# process (and only it) prints a line and exits 4 before it can listen.
DYING_MOTO_SERVER = """\
import os
import sys

if "moto.server" in sys.orig_argv:
    print("boom: moto.server refuses to start", flush=True)
    os._exit(4)
"""


def test_process_exiting_at_start_up_is_a_target_error() -> None:
    """A process that exits before answering: TargetError naming its exit code and last line."""
    server = ServerProcess("dying", DIES, free_port(), start_timeout_s=30)
    with pytest.raises(TargetError) as caught:
        server.start()
    message = str(caught.value)
    assert len(message.splitlines()) == 1, message
    assert message == f"dying exited with code 4 before answering on {server.url}: boom"
    server.stop()  # already stopped: a second stop is harmless


def test_process_tail_is_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    """The log line quoted in the error hides secrets of the environment."""
    secret = "fakeSecretKey-5e1d2c3b4a59687f"
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    argv = [sys.executable, "-c", "import os, sys; print(os.environ['AWS_SECRET_ACCESS_KEY'])"]
    server = ServerProcess("leaky", argv, free_port(), start_timeout_s=30)
    with pytest.raises(TargetError) as caught:
        server.start()
    assert "exited with code 0" in str(caught.value)
    assert secret not in str(caught.value)
    assert str(caught.value).endswith(": ***")


def test_missing_program_is_a_target_error(tmp_path: Path) -> None:
    """A program that does not exist: TargetError with one line naming it."""
    missing = str(tmp_path / "no-such-emulator")
    server = ServerProcess("missing", [missing], free_port())
    with pytest.raises(TargetError) as caught:
        server.start()
    assert len(str(caught.value).splitlines()) == 1
    assert missing in str(caught.value)


def test_cli_moto_server_dying_at_start_up_exits_3(tmp_path: Path) -> None:
    """`--target moto-server` whose server exits at start-up: exit 3, one line, no traceback."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(DYING_MOTO_SERVER)
    path = os.pathsep.join(p for p in (str(hook), os.environ.get("PYTHONPATH")) if p)
    done = cli(
        "run",
        "--target",
        "moto-server",
        "--report-dir",
        "r",
        cwd=tmp_path,
        env={"PYTHONPATH": path},
    )
    assert done.returncode == 3, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert "moto-server exited with code 4 before answering on http://127.0.0.1:" in lines[0]
    assert lines[0].endswith(": boom: moto.server refuses to start")
    fatal = report(tmp_path / "r")["fatal"]
    assert "exited with code 4" in fatal


def _moto_before_config(
    handler: BaseHTTPRequestHandler, _body: bytes
) -> tuple[int, dict[str, str], bytes]:
    """A moto server older than 5.0.3: /moto-api/ answers, /moto-api/config is a 404."""
    if handler.path.startswith("/moto-api/config"):
        return 404, {"Content-Type": "text/html"}, b"<h1>Not Found</h1>"
    return 200, {"Content-Type": "text/html"}, b"<h1>moto</h1>"


def test_moto_server_without_config_endpoint_names_the_version_needed() -> None:
    """A moto server that answers 404 on /moto-api/config: moto >= 5.0.3 is needed."""
    with HTTPServer(_moto_before_config) as old_moto, pytest.raises(TargetError) as caught:
        configure_moto_server(old_moto.url)
    message = str(caught.value)
    assert len(message.splitlines()) == 1, message
    installed = importlib.metadata.version("moto")
    assert installed_moto() == installed
    assert message.endswith(f"moto >= 5.0.3 is needed (installed: {installed})"), message
    assert old_moto.url in message


def test_moto_server_config_refused_otherwise_is_not_blamed_on_the_version() -> None:
    """Another error status on /moto-api/config is reported as it is."""
    broken = HTTPServer(lambda _h, _b: (500, {}, b"broken"))
    with broken, pytest.raises(TargetError) as caught:
        configure_moto_server(broken.url)
    assert "cannot set /moto-api/config: HTTP Error 500" in str(caught.value)
    assert "is needed" not in str(caught.value)
