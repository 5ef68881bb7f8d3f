"""Parameters of the named queries, declared once: type, default, range, help, Chinese label.

A :class:`Param` is what every front end needs to ask for one value: the CLI builds its
arguments from it (positional or ``--name``, repeatable, range-checked), ``icapgraph run``
and the Cypher / Neo4j commands parse ``--param name=value`` with it, and the app builds
its form widgets from it (label, default, bounds, choices). A value outside the declared
range is refused with one line that names the parameter and the allowed range.

Examples
--------
>>> top = Param("top", "integer", "how many", "筆數", default=10, minimum=1, maximum=1000)
>>> top.parse("25"), top.required
(25, False)
>>> top.parse("0")
Traceback (most recent call last):
...
loaders.errors.QueryError: top must be an integer from 1 to 1000, not 0
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from loaders.errors import QueryError

#: The JSON type of a parameter (as ``icapgraph queries --json`` prints it).
JsonType = Literal["string", "integer", "number", "boolean", "array"]
#: What a string or array parameter names, for the front ends that offer a picker.
Role = Literal["", "occupation", "item", "kind"]


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter of a named query.

    Attributes
    ----------
    name : the keyword the query function takes (and ``$name`` in its Cypher text).
    type : its JSON type.
    help : one English line for ``--help`` and ``queries --json``.
    label : the Chinese label the app shows.
    required : a value must be given (no default).
    default : the value when none is given (None for a required parameter).
    minimum, maximum : inclusive bounds of a number (None: unbounded on that side).
    positive : a number must be > 0 (an exclusive lower bound of 0).
    choices : the allowed values of a string.
    role : what the value names (``occupation`` …), for pickers in the app.
    positional : on the command line, a positional argument rather than ``--name``.
    several : on the command line, several values may be given for this single-valued
        parameter; the command then runs once per value and prints a list of results.
    """

    name: str
    type: JsonType
    help: str
    label: str
    required: bool = False
    default: Any = None
    minimum: float | None = None
    maximum: float | None = None
    positive: bool = False
    choices: tuple[str, ...] = ()
    role: Role = ""
    positional: bool = False
    several: bool = False

    def bounds(self) -> str:
        """The allowed range in words, as the CLI's range-checked options word it.

        >>> Param("k", "integer", "", "", minimum=1, maximum=20).bounds()
        'from 1 to 20'
        >>> Param("r", "number", "", "", positive=True, maximum=100).bounds()
        'above 0 and at most 100'
        """
        lo, hi = self.minimum, self.maximum
        if self.positive:
            return f"above 0 and at most {_num(hi)}" if hi is not None else "above 0"
        if lo is not None and hi is not None:
            return f"from {_num(lo)} to {_num(hi)}"
        if lo is not None:
            return f"at least {_num(lo)}"
        if hi is not None:
            return f"at most {_num(hi)}"
        return ""

    def check(self, value: Any) -> Any:
        """``value`` if it fits the declared type, range and choices.

        Raises
        ------
        QueryError
            It does not; the message names the parameter and what is allowed.

        Examples
        --------
        >>> Param("r", "number", "", "", positive=True).check(0.5)
        0.5
        >>> Param("kind", "string", "", "", choices=("skill", "attitude")).check("x")
        Traceback (most recent call last):
        ...
        loaders.errors.QueryError: kind must be one of skill, attitude, not 'x'
        """
        if value is None and not self.required and self.default is None:
            return None
        if self.type in ("integer", "number"):
            return self._check_number(value)
        if self.type == "array":
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                raise QueryError(f"{self.name} must be a list of strings, not {value!r}")
            return list(value)
        if self.type == "boolean":
            if not isinstance(value, bool):
                raise QueryError(f"{self.name} must be true or false, not {value!r}")
            return value
        if not isinstance(value, str):
            raise QueryError(f"{self.name} must be a string, not {value!r}")
        if self.choices and value not in self.choices:
            raise QueryError(f"{self.name} must be one of {', '.join(self.choices)}, "
                             f"not {value!r}")
        return value

    def _check_number(self, value: Any) -> int | float:
        integer = self.type == "integer"
        if isinstance(value, bool) or not isinstance(value, int | float) or (
                integer and not isinstance(value, int)):
            kind = "a whole number" if integer else "a number"
            raise QueryError(f"{self.name} must be {kind}, not {value!r}")
        if isinstance(value, float) and not math.isfinite(value):
            raise QueryError(f"{self.name} must be a finite number, not {value!r}")
        too_low = (self.minimum is not None and value < self.minimum) or (
            self.positive and value <= 0)
        too_high = self.maximum is not None and value > self.maximum
        if too_low or too_high:
            kind = "an integer" if integer else "a number"
            raise QueryError(f"{self.name} must be {kind} {self.bounds()}, not {_num(value)}")
        return value

    def parse(self, text: str) -> Any:
        """The value of ``text`` as typed on a command line (``--param name=text``), checked.

        Numbers are read as numbers; an array is JSON (``["A","B"]``) or comma-separated
        (``A,B``); ``null`` is the absent value of an optional parameter.

        Raises
        ------
        QueryError
            ``text`` is not a value of this parameter (see :meth:`check`).

        Examples
        --------
        >>> Param("codes", "array", "", "").parse("A, B")
        ['A', 'B']
        >>> Param("k", "integer", "", "", minimum=1).parse("1e400")
        Traceback (most recent call last):
        ...
        loaders.errors.QueryError: k must be a whole number, not '1e400'
        """
        text = text.strip()
        if text == "null" and not self.required:
            return self.check(self.default)
        if self.type == "integer":
            try:
                return self.check(int(text))
            except ValueError:
                raise QueryError(f"{self.name} must be a whole number, not {text!r}") from None
        if self.type == "number":
            try:
                return self.check(float(text))
            except ValueError:
                raise QueryError(f"{self.name} must be a number, not {text!r}") from None
        if self.type == "boolean":
            if text.lower() not in ("true", "false"):
                raise QueryError(f"{self.name} must be true or false, not {text!r}")
            return text.lower() == "true"
        if self.type == "array":
            return self.check(_array(text))
        return self.check(text)


def _array(text: str) -> list[str]:
    if text.startswith("["):
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if isinstance(value, list):
            return [str(v) for v in value]
    return [part.strip() for part in text.split(",") if part.strip()]


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(value)


def bind(params: Sequence[Param], given: dict[str, Any], what: str) -> dict[str, Any]:
    """Keyword arguments for a query: ``given`` checked, defaults filled in.

    Raises
    ------
    QueryError
        An unknown or missing parameter, or a value out of its range.

    Examples
    --------
    >>> p = (Param("source", "string", "", "", required=True),
    ...      Param("top", "integer", "", "", default=10))
    >>> bind(p, {"source": "A"}, "transitions")
    {'source': 'A', 'top': 10}
    >>> bind(p, {"sauce": "A"}, "transitions")
    Traceback (most recent call last):
    ...
    loaders.errors.QueryError: transitions has no parameter 'sauce'; its parameters: source, top
    """
    known = {p.name: p for p in params}
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise QueryError(f"{what} has no parameter {unknown[0]!r}; its parameters: "
                         f"{', '.join(known) or 'none'}")
    out: dict[str, Any] = {}
    for p in params:
        if p.name in given:
            out[p.name] = p.check(given[p.name])
        elif p.required:
            raise QueryError(f"{what} needs parameter {p.name!r} ({p.help})")
        else:
            out[p.name] = p.default
    return out
