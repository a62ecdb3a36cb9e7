"""Step 4: serialise the schemas deterministically; write `specs/` or check it is current.

Both scopes: the seed's `specs/*.schema.json` and the current `specs/current/*.schema.json`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from conformance.schemas import SPECS_DIR, schema_file
from conformance.scopes import SCOPES
from conformance.specgen._build import build_schemas
from conformance.specgen._model import ModelError
from conformance.specgen._overlay import OverlayError


def dump_schema(schema: dict[str, Any]) -> str:
    """The committed text of a schema: sorted keys, 2-space indent, trailing newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def regenerate(check: bool, out: TextIO) -> int:
    """Write both scopes' schemas to `specs/`, or with `check` name stale files; 1 if any."""
    schemas: dict[str, dict[str, Any]] = {}
    try:
        for scope in SCOPES:
            schemas.update(build_schemas(scope=scope))
    except (ModelError, OverlayError, OSError) as exc:
        out.write(f"specs: {exc}\n")
        return 1
    stale: list[Path] = []
    for name, schema in schemas.items():
        path = schema_file(name)
        text = dump_schema(schema)
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        stale.append(path)
        if not check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    rel = [str(p.relative_to(SPECS_DIR.parent)) for p in stale]
    if check:
        for path_text in rel:
            out.write(f"specs: {path_text} differs from its regeneration\n")
        out.write(
            f"specs: {len(rel)} of {len(schemas)} schemas out of date; "
            "run `batch-conformance specs` and commit\n"
            if rel
            else f"specs: all {len(schemas)} schemas up to date\n"
        )
        return 1 if rel else 0
    for path_text in rel:
        out.write(f"specs: wrote {path_text}\n")
    out.write(f"specs: {len(rel)} written, {len(schemas) - len(rel)} unchanged\n")
    return 0
