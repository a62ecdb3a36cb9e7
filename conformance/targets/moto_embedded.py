"""moto in-process: botocore is patched, nothing listens on a port."""

from __future__ import annotations

from typing import Any

import boto3

from conformance.results import TargetInfo
from conformance.targets.base import TargetError, dummy_session, package_version

# Batch without Docker: jobs run to completion at once instead of looking for a daemon.
MOTO_CONFIG: dict[str, Any] = {"batch": {"use_docker": False}}


class MotoEmbedded:
    """`mock_aws` with batch's `use_docker: False`."""

    discards_on_stop = True

    def __init__(self, region: str) -> None:
        self.notes: list[str] = []
        self._region = region
        self._mock: Any = None

    @property
    def info(self) -> TargetInfo:
        """Name, endpoint, region and moto's version."""
        return TargetInfo(
            name="moto", endpoint=None, region=self._region, version=package_version("moto")
        )

    @property
    def endpoint_url(self) -> str | None:
        """In-process: the SDK's default URL, intercepted by moto."""
        return None

    def start(self) -> None:
        """Start moto's patching of botocore."""
        try:
            from moto import mock_aws
        except ImportError as exc:  # pragma: no cover - moto is a dependency
            raise TargetError(f"target moto: cannot import moto ({exc})") from exc
        self._mock = mock_aws(config=MOTO_CONFIG)  # type: ignore[call-overload]
        self._mock.start()

    def session(self) -> boto3.session.Session:
        """Dummy credentials: moto accepts any."""
        return dummy_session(self._region)

    def stop(self) -> None:
        """Undo the patching and drop moto's state."""
        if self._mock is not None:
            self._mock.stop()
            self._mock = None
