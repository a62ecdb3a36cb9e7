"""A real moto server on a free 127.0.0.1 port, spoken to over HTTP."""

from __future__ import annotations

import http.client
import json
import sys
import urllib.error
import urllib.request

import boto3

from conformance.results import TargetInfo
from conformance.targets.base import TargetError, dummy_session, package_version
from conformance.targets.moto_embedded import MOTO_CONFIG
from conformance.targets.process import ServerProcess, free_port

# The first moto whose server has /moto-api/config (older ones answer 404 there).
MOTO_MIN_VERSION = "5.0.3"


def installed_moto() -> str:
    """The version of the moto installed next to this suite."""
    return package_version("moto") or "none"


def serves_moto(url: str, timeout_s: float = 2.0) -> bool:
    """Does the endpoint at `url` answer as a moto server does (its /moto-api/ page)?"""
    try:
        with urllib.request.urlopen(url + "/moto-api/", timeout=timeout_s) as answer:
            return b"moto" in answer.read(4096).lower()
    except (OSError, ValueError):
        return False


def configure_moto_server(url: str) -> None:
    """POST batch's `use_docker: False` to the server; without it jobs look for Docker."""
    request = urllib.request.Request(
        url + "/moto-api/config",
        data=json.dumps(MOTO_CONFIG).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            answer.read()
    except OSError as exc:
        if isinstance(exc, urllib.error.HTTPError) and exc.code == 404:
            raise TargetError(
                f"moto-server at {url}: /moto-api/config answered 404:"
                f" moto >= {MOTO_MIN_VERSION} is needed (installed: {installed_moto()})"
            ) from exc
        raise TargetError(f"moto-server at {url}: cannot set /moto-api/config: {exc}") from exc


def docker_note(url: str) -> str | None:
    """One line when `url` is a moto server whose Batch runs jobs in Docker, else None.

    moto's server answers `GET /moto-api/config` with its configuration; any other
    endpoint answers something else (404, HTML, no `batch`), and nothing is said.
    """
    try:
        with urllib.request.urlopen(url + "/moto-api/config", timeout=3) as answer:
            config = json.loads(answer.read(65536))
    except (OSError, ValueError, http.client.HTTPException):  # not an HTTP server: not moto
        return None
    batch = config.get("batch") if isinstance(config, dict) else None
    if not isinstance(batch, dict) or batch.get("use_docker") is not True:
        return None
    off = json.dumps(MOTO_CONFIG)
    return (
        f"{url} is a moto server whose Batch runs jobs in Docker (use_docker true), unlike"
        f" --target moto-server: some verdicts differ. To run it as the suite does:"
        f" curl -X POST -d '{off}' {url}/moto-api/config"
    )


class MotoServer:
    """`python -m moto.server -H 127.0.0.1 -p PORT`, configured like the embedded target."""

    discards_on_stop = True

    def __init__(self, region: str) -> None:
        self.notes: list[str] = []
        self._region = region
        port = free_port()
        self._server = ServerProcess(
            "moto-server",
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            port,
            ready_path="/moto-api/",
        )

    @property
    def info(self) -> TargetInfo:
        """Name, endpoint, region and moto's version."""
        return TargetInfo(
            name="moto-server",
            endpoint=self._server.url,
            region=self._region,
            version=package_version("moto"),
        )

    @property
    def endpoint_url(self) -> str | None:
        """The server's URL."""
        return self._server.url

    def start(self) -> None:
        """Start the server, wait for it, configure it."""
        self._server.start()
        try:
            configure_moto_server(self._server.url)
        except TargetError:
            self._server.stop()
            raise

    def session(self) -> boto3.session.Session:
        """Dummy credentials: moto accepts any."""
        return dummy_session(self._region)

    def stop(self) -> None:
        """Stop the server."""
        self._server.stop()
