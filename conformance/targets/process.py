"""Run an emulator as a real process on a free 127.0.0.1 port, and stop it again."""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

from conformance.redact import redact_text
from conformance.targets.base import TargetError
from conformance.waiting import poll

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """A child process serving HTTP on 127.0.0.1:port; its output goes to a log file."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        port: int,
        *,
        env: Mapping[str, str] | None = None,
        ready_path: str = "/",
        start_timeout_s: float = 60.0,
    ) -> None:
        self.name = name
        self.port = port
        self.url = f"http://{LOOPBACK}:{port}"
        self._argv = list(argv)
        self._env = {**os.environ, **(env or {})}
        self._ready_path = ready_path
        self._timeout = start_timeout_s
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self.log_path: Path | None = None

    def start(self) -> None:
        """Start the process and wait until it answers HTTP, or raise TargetError."""
        self._log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in stop()
            prefix=f"batch-conformance-{self.name}-", suffix=".log", delete=False
        )
        self.log_path = Path(self._log.name)
        try:
            proc = subprocess.Popen(
                self._argv,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=self._env,
                start_new_session=True,
            )
        except OSError as exc:
            self.stop()
            raise TargetError(f"{self.name}: cannot start {self._argv[0]!r}: {exc}") from exc
        self._proc = proc

        def look() -> int | bool:
            """The exit code of a process that died, else whether it answers."""
            code = proc.poll()
            return code if code is not None else self._answers()

        seen = poll(look, lambda got: got is not False, self._timeout, cap_s=0.1).value
        if seen is True:
            return
        if seen is not False:  # exited: read before stop(), which forgets the process
            self.stop()
            raise TargetError(
                f"{self.name} exited with code {seen} before answering on {self.url}{self._tail()}"
            )
        self.stop()
        raise TargetError(f"{self.name} did not answer on {self.url} within {self._timeout:.0f} s")

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + self._ready_path, timeout=1):
                return True
        except urllib.error.HTTPError:
            return True  # it answered, even if with an error status
        except (OSError, ValueError):
            return False

    def _tail(self) -> str:
        if self.log_path is None:
            return ""
        try:
            lines = self.log_path.read_text(errors="replace").strip().splitlines()
        except OSError:
            return ""
        # The emulator's own words: it may print its environment, so redact them.
        return f": {redact_text(lines[-1])[:200]}" if lines else ""

    def stop(self) -> None:
        """Terminate the process (then kill it if it lingers). Safe to call twice."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None
