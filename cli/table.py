"""Plain-text tables whose columns line up with Chinese text (wide characters count double).

>>> print("\\n".join(table(("名稱", "n"), [("溝通協調能力", 3)])))
名稱          n
────────────  ─
溝通協調能力  3
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any


def width(text: str) -> int:
    """Display columns of ``text`` in a terminal (East Asian wide / full-width count 2).

    >>> width("ab"), width("職能")
    (2, 4)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit(text: str, columns: int) -> str:
    """``text`` cut to ``columns`` display columns (ending in …) and padded to exactly that.

    >>> fit("溝通協調能力", 7) + "|"
    '溝通協…|'
    """
    if width(text) > columns:
        out = ""
        for ch in text:
            if width(out + ch) > columns - 1:
                break
            out += ch
        text = out + "…"
    return text + " " * (columns - width(text))


def table(header: Sequence[str], rows: Sequence[Sequence[Any]], limit: int = 40) -> list[str]:
    """``rows`` under ``header`` as aligned lines, each column at most ``limit`` wide."""
    cells = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
    widths = [min(limit, max(width(r[i]) for r in cells)) for i in range(len(header))]
    lines = ["  ".join(fit(c, w) for c, w in zip(r, widths, strict=True)).rstrip()
             for r in cells]
    lines.insert(1, "  ".join("─" * w for w in widths))
    return lines
