"""Atomic file writes: a temporary file named after its owner process, then a rename.

Every file the product writes (the graph cache, derived files, exports, case files'
reports) goes through :func:`atomic_write`, so a reader never sees half a file and a
killed writer leaves only a temporary file the next start removes.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import IO

from graph.tempfiles import create_file


def atomic_write(
    path: Path, write: Callable[[IO[bytes]], object], *, mode: int | None = None
) -> None:
    """Write ``path`` through a temporary file in the same folder, then rename it.

    Either the whole new content is in place or the old file (or none) is left;
    the temporary file is removed on any failure. The temporary file is named after
    this process (:mod:`graph.tempfiles`), so that one left by a killed process is
    removed by the next :func:`graph.tempfiles.sweep`.

    Parameters
    ----------
    path : the file to write.
    write : called with the open temporary file.
    mode : the new file's permission bits; default: those of the file it replaces, or
        for a new file 0o666 less the umask (the usual 0644), as any program's new file.

    Raises
    ------
    OSError : the folder is missing or not writable (nothing is left behind).

    >>> import stat, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     atomic_write(Path(tmp) / "x.txt", lambda handle: handle.write(b"ok"))
    ...     old = os.umask(0o022); _ = os.umask(old)
    ...     atomic_write(Path(tmp) / "y.txt", lambda handle: handle.write(b"ok"))
    ...     mode = stat.S_IMODE((Path(tmp) / "y.txt").stat().st_mode)
    ...     sorted(p.name for p in Path(tmp).iterdir()), mode == 0o666 & ~old
    (['x.txt', 'y.txt'], True)
    """
    if mode is None:
        with contextlib.suppress(OSError):
            mode = stat.S_IMODE(os.stat(path).st_mode) & 0o777
    fd, tmp = create_file(path.parent, f".{path.name}.icapgraph-", ".tmp",
                          0o666 if mode is None else 0o600)
    try:
        if mode is not None:  # exact, whatever the umask: a replaced file keeps its mode
            if hasattr(os, "fchmod"):
                os.fchmod(fd, mode)
            else:
                os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_bytes(path: Path, content: bytes) -> None:
    """:func:`atomic_write` of a ready byte string."""
    atomic_write(path, lambda handle: handle.write(content))
