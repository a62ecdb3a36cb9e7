"""The overlays' answer rules (issue 18 §3): several conditional rules on one node, ARN shapes
from the catalogue, a rule's era, and the current overlay's answer rules: their evidence and
the members they name."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from conformance import catalogue
from conformance.answer_check import observe
from conformance.schemas import iter_rules, load_schema, nearest_rule, rule_index
from conformance.scopes import CURRENT, SEED
from conformance.specgen._overlay import (
    OverlayError,
    apply_overlay,
    expand,
    load_overlay,
    resolve,
)

RULE: dict[str, Any] = {
    "id": "X.response.a",
    "schema": "DescribeJobs.response",
    "pointer": "",
    "constraint": {"allOf": [{"required": ["a"]}]},
    "summary": "s",
    "provenance": "documented",
    "source": {"operation": "DescribeJobs", "parameter": "a", "quote": "q"},
    "strength": "must",
    "evidence": [{"kind": "doc", "quote": "q", "where": "https://docs.aws.amazon.com/batch/"}],
}


def _rule(**change: Any) -> dict[str, Any]:
    made = copy.deepcopy(RULE)
    made.update(change)
    return made


def test_rules_on_one_node_join_its_all_of_and_keep_their_own_items() -> None:
    """Two rules on one node: `allOf` holds both items; each rule's keywords hold its own."""
    schemas: dict[str, dict[str, Any]] = {"DescribeJobs.response": {"type": "object"}}
    second = _rule(id="X.response.b", constraint={"allOf": [{"required": ["b"]}]})
    apply_overlay(schemas, [_rule(), second])
    node = schemas["DescribeJobs.response"]
    assert node["allOf"] == [{"required": ["a"]}, {"required": ["b"]}]
    assert [e["keywords"] for e in node["x-rules"]] == [
        {"allOf": [{"required": ["a"]}]},
        {"allOf": [{"required": ["b"]}]},
    ]


def test_arn_of_is_the_catalogue_s_pattern() -> None:
    """`{"arn-of": kind}` becomes that kind's ARN pattern; an unknown kind or one without a
    documented shape is refused naming the rule."""
    expanded = expand({"properties": {"q": {"pattern": {"arn-of": "job-queue"}}}})
    assert expanded == {"properties": {"q": {"pattern": catalogue.JOB_QUEUE.arn_pattern}}}
    with pytest.raises(OverlayError, match=r"X\.response\.a: unknown resource kind 'queue'"):
        expand({"pattern": {"arn-of": "queue"}}, "X.response.a")
    with pytest.raises(OverlayError, match="no ARN shape for quota-share"):
        expand({"pattern": {"arn-of": "quota-share"}}, "X.response.a")


@pytest.mark.parametrize(
    ("arn", "kind", "matches"),
    [
        ("arn:aws:batch:us-east-1:123456789012:job-queue/HighPriority", "job-queue", True),
        ("arn:aws-us-gov:batch:us-gov-west-1:123456789012:job-queue/q_1", "job-queue", True),
        ("HighPriority", "job-queue", False),
        ("arn:aws:batch:us-east-1:123456789012:compute-environment/q", "job-queue", False),
        ("arn:aws:batch:us-east-1:<acct-id>:job-queue/q", "job-queue", False),
        ("arn:aws:batch:us-east-1:012345678910:job-definition/sleep60:1", "job-definition", True),
        ("arn:aws:batch:us-east-1:012345678910:job-definition/sleep60", "job-definition", False),
        ("sleep60:1", "job-definition", False),
        ("arn:aws:batch:us-east-1:123456789012:job/24fa2d7a-64c4-49d2:0", "job", True),
        ("arn:aws:batch:cn-north-1:123456789012:scheduling-policy/p", "scheduling-policy", True),
    ],
)
def test_arn_patterns(arn: str, kind: str, matches: bool) -> None:
    """Each kind's ARN: partition, region, a 12-digit account, then its own resource part."""
    assert bool(re.match(catalogue.kind(kind).arn_pattern, arn)) is matches


def test_since_must_be_a_date(tmp_path: Any) -> None:
    """A rule's era is a day, YYYY-MM-DD."""
    import json

    path = tmp_path / "overlay.json"
    path.write_text(json.dumps({"rules": [_rule(since="2020")]}), encoding="utf-8")
    with pytest.raises(OverlayError, match="since must be a date"):
        load_overlay(path, ["DescribeJobs.response"])


def test_each_violation_is_blamed_on_its_own_rule_of_a_shared_node() -> None:
    """On the node every DescribeJobs job rule shares, a violation inside an item of its
    `allOf` is blamed on the rule that item belongs to, whichever it is."""
    from conformance.schemas import load_schema

    node = load_schema("DescribeJobs.response")["properties"]["jobs"]["items"]
    rules = {r.id: r for r in rule_index(SEED).values() if r.pointer == "/properties/jobs/items"}
    owners = set()
    for index, item in enumerate(node["allOf"]):
        path: list[str | int] = ["properties", "jobs", "items", "allOf", index, "then", "required"]
        blamed = nearest_rule("DescribeJobs.response", path)
        assert blamed is not None, index
        assert item in rules[blamed.id].keywords["allOf"], (index, blamed.id)
        owners.add(blamed.id)
    assert owners == {rid for rid, r in rules.items() if "allOf" in r.keywords}
    assert len(owners) >= 6


def test_a_job_without_its_reason_and_exit_code_breaks_two_rules() -> None:
    """One job answer, two deviations: each judged by its own rule, in both scopes."""
    job = {
        "jobName": "j",
        "jobId": "1",
        "jobArn": "arn:aws:batch:us-east-1:123456789012:job/1",
        "jobQueue": "arn:aws:batch:us-east-1:123456789012:job-queue/q",
        "jobDefinition": "arn:aws:batch:us-east-1:123456789012:job-definition/d:1",
        "status": "SUCCEEDED",
        "createdAt": 1559237299852,
        "startedAt": 1559237625206,
        "stoppedAt": 1559237635372,
        "attempts": [{"container": {"logStreamName": "s"}}],
        "container": {"logStreamName": "s"},
    }
    for scope in (SEED, CURRENT):
        found = {(o.rule, o.where) for o in observe("DescribeJobs", {"jobs": [job]}, "", scope)}
        assert found == {
            ("DescribeJobs.response.exitCode.when-succeeded", "$.jobs[*].container.exitCode"),
            ("DescribeJobs.response.exitCode.when-succeeded", "$.jobs[*].attempts"),
        }, scope


def test_answer_rules_rest_on_the_reference_and_on_real_answers() -> None:
    """Each answer rule (issue 18 §3) quotes the API Reference and cites it, names the
    operation it judges, and is `should` with a note where AWS answers vary by era."""
    answers = [r for r in iter_rules(CURRENT) if r.direction == "response"]
    assert len(answers) >= 30
    for rule in answers:
        assert rule.schema == f"current/{rule.operation}.response"
        assert rule.id.startswith(f"{rule.operation}.response.")
        assert any("APIReference/API_" in item["where"] for item in rule.evidence), rule.id
        if rule.strength == "should" or rule.since:
            assert rule.note, rule.id
    recorded = [r for r in answers if any("specs/recorded/" in e["where"] for e in r.evidence)]
    assert {r.id for r in recorded} >= {
        "DescribeJobs.response.container.logStreamName.when-started",
        "DescribeJobs.response.exitCode.when-succeeded",
        "DescribeJobQueues.response.arns",
    }


def test_answer_rules_name_members_the_answer_has() -> None:
    """A rule that reaches into an answer (a family of ARNs or timestamps) names only
    members the response schema knows: a misspelt member would never be judged."""

    def walk(node: dict[str, Any], tree: dict[str, Any], where: str) -> None:
        for name, sub in tree.get("properties", {}).items():
            assert name in node.get("properties", {}), f"{where}.{name}"
            walk(node["properties"][name], sub, f"{where}.{name}")
        for key in ("items", "additionalProperties"):
            if key in tree:
                assert isinstance(node.get(key), dict), f"{where} ({key})"
                walk(node[key], tree[key], f"{where}[]")

    for rule in iter_rules(CURRENT):
        if rule.direction != "response":
            continue
        node = resolve(load_schema(rule.schema), rule.pointer)
        for item in rule.keywords.get("allOf", []):
            walk(node, item, f"{rule.id}: $")
