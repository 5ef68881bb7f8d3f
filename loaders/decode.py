"""Bytes to text for standard files: which encodings are accepted, and what is refused.

Files reach us from counsellors' own folders, so the encoding is not known in
advance. Accepted: UTF-8 (with or without a byte-order mark), UTF-16 and UTF-32
with a byte-order mark, and Big5 / CP950 (still common for Traditional Chinese
files saved on Windows). Refused, each with one :class:`~loaders.errors.ParseError`
naming the file: an empty file, a file above :data:`MAX_BYTES`, binary content
(NUL bytes or control characters), and bytes none of the encodings can read.
Line endings are normalised to ``\\n`` so that parsers never see a stray ``\\r``.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from dataclasses import dataclass

from loaders.errors import ParseError

#: Files larger than this are refused before they are read (20 MB).
MAX_BYTES = 20 * 1024 * 1024

# Control characters other than tab, newline, vertical tab, form feed and
# carriage return never occur in a standard; finding one means binary content.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# The same characters as bytes. In UTF-8 every byte of a multi-byte character is
# >= 0x80, so the text holds one of them exactly when the raw bytes do; deleting
# them from the bytes (one C pass) is four times faster than the regex over the text.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True, slots=True)
class _Bom:
    mark: bytes
    codec: str
    label: str


# Longest marks first: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS: tuple[_Bom, ...] = (
    _Bom(codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    _Bom(codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    _Bom(codecs.BOM_UTF8, "utf-8", "UTF-8"),
    _Bom(codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    _Bom(codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _normalise(text: str, path: str, utf8: bytes | None = None) -> str:
    """``utf8``: the bytes ``text`` was decoded from as plain UTF-8, to test for control
    characters more cheaply (the regex still finds the first one for the message)."""
    bad = (
        _CONTROL.search(text)
        if utf8 is None or len(utf8.translate(None, _CONTROL_BYTES)) != len(utf8)
        else None
    )
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        raise ParseError(
            path,
            line,
            f"binary content (control character {ord(bad.group()):#04x}); not a text file",
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ParseError(path, None, "empty file (only white space)")
    return text


def _with_bom(data: bytes, path: str) -> str | None:
    for bom in _BOMS:
        if data.startswith(bom.mark):
            try:
                return data[len(bom.mark) :].decode(bom.codec)
            except UnicodeDecodeError as exc:
                raise ParseError(
                    path,
                    None,
                    f"starts with a {bom.label} byte-order mark but is not valid {bom.label}"
                    f" (byte {exc.start + len(bom.mark)})",
                ) from None
    return None


def _big5(data: bytes) -> str | None:
    try:
        text = data.decode("cp950")
    except UnicodeDecodeError:
        return None
    # Bytes that happen to be valid CP950 but hold no Chinese at all are more
    # likely some other legacy encoding than a competency standard.
    return text if _CJK.search(text) else None


def decode_bytes(data: bytes, path: str) -> str:
    """Decode the raw bytes of a standard file; return its text with ``\\n`` line endings.

    Parameters
    ----------
    data : the file's bytes.
    path : the file's name, used in error messages only.

    Returns
    -------
    The text, without a byte-order mark, CRLF and CR turned into LF.

    Raises
    ------
    ParseError
        empty file, more than :data:`MAX_BYTES`, binary content, or an encoding
        that is neither UTF-8/16/32 nor Big5; the message says which.

    >>> decode_bytes("職能\\r\\n".encode("utf-8-sig"), "a.txt")
    '職能\\n'
    >>> decode_bytes("職能".encode("big5"), "b.txt")
    '職能'
    >>> decode_bytes(b"\\x00\\x01\\x02", "c.bin")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    loaders.errors.ParseError: c.bin:1: NUL bytes: a binary file, or UTF-16 without a ...
    """
    if not data:
        raise ParseError(path, None, "empty file")
    if len(data) > MAX_BYTES:
        raise ParseError(
            path, None, f"file too large ({len(data)} bytes; the limit is {MAX_BYTES})"
        )
    text = _with_bom(data, path)
    utf8 = None
    if text is None:
        nul = data.find(b"\x00")
        if nul >= 0:
            raise ParseError(
                path,
                _line_of(data, nul),
                "NUL bytes: a binary file, or UTF-16 without a byte-order mark (save it as UTF-8)",
            )
        try:
            text = data.decode("utf-8")
            utf8 = data
        except UnicodeDecodeError as exc:
            text = _big5(data)
            if text is None:
                raise ParseError(
                    path,
                    _line_of(data, exc.start),
                    f"cannot decode byte {data[exc.start]:#04x}: not UTF-8, UTF-16 (with BOM)"
                    " or Big5 text",
                ) from None
    return _normalise(text, path, utf8)


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """Read a standard file's bytes, checking its size first (with ``os.fstat``, so a huge
    file is refused without being read).

    Read with ``os.read`` on a bare descriptor: a buffered file object costs more
    to set up than a typical standard takes to read, and a loaded folder has
    hundreds of them.

    Raises
    ------
    ParseError
        a file that cannot be opened (missing, a directory, no permission) or is larger
        than :data:`MAX_BYTES`.

    >>> read_bytes("no/such/file.txt")
    Traceback (most recent call last):
    ...
    loaders.errors.ParseError: no/such/file.txt: cannot read: no such file
    >>> read_bytes("loaders")
    Traceback (most recent call last):
    ...
    loaders.errors.ParseError: loaders: cannot read: is a directory
    """
    name = os.fspath(path)
    try:
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), name)
            if info.st_size > MAX_BYTES:
                raise ParseError(
                    name, None, f"file too large ({info.st_size} bytes; the limit is {MAX_BYTES})"
                )
            return _read_all(fd, info)
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise ParseError(name, None, "cannot read: no such file") from None
    except IsADirectoryError:
        raise ParseError(name, None, "cannot read: is a directory") from None
    except OSError as exc:
        raise ParseError(name, None, f"cannot read: {exc.strerror or exc}") from None


def _read_all(fd: int, info: os.stat_result) -> bytes:
    """The rest of ``fd``, at most :data:`MAX_BYTES` + 1 bytes (more means too large)."""
    chunk = os.read(fd, info.st_size + 1)
    if stat.S_ISREG(info.st_mode) and len(chunk) <= info.st_size:
        return chunk  # a regular file read short of the request is at its end
    chunks, total = [chunk], len(chunk)
    while chunk and total <= MAX_BYTES:  # a pipe, or a file that grew since fstat
        chunk = os.read(fd, 1 << 20)
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def read_source(path: str | os.PathLike[str]) -> tuple[str, bytes]:
    """Read and decode a standard file (:func:`read_bytes`, then :func:`decode_bytes`).

    Returns ``(text, raw bytes)``.

    Raises
    ------
    ParseError
        as :func:`read_bytes` and :func:`decode_bytes`.
    """
    data = read_bytes(path)
    return decode_bytes(data, os.fspath(path)), data
