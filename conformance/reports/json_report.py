"""report.json: `RunResult.to_dict()`, indented, keys sorted so runs diff cleanly."""

from __future__ import annotations

import json
from typing import Any


def render(doc: dict[str, Any]) -> str:
    """The report.json text of a run's (already redacted) `to_dict()` form."""
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
