"""What a target is: the one thing that varies between runs."""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass
from typing import Protocol

import boto3

from conformance.errors import TargetError, UsageError
from conformance.results import TargetInfo

__all__ = ["Target", "TargetError", "TargetOptions", "UsageError"]

DUMMY_KEY = "testing"


def dummy_session(region: str) -> boto3.session.Session:
    """A session with moto's well-known dummy credentials (emulators accept any)."""
    return boto3.session.Session(
        aws_access_key_id=DUMMY_KEY, aws_secret_access_key=DUMMY_KEY, region_name=region
    )


def package_version(name: str) -> str | None:
    """The installed version of a Python package (an emulator's), None if not installed."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


@dataclass(frozen=True)
class TargetOptions:
    """What the user chose on the command line."""

    name: str
    endpoint_url: str | None
    region: str
    allow_real_aws: bool = False


class Target(Protocol):
    """An endpoint that speaks the AWS Batch API (and IAM, for provisioning).

    `discards_on_stop`: `stop` ends the endpoint and all it holds (a process, or moto in
    this process, that the run started), so nothing the cleanup could not delete is left.
    `notes`: what `start` noticed about the endpoint that may change its verdicts, one line
    each (say, a moto server whose Batch runs jobs in Docker).
    """

    discards_on_stop: bool
    notes: list[str]

    @property
    def info(self) -> TargetInfo:
        """Name, endpoint and region, for the report."""
        ...

    def start(self) -> None:
        """Bring the endpoint up (start a process, patch botocore, ...)."""
        ...

    def session(self) -> boto3.session.Session:
        """A boto3 session with the credentials and region to use."""
        ...

    @property
    def endpoint_url(self) -> str | None:
        """Where clients send requests; None for the SDK's default (real AWS, moto in-process)."""
        ...

    def stop(self) -> None:
        """Tear down what `start` brought up. Safe to call twice."""
        ...
