"""SDK drift: the installed, the vendored, a wheel's and a hand-altered model against the seed;
and two SDKs against each other (`drift --from A --to B`), with the rules and cases of each
scope a change touches."""

from __future__ import annotations

import copy
import gzip
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from conformance.drift import compare, run_drift, run_model_drift
from conformance.drift._limits import limits_in, quotes
from conformance.drift._models import ModelChange, diff_models
from conformance.scopes import CURRENT
from conformance.specgen._model import VENDORED_MODEL, WHEEL_MEMBER

CURRENT_MODEL = CURRENT.model
ROOT = Path(__file__).resolve().parent.parent


def drift(model: Path | None) -> tuple[int, str]:
    """Run drift and return (exit status, output)."""
    out = io.StringIO()
    return run_drift(model, out), out.getvalue()


def vendored() -> dict[str, Any]:
    """A fresh copy of the vendored botocore 1.10.2 model."""
    data: dict[str, Any] = json.loads(VENDORED_MODEL.read_text(encoding="utf-8"))
    return data


def test_installed_botocore_lists_added_members() -> None:
    """Under today's botocore, drift lists members added since 2018 and exits 0."""
    status, text = drift(None)
    assert status == 0, text
    for member in ("nodeProperties", "tags", "platformCapabilities", "eksProperties"):
        assert f"added: {member} " in text or f"added: jobs[].{member} " in text, member
    assert "\nSubmitJob.request\n" in text
    assert "added: jobs[].jobArn (string)" in text
    assert "BREAKING" not in text
    assert text.rstrip().splitlines()[-1].startswith("drift: ")


def test_vendored_model_has_no_drift() -> None:
    """The seed's own model (botocore 1.10.2) shows no drift at all."""
    status, text = drift(VENDORED_MODEL)
    assert status == 0
    assert "added" not in text
    assert "drift: none" in text


def test_wheel_and_gzip_models_are_read(tmp_path: Path) -> None:
    """A botocore wheel and a gzipped service-2.json are read like the plain file."""
    wheel = tmp_path / "botocore-1.10.2-py2.py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr(WHEEL_MEMBER, VENDORED_MODEL.read_bytes())
    packed = tmp_path / "service-2.json.gz"
    packed.write_bytes(gzip.compress(VENDORED_MODEL.read_bytes()))
    for path in (wheel, packed):
        status, text = drift(path)
        assert status == 0
        assert "drift: none" in text


def test_altered_model_is_breaking(tmp_path: Path) -> None:
    """A removed member, a changed type and a removed enum value exit 1 and are named."""
    model = vendored()
    del model["shapes"]["JobDetail"]["members"]["jobQueue"]
    model["shapes"]["JobTimeout"]["members"]["attemptDurationSeconds"]["shape"] = "String"
    model["shapes"]["JobStatus"]["enum"].remove("STARTING")
    model["shapes"]["SubmitJobRequest"]["members"]["priority"] = {"shape": "Integer"}
    path = tmp_path / "service-2.json"
    path.write_text(json.dumps(model), encoding="utf-8")
    status, text = drift(path)
    assert status == 1
    assert "BREAKING removed: jobs[].jobQueue (string)" in text
    assert "BREAKING type changed: timeout.attemptDurationSeconds (integer -> string)" in text
    assert "BREAKING type changed: jobs[].timeout.attemptDurationSeconds" in text
    assert "BREAKING enum values removed: jobs[].status (STARTING)" in text
    assert "added: priority (integer)" in text


def test_unreadable_model_is_a_usage_error(tmp_path: Path) -> None:
    """A file that is not a batch model exits 2 with one line saying why."""
    bad = tmp_path / "service-2.json"
    bad.write_text("{}", encoding="utf-8")
    status, text = drift(bad)
    assert status == 2
    assert "not a botocore service model" in text
    status, _ = drift(tmp_path / "missing.whl")
    assert status == 2


def test_compare_reports_only_top_most_changes() -> None:
    """A new structure is one addition, not one per nested member; enum additions are info."""
    seed = {"properties": {"a": {"type": "string", "enum": ["x"]}}}
    new = {
        "properties": {
            "a": {"type": "string", "enum": ["x", "y"]},
            "b": {"type": "object", "properties": {"c": {"type": "integer"}}},
        }
    }
    changes = compare("S.request", seed, new)
    assert [(c.path, c.kind, c.breaking) for c in changes] == [
        ("a", "enum-added", False),
        ("b", "added", False),
    ]


def between(old: Path | str, new: Path | str, fmt: str = "text") -> tuple[int, str, str]:
    """Run `drift --from old --to new` and return (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    status = run_model_drift(str(old), str(new), fmt, out, err, download=_no_network)
    return status, out.getvalue(), err.getvalue()


def _no_network(version: str, folder: Path) -> None:
    raise AssertionError(f"a test tried to download botocore {version}")


def tiny(members: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    """A model of one operation `Op` whose request has `members` (shapes below)."""
    shapes: dict[str, Any] = {
        "Req": {"type": "structure", "members": members, "required": list(required)},
        "Res": {"type": "structure", "members": {}},
        "String": {"type": "string"},
        "Integer": {"type": "integer"},
        "Mode": {"type": "string", "enum": ["A", "B"]},
        "Inner": {"type": "structure", "members": {"deep": {"shape": "String"}}},
    }
    operation = {"input": {"shape": "Req"}, "output": {"shape": "Res"}}
    return {"operations": {"Op": operation}, "shapes": shapes}


def kinds(changes: list[ModelChange]) -> set[tuple[str, str, bool]]:
    """Each change as (kind, path, breaking)."""
    return {(c.kind, c.path, c.breaking) for c in changes}


def test_comparison_catches_each_kind_of_change() -> None:
    """Operations and members added/removed/retyped, enums, required members and limits."""
    old = tiny(
        {
            "gone": {"shape": "String"},
            "typed": {"shape": "String"},
            "mode": {"shape": "Mode"},
            "loose": {"shape": "String"},
            "tight": {"shape": "String"},
            "size": {"shape": "Integer", "documentation": "<p>Between 1 and 10.</p>"},
            "name": {"shape": "String", "documentation": "<p>Up to 128 letters long.</p>"},
        },
        required=("loose",),
    )
    old["operations"]["Old"] = {"input": {"shape": "Res"}}
    new = copy.deepcopy(old)
    del new["operations"]["Old"]
    new["operations"]["Fresh"] = {"input": {"shape": "Res"}}
    members = new["shapes"]["Req"]["members"]
    del members["gone"]
    members["typed"] = {"shape": "Integer"}
    members["inner"] = {"shape": "Inner"}
    members["size"]["documentation"] = "<p>Between 1 and 20.</p>"
    members["name"]["documentation"] = "<p>A name.</p>"
    members["tight"]["documentation"] = "<p>It can be up to 63 characters long.</p>"
    new["shapes"]["Mode"]["enum"] = ["B", "C"]
    new["shapes"]["Req"]["required"] = ["tight"]
    assert kinds(diff_models(old, new)) == {
        ("operation-removed", "", True),
        ("operation-added", "", False),
        ("removed", "gone", True),
        ("retyped", "typed", True),
        ("added", "inner", False),
        ("enum-added", "mode", False),
        ("enum-removed", "mode", True),
        ("required-added", "tight", True),
        ("required-removed", "loose", False),
        ("limit-changed", "size", False),
        ("limit-removed", "name", False),
        ("limit-added", "tight", False),
    }
    changed = next(c for c in diff_models(old, new) if c.kind == "limit-changed")
    assert (changed.detail, changed.before) == ("Between 1 and 20.", "Between 1 and 10.")


def test_new_required_member_and_response_changes() -> None:
    """A new required request member breaks a client; a response's newly required one does not."""
    old = tiny({"a": {"shape": "String"}})
    new = copy.deepcopy(old)
    new["shapes"]["Req"]["members"]["b"] = {"shape": "String"}
    new["shapes"]["Req"]["required"] = ["b"]
    new["shapes"]["Res"]["members"]["c"] = {"shape": "String"}
    new["shapes"]["Res"]["required"] = ["c"]
    found = {(c.kind, c.direction, c.path, c.breaking) for c in diff_models(old, new)}
    assert found == {
        ("added", "request", "b", False),
        ("required-added", "request", "b", True),
        ("added", "response", "c", False),
        ("required-added", "response", "c", False),
    }


def test_documented_limits_are_a_heuristic() -> None:
    """A sentence counts when a number is near a limit word; examples and versions do not."""
    doc = (
        "<p>The array size can be between 2 and 10,000. A short (255 max characters) string."
        " For example, up to 5 retries. This parameter requires version 1.25 of the Docker"
        " Remote API or greater. A value of 25 means 25% of the vCPUs.</p>"
    )
    assert [(limit.text, limit.numbers) for limit in limits_in(doc)] == [
        ("The array size can be between 2 and 10,000.", ("2", "10000")),
        ("A short (255 max characters) string.", ("255",)),
    ]
    assert quotes("Valid Range: Minimum value of 20.", "Valid Range: Minimum value of 20. ... Max")
    assert quotes("The minimum value for the timeout is 60 seconds", "The minimum value for the")
    assert not quotes("It can be up to 128 letters long.", "It can be up to 255 letters long.")


def test_seed_to_current_lists_both_scopes() -> None:
    """1.10.2 -> 1.44.5: operations added, timeout kept, SubmitJob.timeout.minimum named."""
    status, text, err = between("1.10.2", CURRENT_MODEL, "json")
    assert (status, err) == (0, "")
    data = json.loads(text)
    assert data["from"]["label"] == "botocore 1.10.2"
    assert "vendored" in data["from"]["origin"]
    changes = data["changes"]
    added = {c["operation"] for c in changes if c["kind"] == "operation-added"}
    assert {"CreateSchedulingPolicy", "ListTagsForResource", "TagResource"} <= added
    scheduling = next(c for c in changes if c["operation"] == "CreateSchedulingPolicy")
    assert scheduling["scopes"]["current"]["known"]
    assert "CreateSchedulingPolicy.implemented" in scheduling["scopes"]["current"]["rules"]
    assert not scheduling["scopes"]["seed"]["known"]
    assert not [c for c in changes if c["path"].split(".")[0] == "timeout" and c["breaking"]]
    timeout = next(
        c
        for c in changes
        if (c["operation"], c["path"]) == ("SubmitJob", "timeout.attemptDurationSeconds")
    )
    assert timeout["kind"] == "limit-added"
    for scope in ("seed", "current"):
        assert timeout["scopes"][scope]["rules"] == ["SubmitJob.timeout.minimum"]
        assert (
            "request_limits::test_limit[SubmitJob.timeout.minimum:outside:59]"
            in timeout["scopes"][scope]["cases"]
        )
    required = next(
        c
        for c in changes
        if c["path"] == "containerProperties.image" and c["direction"] == "request"
    )
    assert required["kind"] == "required-removed"
    assert (
        "RegisterJobDefinition.containerProperties.required" in required["scopes"]["seed"]["rules"]
    )
    assert not data["breaking"]


def test_seed_to_current_page_reads_per_scope() -> None:
    """The text page: one section per scope, rules and round trips named, untested said."""
    status, text, _ = between(VENDORED_MODEL, CURRENT_MODEL)
    assert status == 0
    lines = text.splitlines()
    assert lines[0] == "drift: botocore 1.10.2 -> botocore 1.44.5 (botocore's batch model)"
    assert "breaking for a client: none" in lines
    current = lines.index(next(line for line in lines if line.startswith("current scope")))
    seed = lines.index(next(line for line in lines if line.startswith("seed scope")))
    assert current < seed
    assert "  SubmitJob request" in lines[seed:]
    assert "        rule SubmitJob.timeout.minimum (2 cases)" in lines[seed:]
    assert "    + schedulingPriority (integer)" in lines[current:seed]
    assert "round_trip::test_member_round_trip[RegisterJobDefinition.schedulingPriority]" in text
    assert "round trip left out: needs a real Amazon EKS cluster" in text
    assert "documented limits no rule quotes" in text
    assert lines[-4].startswith("Documented limits are a heuristic:")


def test_wheel_side_with_breaking_and_untested_changes(tmp_path: Path) -> None:
    """A wheel built here: a removed member breaks; a new member and limit are untested."""
    model = json.loads(CURRENT_MODEL.read_text(encoding="utf-8"))
    submit = model["shapes"]["SubmitJobRequest"]
    del submit["members"]["tags"]
    submit["members"]["priorityHint"] = {
        "shape": "Integer",
        "documentation": "<p>The hint can be between 3 and 7.</p>",
    }
    wheel = tmp_path / "botocore-9.9.9-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr(WHEEL_MEMBER, json.dumps(model))
    status, text, _ = between(CURRENT_MODEL, wheel)
    assert status == 1
    assert "drift: botocore 1.44.5 -> botocore 9.9.9" in text
    assert "BREAKING for a client (1; exit status 1):" in text
    assert "  SubmitJob request - tags (object)" in text
    status, data, _ = between(CURRENT_MODEL, wheel, "json")
    hint = next(c for c in json.loads(data)["changes"] if c["path"] == "priorityHint")
    assert hint["scopes"]["current"] == {
        "known": False,
        "rules": [],
        "cases": [],
        "untested": True,
        "note": "not a member in the current scope",
    }
    assert 'SubmitJob priorityHint: "The hint can be between 3 and 7."' in text
    packed = tmp_path / "service-2.json.gz"
    packed.write_bytes(gzip.compress(json.dumps(model).encode()))
    assert between(CURRENT_MODEL, packed)[0] == 1


def test_markdown_names_every_case() -> None:
    """`--format md` is one Markdown page with every case id of a change."""
    status, text, _ = between(VENDORED_MODEL, CURRENT_MODEL, "md")
    assert status == 0
    assert text.startswith("# SDK drift: botocore 1.10.2 → botocore 1.44.5\n")
    assert "## Current scope" in text
    assert "## Seed scope" in text
    assert "`request_limits::test_limit[SubmitJob.timeout.minimum:inside:60]`" in text
