"""The schemas of a scope: model shapes, then the overlay.

Two scopes (see `conformance.schemas`): `seed` (the vendored botocore 1.10.2 model, the four
seed operations, `specs/overlay.json`, `specs/*.schema.json`) and `current` (the vendored
newest model, every operation, `specs/current/overlay.json`, `specs/current/*.schema.json`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conformance.schemas import (
    CURRENT_DIR,
    DIRECTIONS,
    OPERATIONS,
    SPECS_DIR,
    Scope,
    current_model_file,
    schema_name,
)
from conformance.specgen._model import VENDORED_MODEL, load_model
from conformance.specgen._overlay import apply_overlay, load_overlay
from conformance.specgen._shapes import operation_schema

OVERLAY: Path = SPECS_DIR / "overlay.json"
CURRENT_OVERLAY: Path = CURRENT_DIR / "overlay.json"


@dataclass(frozen=True)
class ScopeSpec:
    """Where a scope's schemas come from: its model, its operations (None: all), its overlay."""

    name: Scope
    model: Path
    operations: tuple[str, ...] | None
    overlay: Path


def scope_spec(scope: Scope = "seed") -> ScopeSpec:
    """The inputs of `scope`."""
    if scope == "seed":
        return ScopeSpec("seed", VENDORED_MODEL, OPERATIONS, OVERLAY)
    return ScopeSpec("current", current_model_file(), None, CURRENT_OVERLAY)


def base_schemas(
    model: dict[str, Any], operations: tuple[str, ...] | None = OPERATIONS, scope: Scope = "seed"
) -> dict[str, dict[str, Any]]:
    """Request and response schemas of `operations` (None: every one) without the overlay.

    Names are those of `scope` (`current/` prefixed for the current scope); each `$id`
    names the operation and direction only.
    """
    ops = tuple(sorted(model["operations"])) if operations is None else operations
    return {
        schema_name(op, direction, scope): operation_schema(model, op, direction)
        for op in ops
        for direction in DIRECTIONS
    }


def build_schemas(
    model_path: Path | None = None, overlay_path: Path | None = None, scope: Scope = "seed"
) -> dict[str, dict[str, Any]]:
    """The finished schemas of `scope` by name (e.g. `"SubmitJob.request"`).

    Defaults: the scope's vendored model and overlay (seed: botocore 1.10.2 and
    `specs/overlay.json`).
    """
    spec = scope_spec(scope)
    model = load_model(spec.model if model_path is None else model_path)
    schemas = base_schemas(model, spec.operations, scope)
    rules = load_overlay(spec.overlay if overlay_path is None else overlay_path, tuple(schemas))
    apply_overlay(schemas, rules)
    return schemas
