"""A file of named byte sections, each checked against its SHA-256 when it is read.

The lookup cache (:mod:`graph.lite`) is one such file: a reader opens it, checks the header,
and then reads only the sections the command needs (``os.pread``: a file replaced or removed
meanwhile by another process's atomic rename is still read whole from the open handle).

Layout: the magic line, the header's length (8 bytes, little-endian), the header (msgpack:
``{"version", "meta", "sections": {name: [offset, length, sha256]}}``, offsets from the end of
the header), then the sections back to back. A file that is not of this layout or version, is
shorter than its header says, or whose section does not match its digest is refused with
:class:`loaders.errors.CacheError`: it is rebuilt, never trusted.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = Path(tmp) / "x.bin"
...     write_sections(path, {"k": 1}, {"a": b"hello"})
...     with SectionFile(path) as f:
...         f.meta, bytes(f.read("a")), "b" in f
({'k': 1}, b'hello', False)
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import msgspec

from graph.atomic import atomic_write
from loaders.errors import CacheError

MAGIC = b"icapgraph-sections\n"
VERSION = 1
_LENGTH = 8


class _Toc(msgspec.Struct, forbid_unknown_fields=True):
    version: int
    meta: dict[str, Any]
    sections: dict[str, tuple[int, int, bytes]]


def write_sections(path: Path, meta: Mapping[str, Any], sections: Mapping[str, bytes]) -> None:
    """Write ``meta`` and the byte ``sections`` to ``path`` atomically (temporary file, then
    rename: see :func:`graph.atomic.atomic_write`).

    Raises
    ------
    OSError : the folder is missing or cannot be written (nothing is left behind).
    """
    toc: dict[str, tuple[int, int, bytes]] = {}
    offset = 0
    for name, content in sections.items():
        toc[name] = (offset, len(content), hashlib.sha256(content).digest())
        offset += len(content)
    header = msgspec.msgpack.encode({"version": VERSION, "meta": dict(meta), "sections": toc})

    def write(handle: IO[bytes]) -> None:
        handle.write(MAGIC + len(header).to_bytes(_LENGTH, "little") + header)
        for content in sections.values():
            handle.write(content)

    atomic_write(path, write)


class SectionFile:
    """An open section file (see the module docstring); close it, or use ``with``.

    Raises
    ------
    CacheError : at opening, the file is missing, not a regular file, or not a readable
        section file of this version; at :meth:`read`, a section is cut short or does not
        match its digest.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
                         | getattr(os, "O_CLOEXEC", 0))
        except OSError as exc:
            raise CacheError(f"{path}: cannot open: {exc.strerror}") from exc
        self._fd = fd
        try:
            self._open()
        except BaseException:
            self.close()
            raise

    def _open(self) -> None:
        info = os.fstat(self._handle())
        if not stat.S_ISREG(info.st_mode):
            raise CacheError(f"{self.path}: not a regular file")
        self._size = info.st_size
        head = self._pread(len(MAGIC) + _LENGTH, 0) if self._size >= len(MAGIC) + _LENGTH else b""
        if head[: len(MAGIC)] != MAGIC:
            raise CacheError(f"{self.path}: not a section file")
        length = int.from_bytes(head[len(MAGIC):], "little")
        self._base = len(MAGIC) + _LENGTH + length
        if self._base > self._size:
            raise CacheError(f"{self.path}: header cut short")
        try:
            toc = msgspec.msgpack.decode(self._pread(length, len(MAGIC) + _LENGTH), type=_Toc)
        except msgspec.DecodeError as exc:
            raise CacheError(f"{self.path}: unreadable header: {exc}") from exc
        if toc.version != VERSION:
            raise CacheError(f"{self.path}: section file version {toc.version}, "
                             f"expected {VERSION}")
        for name, (offset, size, _digest) in toc.sections.items():
            if offset < 0 or size < 0 or self._base + offset + size > self._size:
                raise CacheError(f"{self.path}: section {name!r} cut short")
        self.meta: dict[str, Any] = toc.meta
        self._toc = toc.sections

    def _handle(self) -> int:
        if self._fd is None:
            raise CacheError(f"{self.path}: closed")
        return self._fd

    def _pread(self, size: int, offset: int) -> bytearray:
        buffer = bytearray(size)
        view = memoryview(buffer)
        done = 0
        while done < size:
            try:
                got = os.preadv(self._handle(), [view[done:]], offset + done)
            except OSError as exc:
                raise CacheError(f"{self.path}: cannot read: {exc.strerror}") from exc
            if got == 0:
                raise CacheError(f"{self.path}: cut short")
            done += got
        return buffer

    def __contains__(self, name: object) -> bool:
        return name in self._toc

    def names(self) -> list[str]:
        """The section names, in file order."""
        return list(self._toc)

    def read(self, name: str) -> bytearray:
        """Section ``name``'s bytes (a new writable buffer), checked against its digest.

        Raises
        ------
        CacheError : no such section, or its bytes do not match the digest.
        """
        try:
            offset, size, digest = self._toc[name]
        except KeyError:
            raise CacheError(f"{self.path}: no section {name!r}") from None
        content = self._pread(size, self._base + offset)
        if hashlib.sha256(content).digest() != digest:
            raise CacheError(f"{self.path}: section {name!r} is damaged")
        return content

    def close(self) -> None:
        """Close the file (idempotent)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> SectionFile:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()
