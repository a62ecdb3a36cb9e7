"""What AWS states about a request beyond the limits of the schemas: one list of named
constraints per scope, each with where it is stated.

The schemas (`specs/`) hold every limit of one member, tested on both sides. AWS states more
about a request than those limits: a role ARN, the ulimit names, the dependency types that
need an array job (the seed's, `_seed`); a share identifier only on a fair-share queue, one
listing of ListJobs at a time, names for the containers of a pod, what Fargate resources
take, a job under 30 KiB (today's API, `_current`). Every request the suite expects to be
accepted must keep to them, or AWS itself refuses it and the suite cries wolf:
`violations(operation, request, scope, known)` names each one a request breaks (one line
each, with its citation); `Batch.accept` calls it before sending, so a defect of the suite
is an error, never a finding about the endpoint. The current scope's constraints are rules
of its own (`specs/current/constraints.json`), each shown both ways by a case
(`constraints(scope)` with a `Witness`).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from conformance.documented._current import CURRENT_CONSTRAINTS, not_for_fargate
from conformance.documented._model import OFFLINE, Constraint, Known, Witness
from conformance.documented._seed import (
    NON_EMPTY,
    SEED_CONSTRAINTS,
    ULIMIT_NAMES,
    USER_PATTERN,
    override_minimums,
)
from conformance.scopes import CURRENT, SEED, Scope

__all__ = [
    "CONSTRAINTS",
    "NON_EMPTY",
    "OFFLINE",
    "ULIMIT_NAMES",
    "USER_PATTERN",
    "Constraint",
    "Known",
    "Witness",
    "constraints",
    "not_for_fargate",
    "override_minimums",
    "shown",
    "violations",
]

CONSTRAINTS = SEED_CONSTRAINTS  # the seed scope's
# Each scope's own constraints (data by scope value, as the scopes carry their tables).
_OWN: dict[Scope, tuple[Constraint, ...]] = {
    SEED: tuple(SEED_CONSTRAINTS),
    CURRENT: tuple(CURRENT_CONSTRAINTS),
}


@cache
def constraints(scope: Scope) -> tuple[Constraint, ...]:
    """The constraints of `scope`: those of the scope it extends, then its own."""
    inherited = constraints(scope.extends) if scope.extends else ()
    return (*inherited, *_OWN.get(scope, ()))


def shown(scope: Scope) -> tuple[Constraint, ...]:
    """The constraints of `scope` its cases show both ways: rules of the scope's rulebook."""
    return tuple(c for c in constraints(scope) if c.witness is not None)


def _citation(constraint: Constraint, scope: Scope) -> str:
    """`<basis>: <where it is stated>`: a rule's own source line, else the constraint's."""
    if constraint.witness is not None:
        from conformance.rulebook import all_rules

        return all_rules(scope)[constraint.id].source
    return f"{constraint.basis}: {constraint.source}"


def violations(
    operation: str, request: dict[str, Any], scope: Scope = SEED, known: Known = OFFLINE
) -> list[str]:
    """One line per documented constraint of `scope` `request` breaks (empty when it keeps
    to all); `known`: what the run knows of the resources it names."""
    return [
        f"{constraint.id}: {detail} ({_citation(constraint, scope)})"
        for constraint in constraints(scope)
        if constraint.operation == operation
        for detail in constraint.check(request, known)
    ]
