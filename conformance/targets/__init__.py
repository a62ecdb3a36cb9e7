"""Targets: the endpoint under test. `make_target` picks one from the user's options."""

from __future__ import annotations

from conformance.targets.base import Target, TargetError, TargetOptions, UsageError

TARGET_NAMES = ("moto", "moto-server", "ministack", "endpoint", "aws")

__all__ = ["TARGET_NAMES", "Target", "TargetError", "TargetOptions", "UsageError", "make_target"]


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
