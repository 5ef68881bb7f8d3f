"""The field filters: 職類別, 行業別 and level, one row of choice boxes that narrows any
list of occupations. The choices are carried across pages and in the URL (``field``,
``industry``, ``level``; see :mod:`app_pages.carry`).
"""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from app_pages import carry, pickers
from app_pages.catalogue import Narrowing, Option, levels, options


def _box(where: DeltaGenerator, label: str, choice: str, key: str,
         opts: Sequence[Option], placeholder: str) -> str | None:
    values = [o.value for o in opts]
    text = {o.value: f"{o.label}（{o.count}）" for o in opts}
    stored = carry.get(choice)
    carry.bind(choice, key)
    picked: str | None = where.selectbox(
        label, values, index=values.index(stored) if stored in values else None, key=key,
        format_func=lambda v: text.get(v, v), placeholder=placeholder,
        help="可輸入名稱搜尋；清除選擇即顯示全部",
    )
    st.session_state[carry.CARRIED[choice].key] = picked
    return picked


def narrowing(G: nx.MultiDiGraph, key: str, *, open_: bool = True) -> Narrowing:
    """Three choice boxes (in an expander unless ``open_``); returns the choice."""
    rows = pickers.occupations(G)
    current = Narrowing(carry.get("field"), carry.get("industry"), carry.get("level"))
    box = st.container() if open_ else st.expander(
        "依職類別、行業別、級別篩選" + ("（已篩選）" if current.active else ""),
        expanded=current.active)
    with box:
        cols = st.columns(3)
        field = _box(cols[0], "職類別", "field", f"{key}.field", options(rows, "field"),
                     "全部職類別")
        industry = _box(cols[1], "行業別", "industry", f"{key}.industry",
                        options(rows, "industry"), "全部行業別")
        present = levels(rows)
        stored = carry.get("level")
        carry.bind("level", f"{key}.level")
        level: int | None = cols[2].selectbox(
            "基準級別", present, index=present.index(stored) if stored in present else None,
            key=f"{key}.level", format_func=lambda n: f"第 {n} 級", placeholder="全部級別",
            help="職能基準的級別（1–7）")
        st.session_state[carry.CARRIED["level"].key] = level
    return Narrowing(field, industry, level)


PARAMS = ("field", "industry", "level")
