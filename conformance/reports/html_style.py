"""The styles of the two HTML pages: report.html (`REPORT_CSS`) and the matrix (`MATRIX_CSS`).

Text wraps anywhere, but identifiers (class `id`, see html_text.py) only where they have
a `<wbr>`. Both fit a 1,400 px window (checked by tests/test_reports.py and, in headless
Chromium, by scripts/screenshots.py).
"""

from __future__ import annotations

REPORT_CSS = """
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,sans-serif;margin:1.5em auto;max-width:1340px;padding:0 1em;
color:#222}
h1{font-size:1.5em;margin:.2em 0}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
h3{margin:1.2em 0 .3em}h1,h2,h3,h4,p,li,summary{overflow-wrap:anywhere}
table{border-collapse:collapse;margin:.5em 0;width:100%;table-layout:fixed}
th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top;
overflow-wrap:anywhere}
th{background:#f4f4f4}td.n,th.n{text-align:right}
table.facts th{width:12em}
code,pre{font:12px/1.4 ui-monospace,monospace;overflow-wrap:anywhere}
.id{overflow-wrap:normal;word-break:normal}
pre{background:#f7f7f7;padding:.5em;margin:.3em 0;white-space:pre-wrap;max-height:40em;
overflow-y:auto;overflow-x:hidden}
details{margin:.4em 0;border:1px solid #ddd;border-radius:4px;padding:.3em .6em}
details.fold>summary{font-weight:600}summary{cursor:pointer}
.o{display:inline-block;padding:0 .5em;border-radius:3px;color:#fff;font-weight:600}
.o-failed{background:#c62828}.o-error{background:#6a1b9a}
.o-passed{background:#2e7d32}.o-skipped{background:#757575}
.o-warning{background:#ef6c00}.o-known{background:#546e7a}
tr.warning td{background:#fff8e1}tr.known td{color:#555;background:#f5f5f5}
.headline{font-size:1.25em;font-weight:600;margin:.6em 0 .2em}
.meta{color:#444;margin:.2em 0}.meta b{color:#222}
.banner{border:2px solid #c62828;background:#fdecea;padding:.6em;font-weight:600}
.banner.interrupted{border-color:#ef6c00;background:#fff3e0}
.cut{color:#b71c1c;font-style:italic}
.finding{border:1px solid #ddd;border-left:4px solid #c62828;border-radius:4px;
padding:.1em .8em .3em;margin:.6em 0}.finding h3{margin:.4em 0 .1em;font-size:1.05em}
.finding details{border:0;padding:0;margin:0}
.finding.warning{border-left-color:#ef6c00}.finding.known{border-left-color:#90a4ae}
.p-seed{color:#1565c0}.p-botocore{color:#6a1b9a}.p-observed{color:#ad1457}
"""

MATRIX_CSS = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; max-width: 1400px; }
table { border-collapse: collapse; margin-bottom: 2em; }
th, td { border: 1px solid #ccc; padding: 2px 8px; text-align: left; font-size: 90%; }
th { background: #f0f0f0; }
tr.disagree td:first-child { border-left: 4px solid #d33; }
td.pass, td.passed { background: #e6f4e6; }
td.fail, td.failed { background: #fbe3e3; }
td.error { background: #fdf0d5; }
td.skip, td.skipped, td.absent { color: #888; }
td.not-implemented { background: #e8e8e8; color: #555; font-style: italic; }
td.must { background: #fbe3e3; font-weight: 600; }
td.should { background: #fff3d6; }
td.aws { background: #e6f4e6; }
td.lifecycle { background: #f4f4f4; font-style: italic; }
td { overflow-wrap: anywhere; }
td.id { overflow-wrap: normal; word-break: normal; }
table.ops td:first-child { overflow-wrap: normal; white-space: nowrap; }
dl.legend { display: grid; grid-template-columns: max-content auto; gap: 2px 1em; }
dl.legend dt { font-family: monospace; }
dl.legend dd { margin: 0; }
"""
