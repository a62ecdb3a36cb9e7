"""Hostile content and secrets: what an endpoint says reaches the reports escaped, and no
secret of the environment reaches any output."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path

from tests.cli import (
    one_line,
    run_cli,
)
from tests.hostile.servers import (
    SCRIPT,
    HostileProxy,
)

REPORT_FILES = ("report.json", "report.md", "report.html", "junit.xml")
# A small slice of cases that calls RegisterJobDefinition (4 cases).
REGISTER_SLICE = "RegisterJobDefinition.jobDefinitionName.length"


def _is_register(path: str, body: bytes) -> bool:
    """A RegisterJobDefinition call of a case (not the run's own base definition)."""
    return path.startswith("/v1/registerjobdefinition") and b"-base" not in body


def test_script_in_error_message_is_escaped_in_html(tmp_path: Path, moto_url: str) -> None:
    """A `<script>` in an endpoint's error message reaches report.html escaped, never raw."""
    url = moto_url
    with HostileProxy(url, refuse=_is_register) as proxy:
        run = run_cli(tmp_path, "--endpoint-url", proxy.url, "-k", REGISTER_SLICE)
    assert proxy.refused >= 2
    assert run.code == 1, run.stdout + run.stderr
    html = (run.report_dir / "report.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert SCRIPT not in html
    assert "<script" not in html.lower()
    ET.parse(run.report_dir / "junit.xml")  # hostile text does not break the XML
    messages = [r["message"] for r in run.report["results"] if r["outcome"] == "failed"]
    assert any(SCRIPT in m for m in messages), messages  # report.json keeps the raw text


SECRETS = {
    "AWS_ACCESS_KEY_ID": "AKIAFAKEFAKEFAKE0001",
    "AWS_SECRET_ACCESS_KEY": "fakeSecretKey-9f3b1c7e5a2d4e6f8a0b",
    "AWS_SESSION_TOKEN": "fakeSessionToken-4b8c1a93e2f7d6c5b4a3",
    "MY_SERVICE_TOKEN": "fakeServiceToken-c0ffee42deadbeef",
}


def test_no_secret_in_reports_or_output(tmp_path: Path, moto_url: str) -> None:
    """Secrets in the environment, even echoed back by the endpoint, appear in no output."""
    url = moto_url
    seen: list[Mapping[str, str]] = []

    def echo_secrets(headers: Mapping[str, str]) -> str:
        seen.append(headers)
        lowered = {k.lower(): v for k, v in headers.items()}
        return (  # short values first: messages are cut at ~160 characters on the way
            f"denied: secret={SECRETS['AWS_SECRET_ACCESS_KEY']}"
            f" service={SECRETS['MY_SERVICE_TOKEN']}"
            f" token={lowered.get('x-amz-security-token')}"
            f" Authorization: {lowered.get('authorization')}"
        )

    with HostileProxy(url, message=echo_secrets, refuse=_is_register) as proxy:
        run = run_cli(tmp_path, "--endpoint-url", proxy.url, "-k", REGISTER_SLICE, env=SECRETS)
    assert proxy.refused >= 2
    tokens = {h.get("X-Amz-Security-Token") for h in seen}
    assert SECRETS["AWS_SESSION_TOKEN"] in tokens  # the run really used the credentials
    assert run.code == 1, run.stdout + run.stderr
    files = sorted(p for p in run.report_dir.rglob("*") if p.is_file())
    assert {p.name for p in files} >= set(REPORT_FILES)
    outputs = {str(p.name): p.read_text(errors="replace") for p in files}
    outputs.update({"stdout": run.stdout, "stderr": run.stderr})
    for name, value in SECRETS.items():
        if name == "AWS_ACCESS_KEY_ID":
            continue
        leaks = [where for where, text in outputs.items() if value in text]
        assert not leaks, f"{name} leaked into {leaks}"
    assert "fakeSecretKey" not in json.dumps(run.report)


def test_no_secret_in_fatal_line(tmp_path: Path, moto_url: str) -> None:
    """An endpoint that echoes secrets while refusing provisioning: the fatal line hides them."""
    url = moto_url
    leak = f"secret={SECRETS['AWS_SECRET_ACCESS_KEY']} service={SECRETS['MY_SERVICE_TOKEN']}"
    with HostileProxy(url, message=lambda _h: leak, refuse=lambda _p, _b: True) as proxy:
        run = run_cli(tmp_path, "--endpoint-url", proxy.url, env=SECRETS)
    assert proxy.refused >= 1
    assert run.code == 3, run.stdout + run.stderr
    line = one_line(run.stderr)
    assert "secret=" in line  # the endpoint's words reach the line, the values do not
    for name in ("AWS_SECRET_ACCESS_KEY", "MY_SERVICE_TOKEN"):
        assert SECRETS[name] not in run.stdout + run.stderr, name
