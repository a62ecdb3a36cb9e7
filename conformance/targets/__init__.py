"""Targets: the endpoint under test. `make_target` picks one from the user's options."""

from __future__ import annotations

from urllib.parse import urlsplit

from conformance.targets.base import Target, TargetError, TargetOptions, UsageError

TARGET_NAMES = ("moto", "moto-server", "ministack", "endpoint", "aws")
# Cases run concurrently on latency-bound targets (pytest-xdist workers): real AWS and a
# remote endpoint. A local emulator is CPU-bound on the same machine (and moto's server is
# not thread-safe), so it gets one; embedded moto lives inside the run's own process.
DEFAULT_WORKERS = {"moto": 1, "moto-server": 1, "ministack": 1, "endpoint": 4, "aws": 8}
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MAX_WORKERS = 16
IN_PROCESS = frozenset({"moto"})
# Concurrent calls make moto's server answer 500 (DescribeJobs iterates its jobs while a
# SubmitJob adds one): more than one worker would make a run flaky, so it is refused.
NOT_THREAD_SAFE = frozenset({"moto-server"})

__all__ = [
    "DEFAULT_WORKERS",
    "IN_PROCESS",
    "MAX_WORKERS",
    "NOT_THREAD_SAFE",
    "TARGET_NAMES",
    "Target",
    "TargetError",
    "TargetOptions",
    "UsageError",
    "make_target",
]


def workers_for(target: str, asked: int | None, endpoint_url: str | None = None) -> int:
    """How many processes run the cases: the user's choice, else the target's default.

    An endpoint on this machine counts as a local emulator (one worker).
    """
    if asked is None:
        host = urlsplit(endpoint_url or "").hostname or ""
        if target == "endpoint" and (host in LOOPBACK_HOSTS or host.startswith("127.")):
            return 1
        return DEFAULT_WORKERS.get(target, 1)
    if not 1 <= asked <= MAX_WORKERS:
        raise UsageError(f"--workers must be between 1 and {MAX_WORKERS}")
    if asked > 1 and target in IN_PROCESS:
        raise UsageError(
            f"--workers {asked}: target {target} runs inside this process; use an endpoint"
            " that is thread-safe, or aws, to run cases concurrently"
        )
    if asked > 1 and target in NOT_THREAD_SAFE:
        raise UsageError(not_thread_safe(asked, f"target {target}"))
    return asked


def not_thread_safe(workers: int, what: str) -> str:
    """The one line that refuses workers for a moto server."""
    return (
        f"--workers {workers}: {what} (a moto server) is not thread-safe: concurrent calls"
        " make it answer HTTP 500 and the run flaky; run it with --workers 1"
    )


def make_target(options: TargetOptions) -> Target:
    """The target named in `options` (an endpoint URL implies the `endpoint` target)."""
    name = options.name
    if options.endpoint_url and name in {"moto", "endpoint"}:
        name = "endpoint"
    if name == "moto":
        from conformance.targets.moto_embedded import MotoEmbedded

        return MotoEmbedded(options.region)
    if name == "moto-server":
        from conformance.targets.moto_server import MotoServer

        return MotoServer(options.region)
    if name == "ministack":
        from conformance.targets.ministack import Ministack

        return Ministack(options.region)
    if name == "endpoint":
        if not options.endpoint_url:
            raise UsageError("target endpoint needs --endpoint-url URL")
        from conformance.targets.endpoint import EndpointTarget

        return EndpointTarget(options.endpoint_url, options.region)
    if name == "aws":
        from conformance.targets.aws import RealAws

        return RealAws(options.region, options.allow_real_aws)
    raise UsageError(f"unknown target {name!r}: choose one of {', '.join(TARGET_NAMES)}")
