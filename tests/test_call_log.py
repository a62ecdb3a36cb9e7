"""The call log (BATCH_CONFORMANCE_CALL_LOG) and the bare calls made from it."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import boto3
import pytest
from moto import mock_aws

from conformance.call_log import CALL_LOG_ENV, attach


def _bare_calls() -> ModuleType:
    path = Path(__file__).parent.parent / "scripts" / "bare_calls.py"
    spec = importlib.util.spec_from_file_location("bare_calls", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BARE = _bare_calls()

JOB = "0b4f3c2e-1d2a-4e5f-8a9b-0c1d2e3f4a5b"
NEW_JOB = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b"


def test_each_call_and_its_answer_are_logged(tmp_path: Path) -> None:
    """One line per call sent (service, operation, params as given), one per answer."""
    log = tmp_path / "calls.jsonl"
    with mock_aws():
        client = boto3.client(
            "batch", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
        )
        attach(client, str(log))
        client.describe_job_queues(jobQueues=["nothing"])
    sent, answered = (json.loads(line) for line in log.read_text().splitlines())
    assert sent["service"] == "batch"
    assert sent["operation"] == "DescribeJobQueues"
    assert sent["params"] == {"jobQueues": ["nothing"]}
    assert answered == {"answer_of": sent["n"], "answer": {"jobQueues": []}}


def test_nothing_is_logged_unless_asked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a file (and without the variable), a client is left as it is."""
    monkeypatch.delenv(CALL_LOG_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    with mock_aws():
        client = boto3.client(
            "batch", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
        )
        attach(client, None)
        client.describe_job_queues()
    assert list(tmp_path.iterdir()) == []


def test_bare_calls_follow_the_identifiers_the_endpoint_chose() -> None:
    """An id the logged answer carried stands, in later calls, for the one this run got
    (inside an ARN or an array child's id too); other values are left alone."""
    names: dict[str, str] = {}
    BARE.learn(
        {"jobId": JOB, "jobName": "a", "status": "RUNNABLE"},
        {"jobId": NEW_JOB, "jobName": "a", "status": "SUCCEEDED"},
        names,
    )
    assert BARE.renamed({"jobs": [JOB, f"{JOB}:1"], "jobStatus": "RUNNABLE"}, names) == {
        "jobs": [NEW_JOB, f"{NEW_JOB}:1"],
        "jobStatus": "RUNNABLE",
    }
