"""References to nothing, derived from the catalogue (`conformance.references`)."""

from __future__ import annotations

import re
import uuid

import pytest

from conformance import catalogue
from conformance.context import Context, placeholder_context
from conformance.references import absent_reference, arn_home, derived_absences
from conformance.rulebook import all_rules
from conformance.scopes import CURRENT, SCOPES, SEED, Scope

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$")


def _context() -> Context:
    ctx = placeholder_context()
    ctx.job_queue = "arn:aws:batch:eu-west-3:111122223333:job-queue/bc00000000-queue"
    return ctx


@pytest.mark.parametrize("scope", SCOPES, ids=str)
def test_every_reference_case_has_its_rule_with_evidence(scope: Scope) -> None:
    """Each derived case names a rule of its scope, with strength and evidence."""
    rules = all_rules(scope)
    absences = derived_absences(scope)
    assert absences
    for absence in absences:
        rule = rules.get(absence.ref.rule_id)
        assert rule is not None, f"{absence.id}: no rule {absence.ref.rule_id} in {scope}"
        assert rule.operation == absence.operation
        assert rule.strength in ("must", "should")
        assert rule.evidence
        assert rule.strength == "must" or rule.note, f"{rule.id}: a should rule says why"


@pytest.mark.parametrize("scope", SCOPES, ids=str)
def test_each_reference_of_the_scope_is_derived_or_says_why_not(scope: Scope) -> None:
    """Every reference of the scope's operations gets a case per form, or a reason."""
    derived = {(a.ref, a.form) for a in derived_absences(scope)}
    for kind, ref in catalogue.refs(scope.operations):
        if ref.untested:
            assert not {f for r, f in derived if r is ref}, ref
            continue
        forms = {f for r, f in derived if r is ref}
        assert forms in (set(), set(ref.forms)), (kind.name, ref)


def test_the_seed_gets_its_four_operations_references() -> None:
    """The seed's cases: the queue and definition of SubmitJob (definition by name,
    name:revision and ARN), its dependencies, and the lookups of DescribeJobs and
    DescribeJobDefinitions."""
    ids = [a.id for a in derived_absences(SEED)]
    assert "SubmitJob.jobQueue.exists:name" in ids
    assert "SubmitJob.jobQueue.exists:arn" in ids
    for form in ("name", "name-revision", "arn"):
        assert f"SubmitJob.jobDefinition.exists:{form}" in ids
    assert "SubmitJob.dependsOn.jobId.exists:id" in ids
    assert "DescribeJobs.behaviour.unknown-id:id" in ids
    assert not [i for i in ids if "consumableResource" in i], "not a member of 2018"


def test_current_covers_what_the_issue_names() -> None:
    """Queue, definition, compute environments in a queue's order, scheduling policy,
    dependencies and ListJobs' array and multi-node ids: each is refused."""
    refused = {a.ref.rule_id for a in derived_absences(CURRENT) if a.ref.absent == "refused"}
    for rule in (
        "SubmitJob.jobQueue.exists",
        "SubmitJob.jobDefinition.exists",
        "CreateJobQueue.computeEnvironmentOrder.computeEnvironment.exists",
        "UpdateJobQueue.computeEnvironmentOrder.computeEnvironment.exists",
        "CreateJobQueue.schedulingPolicyArn.exists",
        "SubmitJob.dependsOn.jobId.exists",
        "ListJobs.arrayJobId.exists",
        "ListJobs.multiNodeJobId.exists",
    ):
        assert rule in refused, rule
    accepted = {a.ref.rule_id for a in derived_absences(CURRENT) if a.ref.absent == "accepted"}
    assert "TerminateJob.jobId.exists" in accepted  # aws/aws-cli#2551: 200 {}


def test_references_to_nothing_are_well_formed_and_of_the_run() -> None:
    """Names keep the name pattern and carry the run's prefix; ARNs are of the endpoint's
    region and account; ids are UUIDs; a definition's ARN has a revision."""
    ctx = _context()
    assert arn_home(ctx) == ("aws", "eu-west-3", "111122223333")
    queue = catalogue.JOB_QUEUE
    name = absent_reference(queue, "name", ctx)
    assert NAME.match(name)
    assert name.startswith("bc00000000-absent-")
    arn = absent_reference(queue, "arn", ctx)
    assert arn == f"arn:aws:batch:eu-west-3:111122223333:job-queue/{name}"
    service_queue = absent_reference(catalogue.SERVICE_QUEUE, "arn", ctx)
    assert ":job-queue/" in service_queue
    definition = absent_reference(catalogue.JOB_DEFINITION, "arn", ctx)
    assert definition.endswith(":1")
    assert ":job-definition/" in definition
    assert absent_reference(catalogue.JOB_DEFINITION, "name-revision", ctx).endswith(":1")
    uuid.UUID(absent_reference(catalogue.JOB, "id", ctx))


def test_requests_name_nothing_only_where_the_case_says() -> None:
    """The request is the smallest valid one with the member naming nothing; what else it
    names is the run's (placeholders here), and nothing of the same kind is made for it."""
    ctx = _context()
    by_id = {a.id: a for a in derived_absences(CURRENT)}
    submit = by_id["SubmitJob.jobQueue.exists:arn"].request(ctx, CURRENT)
    assert submit["jobQueue"].endswith("-absent-jq")
    assert submit["jobDefinition"] == ctx.resource("job-definition")
    order = by_id["CreateJobQueue.computeEnvironmentOrder.computeEnvironment.exists:name"]
    queue = order.request(ctx, CURRENT)
    assert [e["computeEnvironment"] for e in queue["computeEnvironmentOrder"]] == [
        f"{ctx.prefix}-absent-ce"
    ]
    depends = by_id["SubmitJob.dependsOn.jobId.exists:id"].request(ctx, CURRENT)
    assert [d["jobId"] for d in depends["dependsOn"]] == [
        absent_reference(catalogue.JOB, "id", ctx)
    ]
    service = by_id["CreateJobQueue.serviceEnvironmentOrder.serviceEnvironment.exists:name"]
    sagemaker = service.request(ctx, CURRENT)
    assert "computeEnvironmentOrder" not in sagemaker, "a queue can't have both orders"
