"""One side of `drift --from A --to B`: a botocore batch model, named as a user names it.

A side is `installed` (the installed botocore), a botocore version (`1.20.88`: the installed
botocore if it is that version, else a model vendored in `specs/`, else a wheel cached in
`~/.cache/batch-conformance/botocore/`, else one downloaded there from PyPI with pip), a
botocore wheel, or a `service-2.json` (or `.json.gz`) file.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from conformance.scopes import SCOPES, SPECS_DIR
from conformance.specgen import ModelError, load_installed_model, load_model

MODEL_GLOB = "batch-2016-08-10.service-2.botocore-*.json"

VERSION = re.compile(r"^\d+\.\d+\.\d+$")
_VERSION_IN_NAME = re.compile(r"botocore-(\d+\.\d+\.\d+)")
DOWNLOAD_TIMEOUT_S = 300
INSTALLED = "the installed botocore"
FILE_SUFFIXES = (".whl", ".json", ".gz")


class SideError(ValueError):
    """A side cannot be resolved to a model; str() is one line saying why."""


@dataclass(frozen=True)
class Side:
    """A resolved side: its model, a label (`botocore 1.20.88`) and where it came from."""

    model: dict[str, Any]
    label: str
    origin: str


def cache_dir() -> Path:
    """Where downloaded botocore wheels are kept (`$XDG_CACHE_HOME` is honoured)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "batch-conformance" / "botocore"


def vendored_models() -> dict[str, Path]:
    """The botocore models vendored in `specs/`, by version."""
    found: dict[str, Path] = {}
    for scope in SCOPES:
        for path in sorted((scope.specs / "source").glob(MODEL_GLOB)):
            match = _VERSION_IN_NAME.search(path.name)
            if match:
                found[match.group(1)] = path
    return found


def pip_download(version: str, folder: Path) -> None:
    """`pip download botocore==<version> --no-deps` (a wheel) into `folder`."""
    command = [sys.executable, "-m", "pip", "download", f"botocore=={version}"]
    command += ["--no-deps", "--only-binary=:all:", "--quiet", "--dest", str(folder)]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=DOWNLOAD_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SideError(f"botocore {version}: pip download failed ({exc})") from exc
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        why = lines[-1].strip() if lines else f"pip exited {done.returncode}"
        raise SideError(f"botocore {version} is neither installed nor vendored: {why}")


Downloader = Callable[[str, Path], None]


def resolve_side(spec: str, notice: TextIO, download: Downloader = pip_download) -> Side:
    """The model `spec` names; a download is announced in one line on `notice`."""
    try:
        path = Path(spec).expanduser()
        if spec == "installed":
            model, label = load_installed_model()
            return Side(model, label.removesuffix(" (installed)"), INSTALLED)
        if VERSION.match(spec):
            return _version(spec, notice, download)
        if path.is_file():
            return _file(path)
    except ModelError as exc:
        raise SideError(str(exc)) from exc
    if spec.endswith(FILE_SUFFIXES) or "/" in spec:
        raise SideError(f"{spec}: no such file")
    raise SideError(
        f"{spec!r} is not a botocore version (1.20.88), 'installed', a wheel or a service-2.json"
    )


def _file(path: Path, origin: str = "") -> Side:
    match = _VERSION_IN_NAME.search(path.name)
    label = f"botocore {match.group(1)}" if match else path.name
    return Side(load_model(path), label, origin or str(path))


def _version(version: str, notice: TextIO, download: Downloader) -> Side:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed_version

    try:
        if installed_version("botocore") == version:
            model, _ = load_installed_model()
            return Side(model, f"botocore {version}", INSTALLED)
    except PackageNotFoundError:
        pass
    vendored = vendored_models().get(version)
    if vendored is not None:
        where = vendored.relative_to(SPECS_DIR.parent)
        return _file(vendored, f"vendored, {where}")
    folder = cache_dir()
    wheels = sorted(folder.glob(f"botocore-{version}-*.whl"))
    how = "cached"
    if not wheels:
        notice.write(f"drift: downloading botocore {version} from PyPI into {folder} (once)\n")
        notice.flush()
        folder.mkdir(parents=True, exist_ok=True)
        download(version, folder)
        wheels = sorted(folder.glob(f"botocore-{version}-*.whl"))
        if not wheels:
            raise SideError(f"botocore {version}: pip left no wheel in {folder}")
        how = "downloaded"
    return _file(wheels[0], f"a wheel from PyPI, {how}: {wheels[0]}")
