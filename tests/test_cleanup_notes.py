"""What the cleanup could not delete: left on an endpoint the user runs, gone with a process
the run started and stopped."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance.targets.base import TargetError
from conformance.targets.ministack import Ministack, ministack_command
from tests.cli import run_cli

LEFT = "left on the endpoint"
SLICE = "SubmitJob.jobName.length"  # submits jobs: ministack cannot terminate them


@pytest.fixture(autouse=True)
def _needs_ministack() -> None:
    try:
        ministack_command()
    except TargetError:
        pytest.skip("ministack is not installed")


def _run(tmp_path: Path, *args: str) -> tuple[str, dict[str, Any], str]:
    """A small run: its console (both streams), its report.json and its report.md + .html."""
    hypothesis = {"HYPOTHESIS_STORAGE_DIRECTORY": str(tmp_path / "hypothesis")}
    run = run_cli(tmp_path, *args, "-k", SLICE, env=hypothesis, timeout=180, merged=True)
    pages = "".join(
        (run.report_dir / name).read_text(encoding="utf-8") for name in ("report.md", "report.html")
    )
    return run.stdout, run.report, pages


def test_refusals_of_a_target_the_run_stopped_are_one_line(tmp_path: Path) -> None:
    """--target ministack: the run started the process and stops it, so what it refused to
    delete is gone with it; one line says so, never that something was left."""
    console, report, pages = _run(tmp_path, "--target", "ministack")
    assert LEFT not in console
    assert LEFT not in pages.lower()
    assert report["cleanup"] == []
    (line,) = [line for line in console.splitlines() if line.startswith("cleanup: ")]
    assert line.startswith("cleanup: ministack refused ")
    assert line.endswith(
        "nothing is left: this run started ministack and stopped it, with all it held"
    )


@pytest.fixture
def users_ministack() -> Iterator[str]:
    """A ministack the test runs, as a user would: the run did not start it."""
    server = Ministack("us-east-1")
    server.start()
    assert server.endpoint_url is not None
    yield server.endpoint_url
    server.stop()


def test_refusals_of_an_endpoint_the_user_runs_are_named(
    tmp_path: Path, users_ministack: str
) -> None:
    """--endpoint-url: the endpoint outlives the run, so each kind of refusal is named."""
    console, report, pages = _run(tmp_path, "--endpoint-url", users_ministack)
    assert report["cleanup"]
    assert all(LEFT in note for note in report["cleanup"])
    assert [line for line in console.splitlines() if line.startswith("cleanup: ")] == [
        f"cleanup: {note}" for note in report["cleanup"]
    ]
    assert "Left on the endpoint" in pages
