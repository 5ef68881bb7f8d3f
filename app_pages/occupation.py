"""職業: one standard — duty → task → outputs / indicators → K/S with 職能級別; for every
item, how many other occupations share it and which (opened from a searchable list, or
on the item page); notes and versions. Names first, codes small."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from app_pages import carry, filters, loading, naming, pickers
from app_pages.catalogue import by_field
from app_pages.labels import KIND_LABEL, md, one_line
from app_pages.link_list import Link, LinkGroup, occupation_links
from app_pages.naming import code_md
from app_pages.occupation_tree import ItemUse, OccupationView, occupation_view
from graph.lookup import occupations_using as users
from loaders.errors import IcapGraphError

_ITEM_PICK = "occupation.item"
TAB = "occupation.tab"


def _item_line(item: ItemUse) -> str:
    share = f"（另有 {len(item.others)} 個職業共用）" if item.others else ""
    return f"{md(item.name)} {code_md(item.local_code)}{share}"


def _tree(view: OccupationView) -> None:
    for duty in view.duties:
        # Lazy: a folded duty's tasks are not sent (a standard may have dozens of tasks).
        box = st.expander(f"{md(duty.name)} {code_md(duty.code)}", expanded=len(view.duties) <= 3,
                          key=f"occupation.duty.{view.code}.{duty.code}", on_change="rerun")
        if not box.open:
            continue
        with box:
            for task in duty.tasks:
                level = f"職能級別 {task.level}" if task.level is not None else "職能級別 未註明"
                st.markdown(f"**{md(task.name)}** {code_md(task.code)} · {level}")
                lines = [f"- 工作產出：{md(o.text)} {code_md(o.code)}" for o in task.outputs]
                lines += [f"- 行為指標：{md(i.text)} {code_md(i.code)}" for i in task.indicators]
                lines += [f"- {KIND_LABEL.get(u.kind, u.kind)}：{_item_line(u)}"
                          for u in task.items]
                st.markdown("\n".join(lines) or "（無內容）")


def _shared_table(G: nx.MultiDiGraph, view: OccupationView) -> None:
    rows = [{"名稱": u.name, "類別": KIND_LABEL.get(u.kind, u.kind), "其他職業數": len(u.others),
             "其他職業": naming.codes_text(G, u.others),
             "代碼": u.local_code}
            for u in view.items()]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _item_detail(G: nx.MultiDiGraph, view: OccupationView) -> None:
    items = {u.id: u for u in view.items() if u.others}
    if not items:
        st.caption("這個職業的知識、技能與態度都沒有其他職業共用。")
        return
    ids = sorted(items, key=lambda i: -len(items[i].others))
    stored = carry.get("item")
    chosen: str | None = st.selectbox(
        "看一個項目還有哪些職業需要", ids, index=ids.index(stored) if stored in ids else None,
        format_func=lambda i: f"{items[i].name}（{KIND_LABEL.get(items[i].kind, '')} · "
                              f"另有 {len(items[i].others)} 個職業）",
        key=_ITEM_PICK, placeholder="選擇知識、技能或態度…")
    carry.bind("item", _ITEM_PICK)
    if chosen is None:
        return
    st.session_state[carry.CARRIED["item"].key] = chosen
    use = items[chosen]
    st.page_link("app_pages/item.py", label=f"在「能力」頁查看「{md(use.name)}」的完整資料",
                 query_params={"item": chosen})
    others = set(use.others)
    occupation_links([LinkGroup(g.title, tuple(Link(r.code, r.name + r.mark) for r in g.rows))
                      for g in by_field(r for r in pickers.occupations(G)
                                       if r.code in others)],
                     key="occupation.others", open_=len(others) <= 40)


def _facts(G: nx.MultiDiGraph, view: OccupationView) -> None:
    entry = next((r for r in pickers.occupations(G) if r.code == view.code), None)
    facts = [f"代碼 {view.code}"]
    if view.level is not None:
        facts.append(f"基準級別 {view.level}")
    if entry is not None:
        facts += [f"職類別 {c.name}" for c in entry.fields]
        if entry.industries:
            facts.append("行業別 " + "、".join(c.name for c in entry.industries))
        if entry.mark:
            facts.append(entry.mark.strip("（）"))
    st.caption(md(" · ".join(facts)))


def _actions(code: str) -> None:
    cols = st.columns(3)
    carry.go(cols[0], "看轉職方向與要補強的能力", "transitions", key="occupation.go.transitions",
             occupation=code)
    carry.go(cols[1], "與其他職業比較", "compare", key="occupation.go.compare", compare=[code])
    carry.go(cols[2], "在圖譜中查看", "graph", key="occupation.go.graph", occupation=code)


def render() -> None:
    st.title("職業")
    G = loading.graph()
    carry.adopt(G)
    choice = filters.narrowing(G, "occupation", open_=False)
    code = pickers.pick_occupation(G, "職業", key="occupation.pick", narrowing=choice)
    carry.publish("occupation", *filters.PARAMS)
    if code is None:
        st.info("請在上方輸入職業名稱或代碼，或從「首頁」的清單點選一個職業。")
        return
    try:
        view = occupation_view(G, code, lambda item: list(users(G, item)))
    except IcapGraphError as exc:
        st.error(md(one_line(exc)))
        return
    st.header(md(view.name))
    _facts(G, view)
    _actions(code)
    if view.description:
        st.markdown(f"**工作描述**：{md(view.description)}")
    if view.requirements:
        st.markdown(f"**建議條件**：{md(view.requirements)}")

    # Lazy tabs: only the chosen tab's content is computed and sent.
    tree_tab, shared_tab, notes_tab, versions_tab = st.tabs(
        ["職責與任務", "共用的知識技能態度", "說明與名詞定義", "版本"], key=TAB, on_change="rerun")
    if tree_tab.open:
        _tree_tab(view, tree_tab)
    if shared_tab.open:
        with shared_tab:
            _shared_table(G, view)
            _item_detail(G, view)
    if notes_tab.open:
        with notes_tab:
            _notes(view)
    if versions_tab.open:
        with versions_tab:
            _versions(view)


def _tree_tab(view: OccupationView, tab: DeltaGenerator) -> None:
    with tab:
        _tree(view)
        if view.loose:
            st.markdown("**未列在任務下的知識與技能**")
            st.markdown("\n".join(f"- {KIND_LABEL.get(u.kind, u.kind)}：{_item_line(u)}"
                                   for u in view.loose))
        if view.attitudes:
            st.markdown("**態度**")
            st.markdown("\n".join(f"- {_item_line(a)}" for a in view.attitudes))


def _notes(view: OccupationView) -> None:
    if view.notes:
        for note in view.notes:
            mark = f"【{note.get('mark')}】" if note.get("mark") else ""
            term = f"**{md(note.get('term'))}**：" if note.get("term") else ""
            st.markdown(f"- {md(mark)}{term}{md(note.get('text', ''))}")
    else:
        st.caption("此職能基準沒有補充說明。")


def _versions(view: OccupationView) -> None:
    if view.versions:
        st.dataframe(pd.DataFrame([{"版本": v.get("version"), "名稱": v.get("name"),
                                    "狀態": v.get("status"), "更新說明": v.get("note"),
                                    "日期": v.get("date"), "代碼": v.get("code")}
                                   for v in view.versions]),
                     hide_index=True, width="stretch")
    else:
        st.caption("原始檔沒有版本表。")



# Streamlit runs a page as the script "__main__"; importing it (tests) renders nothing.
if __name__ == "__main__":
    render()
