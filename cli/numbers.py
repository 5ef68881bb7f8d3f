"""Range-checked numbers for command-line options: one argparse ``type`` per kind.

Every numeric option of every command uses :func:`integer` or :func:`number`, so that a
value out of range (``--k 100000000000000000000``, ``--timeout 1e300``, ``nan``) is one
line naming the allowed range, never a traceback from deep inside a query or the engine.
The range also goes into the option's help through :func:`span`.

>>> k = integer(1, 100)
>>> k("3")
3
>>> k("100000000000000000000")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: must be an integer from 1 to 100, not 100000000000000000000
>>> seconds = number(0, 3600, above=True)
>>> seconds("1e300")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: must be a number above 0 and at most 3600, not 1e300
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

#: Longest value quoted back in a message (a 5,000-digit value stays one short line).
_SHOWN = 24


def _quoted(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def span(low: float, high: float, *, above: bool = False) -> str:
    """How a range reads in messages and help texts.

    >>> span(1, 100), span(0, 3600, above=True)
    ('from 1 to 100', 'above 0 and at most 3600')
    """
    if above:
        return f"above {_fmt(low)} and at most {_fmt(high)}"
    return f"from {_fmt(low)} to {_fmt(high)}"


def integer(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high`` inclusive.

    >>> integer(1, 10)("x")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be an integer from 1 to 10, not 'x'
    """
    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            shown = _quoted(text) if value is not None else repr(_quoted(text))
            raise argparse.ArgumentTypeError(
                f"must be an integer {span(low, high)}, not {shown}")
        return value

    parse.__name__ = "integer"  # argparse names the type in some of its own messages
    return parse


def number(low: float, high: float, *, above: bool = False) -> Callable[[str], float]:
    """An argparse type: a finite number from ``low`` (excluded when ``above``) to ``high``.

    >>> number(0, 100, above=True)("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a number above 0 and at most 100, not 0
    >>> number(0, 100)("nan")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a number from 0 to 100, not nan
    """
    def parse(text: str) -> float:
        try:
            value = float(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"must be a number {span(low, high, above=above)}, not {_quoted(text)!r}"
            ) from None
        inside = low < value <= high if above else low <= value <= high
        if not inside or not math.isfinite(value):
            raise argparse.ArgumentTypeError(
                f"must be a number {span(low, high, above=above)}, not {_quoted(text)}")
        return value

    parse.__name__ = "number"
    return parse
