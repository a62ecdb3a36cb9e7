"""The schemas of the four seed operations: model shapes, then the overlay."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conformance.schemas import DIRECTIONS, OPERATIONS, SPECS_DIR
from conformance.specgen._model import load_model
from conformance.specgen._overlay import apply_overlay, load_overlay
from conformance.specgen._shapes import operation_schema

OVERLAY: Path = SPECS_DIR / "overlay.json"


def base_schemas(model: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Request and response schemas of the four operations from `model`, without the overlay."""
    return {
        f"{op}.{direction}": operation_schema(model, op, direction)
        for op in OPERATIONS
        for direction in DIRECTIONS
    }


def build_schemas(
    model_path: Path | None = None, overlay_path: Path | None = None
) -> dict[str, dict[str, Any]]:
    """The finished schemas by name (e.g. `"SubmitJob.request"`).

    Defaults: the vendored botocore 1.10.2 model and `specs/overlay.json`.
    """
    schemas = base_schemas(load_model(model_path))
    apply_overlay(schemas, load_overlay(OVERLAY if overlay_path is None else overlay_path))
    return schemas
