"""Make the calls a run made, bare: boto3 on embedded moto, and nothing else.

    BATCH_CONFORMANCE_CALL_LOG=calls.jsonl batch-conformance run --target moto ...
    python scripts/bare_calls.py calls.jsonl

Reads the log a run appended (`conformance/call_log.py`) and sends the same calls, in the
same order, with the same parameters, through boto3 clients (client-side validation off,
one attempt) on `mock_aws` (Batch without Docker), catching every error: the yardstick of
what the suite's own work costs beside the calls it makes (`scripts/benchmark.py`). The
endpoint picks identifiers of its own (job ids): one the logged answer carried is replaced
by the one this run's answer carried at the same place, wherever a later call names it.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import botocore
import botocore.config
from moto import mock_aws

REGION = "us-east-1"
MOTO_CONFIG: dict[str, Any] = {"batch": {"use_docker": False}}
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def entries(log: Path) -> Iterator[tuple[dict[str, Any], Any]]:
    """Each logged call with the answer it got (None: none was logged)."""
    calls: list[dict[str, Any]] = []
    answers: dict[str, Any] = {}
    for line in log.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if "answer_of" in entry:
            answers[entry["answer_of"]] = entry["answer"]
        else:
            calls.append(entry)
    for call in calls:
        yield call, answers.get(call["n"])


def learn(old: Any, new: Any, names: dict[str, str], key: str = "") -> None:
    """Where the logged answer `old` and this run's `new` differ in an identifier (an ARN,
    an id, a token), `old` now stands for `new`."""
    if isinstance(old, dict) and isinstance(new, dict):
        for member in old.keys() & new.keys():
            learn(old[member], new[member], names, member)
    elif isinstance(old, list) and isinstance(new, list):
        for before, after in zip(old, new, strict=False):
            learn(before, after, names, key)
    elif isinstance(old, str) and isinstance(new, str) and old != new and _names(key, old):
        names[old] = new
        for before, after in zip(_UUID.findall(old), _UUID.findall(new), strict=False):
            names.setdefault(before, after)


def _names(key: str, value: str) -> bool:
    """Is `value`, found at member `key`, an identifier the endpoint chose?"""
    return key.endswith(("Id", "Arn", "arn", "Token")) or value.startswith("arn:")


def renamed(value: Any, names: dict[str, str]) -> Any:
    """`value` with every logged identifier replaced by this run's."""
    if isinstance(value, dict):
        return {key: renamed(item, names) for key, item in value.items()}
    if isinstance(value, list):
        return [renamed(item, names) for item in value]
    if isinstance(value, str) and names:
        if value in names:
            return names[value]
        return _UUID.sub(lambda found: names.get(found.group(0), found.group(0)), value)
    return value


def main() -> None:
    """Entry point: the log's calls, made bare."""
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    config = botocore.config.Config(
        retries={"total_max_attempts": 1, "mode": "standard"}, parameter_validation=False
    )
    session = boto3.session.Session(
        aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
    )
    names: dict[str, str] = {}
    with mock_aws(config=MOTO_CONFIG):  # type: ignore[call-overload]
        clients = {service: session.client(service, config=config) for service in ("batch", "iam")}
        for call, logged in entries(Path(sys.argv[1])):
            method = getattr(clients[call["service"]], botocore.xform_name(call["operation"]))
            try:
                answer = method(**renamed(call["params"], names))
            except Exception:  # an error answer is an answer: the call was made
                continue
            if logged is not None:
                learn(logged, answer, names)


if __name__ == "__main__":
    main()
