"""What a fault is: one broken behaviour of the reference endpoint, and how the suite must
notice it (the cases that must fail, for which rules, and the neighbours that must pass).

The registries are data: `seed_faults.FAULTS` and `current_faults.CURRENT_FAULTS` (the
faults of references to nothing and of optional members, `absent_faults.py`, in both).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from tests.faulty.repairs import Paginate, paginate
from tests.faulty.request_rules import Json, Limits
from tests.proxy_core import Answer, client_exception

PRIORITY = (0, 1000)  # AWS::Batch::JobQueue › Priority: minimum 0, maximum 1000


@dataclass(frozen=True)
class Refusal:
    """A response hook's way of answering with an error instead of the body."""

    message: str


RequestHook = Callable[[Json], Json]
ResponseHook = Callable[[Json, Json], "Json | Refusal"]


def refuse_with_client_exception(message: str) -> Answer:
    """The seed's refusal: HTTP 400 `ClientException` with a message."""
    return client_exception(message)


@dataclass(frozen=True)
class Fault:
    """One broken behaviour, and how the suite must notice it."""

    name: str
    breaks: str  # what it breaks, one line
    rules: frozenset[str]  # rule ids that must fail, and the only ones that may
    fail: tuple[str, ...]  # case ids that must fail
    keep: tuple[str, ...] = ()  # neighbouring case ids that must still pass
    evidence: tuple[str, str] | None = None  # (check name, text in its detail) among failures
    limits: Mapping[str, Limits] = field(default_factory=dict)  # per operation
    operation: str | None = None  # the operation `request` and `response` apply to
    request: RequestHook | None = None  # rewrites the request before the rules and moto
    response: ResponseHook | None = None  # rewrites (or refuses) the repaired answer
    refuse: Callable[[str], Answer] = refuse_with_client_exception
    pages: Paginate = paginate
    nulls: bool = False  # run with FaultyProxy.nulls on
    priority: tuple[int, int] = PRIORITY  # CreateJobQueue/UpdateJobQueue priority allowed
    inactive_refused: bool = True  # SubmitJob refuses a deregistered definition
    stops_jobs: bool = True  # its operation (TerminateJob/CancelJob) fails a held job
    hold_jobs: bool = False  # run with FaultyProxy.hold_jobs on
    accepts_absent: frozenset[str] = frozenset()  # `<Op>.<member>` naming nothing, accepted
    unrepaired: frozenset[str] = frozenset()  # what moto needlessly requires, left as it is
    missing: bool = False  # no route for its operation: every request of it gets `refuse`

    @property
    def cases(self) -> tuple[str, ...]:
        """Every case id this fault's run selects."""
        return (*self.fail, *self.keep)


REFERENCE = Fault("reference", "nothing: the seed's rules and moto repaired", frozenset(), ())


# ---- the ids of the cases a fault names ------------------------------------------------


def limit_case(rule: str, side: str, label: str) -> str:
    """The id of a derived boundary case."""
    return f"request_limits::test_limit[{rule}:{side}:{label}]"


def structure(operation: str) -> str:
    """The rule of everything in `operation`'s answers that no response rule states."""
    return f"{operation}.response.structure"


def structure_case(operation: str) -> str:
    """The case judging `operation`'s answers against their schema's structure."""
    return f"responses::test_response_structure[{operation}]"


def response_rule_case(rule: str) -> str:
    """The case judging one response rule."""
    return f"responses::test_response_rule[{rule}]"


def lifecycle_case(test: str) -> str:
    """The id of a case of conformance/current_cases/test_lifecycles.py."""
    return f"lifecycles::{test}"


def reference_cases(rule: str, *forms: str) -> tuple[str, ...]:
    """The ids of the cases of a reference to nothing, one per form."""
    return tuple(f"references::test_reference_to_nothing[{rule}:{form}]" for form in forms)


def optional_case(shape: str) -> str:
    """The id of an operation's required-only case (`CreateComputeEnvironment:MANAGED`)."""
    return f"optional_members::test_only_required_members[{shape}]"


class MovedLimit(NamedTuple):
    """A fault that moves one limit of one operation by one."""

    name: str  # "lax-..." accepts just outside; "strict-..." refuses just inside
    breaks: str
    rule: str
    operation: str
    limits: Limits
    fail: str  # label of the boundary case that must fail
    keep: str  # label of its neighbour on the other side, which must still pass

    def fault(self) -> Fault:
        """The registry entry."""
        lax = self.name.startswith("lax-")
        side_fail, side_keep = ("outside", "inside") if lax else ("inside", "outside")
        return Fault(
            self.name,
            self.breaks,
            frozenset({self.rule}),
            (limit_case(self.rule, side_fail, self.fail),),
            (limit_case(self.rule, side_keep, self.keep),),
            limits={self.operation: self.limits},
        )
