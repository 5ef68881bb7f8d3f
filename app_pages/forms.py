"""Form widgets built from the named queries' parameter declarations (one source of truth).

A page asks for a query's parameter by name; the label, default, bounds and choices come
from :data:`queries.registry.NAMED_QUERIES`, so the app offers the same ranges the CLI
checks. Occupation parameters use the shared occupation pickers of :mod:`app_pages.pickers`.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import streamlit as st

from app_pages import pickers
from graph.kinds import zh
from queries.params import Param
from queries.registry import get_query


def param(query: str, name: str) -> Param:
    """The declaration of parameter ``name`` of named query ``query``.

    >>> param("paths", "k").label
    '路徑數'
    """
    for p in get_query(query).parameters:
        if p.name == name:
            return p
    raise KeyError(f"{query} has no parameter {name}")


def widget(p: Param, *, key: str, G: nx.MultiDiGraph | None = None,
           ui_max: float | None = None, help: str | None = None) -> Any:
    """A widget for ``p``: a slider for a bounded number (at most ``ui_max`` on screen),
    a number box for an unbounded one, a choice box for choices, an occupation picker
    for an occupation; returns the value (checked by ``p``)."""
    if p.role == "occupation" and G is not None:
        if p.type == "array":
            return pickers.pick_occupations(G, p.label, key=key)
        return pickers.pick_occupation(G, p.label, key=key)
    if p.type in ("integer", "number"):
        integer = p.type == "integer"
        low = p.minimum if p.minimum is not None else (1 if integer else 0.1)
        high = min(x for x in (p.maximum, ui_max) if x is not None) if (
            p.maximum is not None or ui_max is not None) else None
        cast = int if integer else float
        default = cast(p.default if p.default is not None else low)
        if high is not None:
            return p.check(st.slider(p.label, cast(low), cast(high), default, key=key,
                                     help=help))
        return p.check(st.number_input(p.label, cast(low), value=default, key=key, help=help))
    if p.choices:
        options = [None, *p.choices] if not p.required else list(p.choices)
        return st.selectbox(p.label, options, key=key, help=help,
                            format_func=lambda c: "（全部）" if c is None else zh(c))
    return st.text_input(p.label, value=p.default or "", key=key, help=help)
