"""Inside and outside examples of the answer rules (issue 18 §3), for both scopes' BITES.

The rules on what a DescribeJobs job carries once it has run are written by hand from the
recorded real answers (`specs/recorded/DescribeJobs/pcf-*`); the families of one operation
(every ARN has its kind's shape, every timestamp is in epoch milliseconds) are built from the
rule itself: an answer with every member the family names, right (inside) or wrong (outside).
"""

from __future__ import annotations

import copy
import re
from typing import Any

from conformance import catalogue
from conformance.schemas import Rule
from conformance.specgen._overlay import resolve

Json = dict[str, Any]
ACCOUNT = "123456789012"
ARN_SAMPLES = {
    kind.arn_pattern: f"arn:aws:batch:us-east-1:{ACCOUNT}:{sample}"
    for kind, sample in (
        (catalogue.COMPUTE_ENVIRONMENT, "compute-environment/ce"),
        (catalogue.JOB_QUEUE, "job-queue/q"),
        (catalogue.SCHEDULING_POLICY, "scheduling-policy/sp"),
        (catalogue.JOB_DEFINITION, "job-definition/d:755"),
        (catalogue.JOB, "job/343aee99-9bd2-41ca-8aee-ad814cba242f"),
    )
}
STARTED_MS = 1559237625206
STOPPED_MS = 1559237635372
_JOB: Json = {  # specs/recorded/DescribeJobs/pcf-5, with the jobArn answers carry since 2020
    "jobArn": f"arn:aws:batch:us-east-1:{ACCOUNT}:job/343aee99-9bd2-41ca-8aee-ad814cba242f",
    "jobName": "test",
    "jobId": "343aee99-9bd2-41ca-8aee-ad814cba242f",
    "jobQueue": f"arn:aws:batch:us-east-1:{ACCOUNT}:job-queue/test-queue",
    "jobDefinition": f"arn:aws:batch:us-east-1:{ACCOUNT}:job-definition/test-definition:755",
    "status": "SUCCEEDED",
    "statusReason": "Essential container in task exited",
    "createdAt": 1559237299852,
    "startedAt": STARTED_MS,
    "stoppedAt": STOPPED_MS,
    "attempts": [
        {
            "container": {"exitCode": 0, "logStreamName": "test-definition/default/efdc"},
            "startedAt": STARTED_MS,
            "stoppedAt": STOPPED_MS,
        }
    ],
    "container": {
        "image": "busybox",
        "exitCode": 0,
        "logStreamName": "test-definition/default/efdc",
    },
}


def job(*drop: str, **change: Any) -> Json:
    """The recorded SUCCEEDED job with members dropped (`container.exitCode`) and changed."""
    made = copy.deepcopy(_JOB)
    for path in drop:
        *parents, last = path.split(".")
        node = made
        for part in parents:
            node = node[part]
        node.pop(last)
    made.update(change)
    return made


def _waiting(status: str) -> Json:
    """A job not yet started (pcf-1, pcf-2): no startedAt, attempts, exit code or stream."""
    dropped = ("startedAt", "stoppedAt", "statusReason", "container.exitCode")
    return job(*dropped, "container.logStreamName", attempts=[], status=status)


ARRAY_PARENT = {"arrayProperties": {"size": 2, "statusSummary": {"SUCCEEDED": 2}}}
# The DescribeJobs rules on one job, as (inside, outside) examples of a jobs[] item.
JOB_BITES: dict[str, tuple[list[Json], list[Json]]] = {
    "DescribeJobs.response.statusReason.when-failed": (
        [job(), job(status="FAILED"), _waiting("RUNNABLE")],
        [job("statusReason", status="FAILED")],
    ),
    "DescribeJobs.response.startedAt.when-started": (
        [
            job("stoppedAt", "container.exitCode", status="RUNNING", attempts=[]),
            _waiting("SUBMITTED"),
            job("startedAt", "stoppedAt", "attempts", "container.exitCode", **ARRAY_PARENT),
        ],
        [job("startedAt", "stoppedAt", status="RUNNING"), job("startedAt")],
    ),
    "DescribeJobs.response.stoppedAt.when-stopped": (
        [
            job("stoppedAt", "container.exitCode", status="RUNNING", attempts=[]),
            job("stoppedAt", "container.exitCode", "attempts", **ARRAY_PARENT),
            job(
                "startedAt",
                "stoppedAt",
                "container.exitCode",
                "container.logStreamName",
                status="FAILED",
                attempts=[],
            ),
        ],
        [job("stoppedAt"), job("stoppedAt", "container.exitCode", status="FAILED")],
    ),
    "DescribeJobs.response.container.logStreamName.when-started": (
        [
            _waiting("RUNNABLE"),
            job("container.logStreamName", "attempts", "container.exitCode", **ARRAY_PARENT),
            job(
                "container.logStreamName",
                container={"exitCode": 0, "logConfiguration": {"logDriver": "splunk"}},
            ),
        ],
        [
            job("container.logStreamName"),
            job("stoppedAt", "container.logStreamName", status="RUNNING", attempts=[]),
        ],
    ),
    "DescribeJobs.response.exitCode.when-succeeded": (
        [
            job("container.exitCode", status="FAILED"),
            job("container.exitCode", "attempts", **ARRAY_PARENT),
            job("container"),  # a multi-node parent: no container at all
        ],
        [
            job("container.exitCode"),
            job("attempts"),
            job(attempts=[{"container": {"logStreamName": "s"}, "startedAt": STARTED_MS}]),
        ],
    ),
    "DescribeJobs.response.arrayProperties.index.for-children": (
        [job(jobId="p:0", arrayProperties={"index": 0}), job(), job(jobId="p#1")],
        [job(jobId="p:0"), job(jobId="p:1", arrayProperties={"statusSummary": {}})],
    ),
    "DescribeJobs.response.jobArn.present": ([job()], [job("jobArn")]),
}
ONE_JOB = ("DescribeJobs.response.arns",)


def _sample(pattern: str) -> str:
    return ARN_SAMPLES[pattern]


Part = tuple[Json, bool]  # a family's tree, and whether its members are to be right


def _build(node: Json, parts: list[Part]) -> Any:
    """An instance of `node` with every member the families' trees name, each right or
    wrong as its family is to be, and the members `node` requires."""
    for tree, right in parts:
        if "pattern" in tree:
            return _sample(tree["pattern"]) if right else "not-an-arn"
        if "minimum" in tree:
            return tree["minimum"] + 1 if right else 1559237299  # seconds, not milliseconds
    for key in ("items", "additionalProperties"):
        inner = [(tree[key], right) for tree, right in parts if key in tree]
        if inner:
            built = _build(node[key], inner)
            return [built] if key == "items" else {"k": built}
    made = {name: _minimal(node["properties"][name]) for name in _required(node)}
    names = dict.fromkeys(n for tree, _ in parts for n in tree.get("properties", {}))
    for name in names:
        sub = [(t["properties"][name], r) for t, r in parts if name in t.get("properties", {})]
        made[name] = _build(node["properties"][name], sub)
    return made


def _required(node: Json) -> list[str]:
    """What `node` requires, its own rules' `{"required": [...]}` items of `allOf` too."""
    found = list(node.get("required", []))
    for item in node.get("allOf", []):
        if set(item) == {"required"}:
            found += [n for n in item["required"] if n not in found]
    return found


def _minimal(node: Json) -> Any:
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object":
        made = {k: _minimal(node["properties"][k]) for k in _required(node)}
        return {**made, **({"createdAt": STARTED_MS} if "createdAt" in made else {})}
    if kind == "array":
        return []
    if kind == "string":
        return "a"
    if kind == "integer":
        return max(node.get("minimum", 0), 0)
    return False


def family_bites(rule: Rule, schema: Json) -> tuple[list[Any], list[Any]]:
    """(inside, outside) of a family rule at an answer's root: every member it names."""
    node = resolve(schema, rule.pointer)
    (tree,) = rule.keywords["allOf"]
    others: list[Part] = [(item, True) for item in node.get("allOf", []) if item != tree]
    inside = _build(node, [(tree, True), *others])
    outside = _build(node, [(tree, False), *others])
    if rule.operation == "DescribeJobs":  # the job rules on the same answer hold too
        inside = {"jobs": [job()]}
        outside = {"jobs": [job(jobQueue="test-queue", jobDefinition="test-definition:755")]}
    return [inside], [outside]


def answer_bites(
    rules: list[Rule], schemas: dict[str, Json]
) -> dict[str, tuple[list[Any], list[Any]]]:
    """Every answer rule of `rules` with its examples (keyed by rule id)."""
    bites: dict[str, tuple[list[Any], list[Any]]] = {}
    for rule in rules:
        if rule.direction != "response" or "allOf" not in rule.keywords:
            continue
        if rule.id in JOB_BITES:
            bites[rule.id] = JOB_BITES[rule.id]
        elif rule.pointer == "" or rule.id in ONE_JOB:
            bites[rule.id] = family_bites(rule, schemas[rule.schema])
        elif re.search(r"\.members$|\.present$", rule.id):
            inside = _build_summary(rule, schemas[rule.schema], right=True)
            outside = _build_summary(rule, schemas[rule.schema], right=False)
            bites[rule.id] = ([inside], [outside])
    return bites


def _build_summary(rule: Rule, schema: Json, right: bool) -> Json:
    """A list entry with every member the node's rules require (without the rule's first)."""
    node = resolve(schema, rule.pointer)
    made: Json = _minimal(node)
    if not right:
        (item,) = rule.keywords["allOf"]
        made.pop(item["required"][0])
    return made
