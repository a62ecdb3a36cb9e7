"""Real AWS, with the normal credential chain; only with an explicit opt-in."""

from __future__ import annotations

import os
import sys

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from conformance.results import TargetInfo
from conformance.targets.base import TargetError, UsageError

OPT_IN_FLAG = "--allow-real-aws"
ENDPOINT_ENV = "AWS_ENDPOINT_URL"  # the SDK sends every client there (boto3 >= 1.28)


class RealAws:
    """The real AWS Batch API of one account and region."""

    discards_on_stop = False

    def __init__(self, region: str, allowed: bool) -> None:
        if not allowed:
            raise UsageError(
                f"target aws creates and deletes real resources and may cost money:"
                f" pass {OPT_IN_FLAG} to run it"
            )
        self._region = region
        self.notes: list[str] = []
        self.account: str | None = None

    @property
    def info(self) -> TargetInfo:
        """Name, endpoint (only when AWS_ENDPOINT_URL redirects the SDK) and region."""
        return TargetInfo(
            name="aws", endpoint=os.environ.get(ENDPOINT_ENV) or None, region=self._region
        )

    @property
    def endpoint_url(self) -> str | None:
        """The SDK's default endpoint for the region."""
        return None

    def start(self) -> None:
        """Find out which account the credentials belong to and say it before touching it."""
        try:
            identity = self.session().client("sts").get_caller_identity()
        except (BotoCoreError, ClientError) as exc:
            raise TargetError(f"target aws: cannot identify the account: {exc}") from exc
        self.account = str(identity.get("Account"))
        redirected = os.environ.get(ENDPOINT_ENV)
        where = f", endpoint {redirected} (from {ENDPOINT_ENV})" if redirected else ""
        print(
            f"batch-conformance: target aws, account {self.account}, region {self._region}{where}",
            file=sys.stderr,
        )

    def session(self) -> boto3.session.Session:
        """The default credential chain."""
        return boto3.session.Session(region_name=self._region)

    def stop(self) -> None:
        """Nothing to stop."""
