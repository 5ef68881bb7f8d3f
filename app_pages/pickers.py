"""The occupation pickers every page shares: listed by name (the code in brackets, so
typing any part of a name or a code finds it), narrowed by the field filters, opening on
a prompt rather than an arbitrary occupation, and carried across pages and in the URL
(:mod:`app_pages.carry`).
"""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx
import streamlit as st

from app_pages import carry, naming
from app_pages.catalogue import Entry, Narrowing, entries, narrow
from app_pages.loading import graph_key
from app_pages.state import STATE_PRIMARY, STATE_SELECTION

SEARCH_HELP = "可輸入職業名稱或代碼的任一部分搜尋"
PROMPT = "請輸入或選擇職業名稱…"
PROMPT_MANY = "請輸入或選擇職業名稱（可選多個）…"


# A resource, not data: the entries are frozen records every session may share, and
# st.cache_data would copy all 905 of them on every script run.
@st.cache_resource(show_spinner=False, max_entries=8)
def _entries(key: str, _G: nx.MultiDiGraph) -> tuple[Entry, ...]:
    return tuple(entries(_G))


def occupations(G: nx.MultiDiGraph) -> tuple[Entry, ...]:
    """Every occupation of ``G`` with its classifications, by name."""
    return _entries(graph_key(), G)


def occupation_label(G: nx.MultiDiGraph, code: str) -> str:
    """The picker text of an occupation: name first, the code in brackets."""
    return naming.occupation_option(G, code)


def _choice_of(state_key: str) -> str:
    """The carried choice stored under ``state_key`` (the page's own key otherwise)."""
    return next((name for name, row in carry.CARRIED.items() if row.key == state_key),
                state_key)


def _options(G: nx.MultiDiGraph, narrowing: Narrowing | None,
             keep: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    rows = occupations(G)
    labels = {r.code: naming.option_text(r.name, r.mark, r.code) for r in rows}
    shown = narrow(rows, narrowing) if narrowing is not None and narrowing.active else rows
    codes = [r.code for r in shown]
    # A choice outside the filters stays listed: narrowing never drops what is chosen.
    codes += [c for c in keep if c in labels and c not in set(codes)]
    return codes, labels


def pick_occupation(
    G: nx.MultiDiGraph, label: str, *, key: str, state: str = STATE_PRIMARY,
    narrowing: Narrowing | None = None, placeholder: str = PROMPT,
) -> str | None:
    """A searchable single picker; None until the visitor picks. The choice is kept under
    ``state`` (a carried choice when one uses that key, see :mod:`app_pages.carry`)."""
    choice = _choice_of(state)
    stored = st.session_state.get(state)
    codes, labels = _options(G, narrowing, [stored] if isinstance(stored, str) else [])
    if not labels:
        st.warning("沒有載入任何職能基準。")
        return None
    if choice in carry.CARRIED:
        carry.bind(choice, key)
    picked: str | None = st.selectbox(
        label, codes, index=codes.index(stored) if stored in codes else None,
        format_func=lambda c: labels.get(c, c), key=key, help=SEARCH_HELP,
        placeholder=placeholder,
    )
    st.session_state[state] = picked
    return picked


def pick_occupations(
    G: nx.MultiDiGraph, label: str, *, key: str, state: str = STATE_SELECTION, default: int = 0,
    initial: Sequence[str] = (), narrowing: Narrowing | None = None,
    placeholder: str = PROMPT_MANY,
) -> list[str]:
    """A searchable multi-picker kept under ``state``; when nothing is stored it starts
    from ``initial``, else from the carried occupation and target (never an arbitrary
    pick; ``default`` is kept for callers and ignored)."""
    choice = _choice_of(state)
    stored = [c for c in st.session_state.get(state) or [] if isinstance(c, str)]
    if not stored:
        stored = list(initial) or [c for c in (carry.get("occupation"), carry.get("target"))
                                   if isinstance(c, str)]
    codes, labels = _options(G, narrowing, stored)
    stored = list(dict.fromkeys(c for c in stored if c in labels))
    if choice in carry.CARRIED:
        carry.bind(choice, key)
    chosen: list[str] = st.multiselect(
        label, codes, default=stored, format_func=lambda c: labels.get(c, c), key=key,
        help=SEARCH_HELP, placeholder=placeholder,
    )
    st.session_state[state] = chosen
    return chosen
