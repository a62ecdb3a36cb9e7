"""SDK drift: the installed, the vendored, a wheel's and a hand-altered model against the seed."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path
from typing import Any

from conformance.drift import compare, run_drift
from conformance.specgen._model import VENDORED_MODEL, WHEEL_MEMBER


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
