"""Write report files so that a half-written one never replaces a good one.

Each file is staged as a hidden temp file in its own folder and fsynced; only when every
file is staged are they moved into place with `os.replace`. On any error the temp files
are removed and the previous files stay as they were.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

FILE_MODE = 0o644


def folder_problem(folder: Path) -> str | None:
    """Why report files could not be written into `folder` (made if missing), or None.

    It tries: makes the folder, writes and removes a probe file, and removes again the
    folders it made, so nothing is left behind.
    """
    if folder.exists() and not folder.is_dir():
        return "is a file, not a folder"
    made = [p for p in (folder, *folder.parents) if not p.exists()]  # deepest first
    if made and made[-1].parent.exists() and not made[-1].parent.is_dir():
        return f"cannot be made: {made[-1].parent} is a file"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".batch-conformance-", suffix=".probe")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        return f"cannot be written: {exc.strerror or type(exc).__name__}"
    finally:
        for path in made:
            with contextlib.suppress(OSError):
                path.rmdir()
    return None


def write_all(files: Mapping[Path, bytes]) -> list[Path]:
    """Stage every file, then replace them all in the given order; return the paths."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            staged.append((_stage(path, data), path))
        for temp, path in staged:
            os.replace(temp, path)
    finally:
        for temp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
    for folder in {path.parent for path in files}:
        _fsync_dir(folder)
    return list(files)


def _stage(path: Path, data: bytes) -> Path:
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, FILE_MODE)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def _fsync_dir(folder: Path) -> None:
    """Make the renames durable (POSIX only; best effort)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
