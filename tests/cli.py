"""Run `batch-conformance` as a user does, in a child process, and read its report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

RUN_TIMEOUT_S = 300


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`batch-conformance ...` in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "conformance", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )


def report(folder: Path) -> dict[str, Any]:
    """A run's report.json."""
    return dict(json.loads((folder / "report.json").read_text(encoding="utf-8")))
