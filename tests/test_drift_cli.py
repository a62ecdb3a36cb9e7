"""Drift's sides and door: a version, cached or downloaded once; the command line's usage
errors and formats; the case ids it names; tox's SDK environments."""

from __future__ import annotations

import configparser
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from conformance.cli import main
from conformance.drift._coverage import ScopeCoverage
from conformance.drift._sources import SideError, resolve_side
from conformance.scopes import CURRENT, SEED
from conformance.specgen._model import VENDORED_MODEL, WHEEL_MEMBER

CURRENT_MODEL = CURRENT.model
ROOT = Path(__file__).resolve().parent.parent


def test_version_sides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A version: vendored, else a cached wheel, else downloaded once (announced in one line)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    notice = io.StringIO()
    assert resolve_side("1.10.2", notice).origin.startswith("vendored, specs/source/")
    calls: list[str] = []

    def download(version: str, folder: Path) -> None:
        calls.append(version)
        with zipfile.ZipFile(folder / f"botocore-{version}-py3-none-any.whl", "w") as zf:
            zf.writestr(WHEEL_MEMBER, VENDORED_MODEL.read_bytes())

    for _ in range(2):
        side = resolve_side("1.0.1", notice, download)
        assert side.label == "botocore 1.0.1"
    assert calls == ["1.0.1"]
    folder = tmp_path / "batch-conformance" / "botocore"
    assert (
        notice.getvalue() == f"drift: downloading botocore 1.0.1 from PyPI into {folder} (once)\n"
    )
    assert "cached" in side.origin
    with pytest.raises(SideError, match="no such file"):
        resolve_side(str(tmp_path / "missing.whl"), notice)
    with pytest.raises(SideError, match="not a botocore version"):
        resolve_side("latest", notice)


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--from", "1.10.2"], "--from and --to go together"),
        (["--to", "1.10.2"], "--from and --to go together"),
        (["--from", "1.10.2", "--to", "1.44.5", "--model", "x.json"], "not both"),
        (["--format", "md"], "--format goes with --from and --to"),
        (["--from", "nonsense", "--to", "1.44.5"], "drift --from: 'nonsense' is not"),
        (["--from", "1.10.2", "--to", "gone.whl"], "drift --to: gone.whl: no such file"),
    ],
)
def test_cli_usage_errors(argv: list[str], says: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A misused `drift --from/--to` is one line on stderr and exit status 2."""
    assert main(["drift", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.splitlines()) == 1
    assert says in captured.err


def test_cli_format_choice(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown format is refused by argparse in one line."""
    with pytest.raises(SystemExit) as exit_:
        main(["drift", "--from", "1.10.2", "--to", "1.44.5", "--format", "html"])
    assert exit_.value.code == 2
    assert len(capsys.readouterr().err.splitlines()) == 1


def test_case_ids_are_the_case_modules() -> None:
    """The round-trip and limit case ids drift names are those the case modules collect."""
    from conformance.cases.test_round_trip import _cases as seed_cases
    from conformance.current_cases.test_round_trip import cases as current_cases
    from conformance.limit_cases import limit_params

    def ids(params: list[Any], module: str, function: str) -> set[str]:
        return {f"{module}::{function}[{param.id}]" for param in params}

    for scope, params in (
        (CURRENT, ids(current_cases(), "round_trip", "test_member_round_trip")),
        (
            SEED,
            ids(
                seed_cases("RegisterJobDefinition"),
                "round_trip",
                "test_definition_member_round_trip",
            )
            | ids(seed_cases("SubmitJob"), "round_trip", "test_job_member_round_trip"),
        ),
    ):
        coverage = ScopeCoverage(scope)
        assert {trip.case for trip in coverage._round_trips} == params
    collected = {c for cases in ScopeCoverage(CURRENT)._cases_of_rule.values() for c in cases}
    assert ids(limit_params(CURRENT), "request_limits", "test_limit") <= collected


def test_tox_sdk_envs_show_the_drift_between_sdks() -> None:
    """tox's oldest and newest SDK environments run `drift --from/--to` on the vendored model."""
    tox = configparser.ConfigParser(interpolation=None)
    tox.read(ROOT / "tox.ini", encoding="utf-8")
    vendored = f"specs/current/source/{CURRENT_MODEL.name}"
    for env, order in (
        ("sdk-oldest", ("installed", vendored)),
        ("sdk-newest", (vendored, "installed")),
    ):
        commands = tox[f"testenv:{env}"]["commands"]
        assert "batch-conformance drift\n" in commands + "\n"
        line = next(c for c in commands.splitlines() if "--from" in c)
        words = line.replace("{toxinidir}{/}", "").replace("{/}", "/").split()
        assert words[words.index("--from") + 1] == order[0]
        assert words[words.index("--to") + 1] == order[1]
