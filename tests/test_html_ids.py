"""Identifiers in the HTML pages break only between their parts, and stay escaped."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conformance.reports import html
from conformance.reports.compare import build_matrix
from conformance.reports.html_style import MATRIX_CSS, REPORT_CSS
from conformance.reports.html_text import LONG_PART, ident
from conformance.reports.matrix_render import render_html
from conformance.results import CaseResult, RunResult
from tests.report_runs import load_screenshots, make, refused_case, rule

RESERVED = "SubmitJob.containerOverrides.environment.name.reserved"
CASE = f"request_limits::test_limit[{RESERVED}:outside:AWS_BATCH_TEST]"
SEPARATORS = "._-[]:#/"


def test_ident_breaks_only_after_separators_and_escapes() -> None:
    """A `<wbr>` after each separator and nowhere else; each part escaped on its own."""
    assert ident(RESERVED) == (
        "SubmitJob.<wbr>containerOverrides.<wbr>environment.<wbr>name.<wbr>reserved"
    )
    assert ident("a_b-c[d]:e#f/g") == "a_<wbr>b-<wbr>c[<wbr>d]<wbr>:<wbr>e#<wbr>f/<wbr>g"
    hostile = ident('<script>alert("x")</script>&amp;')
    assert "<script" not in hostile
    assert hostile.replace("<wbr>", "") == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;amp;"
    )
    assert ident("") == ""


def test_only_a_part_longer_than_any_real_id_breaks_inside() -> None:
    """A part of more than LONG_PART characters (none in a real id) breaks every LONG_PART."""
    assert ident("x" * (2 * LONG_PART + 1)).split("<wbr>") == [
        "x" * LONG_PART,
        "x" * LONG_PART,
        "x",
    ]


def ids_run() -> RunResult:
    """A run whose ids are long: a should rule with a long name, its case, a schema path."""
    case = refused_case(CASE, RESERVED, "should", schema_path="/properties/containerOverrides")
    return make(
        [case, CaseResult("ok", "passed", RESERVED, "SubmitJob")], {RESERVED: rule(RESERVED)}
    )


def test_report_html_ids_break_only_between_parts(tmp_path: Path) -> None:
    """In report.html every rule, case and finding id is an `id` element with `<wbr>`s, and
    the CSS keeps the browser from breaking such an element anywhere else."""
    page = html.render(ids_run(), tmp_path / "report.json")
    assert f'<code class="id">{ident(RESERVED)}</code>' in page
    assert f'<code class="id">{ident(CASE)}</code>' in page
    assert f'<code class="id">{ident(RESERVED + "#refusal-expected")}</code>' in page
    assert "<code>" not in page.replace("<code>should</code>", "")  # every code is an id
    assert ".id{overflow-wrap:normal;word-break:normal}" in REPORT_CSS


def test_matrix_ids_break_only_between_parts() -> None:
    """In the matrix, the cells naming a rule, case or operation are `id` cells."""
    page = render_html(build_matrix([ids_run()], None))
    assert f'<td class="id">{ident(RESERVED)}</td>' in page
    assert f'<td class="id">{ident(CASE)}</td>' in page
    assert "td.id { overflow-wrap: normal; word-break: normal; }" in MATRIX_CSS


# Where an `.id` element's text wraps onto a new line, the character before the wrap.
_WRAPS = """
(() => {
  const wraps = [];
  for (const el of document.querySelectorAll('.id')) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let top = null, last = '', node;
    while ((node = walker.nextNode())) {
      for (let i = 0; i < node.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect) continue;
        if (top !== null && rect.top > top + 2) wraps.push([el.textContent, last]);
        top = rect.top;
        last = node.data[i];
      }
    }
  }
  return JSON.stringify(wraps);
})()
"""


@pytest.mark.skipif(
    not any(shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome")),
    reason="no Chromium on this machine",
)
def test_ids_wrap_only_after_separators_in_chromium(tmp_path: Path) -> None:
    """In headless Chromium, 1,400 px wide, the long ids of report.html and the matrix wrap,
    and each wraps only after a separator."""
    shots = load_screenshots()
    run = ids_run()
    report = tmp_path / "report.html"
    report.write_text(html.render(run, tmp_path / "report.json"), encoding="utf-8")
    matrix = tmp_path / "matrix.html"
    matrix.write_text(render_html(build_matrix([run, run], ["a" * 60, "b" * 60])), "utf-8")
    with shots.Browser(shots.find_browser(), 1400, 1000) as browser:
        for page in (report, matrix):
            browser.open(page.resolve().as_uri())
            browser.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            wraps = json.loads(browser.evaluate(_WRAPS))
            assert wraps, f"{page.name}: no id wrapped, the test proves nothing"
            assert all(before in SEPARATORS for _, before in wraps), (page.name, wraps)
