"""圖譜: one occupation's neighbourhood, drawn so it can be read — items coloured by kind,
shared items ringed, tasks collapsed unless asked for — that grows by click (an item adds
the occupations needing it, an occupation adds its items; a second click folds it back).
Tooltips are short and in Chinese; where a requirement comes from (task, code, file and
line) is on the side panel of the node clicked last."""

from __future__ import annotations

import networkx as nx
import streamlit as st

from app_pages import carry, filters, loading, naming, pickers
from app_pages.growth import PER_OPEN, grown, provenance
from app_pages.labels import KIND_LABEL, md
from app_pages.naming import code_md
from app_pages.neighbourhood import MAX_NODES, item_users
from app_pages.vis_component import clicked, draw
from graph.kinds import ITEM_KINDS, Kind, zh
from graph.model import occupation_id

_DRAW = "graph.draw"
_OPENED = "graph.opened"
_SELECTED = "graph.selected"
_CENTRE = "graph.centre"


def _on_click() -> None:
    node = clicked(_DRAW)
    if node is None:
        return
    st.session_state[_SELECTED] = node
    opened: list[str] = list(st.session_state.get(_OPENED, []))
    if node in opened:
        opened.remove(node)
    else:
        opened.append(node)
    st.session_state[_OPENED] = opened


def _reset() -> None:
    st.session_state[_OPENED] = []
    st.session_state.pop(_SELECTED, None)


def _recentre(code: str) -> None:
    carry.choose("occupation", code)
    _reset()


def _side_panel(G: nx.MultiDiGraph, node: str, drawn: set[str]) -> None:
    d = G.nodes[node]
    kind = str(d.get("kind", ""))
    st.markdown(f"**{md(d.get('name', ''))}** {code_md(str(d.get('code', '')))}")
    st.caption(f"類別：{zh(kind)}")
    if kind == Kind.OCCUPATION:
        code = str(d.get("code", ""))
        if d.get("level") is not None:
            st.caption(f"基準級別 {d['level']}")
        st.page_link("app_pages/occupation.py", label="開啟這個職業的頁面",
                     query_params={"occupation": code})
        if occupation_id(code) != occupation_id(str(carry.get("occupation") or "")):
            st.button("以它為中心重畫", key="graph.recentre", on_click=_recentre, args=(code,))
        return
    if kind in {k.value for k in ITEM_KINDS}:
        users = item_users(G, node)
        shown = sorted(c for c in users if occupation_id(c) in drawn)
        st.caption(f"共 {len(users)} 個職業需要；圖中有 {len(shown)} 個。")
        st.page_link("app_pages/item.py", label="在「能力」頁查看", query_params={"item": node})
        rows = provenance(G, node, shown)
        if rows:
            st.markdown("**出處**")
            st.markdown("\n".join(
                f"- {md(naming.occupation_text(G, r.occupation))}：{md(r.task)}"
                f" · {md(r.local_code)} {md(r.written)} {code_md(r.where)}" for r in rows[:30]))
            if len(rows) > 30:
                st.caption(f"…另有 {len(rows) - 30} 筆")


def render() -> None:
    st.title("職能關係圖")
    G = loading.graph()
    carry.adopt(G)
    choice = filters.narrowing(G, "graph", open_=False)
    code = pickers.pick_occupation(G, "中心職業", key="graph.pick", narrowing=choice)
    carry.publish("occupation", *filters.PARAMS)
    if code is None:
        st.info("請選擇一個職業：圖會從它和它需要的知識、技能、態度開始，再由您點選擴展。")
        return
    if st.session_state.get(_CENTRE) != code:
        st.session_state[_CENTRE] = code
        _reset()
    left, mid, right = st.columns([3, 1, 1])
    kinds = left.multiselect("顯示的類別", list(ITEM_KINDS), default=list(ITEM_KINDS),
                             format_func=lambda k: KIND_LABEL[k], key="graph.kinds",
                             placeholder="請至少選一個類別…")
    tasks = mid.toggle("顯示職責與任務", key="graph.tasks",
                       help="把中心職業的主要職責與工作任務畫在職業與項目之間")
    cap = right.number_input("節點上限", 20, MAX_NODES, MAX_NODES, step=20, key="graph.cap")
    opened = [n for n in st.session_state.get(_OPENED, []) if n in G]
    sub = grown(G, code, opened=opened, kinds=kinds, tasks=tasks, cap=int(cap))
    shared = sum(1 for n in sub.nodes if n.shared)
    st.caption(f"顯示 {len(sub.nodes)} 個節點；{shared} 個項目也被其他職業需要"
               "（橘色外框）。點一下項目：加入需要它的職業；點一下職業：加入它需要的項目"
               f"（每次最多 {PER_OPEN} 個）；再點一次即收合。")
    if sub.capped:
        st.warning(f"這張圖只畫出 {len(sub.nodes)} 個節點（上限），"
                   f"其餘 {sub.total - len(sub.nodes)} 個未畫出；請收合一些節點或提高上限。")
    for note in sub.notes:
        st.caption(md(note))
    graph_col, panel = st.columns([3, 1])
    with graph_col:
        draw(sub, key=_DRAW, on_click=_on_click, height=620)
    with panel:
        st.markdown("**點選的節點**")
        selected = st.session_state.get(_SELECTED)
        drawn = {n.id for n in sub.nodes}
        if isinstance(selected, str) and selected in G and selected in drawn:
            _side_panel(G, selected, drawn)
        else:
            st.caption("點圖中的節點，這裡會列出它的資料與出處。")
        if opened:
            st.button("收合全部，只留中心職業", key="graph.reset", on_click=_reset)


# Streamlit runs a page as the script "__main__"; importing it (tests) renders nothing.
if __name__ == "__main__":
    render()
