"""The target as a worker process sees it: a run another process started and will stop."""

from __future__ import annotations

import boto3

from conformance.results import TargetInfo
from conformance.targets.base import dummy_session


class JoinedTarget:
    """An endpoint that is already up: nothing to start or stop here."""

    discards_on_stop = False

    def __init__(self, info: TargetInfo, endpoint_url: str | None) -> None:
        self.notes: list[str] = []
        self._info = info
        self._url = endpoint_url

    @property
    def info(self) -> TargetInfo:
        """The run's target, as the process that started it describes it."""
        return self._info

    @property
    def endpoint_url(self) -> str | None:
        """The same URL the run's own process uses (None: the SDK's default, real AWS)."""
        return self._url

    def start(self) -> None:
        """Already started by the run's own process."""

    def session(self) -> boto3.session.Session:
        """Real AWS uses the normal credential chain; emulators take dummy credentials."""
        if self._info.name == "aws":
            return boto3.session.Session(region_name=self._info.region)
        return dummy_session(self._info.region)

    def stop(self) -> None:
        """The run's own process stops the target."""
