"""Temporary files and folders named after the process that owns them, and the removal of
those that a process killed mid-write left behind.

Every temporary name this product makes carries an owner tag ``<pid>-<start>-<random>``:
the process id and the process's start time (clock ticks since boot, field 22 of
``/proc/<pid>/stat``; 0 where there is no ``/proc``). A name is *stale* when its owner is
gone: no process has that id (``os.kill(pid, 0)``), or the id now belongs to a process
that started at another time (the id was reused), or the owner is a zombie. Only names
of the exact form this module makes, owned by the current user, are ever removed, and
only when stale; so a write in progress in another process is never touched, and the
next start cleans up after a SIGKILL. A pid is only meaningful inside its pid namespace:
a folder shared by containers or machines should not be swept by more than one of them.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     fd, path = create_file(Path(tmp), ".x.icapgraph-", ".tmp")
...     os.close(fd)
...     sweep(Path(tmp), temp_files()), path.exists()  # ours, owner alive: kept
([], True)
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import stat
from pathlib import Path

_TAG = r"(\d+)-(\d+)-[0-9a-f]{8}"


def _start_time(pid: int) -> int | None:
    """The start time of process ``pid`` in clock ticks since boot; 0 without ``/proc``;
    None when the process does not exist or is a zombie."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[-1].split()
    except FileNotFoundError:
        return None if os.path.isdir("/proc/self") else 0
    except OSError:
        return 0
    if fields[0] == b"Z":
        return None
    # After the command name: state is field 3, starttime field 22 (1-based).
    return int(fields[19])


def owner_tag() -> str:
    """This process's tag: ``<pid>-<start>-<8 random hex digits>``."""
    pid = os.getpid()
    return f"{pid}-{_start_time(pid) or 0}-{secrets.token_hex(4)}"


def owner_alive(pid: int, start: int) -> bool:
    """Whether the process that made a name with ``pid`` and ``start`` still runs.

    >>> owner_alive(os.getpid(), _start_time(os.getpid()) or 0)
    True
    """
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: it exists
    now = _start_time(pid)
    if now is None:
        return False
    return start == 0 or now == 0 or now == start


def create_file(folder: Path, prefix: str, suffix: str, mode: int = 0o666) -> tuple[int, Path]:
    """Create a new, empty file ``<prefix><tag><suffix>`` in ``folder``, opened for writing;
    ``mode`` is filtered by the umask as for any new file (0o666 gives the usual 0644).

    Raises
    ------
    OSError : the folder is missing or not writable.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        path = folder / f"{prefix}{owner_tag()}{suffix}"
        try:
            return os.open(path, flags, mode), path
        except FileExistsError:  # 32 random bits: practically never
            continue


def create_dir(folder: Path, prefix: str, mode: int = 0o777) -> Path:
    """Create a new folder ``<prefix><tag>`` in ``folder`` (``mode`` filtered by the umask).

    Raises
    ------
    OSError : the folder is missing or not writable.
    """
    while True:
        path = folder / f"{prefix}{owner_tag()}"
        try:
            os.mkdir(path, mode)
        except FileExistsError:
            continue
        return path


def pattern(prefix: str, suffix: str = "") -> re.Pattern[str]:
    """The names :func:`create_file` / :func:`create_dir` make with a literal ``prefix``."""
    return re.compile(f"{re.escape(prefix)}{_TAG}{re.escape(suffix)}")


def temp_files() -> re.Pattern[str]:
    """Every temporary file :func:`graph.atomic.atomic_write` makes, for any target."""
    return re.compile(rf"\..+\.icapgraph-{_TAG}\.tmp")


def sweep(folder: Path, names: re.Pattern[str]) -> list[Path]:
    """Remove the entries of ``folder`` whose whole name matches ``names`` (groups 1 and
    2: pid and start time), that belong to this user, and whose owner process is gone.

    Returns the paths removed; a folder that cannot be listed removes nothing.
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    uid = os.getuid() if hasattr(os, "getuid") else None
    for entry in entries:
        m = names.fullmatch(entry.name)
        if m is None or owner_alive(int(m.group(1)), int(m.group(2))):
            continue
        with contextlib.suppress(OSError):
            st = entry.stat(follow_symlinks=False)
            if uid is not None and st.st_uid != uid:
                continue
            if stat.S_ISDIR(st.st_mode):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed
