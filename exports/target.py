"""Where an export goes, and how it is written there: safe to point anywhere.

* ``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N``, ``/proc/self/fd/N`` (and ``-o -``,
  which the CLI turns into ``/dev/stdout``): written to that open descriptor directly,
  so a shell redirection (``>``, ``>>``, a pipe) is honoured and nothing is replaced.
* A FIFO or a character device (``/dev/null``, a terminal), also through a symbolic
  link: opened and written directly (streamed), never replaced.
* A symbolic link to a regular file is followed as ``cp`` follows it: the file it points
  to is replaced (atomically, in that file's folder) and the link stays a link. A link
  to nothing is refused, as ``cp`` refuses to write through a dangling link.
* A regular file or a new name: written to a temporary file in the same folder, then
  renamed over it (:func:`graph.atomic.atomic_write`): either the whole export is
  there or the old file is left. A new file gets the usual mode (0666 less the umask,
  so 0644); a replaced file keeps its mode. Temporary files that a killed export left
  for the same name are removed first (:mod:`graph.tempfiles`).
* A folder, a block device or a socket: refused with one line.

Folder formats (``csv``, ``neo4j-admin``) cannot go to a stream: :func:`is_stream` tells.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO

from graph.atomic import atomic_write
from graph.tempfiles import pattern, sweep
from loaders.errors import ExportError
from loaders.sources import shown

Write = Callable[[IO[bytes]], object]

#: What the CLI's ``-o -`` means.
STDOUT = Path("/dev/stdout")
_NAMED_FDS = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}
_FD_PATH = re.compile(r"/(?:dev/fd|proc/self/fd|proc/thread-self/fd)/(\d+)")


def descriptor(path: Path) -> int | None:
    """The open descriptor a path names (``/dev/stdout`` → 1), else None.

    >>> descriptor(Path("/dev/stdout")), descriptor(Path("/dev/fd/7")), descriptor(Path("x"))
    (1, 7, None)
    """
    name = os.path.abspath(path)
    if name in _NAMED_FDS:
        return _NAMED_FDS[name]
    m = _FD_PATH.fullmatch(name) or re.fullmatch(rf"/proc/{os.getpid()}/fd/(\d+)", name)
    return int(m.group(1)) if m else None


def describe(path: Path) -> str:
    """How messages name a target (``standard output`` for descriptor 1).

    >>> describe(STDOUT), describe(Path("out.json"))
    ('standard output', 'out.json')
    """
    return "standard output" if descriptor(path) == 1 else shown(str(path))


def is_stream(path: Path) -> bool:
    """Whether ``path`` is written directly rather than as a file: an open descriptor,
    a FIFO or a character device (links followed).

    >>> is_stream(STDOUT), is_stream(Path("/dev/null")), is_stream(Path("no/such/file"))
    (True, True, False)
    """
    if descriptor(path) is not None:
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def to_stdout(path: Path) -> bool:
    """Whether writing ``path`` writes this process's standard output (then the CLI prints
    no summary there).

    >>> to_stdout(STDOUT), to_stdout(Path("out.json"))
    (True, False)
    """
    fd = descriptor(path)
    if fd is not None:
        return fd == 1
    try:
        target, out = os.stat(path), os.fstat(1)
    except OSError:
        return False
    return not stat.S_ISREG(target.st_mode) and (target.st_dev, target.st_ino) == (
        out.st_dev, out.st_ino)


def _stream(fd: int, write: Write) -> None:
    with os.fdopen(fd, "wb") as handle:
        write(handle)


def write_export(path: Path, write: Write) -> None:
    """Write one export file at ``path`` as the module docstring says.

    Raises
    ------
    ExportError : a dangling link, a folder, a block device or a socket.
    OSError : the target cannot be opened or written (the caller names it).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     link, target = Path(tmp) / "link.txt", Path(tmp) / "real.txt"
    ...     link.symlink_to(target)
    ...     try:
    ...         write_export(link, lambda h: h.write(b"new"))
    ...     except ExportError as exc:
    ...         print("refused:", str(exc).split(": ", 1)[1])
    ...     _ = target.write_bytes(b"old")
    ...     write_export(link, lambda h: h.write(b"new"))
    ...     link.is_symlink(), target.read_bytes()
    refused: a symbolic link to ..., which does not exist; not writing through it (give a file name)
    (True, b'new')
    """
    fd = descriptor(path)
    if fd is not None:
        sys.stdout.flush()
        _stream(os.dup(fd), write)
        return
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.islink(path):
            raise ExportError(
                f"{shown(str(path))}: a symbolic link to {shown(os.readlink(path))}, which does"
                " not exist; not writing through it (give a file name)"
            ) from None
        mode = None
    if mode is not None and (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):
        _stream(os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0)), write)
        return
    if mode is not None and stat.S_ISDIR(mode):
        raise ExportError(f"{shown(str(path))}: is a folder; give a file name")
    if mode is not None and not stat.S_ISREG(mode):
        raise ExportError(f"{shown(str(path))}: not a regular file, pipe or character device;"
                          " not written")
    real = Path(os.path.realpath(path)) if os.path.islink(path) else path
    sweep(real.parent, pattern(f".{real.name}.icapgraph-", ".tmp"))
    atomic_write(real, write)
