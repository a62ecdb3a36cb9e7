"""ministack (PyPI), an open-source emulator that serves Batch without Docker."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import boto3

from conformance.results import TargetInfo
from conformance.targets.base import TargetError, dummy_session, package_version
from conformance.targets.process import ServerProcess, free_port


def ministack_command() -> list[str]:
    """The `ministack` console script next to this Python, else on PATH."""
    local = Path(sys.executable).with_name("ministack")
    if local.exists():
        return [str(local)]
    found = shutil.which("ministack")
    if found is None:
        raise TargetError(
            "target ministack: the `ministack` command is not installed"
            " (pip install 'batch-conformance[ministack]')"
        )
    return [found]


class Ministack:
    """ministack bound to 127.0.0.1 on a free port (it binds to all interfaces unless told)."""

    discards_on_stop = True

    def __init__(self, region: str) -> None:
        self.notes: list[str] = []
        self._region = region
        self._port = free_port()
        self._server: ServerProcess | None = None

    @property
    def info(self) -> TargetInfo:
        """Name, endpoint, region and ministack's version."""
        return TargetInfo(
            name="ministack",
            endpoint=self.endpoint_url,
            region=self._region,
            version=package_version("ministack"),
        )

    @property
    def endpoint_url(self) -> str | None:
        """Its gateway URL."""
        return f"http://127.0.0.1:{self._port}"

    def start(self) -> None:
        """Start ministack and wait until it answers."""
        env = {"BIND_HOST": "127.0.0.1", "GATEWAY_PORT": str(self._port)}
        self._server = ServerProcess("ministack", ministack_command(), self._port, env=env)
        self._server.start()

    def session(self) -> boto3.session.Session:
        """Dummy credentials."""
        return dummy_session(self._region)

    def stop(self) -> None:
        """Stop ministack."""
        if self._server is not None:
            self._server.stop()
