"""Atomic file writes: a file is either written whole or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from fiscal.errors import ExportError
from fiscal.prose.messages import Message

__all__ = ["atomic_write"]


def _current_mode(target: Path) -> int:
    """The target's mode if it exists, else 0666 minus the process umask."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    After an error or Ctrl-C the target is either untouched or complete; the temporary file is
    removed.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(Message("export.no_folder", target=str(target), folder=str(folder)))
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    try:
        # mkstemp creates the file 0600; give the result the mode a plain open() would (an
        # existing target keeps its own mode)
        mode = _current_mode(target)
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            reason = str(exc.strerror or exc)
            raise ExportError(
                Message("export.cannot_write", target=str(target), reason=reason)
            ) from exc
        raise
    return target
