"""能力: one knowledge / skill / attitude at a time — search it, read its kind and the
notes defining it, see the occupations that require it (grouped by 職類別, with the tasks
that use it), those reaching it through a note, similar items with their scores, and the
occupations that need it together with one or two other items."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import networkx as nx
import streamlit as st

from app_pages import carry, filters, loading, naming, pickers
from app_pages.catalogue import Entry, Narrowing, by_field, narrow
from app_pages.item_search import find_items, suggestions
from app_pages.item_view import ItemView, companions, item_view, together
from app_pages.labels import md, one_line
from app_pages.link_list import Link, LinkGroup, occupation_links
from graph.aliases import Alias, default_aliases_path, read_aliases
from graph.kinds import zh
from loaders.errors import IcapGraphError

_LAST = "item.q.last"


@st.cache_resource(show_spinner=False)
def _aliases() -> tuple[Alias, ...]:
    return read_aliases(default_aliases_path())


@st.cache_data(show_spinner=False, max_entries=64)
def _companions(key: str, item: str, _G: nx.MultiDiGraph) -> list[tuple[str, int]]:
    return companions(_G, item)
TIER_LABEL = {"similar": "相似", "review": "待確認"}


def _search(G: nx.MultiDiGraph) -> None:
    text = st.text_input("能力名稱", key="item.q",
                         placeholder="輸入知識、技能或態度的名稱，例如：倉儲管理、個人資料保護法",
                         help="名稱的任一部分即可；空白、全形半形與臺／台等異體字不影響搜尋")
    if not text.strip():
        return
    with st.spinner("搜尋中…"):
        found = find_items(G, text, aliases=_aliases())
    if not found:
        st.info(md(f"找不到名稱含「{text.strip()}」的知識、技能或態度；請換個說法或只輸入其中幾個字。"))
        near = suggestions(G, text, aliases=_aliases())
        if near:
            st.caption("名稱相近的有：" + md("、".join(near)))
        return
    exact = [f for f in found if f.exact]
    if exact and st.session_state.get(_LAST) != text:
        carry.choose("item", exact[0].id)  # typed a whole name: open it at once
    st.session_state[_LAST] = text
    chosen = carry.get("item")
    more = "（只列出前幾項，可輸入更完整的名稱）" if len(found) >= 24 else ""
    st.caption(f"找到 {len(found)} 項{more}：")
    cols = st.columns(3)
    for i, f in enumerate(found):
        cols[i % 3].button(
            f"{md(f.name)}（{zh(f.kind)} · {f.users} 個職業）", key=f"item.hit.{i}",
            type="primary" if f.id == chosen else "secondary", width="stretch",
            on_click=carry.choose, args=("item", f.id))


def _groups(rows: Iterable[Entry], detail: Callable[[str], str]) -> list[LinkGroup]:
    return [LinkGroup(g.title, tuple(Link(r.code, r.name + r.mark, detail(r.code))
                                     for r in g.rows), g.sector) for g in by_field(rows)]


def _narrowed(G: nx.MultiDiGraph, codes: Iterable[str], choice: Narrowing) -> list[Entry]:
    wanted = set(codes)
    return narrow([r for r in pickers.occupations(G) if r.code in wanted], choice)


def _uses_section(G: nx.MultiDiGraph, view: ItemView, choice: Narrowing) -> None:
    tasks = {u.code: u.tasks for u in view.uses}
    rows = _narrowed(G, tasks, choice)
    st.subheader(f"需要「{md(view.name)}」的職業（{len(rows)}"
                 + (f"／共 {len(tasks)}" if choice.active else "") + "）")
    if not rows:
        st.caption("沒有符合篩選條件的職業。" if tasks else "沒有職業直接要求這一項。")
    else:
        occupation_links(_groups(rows, lambda c: "用於：" + naming.tasks_text(G, c, tasks[c])),
                         key="item.users", open_=len(rows) <= 40, columns=1)
    if view.via:
        terms = {v.code: v.term for v in view.via}
        via = _narrowed(G, terms, choice)
        st.markdown(f"**透過名詞定義涵蓋（{len(via)}）**：這些職業要求的名詞在說明中包含「{md(view.name)}」。")
        occupation_links(_groups(via, lambda c: f"透過「{terms[c]}」"), key="item.via",
                         search=False, open_=True, columns=1)


def _similar_section(G: nx.MultiDiGraph, view: ItemView) -> None:
    st.subheader(f"相似的項目（{len(view.similar)}）")
    if not view.similar:
        st.caption("沒有名稱相近的項目。")
        return
    st.caption("依名稱相似度（0–1）排列；「待確認」表示只是名稱相近，請自行判斷是否同一能力。")
    cols = st.columns(3)
    for i, s in enumerate(view.similar[:15]):
        cols[i % 3].button(f"{md(s.name)}（{s.score:.2f} · {TIER_LABEL.get(s.tier, s.tier)}）",
                           key=f"item.similar.{i}", width="stretch",
                           on_click=carry.choose, args=("item", s.id))


def _together_section(G: nx.MultiDiGraph, view: ItemView, choice: Narrowing) -> None:
    st.subheader("同時需要這幾項能力的職業")
    pairs = _companions(loading.graph_key(), view.id, G)
    counts = dict(pairs)
    picked: list[str] = st.multiselect(
        f"再選一到兩項與「{md(view.name)}」一起要求的能力", [p for p, _ in pairs],
        key=f"item.with.{view.id}",
        max_selections=2, format_func=lambda i: f"{naming.item_option(G, i)} · {counts[i]} 個職業",
        placeholder="從常與它一起出現的能力中選擇…",
        help="選項是與這一項同時被要求的能力，依同時需要的職業數排列")
    if not picked:
        return
    codes = together(G, [view.id, *picked])
    rows = _narrowed(G, codes, choice)
    names = "、".join(naming.item_text(G, i) for i in [view.id, *picked])
    st.markdown(f"同時需要 {md(names)} 的職業：**{len(rows)}** 個")
    if rows:
        occupation_links(_groups(rows, lambda c: ""), key="item.together", search=False,
                         open_=True, columns=2)


def _detail(G: nx.MultiDiGraph, item: str) -> None:
    try:
        view = item_view(G, item)
    except IcapGraphError as exc:
        st.error(md(one_line(exc)))
        return
    st.header(md(view.name))
    facts = [f"類別：{zh(view.kind)}"]
    if view.aliases:
        facts.append("同義名稱：" + "、".join(view.aliases))
    st.caption(md(" · ".join(facts)))
    cols = st.columns(3)
    cols[0].metric("直接需要的職業", len(view.uses))
    cols[1].metric("透過名詞定義涵蓋", len(view.via))
    cols[2].metric("相似項目", len(view.similar))
    if view.description:
        st.markdown(f"**說明**：{md(view.description)}")
    if view.members:
        st.markdown("**這個名詞包含**：" + md("、".join(naming.item_text(G, m)
                                                      for m in view.members)))
    if view.notes:
        with st.expander(f"職能基準中的說明（{len(view.notes)}）"):
            st.markdown("\n".join(
                f"- {naming.occupation_md(G, n.code)}："
                + (f"**{md(n.term)}**：" if n.term else "") + md(n.text)
                for n in view.notes))
    choice = filters.narrowing(G, "item", open_=False)
    _uses_section(G, view, choice)
    _similar_section(G, view)
    _together_section(G, view, choice)


def render() -> None:
    st.title("查一項能力")
    G = loading.graph()
    carry.adopt(G)
    _search(G)
    item = carry.get("item")
    if not isinstance(item, str) or item not in G:
        st.info("在上方輸入一項知識、技能或態度的名稱，再從結果中選一項，就能看到哪些職業需要它。")
    else:
        _detail(G, item)
    carry.publish("item", *filters.PARAMS)


# Streamlit runs a page as the script "__main__"; importing it (tests) renders nothing.
if __name__ == "__main__":
    render()
