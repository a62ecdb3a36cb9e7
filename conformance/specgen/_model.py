"""Step 1: load a botocore `batch` service model (vendored file, any file, a wheel, installed)."""

from __future__ import annotations

import gzip
import json
import zipfile
from pathlib import Path
from typing import Any, cast

from conformance.scopes import SEED

SERVICE = "batch"
API_VERSION = "2016-08-10"
VENDORED_MODEL: Path = SEED.model
WHEEL_MEMBER = f"botocore/data/{SERVICE}/{API_VERSION}/service-2.json"


class ModelError(ValueError):
    """The model file cannot be read as a botocore batch service model."""


def load_model(path: Path | None = None) -> dict[str, Any]:
    """The service model in `path`: a service-2.json (optionally .gz) or a botocore wheel.

    Without `path`, the vendored botocore 1.10.2 model.
    """
    path = VENDORED_MODEL if path is None else path
    try:
        if path.suffix == ".whl":
            with zipfile.ZipFile(path) as wheel:
                raw = wheel.read(WHEEL_MEMBER)
        elif path.suffix == ".gz":
            raw = gzip.decompress(path.read_bytes())
        else:
            raw = path.read_bytes()
        model = json.loads(raw)
    except (OSError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: cannot read a batch service model ({exc})") from exc
    return _checked(model, str(path))


def load_installed_model() -> tuple[dict[str, Any], str]:
    """The installed botocore's batch model and a label naming its version."""
    import botocore
    from botocore.loaders import Loader

    model = Loader().load_service_model(SERVICE, "service-2", API_VERSION)
    label = f"botocore {botocore.__version__} (installed)"
    return _checked(cast(dict[str, Any], model), label), label


def _checked(model: Any, label: str) -> dict[str, Any]:
    if not isinstance(model, dict) or not {"operations", "shapes"} <= model.keys():
        raise ModelError(f"{label}: not a botocore service model (no operations/shapes)")
    return cast(dict[str, Any], model)
