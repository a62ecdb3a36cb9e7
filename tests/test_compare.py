"""The compatibility matrix: rows, cells, ordering, labels, rendering, the command."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from conformance.cli import main as cli_main
from conformance.compare_command import compare_main
from conformance.reports.compare import build_matrix, make_labels
from conformance.reports.matrix_legend import ABSENT, LEGEND
from conformance.reports.matrix_render import render_html, render_markdown
from conformance.results import (
    CaseResult,
    Finding,
    Outcome,
    RuleInfo,
    RunResult,
    TargetInfo,
)


def case(
    cid: str, outcome: Outcome, rule: str | None = None, operation: str | None = None
) -> CaseResult:
    """A bare case result."""
    return CaseResult(id=cid, outcome=outcome, rule=rule, operation=operation)


def run(
    name: str,
    *results: CaseResult,
    botocore: str = "1.34.0",
    version: str | None = None,
    endpoint: str | None = None,
    findings: tuple[Finding, ...] = (),
) -> RunResult:
    """A run of target `name` with rule R known to it."""
    target = TargetInfo(name=name, endpoint=endpoint, region="us-east-1", version=version)
    rules = {"R": RuleInfo("R", "SubmitJob", "timeout >= 60", "seed", "seed: quote")}
    return RunResult(
        target,
        {"botocore": botocore},
        "2024-01-01T00:00:00+00:00",
        1.0,
        list(results),
        rules=rules,
        findings=list(findings),
    )


MOTO = run(
    "moto",
    case("r1", "failed", "R"),
    case("r2", "passed", "R"),
    case("s1", "passed", "S"),
    case("z", "passed"),
    case("only-moto", "skipped"),
)
MINI = run(
    "ministack",
    case("r1", "passed", "R"),
    case("r2", "passed", "R"),
    case("s1", "error", "S"),
    case("z", "passed"),
)


def test_disagreeing_rows_first() -> None:
    """Rows where targets disagree come first, each group sorted by id."""
    matrix = build_matrix([MOTO, MINI], None)
    assert [r.id for r in matrix.cases] == ["only-moto", "r1", "s1", "r2", "z"]
    assert [r.id for r in matrix.rules] == ["R", "S"]
    assert matrix.disagreeing == 5


def test_cells() -> None:
    """Case cells are outcomes or an absent mark; rule cells aggregate their cases."""
    matrix = build_matrix([MOTO, MINI], None)
    cases = {r.id: r.cells for r in matrix.cases}
    assert cases["r1"] == ("failed", "passed")
    assert cases["only-moto"] == ("skipped", ABSENT)
    rules = {r.id: r for r in matrix.rules}
    assert rules["R"].cells == ("fail 1/2", "pass 2/2")
    assert (rules["R"].operation, rules["R"].provenance) == ("SubmitJob", "seed")
    assert rules["S"].cells == ("pass 1/1", "error 1/1")
    assert rules["S"].operation == ""
    assert (rules["R"].strength, rules["S"].strength) == ("must", "")


def test_errors_show_as_errors_in_mixed_rules() -> None:
    """A rule with failures and errors counts both: an error is never hidden in `fail`."""
    mixed = run(
        "moto",
        case("a", "failed", "R"),
        case("b", "error", "R"),
        case("c", "passed", "R"),
        case("d", "passed", "R"),
        case("e", "skipped", "R"),
    )
    errors = run("mini", case("a", "error", "R"), case("b", "passed", "R"))
    (row,) = build_matrix([mixed, errors], None).rules
    assert row.cells == ("fail 1 · error 1 /4", "error 1/2")
    assert row.disagrees


def test_rule_cell_absent_and_agreeing_counts() -> None:
    """A rule with no cases on a target is absent; all-pass with other counts agrees."""
    a = run("a", case("x", "passed", "R"), case("y", "passed", "R"), case("t", "passed", "T"))
    b = run("b", case("x", "passed", "R"))
    rows = {r.id: r for r in build_matrix([a, b], None).rules}
    assert rows["R"].cells == ("pass 2/2", "pass 1/1")
    assert not rows["R"].disagrees
    assert rows["T"].cells == ("pass 1/1", ABSENT)


def test_targets_table_counts() -> None:
    """The targets table gives each run's counts; the summary line the disagreeing rows."""
    text = render_markdown(build_matrix([MOTO, MINI], ["moto", "mini"]))
    date = "2024-01-01 00:00 UTC"
    assert f"| moto | moto | unknown | 1.34.0 | seed | {date} | 3 | 1 | 0 | 1 | — |" in text
    assert f"| mini | ministack | unknown | 1.34.0 | seed | {date} | 3 | 0 | 1 | 0 | — |" in text
    assert build_matrix([MOTO, MINI], None).disagreeing == 5


def test_two_sdk_labels() -> None:
    """Two runs of one target under two SDKs get distinct labels, equal ones a number."""
    old, new = run("moto", botocore="1.10.2"), run("moto", botocore="1.34.0")
    assert make_labels([old, new], None) == ("moto (botocore 1.10.2)", "moto (botocore 1.34.0)")
    twice = ("moto (botocore 1.10.2) #1", "moto (botocore 1.10.2) #2")
    assert make_labels([old, old], None) == twice
    assert make_labels([old, new], ["x", "x"]) == ("x #1", "x #2")


def test_labels_name_target_and_version() -> None:
    """By default a column says target and version; an endpoint without one, its URL."""
    moto = run("moto", version="5.2.5", botocore="1.44.5")
    url = "http://127.0.0.1:4566"
    endpoint = run("endpoint", endpoint=url, botocore="1.44.5")
    assert make_labels([moto, endpoint], None) == (
        "moto 5.2.5 (botocore 1.44.5)",
        f"endpoint {url} (botocore 1.44.5)",
    )
    assert make_labels([moto, endpoint], ["a", "b"]) == ("a", "b")


FINDING = Finding("R#refusal-expected", "R", "must", "SubmitJob", "refusal-expected", "failed", "")


def test_targets_and_operations_on_top() -> None:
    """Versions, botocore and dates of each run, then per-operation counts and findings."""
    moto = run(
        "moto",
        case("a", "failed", "R", "SubmitJob"),
        case("b", "error", "R", "SubmitJob"),
        case("c", "passed", "R", "SubmitJob"),
        case("d", "passed", None, "DescribeJobs"),
        version="5.2.5",
        findings=(FINDING,),
    )
    old = run("ministack", case("a", "failed", "R", "SubmitJob"), version="1.4.21")
    matrix = build_matrix([moto, old], None)
    ops = {row.id: row.cells for row in matrix.operations}
    assert ops == {
        "DescribeJobs": ("pass 1 · 0 findings", ABSENT),
        "SubmitJob": ("pass 1 · fail 1 · error 1 · 1 finding", "fail 1"),
    }
    text = render_markdown(matrix)
    assert text.index("## Targets") < text.index("## Per operation") < text.index("## Rules")
    assert (
        "| moto 5.2.5 (botocore 1.34.0) | moto | 5.2.5 | 1.34.0 | seed | 2024-01-01 00:00 UTC"
        " | 2 | 1 | 1 | 0 | 1 |" in text
    )
    # a report written before findings existed: its findings are not counted as 0
    assert "| ministack 1.4.21 (botocore 1.34.0) | ministack | 1.4.21 |" in text
    assert "| 0 | 1 | 0 | 0 | — |" in text
    assert "| SubmitJob | pass 1 · fail 1 · error 1 · 1 finding | fail 1 |" in text


def test_legend_explains_cells_marks_and_strengths() -> None:
    """The legend names every kind of cell, the ≠ mark and both strengths."""
    terms = [term for term, _ in LEGEND]
    for term in ("pass n/n", "fail f/n", "error e/n", "fail f · error e /n", "≠", "must", "should"):
        assert term in terms
    text = render_markdown(build_matrix([MOTO], None))
    page = render_html(build_matrix([MOTO], None))
    for term, meaning in LEGEND:
        assert f"- `{term}`: " in text
        assert f"<dt>{html.escape(term)}</dt><dd>{html.escape(meaning)}</dd>" in page


def test_html_escapes() -> None:
    """Every text in the HTML is escaped."""
    evil = run(
        "<script>alert(1)</script>",
        case("<script>x</script>", "failed", "<b>R", "<i>Op"),
        version="<img src=x>",
    )
    page = render_html(build_matrix([evil], None))
    assert "<img" not in page
    assert "<i>" not in page
    assert "<script>" not in page
    assert "&lt;script&gt;x&lt;/<wbr>script&gt;" in page  # an id: it may break after "/"
    assert "<b>" not in page


def test_markdown_escapes_pipes() -> None:
    """Markdown cells escape pipes and HTML."""
    text = render_markdown(build_matrix([run("a|b", case("c|d", "passed"))], None))
    assert "a\\|b (botocore 1.34.0)" in text
    assert "| ≠ |" not in text
    assert "c\\|d" in text


def test_markdown_layout() -> None:
    """The Markdown has the header, a rules table and a cases table with marks."""
    text = render_markdown(build_matrix([MOTO, MINI], ["moto", "mini"]))
    assert "5 of 7 rows (rules and cases) disagree between the targets." in text
    assert "| ≠ | R | SubmitJob | must | seed | fail 1/2 | pass 2/2 |" in text
    assert "|  | z | passed | passed |" in text


def write_report(path: Path, result: RunResult) -> Path:
    """Write a report.json."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result.to_dict()), encoding="utf-8")
    return path


def test_compare_main_writes_both(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """compare_main writes matrix.md and matrix.html and prints their paths."""
    a = write_report(tmp_path / "a" / "report.json", MOTO)
    b = write_report(tmp_path / "b" / "report.json", MINI)
    out = tmp_path / "out"
    assert compare_main([a, b], out, None) == 0
    assert capsys.readouterr().out.split() == [str(out / "matrix.md"), str(out / "matrix.html")]
    assert "moto (botocore 1.34.0)" in (out / "matrix.md").read_text(encoding="utf-8")
    assert (out / "matrix.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in out.iterdir()) == ["matrix.html", "matrix.md"]


@pytest.mark.parametrize("text", ["{", "[]", '{"target": {}}', '{"schema_version": 1}'])
def test_compare_main_broken_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    """A broken report is exit 2 with one line naming it."""
    bad = tmp_path / "report.json"
    bad.write_text(text, encoding="utf-8")
    assert compare_main([bad], tmp_path / "out", None) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"report {bad}: ")
    assert not (tmp_path / "out").exists()


def test_compare_main_unknown_outcome(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A report with an unknown outcome is refused in one line."""
    doc = MOTO.to_dict()
    doc["results"][0]["outcome"] = "weird"
    bad = tmp_path / "report.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    assert compare_main([bad], tmp_path, None) == 2
    assert "unknown outcome 'weird'" in capsys.readouterr().err


def test_compare_main_usage(tmp_path: Path) -> None:
    """No reports, or a label count that does not match, is exit 2."""
    a = write_report(tmp_path / "report.json", MOTO)
    assert compare_main([], tmp_path, None) == 2
    assert compare_main([a], tmp_path, ["x", "y"]) == 2


def test_html_cells_coloured_by_their_worst_outcome() -> None:
    """A cell with failures is red, one with errors but no failure amber, whatever comes first."""
    mixed = run(
        "moto",
        case("a", "passed", "R", "SubmitJob"),
        case("b", "error", "R", "SubmitJob"),
        case("c", "failed", None, "DescribeJobs"),
        case("d", "passed", None, "DescribeJobs"),
    )
    page = render_html(build_matrix([mixed], None))
    assert '<td class="error">pass 1 · error 1</td>' in page
    assert '<td class="fail">pass 1 · fail 1</td>' in page
    assert '<td class="error">error 1/2</td>' in page


BASELINE = '{"version": 1, "target": "moto", "entries": [{"rule": "R", "expected": "failed"}]}'


@pytest.mark.parametrize(
    "given",
    [
        ("baseline.json", BASELINE, "is a baseline file (known deviations), not a report.json"),
        ("garbage.json", "\x00garbage", "is not JSON"),
        ("report.html", "<!DOCTYPE html><html></html>", "is an HTML page"),
        ("junit.xml", '<?xml version="1.0"?><testsuites/>', "is XML"),
        ("list.json", "[1, 2]", "is JSON, but a list, not a report.json"),
        ("other.json", '{"a": 1}', "is JSON, but not a report.json (no target, sdk"),
        ("missing.json", None, "no such file"),
    ],
    ids=["baseline", "garbage", "html", "xml", "list", "other-json", "missing"],
)
def test_compare_names_what_was_given_instead(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    given: tuple[str, str | None, str],
) -> None:
    """Anything but a report.json is one line naming the file, what it is and what is expected."""
    monkeypatch.setenv("HYPOTHESIS_STORAGE_DIRECTORY", str(tmp_path / "hypothesis"))
    name, text, said = given
    path = tmp_path / name
    if text is not None:
        path.write_text(text, encoding="utf-8")
    good = write_report(tmp_path / "a" / "report.json", MOTO)
    out = tmp_path / "out"
    assert cli_main(["compare", str(good), str(path), "--out-dir", str(out)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"report {path}: {said}")
    assert line.endswith("expected the report.json a run writes into its report folder")
    assert "argument" not in line
    assert "TargetInfo" not in line
    assert not out.exists()


def test_compare_damaged_report_names_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A report.json with a field this version does not know says which, not Python's words."""
    doc = MOTO.to_dict()
    doc["results"][0]["surprise"] = 1
    bad = tmp_path / "report.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    assert compare_main([bad], tmp_path / "out", None) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line == f"report {bad}: a damaged report.json: unknown field 'surprise'" + (
        " (written by a newer version?)"
    )


def test_compare_requires_out_dir(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --out-dir nothing is written in the current folder: a one-line usage error."""
    monkeypatch.setenv("HYPOTHESIS_STORAGE_DIRECTORY", str(tmp_path / "hypothesis"))
    good = write_report(tmp_path / "a" / "report.json", MOTO)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert cli_main(["compare", str(good)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert "--out-dir DIR is required" in line
    assert list(work.iterdir()) == []
