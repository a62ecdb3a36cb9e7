"""What today's answers contain where the request decides it (issue 18 §3): the revision a job
runs, whatever named its definition; the definition's logConfiguration on the job; a lookup
that answers the resource it asked for and not another; every item of a listing exactly once
across its pages.

What an answer holds whatever was asked (ARN shapes, epoch milliseconds, what a job that ran
carries) is a response rule of `specs/current/overlay.json`, judged over every answer of the
run; these need the request to judge it.
"""

from __future__ import annotations

from typing import Any

import pytest

from conformance import reads, run_resources
from conformance.casekit import Batch
from conformance.catalogue import (
    COMPUTE_ENVIRONMENT,
    JOB,
    JOB_DEFINITION,
    JOB_QUEUE,
    SCHEDULING_POLICY,
    Kind,
)
from conformance.realistic import came_back
from conformance.rulebook import behaviour
from conformance.scopes import CURRENT

LOG_CONFIGURATION = {"logDriver": "awslogs", "options": {"awslogs-stream-prefix": "bc"}}
FULL_PAGE = 100  # the page size of a listing longer than one page (AWS's own maximum is 100)
PAGED = (COMPUTE_ENVIRONMENT, JOB_QUEUE, SCHEDULING_POLICY, JOB_DEFINITION)
LOOKED_UP = (COMPUTE_ENVIRONMENT, JOB_QUEUE, SCHEDULING_POLICY, JOB_DEFINITION, JOB)


def rule(rule_id: str) -> pytest.MarkDecorator:
    """The case's rule, a behaviour of the current scope."""
    return pytest.mark.batch_rule(behaviour(rule_id, CURRENT))


def _check(batch: Batch, name: str, passed: bool, detail: str) -> None:
    batch.check(name, passed, detail)
    assert passed, detail


# ---- the job's definition -------------------------------------------------------------


@rule("DescribeJobs.behaviour.job-definition-revision")
@pytest.mark.parametrize("given", ["name", "name:revision", "arn"])
def test_a_job_names_the_revision_it_runs(batch: Batch, given: str) -> None:
    """A job submitted by definition name runs its latest revision, by `name:revision` or
    ARN that revision: DescribeJobs' jobDefinition is that revision's ARN."""
    name = batch.name("rev")
    first = batch.register(jobDefinitionName=name)
    latest = batch.register(jobDefinitionName=name)
    reference, expected = {
        "name": (name, latest["jobDefinitionArn"]),
        "name:revision": (f"{name}:{first.get('revision')}", first["jobDefinitionArn"]),
        "arn": (first["jobDefinitionArn"], first["jobDefinitionArn"]),
    }[given]
    job = batch.describe_job(str(batch.submit(jobDefinition=reference)["jobId"]))
    got = job.get("jobDefinition")
    _check(
        batch,
        "revision-arn",
        got == expected,
        f"submitted with jobDefinition {reference!r}: DescribeJobs jobDefinition {got!r},"
        f" expected {expected!r}",
    )


@rule("DescribeJobs.behaviour.log-configuration")
def test_a_job_carries_its_definition_s_log_configuration(batch: Batch) -> None:
    """The definition's container logConfiguration shows in DescribeJobs' container."""
    container = {"image": "busybox", "vcpus": 1, "memory": 128}
    arn = batch.register(containerProperties={**container, "logConfiguration": LOG_CONFIGURATION})
    job = batch.describe_job(str(batch.submit(jobDefinition=arn["jobDefinitionArn"])["jobId"]))
    got = (job.get("container") or {}).get("logConfiguration")
    _check(
        batch,
        "log-configuration",
        came_back(LOG_CONFIGURATION, got),
        f"registered {LOG_CONFIGURATION}, DescribeJobs container.logConfiguration {got!r}",
    )


# ---- lookups ------------------------------------------------------------------------


def _references(batch: Batch, kind: Kind, made: str) -> list[str]:
    """How the case asks for the resource: what made it (ARN, or id), and its name where
    the lookup takes names (compute environments, job queues)."""
    found = reads.listed(batch, kind, made)
    name = found[0].get(kind.name_member) if found else None
    if kind in (COMPUTE_ENVIRONMENT, JOB_QUEUE) and isinstance(name, str):
        return [made, name]
    return [made]


@pytest.mark.parametrize(
    "kind",
    [
        pytest.param(k, id=k.name, marks=rule(f"{k.describe.operation}.behaviour.asked-for"))
        for k in LOOKED_UP
        if k.describe is not None
    ],
)
def test_a_lookup_answers_what_it_asked_for(batch: Batch, kind: Kind) -> None:
    """Of two resources of a kind, a lookup of one answers that one, and never the other."""
    assert kind.describe is not None
    made = run_resources.fresh(batch, kind.name)
    other = run_resources.fresh(batch, kind.name)
    for reference in _references(batch, kind, made):
        body = batch.accept(kind.describe.operation, kind.describe.request(reference))
        entries = kind.describe.entries(body)
        wrong = [e for e in entries if not kind.is_entry_of(e, made)]
        named = [e.get(kind.arn_member) or e.get(kind.id_member) for e in wrong]
        _check(batch, "only-what-was-asked", not wrong, f"asked for {reference}, got {named}")
        _check(batch, "what-was-asked", bool(entries), f"asked for {reference}: nothing")
        assert other not in named


# ---- pages --------------------------------------------------------------------------


def _page_size(batch: Batch, kind: Kind) -> int:
    """A page size under which the listing takes two pages at least, whatever else the account
    holds: half of a listing that fits one page of 100, else 100. An endpoint that ignores
    maxResults then shows a page larger than asked for on a fresh account and on a busy one
    alike, and a case never pages through a whole account one item a page."""
    listing = kind.listing
    assert listing is not None
    first = batch.accept(listing.operation, {**listing.params, "maxResults": FULL_PAGE})
    items = len(first.get(listing.listed) or [])
    if first.get("nextToken") or items > FULL_PAGE:
        return FULL_PAGE
    return max(1, items // 2)


@pytest.mark.parametrize(
    "kind",
    [
        pytest.param(k, id=k.name, marks=rule(f"{k.listing.operation}.behaviour.pagination"))
        for k in PAGED
        if k.listing is not None
    ],
)
def test_every_item_once_across_pages(batch: Batch, kind: Kind) -> None:
    """Three resources made, the listing paged through nextToken: no page larger than
    maxResults, every item listed once, the three among them."""
    listing = kind.listing
    assert listing is not None
    made = {run_resources.fresh(batch, kind.name) for _ in range(3)}
    for reference in made:
        reads.listed(batch, kind, reference)
    size = _page_size(batch, kind)
    seen: list[Any] = []
    params = {**listing.params, "maxResults": size}
    for number, page in enumerate(reads.pages(batch, listing.operation, params, listing.listed)):
        _check(batch, "page-size", len(page) <= size, f"page {number + 1}: {len(page)} > {size}")
        seen += [e for e in page if isinstance(e, dict)]
    keys = [e.get(kind.arn_member) for e in seen]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    _check(batch, "each-once", not twice, f"listed more than once: {twice[:5]}")
    lost = sorted(r for r in made if not any(kind.is_entry_of(e, r) for e in seen))
    _check(batch, "every-item", not lost, f"never listed: {lost}")
