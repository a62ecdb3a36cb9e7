"""What is optional stays optional (`conformance.required_only`, `conformance.network`)."""

from __future__ import annotations

import socket

import pytest
from moto import mock_aws

from conformance.context import Context, placeholder_context
from conformance.network import default_network
from conformance.requests import RequestBuilder
from conformance.required_only import derived_shapes, left_out
from conformance.rulebook import all_rules
from conformance.schemas import load_schema
from conformance.scopes import CURRENT, SCOPES, Scope
from conformance.targets.base import dummy_session


def _context() -> Context:
    ctx = placeholder_context()
    ctx.look_up_network = lambda: (("subnet-1",), ("sg-1",))
    return ctx


@pytest.mark.parametrize("scope", SCOPES, ids=str)
def test_every_operation_has_its_case_or_says_why_not(scope: Scope) -> None:
    """Each operation of the scope gets a required-only case, with a rule of its own, or a
    reason (no honest request: SageMaker payloads, service jobs, quota shares)."""
    cased = {shape.operation for shape in derived_shapes(scope)}
    skipped = left_out(scope)
    assert cased | skipped.keys() == set(scope.operations)
    assert not cased & skipped.keys()
    assert all(reason.strip() for reason in skipped.values())
    rules = all_rules(scope)
    for shape in derived_shapes(scope):
        assert rules[shape.rule].operation == shape.operation


@pytest.mark.parametrize("scope", SCOPES, ids=str)
def test_only_required_members_and_documented_dependencies_are_sent(scope: Scope) -> None:
    """Each request holds the model's required members and what a documented dependency
    needs, nothing else; what the other cases send anyway (`explicit`) is never in it."""
    ctx = _context()
    tables = scope.tables
    for shape in derived_shapes(scope):
        request = shape.request(RequestBuilder(shape.operation, ctx, scope))
        schema = load_schema(scope.schema_name(shape.operation, "request"))
        allowed = {
            *schema.get("required", []),
            *tables.also_required.get(shape.operation, ()),
            *(shape.variant.set if shape.variant else ()),
            *(shape.variant.filled if shape.variant else ()),
        }
        if schema.get("if", {}).get("required") and "then" in schema:  # the seed's container
            allowed |= set(schema["then"].get("required", []))
        assert set(request) <= allowed, (shape.id, sorted(set(request) - allowed))
        assert not set(request) & set(tables.explicit.get(shape.operation, ())), shape.id


def test_no_optional_member_is_always_sent() -> None:
    """A member sent by every limit case's smallest request but optional in the model
    (`state`, ...) is left out of the operation's required-only case."""
    ctx = _context()
    shapes = {shape.id: shape for shape in derived_shapes(CURRENT)}
    for operation, members in CURRENT.tables.explicit.items():
        smallest = RequestBuilder(operation, ctx, CURRENT).build()
        assert set(members) <= set(smallest), operation
        if operation in shapes:
            only = shapes[operation].request(RequestBuilder(operation, ctx, CURRENT))
            assert not set(members) & set(only), operation


def test_a_managed_environment_goes_without_a_service_role() -> None:
    """UNMANAGED: its documented service role; MANAGED: computeResources and no role."""
    ctx = _context()
    shapes = {shape.id: shape for shape in derived_shapes(CURRENT)}
    builder = RequestBuilder("CreateComputeEnvironment", ctx, CURRENT)
    unmanaged = shapes["CreateComputeEnvironment"].request(builder)
    assert unmanaged["type"] == "UNMANAGED"
    assert "serviceRole" in unmanaged
    managed = shapes["CreateComputeEnvironment:MANAGED"].request(builder)
    assert managed["type"] == "MANAGED"
    assert "serviceRole" not in managed
    assert managed["computeResources"]["subnets"] == ["subnet-1"]
    assert "state" not in managed
    assert "state" not in shapes["CreateJobQueue"].request(
        RequestBuilder("CreateJobQueue", ctx, CURRENT)
    )


def test_an_emulators_default_network_is_found() -> None:
    """moto's default VPC: a subnet and its default security group, found, not made."""
    with mock_aws():
        network = default_network(dummy_session("us-east-1"), None)
    assert network is not None
    assert network.subnets[0].startswith("subnet-")
    assert network.security_groups[0].startswith("sg-")


def test_no_network_where_the_endpoint_has_no_ec2() -> None:
    """An endpoint that answers nothing gives no network (the cases then skip)."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    assert default_network(dummy_session("us-east-1"), f"http://127.0.0.1:{port}") is None
