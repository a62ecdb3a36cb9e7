"""Any emulator at a URL (LocalStack, ministack, your own)."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import boto3

from conformance.results import TargetInfo
from conformance.targets.base import UsageError, dummy_session
from conformance.targets.moto_server import docker_note


def check_url(url: str) -> str:
    """Return the URL if it is http(s)://host[:port], else raise UsageError."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise UsageError(f"--endpoint-url {url!r}: expected http://HOST[:PORT] or https://...")
    try:
        _ = parts.port
    except ValueError as exc:
        raise UsageError(f"--endpoint-url {url!r}: bad port ({exc})") from exc
    return url.rstrip("/")


class EndpointTarget:
    """An endpoint the user runs; dummy credentials unless the environment has real ones."""

    discards_on_stop = False

    def __init__(self, url: str, region: str, name: str = "endpoint") -> None:
        self.notes: list[str] = []
        self._url = check_url(url)
        self._region = region
        self._name = name

    @property
    def info(self) -> TargetInfo:
        """Name, endpoint and region."""
        return TargetInfo(name=self._name, endpoint=self._url, region=self._region)

    @property
    def endpoint_url(self) -> str | None:
        """The URL given by the user."""
        return self._url

    def start(self) -> None:
        """Nothing to start (the user runs it); a moto server running Docker is noted."""
        if note := docker_note(self._url):
            self.notes.append(note)

    def session(self) -> boto3.session.Session:
        """Credentials from the environment if present, else dummy ones."""
        if os.environ.get("AWS_ACCESS_KEY_ID") or os.environ.get("AWS_PROFILE"):
            return boto3.session.Session(region_name=self._region)
        return dummy_session(self._region)

    def stop(self) -> None:
        """Nothing to stop."""
