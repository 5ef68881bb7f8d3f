"""The occupation pickers every page shares: searchable by any part of a code or a Chinese
name, remembered across pages in the session state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import streamlit as st

from app_pages.loading import graph_key
from app_pages.state import STATE_PRIMARY, STATE_SELECTION
from graph.kinds import Kind


@dataclass(frozen=True)
class OccupationRow:
    """One occupation as the pickers and tables list it."""

    code: str
    name: str
    level: int | None
    latest: bool
    historical: bool

    @property
    def label(self) -> str:
        mark = "（歷史）" if self.historical else ("" if self.latest else "（舊版）")
        return f"{self.code} {self.name}{mark}"


@st.cache_data(show_spinner=False, max_entries=8)
def _occupations(key: str, _G: nx.MultiDiGraph) -> list[OccupationRow]:
    rows = [
        OccupationRow(
            code=str(d.get("code", "")),
            name=str(d.get("name", "")),
            level=d.get("level"),
            latest=bool(d.get("latest", True)),
            historical=bool(d.get("historical", False)),
        )
        for _, d in _G.nodes(data=True)
        if d.get("kind") == Kind.OCCUPATION
    ]
    return sorted(rows, key=lambda r: r.code)


def occupations(G: nx.MultiDiGraph) -> list[OccupationRow]:
    """Every occupation of ``G``, sorted by code."""
    return _occupations(graph_key(), G)


def occupation_label(G: nx.MultiDiGraph, code: str) -> str:
    """``code name`` of an occupation (the code alone when it is not in ``G``)."""
    node = G.nodes.get(f"occupation:{code}")
    return f"{code} {node.get('name', '')}" if node else code


def pick_occupation(
    G: nx.MultiDiGraph, label: str, *, key: str, state: str = STATE_PRIMARY
) -> str | None:
    """A searchable single picker (type any part of the code or the Chinese name);
    the choice is remembered under ``state`` across pages."""
    rows = occupations(G)
    if not rows:
        st.warning("沒有載入任何職能基準。")
        return None
    codes = [r.code for r in rows]
    labels = {r.code: r.label for r in rows}
    stored = st.session_state.get(state)
    index = codes.index(stored) if stored in codes else 0
    choice: str = st.selectbox(
        label, codes, index=index, format_func=lambda c: labels.get(c, c), key=key,
        help="可輸入職業名稱或代碼的任一部分搜尋",
    )
    st.session_state[state] = choice
    return choice


def pick_occupations(
    G: nx.MultiDiGraph, label: str, *, key: str, state: str = STATE_SELECTION, default: int = 2,
    initial: Sequence[str] = (),
) -> list[str]:
    """A searchable multi-picker remembered under ``state`` across pages; ``initial`` (else
    the primary occupation and the next codes, ``default`` in all) when nothing is stored."""
    rows = occupations(G)
    codes = [r.code for r in rows]
    labels = {r.code: r.label for r in rows}
    stored = [c for c in st.session_state.get(state, []) if c in labels]
    if not stored:
        stored = [c for c in initial if c in labels]
    if not stored:
        primary = st.session_state.get(STATE_PRIMARY)
        stored = [primary] if primary in labels else []
        stored += [c for c in codes if c not in stored][: max(0, default - len(stored))]
    chosen: list[str] = st.multiselect(
        label, codes, default=stored, format_func=lambda c: labels.get(c, c), key=key,
        help="可輸入職業名稱或代碼的任一部分搜尋",
    )
    st.session_state[state] = chosen
    return chosen
