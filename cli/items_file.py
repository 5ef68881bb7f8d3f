"""Reading an items file: UTF-8 text, one item per line, ``#`` starts a comment line.

Whatever is wrong with the file is one :class:`ProfileError` line naming it: missing,
over :data:`MAX_BYTES`, binary, not UTF-8 (with the line), empty or only comments.
Only whole lines are comments, so an item such as ``C#`` stays an item.
"""

from __future__ import annotations

from pathlib import Path

from loaders.errors import ProfileError

#: Largest items file read (1 MB).
MAX_BYTES = 1024 * 1024


def parse_items(data: bytes, name: str) -> list[str]:
    """The items of an items file's bytes (see the module docstring).

    Raises
    ------
    ProfileError
        The bytes are binary, not UTF-8, empty or only comments; the message starts
        with ``name``.

    >>> parse_items("# 我的技能\\n溝通協調\\n\\n  C# \\n".encode(), "x.txt")
    ['溝通協調', 'C#']
    >>> parse_items(b"\\xff\\xfe", "x.txt")
    Traceback (most recent call last):
    ...
    loaders.errors.ProfileError: x.txt:1: not UTF-8 text (byte 0xff at offset 0)
    """
    if b"\x00" in data:
        raise ProfileError(f"{name}: not a text file (binary data, NUL bytes)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ProfileError(f"{name}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x} at "
                           f"offset {exc.start})") from None
    if not text.strip():
        raise ProfileError(f"{name}: the items file is empty")
    items = [line.strip() for line in text.splitlines()]
    items = [item for item in items if item and not item.startswith("#")]
    if not items:
        raise ProfileError(f"{name}: the items file holds only comments, no item")
    return items


def read_items_file(path: Path) -> list[str]:
    """The items of the file at ``path``.

    Raises
    ------
    ProfileError
        The file cannot be read, is larger than :data:`MAX_BYTES`, or
        :func:`parse_items` refuses it.
    """
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ProfileError(f"{path}: the items file is larger than 1 MB ({size:,} bytes)")
        data = path.read_bytes()
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read the items file ({exc.strerror or exc})") from exc
    return parse_items(data, str(path))
