"""Choices that follow the visitor: the occupation, the target, the compared occupations,
the item and the field filters, kept in the session state AND in the URL query string
(``?occupation=IDC3339-001v2&target=…``), so that a page can be bookmarked or shared and
a choice made on one page is there on the next.

Each carried choice is a row of :data:`CARRIED`: its query-string name, its session key,
what it is called in Chinese and how a value typed into a URL is checked against the
graph. A page calls :func:`adopt` first (URL → session, every carried choice, with a Chinese
message for a value the data does not hold; the page still works) and :func:`publish`
last (session → URL, the choices the page shows).
:func:`choose` sets a choice from code (a button, a link) and resets the widgets that show
it, which registered themselves with :func:`bind`.

A value is adopted from the URL only when it differs from the one last seen there, so the
URL this app wrote itself never overrides what the visitor picks afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import streamlit as st

from app_pages import state
from app_pages.catalogue import sector_of
from app_pages.labels import md
from graph.kinds import INFO, ITEM_KINDS, Kind
from graph.model import occupation_id
from loaders.errors import IcapGraphError

Check = Callable[[nx.MultiDiGraph, str], Any]
_SEEN = "icap.url_seen"
_WIDGETS = "icap.widgets"


def _occupation(G: nx.MultiDiGraph, raw: str) -> str | None:
    if occupation_id(raw) in G:
        return raw
    from queries.occupations import resolve  # builds the query index: only when needed

    try:
        return resolve(G, raw)
    except IcapGraphError:
        return None


def _item(G: nx.MultiDiGraph, raw: str) -> str | None:
    if raw in G and G.nodes[raw].get("kind") in {k.value for k in ITEM_KINDS}:
        return raw
    from graph.lookup import find_item

    try:
        return find_item(G, raw)
    except IcapGraphError:
        return None


def _class(kind: Kind) -> Check:
    prefix = INFO[kind].prefix

    def check(G: nx.MultiDiGraph, raw: str) -> str | None:
        if f"{prefix}:{raw}" in G:
            return raw
        names = (str(d.get("name", "")) for _, d in G.nodes(data=True) if d.get("kind") == kind)
        return raw if any(sector_of(n) == raw for n in names) else None

    return check


def _level(G: nx.MultiDiGraph, raw: str) -> int | None:
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= 7 else None


@dataclass(frozen=True, slots=True)
class Carried:
    """One carried choice: ``param`` in the URL, ``key`` in the session, ``what`` it is
    called in messages, ``check`` turning a URL value into a value (None: unknown)."""

    param: str
    key: str
    what: str
    check: Check
    many: bool = False


CARRIED: dict[str, Carried] = {c.param: c for c in (
    Carried("occupation", state.STATE_PRIMARY, "職業", _occupation),
    Carried("target", state.STATE_TARGET, "目標職業", _occupation),
    Carried("compare", state.STATE_SELECTION, "比較的職業", _occupation, many=True),
    Carried("item", state.STATE_ITEM, "職能項目", _item),
    Carried("field", state.STATE_FIELD, "職類別", _class(Kind.CATEGORY)),
    Carried("industry", state.STATE_INDUSTRY, "行業別", _class(Kind.INDUSTRY)),
    Carried("level", state.STATE_LEVEL, "級別", _level),
)}


def _params() -> dict[str, list[str]]:
    qp = st.query_params
    return {k: qp.get_all(k) for k in qp}


def adopt(G: nx.MultiDiGraph, *names: str) -> None:
    """Take the carried choices ``names`` (default: all of them, so that a shared link
    restores the whole context whatever page it opens) from the URL into the session
    (see the module docstring); an unknown value is reported in Chinese and dropped
    from the URL."""
    seen: dict[str, list[str]] = st.session_state.setdefault(_SEEN, {})
    names = names or tuple(CARRIED)
    given = _params()
    for name in names:
        row = CARRIED[name]
        raw = [v for v in given.get(name, []) if v.strip()]
        if not raw or raw == seen.get(name):
            continue
        seen[name] = raw
        values = [(v, row.check(G, v.strip())) for v in (raw if row.many else raw[:1])]
        unknown = [v for v, ok in values if ok is None]
        for v in unknown:
            st.warning(md(f"網址中的{row.what}「{v}」在目前載入的資料中找不到，已略過。"))
        good = list(dict.fromkeys(ok for _, ok in values if ok is not None))
        if good:
            choose(name, good if row.many else good[0])
        if unknown:
            publish(name)


def publish(*names: str) -> None:
    """Write the session's value of each carried choice ``names`` into the URL."""
    seen: dict[str, list[str]] = st.session_state.setdefault(_SEEN, {})
    for name in names:
        row = CARRIED[name]
        value = st.session_state.get(row.key)
        values = [str(v) for v in (value if isinstance(value, list | tuple) else [value])
                  if v is not None and str(v)]
        if values:
            if st.query_params.get_all(name) != values:
                st.query_params[name] = values if row.many else values[0]
        elif name in st.query_params:
            del st.query_params[name]
        seen[name] = values


def get(name: str) -> Any:
    """The session's value of carried choice ``name`` (None when unset)."""
    return st.session_state.get(CARRIED[name].key)


def bind(name: str, widget_key: str) -> None:
    """Note that the widget ``widget_key`` shows choice ``name`` (reset by :func:`choose`)."""
    keys: dict[str, set[str]] = st.session_state.setdefault(_WIDGETS, {})
    keys.setdefault(name, set()).add(widget_key)


def choose(name: str, value: Any) -> None:
    """Set choice ``name`` from code (a click, a URL) and reset the widgets showing it, so
    that they are drawn again from the new value."""
    st.session_state[CARRIED[name].key] = value
    for key in st.session_state.get(_WIDGETS, {}).get(name, ()):
        st.session_state.pop(key, None)


def query(**values: Any) -> dict[str, str | list[str]]:
    """Query parameters for a link or a page switch carrying ``values`` (None dropped)."""
    out: dict[str, str | list[str]] = {}
    for name, value in values.items():
        if value is None or value == [] or name not in CARRIED:
            continue
        out[name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    return out


def go(where: Any, label: str, page: str, *, key: str, **values: Any) -> None:
    """A button (in the container ``where``) that opens page ``page`` (a url of the
    registry) carrying ``values`` — in the session and in the new page's URL."""
    if where.button(label, key=key, width="stretch"):
        for name, value in values.items():
            choose(name, value)
        st.switch_page(f"app_pages/{page}.py", query_params=query(**values))


def names_all() -> Iterable[str]:
    """Every carried choice's URL name."""
    return tuple(CARRIED)
