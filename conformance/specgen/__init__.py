"""Generate the seed schemas in `specs/` from botocore's batch model and `specs/overlay.json`.

Public door: `build_schemas()` (the schemas, in memory) and `regenerate()` (write or check
`specs/`); `python -m conformance.specgen [--check]` and `batch-conformance specs [--check]`
call the latter. `load_model()` and `base_schemas()` are shared with `conformance.drift`.
Private modules, one step each: `_model` (load), `_shapes` (shapes -> schemas),
`_overlay` (limits -> `x-rules`), `_write` (serialise, compare).
"""

from __future__ import annotations

from conformance.specgen._build import base_schemas, build_schemas
from conformance.specgen._model import ModelError, load_installed_model, load_model
from conformance.specgen._overlay import OverlayError
from conformance.specgen._write import dump_schema, regenerate

__all__ = [
    "ModelError",
    "OverlayError",
    "base_schemas",
    "build_schemas",
    "dump_schema",
    "load_installed_model",
    "load_model",
    "regenerate",
]
