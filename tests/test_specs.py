"""The seed schemas: regeneration, metaschema, every documented limit, its bite, no false alarms."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, ValidationError

from conformance import specgen
from conformance.schemas import (
    PROVENANCES,
    SPECS_DIR,
    all_schemas,
    iter_rules,
    load_schema,
    nearest_rule,
    rule_index,
    schema_file,
    schema_names,
    validator,
)
from conformance.scopes import SEED
from conformance.specgen._overlay import SOURCE_ARROW, OverlayError, resolve
from conformance.specgen._write import dump_schema
from tests.schema_bites import auto_bites, failing_keywords, object_nodes
from tests.seed_spec_tables import AUTO_KEYWORDS, BITES, DEF, REQUIRED_LIMITS, RESPONSE_TYPES

DATA = Path(__file__).parent / "data"
VENDORED_EXAMPLES = SPECS_DIR / "source" / "batch-2016-08-10.examples-1.botocore-1.10.2.json"


def _node(schema: str, pointer: str) -> dict[str, Any]:
    return resolve(load_schema(schema), pointer)


def test_regenerated_schemas_equal_committed() -> None:
    """Regenerating from the vendored model and the overlay reproduces the committed files."""
    built = specgen.build_schemas()
    assert sorted(built) == sorted(schema_names(SEED))
    for name, schema in built.items():
        assert schema_file(name).read_text(encoding="utf-8") == dump_schema(schema), name


def test_regenerate_check_passes_on_committed_specs() -> None:
    """`regenerate(check=True)` finds nothing stale and exits 0."""
    out = io.StringIO()
    assert specgen.regenerate(True, out) == 0
    assert "up to date" in out.getvalue()


def test_regenerate_check_names_stale_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stale or missing schema file makes `--check` exit 1 and name it, writing nothing."""
    import conformance.specgen._write as write

    monkeypatch.setattr(write, "SPECS_DIR", tmp_path)
    monkeypatch.setattr(write, "schema_file", lambda name: tmp_path / f"{name}.schema.json")
    for name in schema_names(SEED):
        (tmp_path / f"{name}.schema.json").write_text(
            schema_file(name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    (tmp_path / "SubmitJob.request.schema.json").write_text("{}\n", encoding="utf-8")
    (tmp_path / "DescribeJobs.response.schema.json").unlink()
    out = io.StringIO()
    assert write.regenerate(True, out) == 1
    assert "SubmitJob.request.schema.json differs" in out.getvalue()
    assert "DescribeJobs.response.schema.json differs" in out.getvalue()
    assert not (tmp_path / "DescribeJobs.response.schema.json").exists()
    assert write.regenerate(False, io.StringIO()) == 0
    assert write.regenerate(True, io.StringIO()) == 0


def test_module_entry_point_checks() -> None:
    """`python -m conformance.specgen --check` runs and exits 0 on the committed specs."""
    root = Path(__file__).parent.parent
    proc = subprocess.run(
        [sys.executable, "-m", "conformance.specgen", "--check"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(root), "PATH": ""},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("name", schema_names(SEED))
def test_schema_passes_metaschema(name: str) -> None:
    """Each committed schema is a valid draft 2020-12 schema with `$schema`, `$id`, `title`."""
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"urn:batch-conformance:{name}"
    assert schema["title"]


def test_schemas_are_inlined() -> None:
    """No schema uses `$ref`: pointers address members directly."""
    for name, schema in all_schemas(SEED).items():
        assert "$ref" not in json.dumps(schema), name


def test_request_schemas_are_closed_and_responses_open() -> None:
    """Request structures forbid unknown members; no response structure does."""
    for op in SEED.operations:
        for node in object_nodes(load_schema(f"{op}.request")):
            if "properties" in node:
                assert node["additionalProperties"] is False
        for node in object_nodes(load_schema(f"{op}.response")):
            assert node.get("additionalProperties", True) is not False


def test_response_required_only_what_aws_always_returns() -> None:
    """`startedAt` (botocore marks it required) and vcpus/memory are not required in responses."""
    job = _node("DescribeJobs.response", "/properties/jobs/items")
    assert "startedAt" not in job["required"]
    assert set(job["required"]) == {"jobName", "jobId", "jobQueue", "status", "jobDefinition"}
    props = _node("DescribeJobDefinitions.response", f"{DEF}/containerProperties")
    assert props.get("required") == ["image"]


@pytest.mark.parametrize(("rule_id", "expected"), REQUIRED_LIMITS.items())
def test_required_limit_is_in_schema(
    rule_id: str, expected: tuple[str, str, dict[str, Any]]
) -> None:
    """Each limit the issue lists sits, by rule id, at its pointer in its schema."""
    schema, pointer, keywords = expected
    rule = rule_index(SEED)[rule_id]
    assert (rule.schema, rule.pointer) == (schema, pointer)
    node = _node(schema, pointer)
    for keyword, value in keywords.items():
        assert rule.keywords[keyword] == value
        if keyword == "required":
            assert set(value) <= set(node["required"])
        else:
            assert node[keyword] == value


@pytest.mark.parametrize(("where", "kind"), RESPONSE_TYPES.items())
def test_response_members_are_typed(where: tuple[str, str], kind: str) -> None:
    """Revisions, timeouts and timestamps are integers in responses."""
    assert _node(*where)["type"] == kind


def test_rules_are_well_formed() -> None:
    """Ids are unique and follow the convention; provenance and source lines are consistent."""
    rules = iter_rules(SEED)
    assert [r.id for r in rules] == sorted({r.id for r in rules})
    for rule in rules:
        assert rule.schema == f"{rule.operation}.{rule.direction}"
        assert rule.id.startswith(f"{rule.operation}.")
        assert (".response." in rule.id) == (rule.direction == "response")
        assert rule.provenance in PROVENANCES
        assert rule.source.startswith(f"{rule.provenance}: {rule.operation} {SOURCE_ARROW} ")
        assert rule.summary
        assert rule.keywords


def test_every_rule_has_a_bite_check() -> None:
    """A rule needs derivable keywords or an entry in BITES; BITES names no missing rule."""
    ids = set(rule_index(SEED))
    uncovered = [
        r.id for r in iter_rules(SEED) if not set(r.keywords) <= AUTO_KEYWORDS and r.id not in BITES
    ]
    assert uncovered == [], f"add inside/outside examples to BITES for {uncovered}"
    assert set(BITES) <= ids


@pytest.mark.parametrize("rule", iter_rules(SEED), ids=lambda r: r.id)
def test_rule_bites(rule: Any) -> None:
    """A value just inside the rule validates; one just outside fails on the rule's keyword."""
    node = _node(rule.schema, rule.pointer)
    check = Draft202012Validator(node)
    cases: list[tuple[Any, bool, set[str]]] = []
    if rule.id in BITES:
        inside, outside = BITES[rule.id]
        cases += [(v, True, set()) for v in inside]
        cases += [(v, False, set(rule.keywords)) for v in outside]
    else:
        for keyword, value in rule.keywords.items():
            good, bad = auto_bites(node, keyword, value)
            cases += [(good, True, set()), (bad, False, {keyword})]
    assert cases
    for instance, valid, keywords in cases:
        if valid:
            assert check.is_valid(instance), (rule.id, instance)
        else:
            assert keywords & failing_keywords(node, instance), (rule.id, instance)


def _examples(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (op, example)
        for op, examples in sorted(doc["examples"].items())
        if op in SEED.operations
        for example in examples
    ]


# The documentation's DescribeJobs example (written for the launch, 2016) is a trimmed job:
# a SUCCEEDED job without attempts or log stream, its definition by name. Every recorded real
# answer (specs/recorded/DescribeJobs/) carries them, and the API Reference's own text says
# so ("Each container attempt receives a log stream name when they reach the RUNNING status").
EXAMPLE_TRIMMED = {
    "DescribeJobs.response.container.logStreamName.when-started": "no logStreamName",
    "DescribeJobs.response.exitCode.when-succeeded": "no attempts",
    "DescribeJobs.response.jobDefinition.arn": "jobDefinition 'sleep60' (a should rule)",
}


def _example_violations(op: str, output: dict[str, Any]) -> tuple[list[str], set[str]]:
    """(violations of `op`'s seed response schema not excused, rules excused)."""
    from conformance.answer_check import observe

    found = observe(op, output, "", SEED)
    kept = [f"{o.rule} {o.path}: {o.message}" for o in found if o.rule not in EXAMPLE_TRIMMED]
    return kept, {o.rule for o in found if o.rule in EXAMPLE_TRIMMED}


def test_vendored_examples_validate() -> None:
    """botocore 1.10.2's examples: inputs match request schemas, outputs response schemas
    (the trimmed example job excused by the rules it breaks, and each of those needed)."""
    doc = json.loads(VENDORED_EXAMPLES.read_text(encoding="utf-8"))
    examples = _examples(doc)
    assert {op for op, _ in examples} == set(SEED.operations)
    excused: set[str] = set()
    for op, example in examples:
        validator(f"{op}.request").validate(example["input"])
        kept, broke = _example_violations(op, example["output"])
        assert kept == [], op
        excused |= broke
    assert excused == set(EXAMPLE_TRIMMED)


def _newer_api(error: ValidationError) -> str | None:
    """Why a request error comes from a member added after the seed, or None."""
    if error.validator == "additionalProperties":
        return "a member added to the API after the seed"
    if (
        error.validator == "required"
        and isinstance(error.instance, dict)
        and "resourceRequirements" in error.instance
        and error.message.split("'")[1] in ("vcpus", "memory")
    ):
        return "vcpus/memory given as resourceRequirements (added after the seed)"
    return None


def test_installed_botocore_examples_validate() -> None:
    """The installed botocore's examples: outputs validate; inputs do, bar post-seed members."""
    from botocore.exceptions import DataNotFoundError
    from botocore.loaders import Loader

    try:
        doc = Loader().load_service_model("batch", "examples-1", "2016-08-10")
    except DataNotFoundError:
        pytest.skip("the installed botocore ships no batch examples")
    for op, example in _examples(doc):
        assert _example_violations(op, example["output"])[0] == [], op
        errors = list(validator(f"{op}.request").iter_errors(example["input"]))
        unexplained = [e.message for e in errors if _newer_api(e) is None]
        assert unexplained == [], (op, example["input"])


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("DescribeJobs.response", "describe_jobs_newer.json"),
        ("DescribeJobDefinitions.response", "describe_job_definitions_newer.json"),
    ],
)
def test_newer_aws_responses_validate(name: str, data: str) -> None:
    """Responses with members AWS added since 2018 (and a job never started) validate."""
    body = json.loads((DATA / data).read_text(encoding="utf-8"))
    validator(name).validate(body)
    if name.startswith("DescribeJobs"):
        assert any("startedAt" not in job for job in body["jobs"])


def test_nearest_rule_blames_the_rule() -> None:
    """Errors are blamed on the rule whose keyword failed, else on the deepest rule."""
    job = json.loads((DATA / "describe_jobs_newer.json").read_text(encoding="utf-8"))["jobs"][1]
    job["startedAt"] = 1767225660
    errors = list(validator("DescribeJobs.response").iter_errors({"jobs": [job]}))
    assert len(errors) == 1
    rule = nearest_rule("DescribeJobs.response", list(errors[0].absolute_schema_path))
    assert rule is not None
    assert rule.id == "DescribeJobs.response.startedAt.epoch-ms"

    request = {"jobDefinitionName": "a", "type": "container"}
    (error,) = validator("RegisterJobDefinition.request").iter_errors(request)
    rule = nearest_rule("RegisterJobDefinition.request", list(error.absolute_schema_path))
    assert rule is not None
    assert rule.id == "RegisterJobDefinition.containerProperties.required-for-container"

    path = ["properties", "jobs", "items", "properties", "status", "enum"]
    rule = nearest_rule("DescribeJobs.response", path)
    assert rule is not None
    assert rule.id == "DescribeJobs.response.status.enum"
    # A keyword no rule states is a plain structure failure, not the enclosing node's rule.
    path = ["properties", "jobDefinitions", "items", "properties", "retryStrategy", "type"]
    assert nearest_rule("DescribeJobDefinitions.response", path) is None
    assert nearest_rule("SubmitJob.response", ["properties", "jobId", "type"]) is None


def test_overlay_pointer_must_resolve(tmp_path: Path) -> None:
    """An overlay rule whose pointer does not resolve fails loudly, naming the rule."""
    overlay = json.loads((SPECS_DIR / "overlay.json").read_text(encoding="utf-8"))
    overlay["rules"][0]["pointer"] = "/properties/nosuchmember"
    path = tmp_path / "overlay.json"
    path.write_text(json.dumps(overlay), encoding="utf-8")
    with pytest.raises(OverlayError, match=overlay["rules"][0]["id"]):
        specgen.build_schemas(overlay_path=path)


def test_overlay_conflicts_fail(tmp_path: Path) -> None:
    """Two rules setting one keyword to different values, or a duplicate id, fail loudly."""
    overlay = json.loads((SPECS_DIR / "overlay.json").read_text(encoding="utf-8"))
    clash = dict(overlay["rules"][0], id="Clash", constraint={"enum": ["other"]})
    clash["pointer"] = "/properties/type"
    clash["schema"] = "RegisterJobDefinition.request"
    path = tmp_path / "overlay.json"
    path.write_text(json.dumps({"rules": [*overlay["rules"], clash]}), encoding="utf-8")
    with pytest.raises(OverlayError, match="Clash"):
        specgen.build_schemas(overlay_path=path)
    path.write_text(json.dumps({"rules": overlay["rules"] * 2}), encoding="utf-8")
    with pytest.raises(OverlayError, match="duplicate"):
        specgen.build_schemas(overlay_path=path)
