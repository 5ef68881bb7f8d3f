"""圖譜: an interactive pyvis drawing of the chosen occupations' neighbourhood — depth,
kinds to show, shared items highlighted, provenance on hover, capped at 300 nodes."""

from __future__ import annotations

import streamlit as st

from app_pages import loading, pickers
from app_pages.labels import KIND_LABEL
from app_pages.neighbourhood import MAX_NODES, neighbourhood
from app_pages.pyvis_view import render_html
from graph.model import ITEM_KINDS, Kind

_SHOWABLE = (Kind.DUTY, Kind.TASK, *ITEM_KINDS)


def render() -> None:
    st.title("職能圖譜")
    G = loading.graph()
    codes = pickers.pick_occupations(G, "中心職業（輸入名稱或代碼搜尋）", key="graph.pick",
                                    default=1)
    left, right, third = st.columns([1, 2, 1])
    depth = left.slider("深度", 1, 4, 2, key="graph.depth",
                        help="1：職業的知識技能態度；2：再加上共用它們的其他職業；3、4 依此類推")
    kinds = right.multiselect("顯示的類別", list(_SHOWABLE), default=list(ITEM_KINDS),
                              format_func=lambda k: KIND_LABEL[k], key="graph.kinds")
    cap = third.number_input("節點上限", 20, MAX_NODES, MAX_NODES, step=20, key="graph.cap")
    if not codes:
        st.info("請至少選擇一個職業。")
        return
    sub = neighbourhood(G, codes, depth=depth, kinds={Kind.OCCUPATION, *kinds}, cap=int(cap))
    shared = sum(1 for n in sub.nodes if n.shared)
    st.caption(f"顯示 {len(sub.nodes)} 個節點、{len(sub.edges)} 條關係；"
               f"{shared} 個項目被兩個以上的職業共用（橘色外框）。滑鼠移到節點上可看出處。")
    if sub.capped:
        st.warning(f"這個範圍共有 {sub.total} 個節點，只畫出最相關的 {len(sub.nodes)} 個；"
                   "請減少職業、降低深度或少選幾個類別。")
    for note in sub.notes:
        st.caption(note)
    st.iframe(render_html(sub, height=620), height=680)


# Streamlit runs a page as the script "__main__"; importing it (tests) renders nothing.
if __name__ == "__main__":
    render()
