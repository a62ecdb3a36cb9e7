"""Documented behaviour of RegisterJobDefinition and DescribeJobDefinitions."""

from __future__ import annotations

from typing import Any

import pytest

from conformance.calls import EndpointUnusable
from conformance.casekit import Batch
from conformance.rulebook import behaviour
from conformance.scopes import SEED

MAX_PAGES = 20


def _describe(batch: Batch, **params: Any) -> list[dict[str, Any]]:
    body = batch.accept("DescribeJobDefinitions", params)
    return list(body.get("jobDefinitions", []))


@pytest.mark.batch_rule(behaviour("RegisterJobDefinition.behaviour.revisions", SEED))
def test_revisions_count_up(batch: Batch) -> None:
    """Registering one name twice gives revisions 1 and 2, ARNs ending :<name>:1 and :2."""
    name = batch.name("rev")
    first = batch.register(jobDefinitionName=name)
    second = batch.register(jobDefinitionName=name)
    assert (first.get("revision"), second.get("revision")) == (1, 2), (
        f"revisions {first.get('revision')!r}, {second.get('revision')!r}, expected 1, 2"
    )
    for body, revision in ((first, 1), (second, 2)):
        arn = str(body.get("jobDefinitionArn", ""))
        assert arn.endswith(f":job-definition/{name}:{revision}"), (
            f"ARN {arn!r} does not end with :job-definition/{name}:{revision}"
        )
        assert body.get("jobDefinitionName") == name, (
            f"jobDefinitionName {body.get('jobDefinitionName')!r}, sent {name!r}"
        )


@pytest.mark.batch_rule(behaviour("DescribeJobDefinitions.behaviour.lookup", SEED))
@pytest.mark.parametrize("how", ["name", "name-revision", "arn"])
def test_lookup(batch: Batch, how: str) -> None:
    """A definition is found by name (every revision), by name:revision and by ARN."""
    name = batch.name("look")
    first = batch.register(jobDefinitionName=name)
    second = batch.register(jobDefinitionName=name)
    if how == "name":
        found = _describe(batch, jobDefinitionName=name)
        wanted = {first["jobDefinitionArn"], second["jobDefinitionArn"]}
    elif how == "name-revision":
        found = _describe(batch, jobDefinitions=[f"{name}:2"])
        wanted = {second["jobDefinitionArn"]}
    else:
        found = _describe(batch, jobDefinitions=[first["jobDefinitionArn"]])
        wanted = {first["jobDefinitionArn"]}
    got = {d.get("jobDefinitionArn") for d in found}
    assert got == wanted, (
        f"looked up by {how}: got {sorted(map(str, got))}, expected {sorted(wanted)}"
    )


@pytest.mark.batch_rule(behaviour("DescribeJobDefinitions.behaviour.status-filter", SEED))
def test_active_filter(batch: Batch) -> None:
    """status=ACTIVE leaves out a deregistered revision."""
    name = batch.name("status")
    first = batch.register(jobDefinitionName=name)
    second = batch.register(jobDefinitionName=name)
    gone = batch.call("DeregisterJobDefinition", {"jobDefinition": first["jobDefinitionArn"]})
    if not gone.exchange.accepted:
        raise EndpointUnusable(
            f"cannot test the status filter: DeregisterJobDefinition answered HTTP"
            f" {gone.exchange.http_status} {gone.exchange.error_code}"
        )
    found = _describe(batch, jobDefinitionName=name, status="ACTIVE")
    got = {d.get("jobDefinitionArn") for d in found}
    assert got == {second["jobDefinitionArn"]}, (
        f"status=ACTIVE returned {sorted(map(str, got))}, expected only revision 2"
    )
    statuses = {d.get("status") for d in found}
    assert statuses == {"ACTIVE"}, f"status=ACTIVE returned statuses {sorted(map(str, statuses))}"


@pytest.mark.batch_rule(behaviour("DescribeJobDefinitions.behaviour.pagination", SEED))
def test_pagination(batch: Batch) -> None:
    """maxResults=2 over five definitions: each once, at most 2 a page, no token at the end."""
    name = batch.name("page")
    arns = [batch.register(jobDefinitionName=name)["jobDefinitionArn"] for _ in range(5)]
    seen: list[str] = []
    token: str | None = None
    for _page in range(MAX_PAGES):
        params: dict[str, Any] = {"jobDefinitionName": name, "maxResults": 2}
        if token:
            params["nextToken"] = token
        body = batch.accept("DescribeJobDefinitions", params)
        page = body.get("jobDefinitions", [])
        assert len(page) <= 2, f"a page held {len(page)} definitions with maxResults=2"
        seen.extend(str(d.get("jobDefinitionArn")) for d in page)
        token = body.get("nextToken")
        if not token:
            break
    else:
        raise AssertionError(f"still a nextToken after {MAX_PAGES} pages of 2 (5 definitions)")
    assert sorted(seen) == sorted(arns), (
        f"pages returned {len(seen)} entries ({len(set(seen))} distinct), expected the 5 revisions"
        " each exactly once"
    )


@pytest.mark.batch_rule(behaviour("RegisterJobDefinition.behaviour.timeout-kept", SEED))
def test_timeout_kept(batch: Batch) -> None:
    """The timeout registered on a definition comes back in DescribeJobDefinitions."""
    arn = batch.register(timeout={"attemptDurationSeconds": 120})["jobDefinitionArn"]
    found = _describe(batch, jobDefinitions=[arn])
    assert len(found) == 1, f"DescribeJobDefinitions by ARN returned {len(found)} entries"
    timeout = found[0].get("timeout")
    assert timeout == {"attemptDurationSeconds": 120}, (
        f"timeout came back as {timeout!r}, registered {{'attemptDurationSeconds': 120}}"
    )
