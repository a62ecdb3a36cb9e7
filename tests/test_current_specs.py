"""The current scope: every operation of the newest vendored botocore model, its limits, their bite.

The seed scope stays as it was: its files are byte-identical to git HEAD's and its functions
answer as before (tests/test_specs.py checks the rest of the seed).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from conformance import specgen
from conformance.boundaries import boundaries_of
from conformance.context import placeholder_context
from conformance.requests import RequestBuilder
from conformance.schemas import (
    SPECS_DIR,
    Rule,
    iter_rules,
    load_schema,
    rule_index,
    schema_file,
    schema_names,
    validator,
)
from conformance.scopes import CURRENT, SEED
from conformance.specgen._overlay import SOURCE_ARROW, resolve
from conformance.specgen._shapes import shape_schema
from conformance.specgen._write import dump_schema
from tests.current_spec_tables import BITES, MAP_RULES, OUTSIDE_API_REFERENCE, USER_GUIDE
from tests.schema_bites import auto_bites, object_nodes

ROOT = Path(__file__).parent.parent
CURRENT_RULES = iter_rules(CURRENT)
REQUEST_RULES = [rule for rule in CURRENT_RULES if rule.direction == "request"]
NUMERIC = ("minimum", "maximum")
SIZES = ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties")
AUTO_KEYWORDS = frozenset({*NUMERIC, *SIZES})


def _model() -> dict[str, Any]:
    model: dict[str, Any] = json.loads(CURRENT.model.read_text(encoding="utf-8"))
    return model


def test_vendored_model_is_the_installed_botocore_s_verbatim() -> None:
    """The vendored file is botocore's model as shipped, decompressed, byte for byte."""
    import gzip

    import botocore

    assert CURRENT.model.name.endswith(f"botocore-{botocore.__version__}.json")
    shipped = Path(botocore.__file__).parent / "data/batch/2016-08-10/service-2.json.gz"
    assert gzip.decompress(shipped.read_bytes()) == CURRENT.model.read_bytes()


def test_every_operation_has_both_schemas() -> None:
    """Each operation of the vendored model has a request and a response schema, and no more."""
    ops = sorted(_model()["operations"])
    assert list(CURRENT.operations) == ops
    assert len(ops) == 48
    files = {p.name for p in CURRENT.specs.glob("*.schema.json")}
    assert files == {f"{op}.{d}.schema.json" for op in ops for d in ("request", "response")}


@pytest.mark.parametrize("name", schema_names(CURRENT))
def test_current_schema_passes_metaschema(name: str) -> None:
    """Each current schema is valid draft 2020-12, inlined, with `$schema`, `$id`, `title`."""
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    operation = name.removeprefix("current/")
    assert schema["$id"] == f"urn:batch-conformance:{operation}"
    assert "$ref" not in json.dumps(schema)


def test_requests_closed_and_responses_open() -> None:
    """Request structures forbid unknown members and require the model's; responses are open."""
    for op in CURRENT.operations:
        for node in object_nodes(load_schema(f"current/{op}.request"), with_properties=True):
            assert node["additionalProperties"] is False, op
        for node in object_nodes(load_schema(f"current/{op}.response"), with_properties=True):
            assert node.get("additionalProperties", True) is not False, op
    submit = load_schema("current/SubmitJob.request")
    assert set(submit["required"]) >= {"jobName", "jobQueue", "jobDefinition"}
    assert "ecsPropertiesOverride" in submit["properties"]


def test_regenerated_current_schemas_equal_committed() -> None:
    """Regenerating the current scope reproduces the committed files."""
    built = specgen.build_schemas(scope=CURRENT)
    assert tuple(built) == schema_names(CURRENT)
    for name, schema in built.items():
        assert schema_file(name).read_text(encoding="utf-8") == dump_schema(schema), name


def test_seed_scope_unchanged() -> None:
    """The seed's files are HEAD's byte for byte, and its functions still answer the seed."""
    for name in schema_names(SEED):
        path = schema_file(name)
        rel = path.relative_to(ROOT).as_posix()
        head = subprocess.run(
            ["git", "show", f"HEAD:{rel}"], cwd=ROOT, capture_output=True, check=True
        ).stdout
        assert path.read_bytes() == head, rel
    assert schema_names(SEED) == schema_names(SEED)
    assert {r.schema for r in iter_rules(SEED)} <= set(schema_names(SEED))
    assert all(r.scope is SEED for r in iter_rules(SEED))
    assert specgen.build_schemas() == {n: load_schema(n) for n in schema_names(SEED)}
    assert RequestBuilder("SubmitJob", placeholder_context(), SEED).schema is load_schema(
        "SubmitJob.request"
    )
    assert SEED.operations == (
        "RegisterJobDefinition",
        "DescribeJobDefinitions",
        "SubmitJob",
        "DescribeJobs",
    )


def test_new_shape_kinds_map_and_recursion_terminates() -> None:
    """Timestamps, doubles, documents, unions and a recursive shape map without looping."""
    model: dict[str, Any] = {
        "operations": {},
        "shapes": {
            "Node": {
                "type": "structure",
                "members": {
                    "at": {"shape": "T"},
                    "w": {"shape": "D"},
                    "doc": {"shape": "Doc"},
                    "child": {"shape": "Node"},
                    "pick": {"shape": "U"},
                    "lists": {"shape": "M"},
                },
            },
            "T": {"type": "timestamp"},
            "D": {"type": "double", "min": 0},
            "Doc": {"type": "structure", "members": {}, "document": True},
            "U": {"type": "structure", "union": True, "members": {"a": {"shape": "T"}}},
            "M": {"type": "map", "key": {"shape": "K"}, "value": {"shape": "L"}},
            "K": {"type": "string", "min": 1, "max": 3},
            "L": {"type": "list", "member": {"shape": "T"}, "max": 2},
        },
    }
    node = shape_schema(model, "Node", "request")
    props = node["properties"]
    assert props["at"] == {"type": "number"}
    assert props["w"] == {"type": "number", "minimum": 0}
    assert "type" not in props["doc"]
    assert props["child"] == {
        "type": "object",
        "$comment": "recursive shape Node -> Node: not inlined again",
    }
    assert (props["pick"]["minProperties"], props["pick"]["maxProperties"]) == (1, 1)
    assert props["lists"]["propertyNames"] == {"minLength": 1, "maxLength": 3}
    assert props["lists"]["additionalProperties"]["maxItems"] == 2
    response = shape_schema(model, "Node", "response")["properties"]
    assert "minimum" not in response["w"]
    assert "maxProperties" not in response["pick"]
    Draft202012Validator.check_schema(node)


def test_current_overlay_has_forty_documented_rules() -> None:
    """At least 40 request rules, each with strength, evidence from the API Reference and a
    quote."""
    assert len(REQUEST_RULES) >= 40
    documented = [r for r in REQUEST_RULES if r.provenance == "documented"]
    assert len(documented) >= 40
    for rule in REQUEST_RULES:
        assert rule.scope is CURRENT
        assert rule.schema == f"current/{rule.operation}.request"
        assert rule.id.startswith(f"{rule.operation}.")
        assert rule.evidence
        assert rule.source.startswith(f"{rule.provenance}: {rule.operation} {SOURCE_ARROW} ")
        if rule.strength == "should":  # rests on less than it says: a note says why
            assert rule.note, rule.id
        if rule.id in OUTSIDE_API_REFERENCE:
            assert rule.strength == "should", rule.id
            assert any("API_" in item["where"] for item in rule.evidence), rule.id
            continue
        assert all(item["kind"] != "contradicts" for item in rule.evidence), rule.id
        assert any(item["kind"] == "doc" for item in rule.evidence), rule.id
        for item in rule.evidence:
            if item["kind"] == "doc":
                assert item["where"].startswith(
                    ("https://docs.aws.amazon.com/batch/latest/APIReference/API_", USER_GUIDE)
                ), (rule.id, item["where"])


def _docstrings() -> str:
    import html
    import re

    texts = [
        ref.get("documentation") or ""
        for shape in _model()["shapes"].values()
        for ref in shape.get("members", {}).values()
    ]
    plain = html.unescape(re.sub(r"<[^>]+>", " ", " ".join(texts)))
    return re.sub(r"\s+", " ", plain)


def test_documented_quotes_are_the_model_s_text() -> None:
    """Every quote of a documented rule is in the model's documentation strings verbatim."""
    text = _docstrings()
    overlay = json.loads(CURRENT.overlay.read_text(encoding="utf-8"))["rules"]
    raw = CURRENT.model.read_text(encoding="utf-8").replace(" ", "").replace("\n", "")
    for rule in overlay:
        if rule["id"] in OUTSIDE_API_REFERENCE:
            continue
        for part in rule["source"]["quote"].split(" ... "):
            if rule["provenance"] == "documented":
                assert part in text, (rule["id"], part)
            else:
                assert part in text or part.replace(" ", "") in raw, (rule["id"], part)


def test_every_current_rule_has_a_bite_check() -> None:
    """A rule needs derivable keywords or an entry in BITES; BITES names no missing rule."""
    uncovered = [
        r.id for r in CURRENT_RULES if not set(r.keywords) <= AUTO_KEYWORDS and r.id not in BITES
    ]
    assert uncovered == []
    assert set(BITES) <= set(rule_index(CURRENT))


@pytest.mark.parametrize("rule", CURRENT_RULES, ids=lambda r: r.id)
def test_current_rule_bites(rule: Rule) -> None:
    """The pointer resolves; just inside validates, just outside fails on the rule's keyword."""
    node = resolve(load_schema(rule.schema), rule.pointer)
    for keyword, value in rule.keywords.items():
        if keyword == "allOf":  # rules on one node share its allOf, each its own items
            assert all(item in node[keyword] for item in value)
        else:
            assert node[keyword] == value
    check = Draft202012Validator(node)
    cases: list[tuple[Any, bool]] = []
    if rule.id in BITES:
        inside, outside = BITES[rule.id]
        cases = [(v, True) for v in inside] + [(v, False) for v in outside]
    else:
        for keyword, value in rule.keywords.items():
            good, bad = auto_bites(node, keyword, value)
            cases += [(good, True), (bad, False)]
    for instance, valid in cases:
        assert check.is_valid(instance) == valid, (rule.id, instance)


def _derivable() -> list[Rule]:
    return list(REQUEST_RULES)


@pytest.mark.parametrize("rule", _derivable(), ids=lambda r: r.id)
def test_boundaries_derive_for_current_rules(rule: Rule) -> None:
    """boundaries_of gives inside and outside cases over a current RequestBuilder, and each
    case's request is valid (inside) or invalid (outside) against the current schema."""
    builder = RequestBuilder(rule.operation, placeholder_context(), scope=CURRENT)
    cases = boundaries_of(rule, builder)
    assert {c.side for c in cases} == {"inside", "outside"}, rule.id
    check = validator(rule.schema)
    for case in cases:
        request = case.request(builder)
        assert check.is_valid(request) == case.expect_accepted, (case.id, request)


def test_map_rules_get_cases_on_the_map_itself() -> None:
    """A map's size gets 0/1 and 50/51 entries; a map value gets 256/257 characters."""
    builder = RequestBuilder("TagResource", placeholder_context(), scope=CURRENT)
    index = rule_index(CURRENT)
    assert set(index) >= MAP_RULES
    sizes = {
        c.label: c.request(builder) for c in boundaries_of(index["TagResource.tags.count"], builder)
    }
    assert {label: len(r["tags"]) for label, r in sizes.items()} == {
        "0entries": 0,
        "1entries": 1,
        "50entries": 50,
        "51entries": 51,
    }
    values = {
        c.label: c.request(builder)
        for c in boundaries_of(index["TagResource.tags.value.maxLength"], builder)
    }
    assert {label: [len(v) for v in r["tags"].values()] for label, r in values.items()} == {
        "256chars": [256],
        "257chars": [257],
    }


def test_limit_added_to_overlay_gets_rules_and_cases(tmp_path: Path) -> None:
    """A limit added to a copy of the current overlay yields an x-rule and boundary cases."""
    overlay = json.loads(CURRENT.overlay.read_text(encoding="utf-8"))
    quote = "The minimum value is 2 seconds and the maximum value for Fargate is 120 seconds."
    added: dict[str, Any] = {
        "id": "RegisterJobDefinition.ecsProperties.taskProperties.containers.stopTimeout.minimum",
        "schema": "current/RegisterJobDefinition.request",
        "pointer": "/properties/ecsProperties/properties/taskProperties/items/properties/"
        "containers/items/properties/stopTimeout",
        "constraint": {"minimum": 2},
        "summary": "a task container's stopTimeout is at least 2 seconds",
        "provenance": "documented",
        "source": {
            "operation": "RegisterJobDefinition",
            "parameter": "ecsProperties",
            "quote": quote,
        },
        "strength": "must",
        "evidence": [
            {
                "kind": "doc",
                "quote": quote,
                "where": "https://docs.aws.amazon.com/batch/latest/APIReference/API_TaskContainerProperties.html",
            }
        ],
    }
    path = tmp_path / "overlay.json"
    path.write_text(json.dumps({"rules": [*overlay["rules"], added]}), encoding="utf-8")
    schemas = specgen.build_schemas(overlay_path=path, scope=CURRENT)
    node = resolve(schemas[added["schema"]], added["pointer"])
    assert node["minimum"] == 2
    (entry,) = [e for e in node["x-rules"] if e["id"] == added["id"]]
    rule = Rule(
        id=entry["id"],
        schema=added["schema"],
        operation="RegisterJobDefinition",
        direction="request",
        pointer=added["pointer"],
        keywords=entry["keywords"],
        summary=entry["summary"],
        provenance=entry["provenance"],
        source=entry["source"],
        strength=entry["strength"],
        evidence=tuple(entry["evidence"]),
    )
    builder = RequestBuilder("RegisterJobDefinition", placeholder_context(), scope=CURRENT)
    ids = [c.id for c in boundaries_of(rule, builder)]
    assert ids == [f"{added['id']}:outside:1", f"{added['id']}:inside:2"]


def test_regenerate_names_a_stale_current_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--check` names a stale current schema on its own line, as for the seed."""
    import io

    import conformance.specgen._write as write

    monkeypatch.setattr(write, "SPECS_DIR", tmp_path)
    monkeypatch.setattr(write, "schema_file", lambda name: tmp_path / f"{name}.schema.json")
    assert write.regenerate(False, io.StringIO()) == 0
    (tmp_path / "current" / "ListJobs.request.schema.json").write_text("{}\n", encoding="utf-8")
    out = io.StringIO()
    assert write.regenerate(True, out) == 1
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("specs: ")
    assert lines[0].endswith("/current/ListJobs.request.schema.json differs from its regeneration")
    assert len(lines) == 2
    assert SPECS_DIR.is_dir()
