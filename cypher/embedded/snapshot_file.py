"""An engine snapshot file as bytes the server may load: the checks of
:mod:`cypher.embedded.snapshot` that need nothing but the file (owner, mode, digest), apart
from the graph-side key, so that ``icapgraph cypher`` can start a server from the most
recently used snapshot before it has read the graph (:func:`latest`).

A file is ``RDB data + TRAILER + sha256(RDB data)``; only a regular file (not a link)
owned by this user and writable by no one else is read: the server parses it, so it must be
as trusted as the code itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from pathlib import Path

#: Snapshot files are named ``engine-<key>.rdb``.
PREFIX = "engine-"
#: After the RDB data: this marker, then the data's SHA-256 digest.
TRAILER = b"\nicapgraph-engine-snapshot sha256\n"
DIGEST_SIZE = hashlib.sha256().digest_size


def trusted(st: os.stat_result) -> bool:
    """Whether a file with this status may be given to the server (see the module text)."""
    if not stat.S_ISREG(st.st_mode) or st.st_mode & 0o022:
        return False
    return not hasattr(os, "getuid") or st.st_uid == os.getuid()


def framed(data: bytes) -> bytes:
    """RDB ``data`` as a snapshot file holds it (the inverse of :func:`read_trusted`'s check).

    >>> framed(b"RDB").endswith(hashlib.sha256(b"RDB").digest())
    True
    """
    return data + TRAILER + hashlib.sha256(data).digest()


def read_trusted(path: Path) -> bytes | None:
    """The RDB data of the snapshot at ``path`` when the file may be loaded and its digest
    matches, else None (~25 ms for 10 MB).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "engine-x.rdb"
    ...     _ = p.write_bytes(b"RDB" + TRAILER + hashlib.sha256(b"RDB").digest())
    ...     p.chmod(0o600)
    ...     good = read_trusted(p)
    ...     _ = p.write_bytes(b"RDb" + TRAILER + hashlib.sha256(b"RDB").digest())
    ...     good, read_trusted(p)
    (b'RDB', None)
    """
    try:
        # No links followed, and the checks on the open file: nothing can be swapped
        # in between checking and reading.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as f:
            if not trusted(os.fstat(f.fileno())):
                return None
            content = f.read()
    except OSError:
        return None
    cut = len(content) - len(TRAILER) - DIGEST_SIZE
    if cut < 0 or content != framed(content[:cut]):
        return None
    return content[:cut]


def latest(folder: Path) -> Path | None:
    """The most recently used snapshot in ``folder`` (each use touches its file), if any."""
    found = []
    for path in folder.glob(f"{PREFIX}*.rdb"):
        with contextlib.suppress(OSError):
            found.append((path.stat().st_mtime_ns, path))
    return max(found)[1] if found else None
