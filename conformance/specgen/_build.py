"""The schemas of a scope: model shapes, then the overlay.

Each scope (`conformance.scopes`) names its model, its operations and its overlay: SEED (the
vendored botocore 1.10.2 model, the four seed operations, `specs/overlay.json`) and CURRENT
(the vendored newest model, every operation, `specs/current/overlay.json`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conformance.schemas import DIRECTIONS
from conformance.scopes import DEFAULT, Scope
from conformance.specgen._model import load_model
from conformance.specgen._overlay import apply_overlay, load_overlay
from conformance.specgen._shapes import operation_schema


def base_schemas(
    model: dict[str, Any], operations: tuple[str, ...] | None = None, scope: Scope = DEFAULT
) -> dict[str, dict[str, Any]]:
    """Request and response schemas of `operations` (None: the scope's fixed ones, else
    every one of the model) without the overlay.

    Names are those of `scope` (`current/` prefixed for the current scope); each `$id`
    names the operation and direction only.
    """
    ops = operations or scope.fixed_operations or tuple(sorted(model["operations"]))
    return {
        scope.schema_name(op, direction): operation_schema(model, op, direction)
        for op in ops
        for direction in DIRECTIONS
    }


def build_schemas(
    model_path: Path | None = None, overlay_path: Path | None = None, scope: Scope = DEFAULT
) -> dict[str, dict[str, Any]]:
    """The finished schemas of `scope` by name (e.g. `"SubmitJob.request"`).

    Defaults: the scope's vendored model and overlay (seed: botocore 1.10.2 and
    `specs/overlay.json`).
    """
    model = load_model(scope.model if model_path is None else model_path)
    schemas = base_schemas(model, None, scope)
    rules = load_overlay(scope.overlay if overlay_path is None else overlay_path, tuple(schemas))
    apply_overlay(schemas, rules)
    return schemas
