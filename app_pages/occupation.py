"""職業: one standard — duty → task → outputs / indicators → K/S with 職能級別; for every
item, how many other occupations share it and which (click through); notes, versions."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from app_pages import labels, loading, pickers
from app_pages.labels import KIND_LABEL, md
from app_pages.occupation_tree import ItemUse, OccupationView, item_kind_label, occupation_view
from app_pages.state import STATE_ITEM, STATE_PRIMARY
from graph.lookup import item_info
from graph.lookup import occupations_using as users
from loaders.errors import IcapGraphError


def _item_line(item: ItemUse) -> str:
    share = f"（另有 {len(item.others)} 個職業共用）" if item.others else ""
    return f"{md(item.local_code)} {md(item.name)}{share}"


def _tree(view: OccupationView) -> None:
    for duty in view.duties:
        with st.expander(f"{md(duty.code)} {md(duty.name)}", expanded=len(view.duties) <= 3):
            for task in duty.tasks:
                level = f"職能級別 {task.level}" if task.level is not None else "職能級別 未註明"
                st.markdown(f"**{md(task.code)} {md(task.name)}** · {level}")
                lines = [f"- 工作產出：{md(o)}" for o in task.outputs]
                lines += [f"- 行為指標：{md(i)}" for i in task.indicators]
                lines += [f"- {KIND_LABEL.get(u.kind, u.kind)}：{_item_line(u)}"
                          for u in task.items]
                st.markdown("\n".join(lines) or "（無內容）")


def _shared_table(view: OccupationView) -> None:
    rows = [{"代碼": u.local_code, "類別": KIND_LABEL.get(u.kind, u.kind), "名稱": u.name,
             "其他職業數": len(u.others), "其他職業": "、".join(u.others)}
            for u in view.items()]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _item_detail(G: Any, view: OccupationView) -> None:
    items = {u.id: u for u in view.items()}
    if not items:
        return
    ids = list(items)
    stored = st.session_state.get(STATE_ITEM)
    chosen = st.selectbox(
        "查看一個職能項目由哪些職業共用", ids, index=ids.index(stored) if stored in ids else 0,
        format_func=lambda i: f"{item_kind_label(items[i].kind)} {items[i].local_code} "
                              f"{items[i].name}（{len(items[i].others)}）",
        key="occupation.item",
    )
    st.session_state[STATE_ITEM] = chosen
    try:
        info = item_info(G, items[chosen].name)
    except IcapGraphError as exc:
        st.error(md(labels.one_line(exc)))
        return
    users = [c for c in info["occupations"] if c != view.code]
    st.markdown(f"**{md(info['name'])}**（{KIND_LABEL.get(info['kind'], info['kind'])}）"
                f"由 {len(info['occupations'])} 個職業直接要求"
                + (f"，另有 {len(info['via'])} 個透過名詞定義涵蓋" if info["via"] else ""))
    if info["aliases"]:
        st.caption("同義名稱：" + md("、".join(info["aliases"])))
    for code in users:
        if st.button(f"開啟 {md(pickers.occupation_label(G, code))}", key=f"occ.open.{code}"):
            st.session_state[STATE_PRIMARY] = code
            st.session_state.pop("occupation.pick", None)
            st.rerun()
    if info["via"]:
        st.caption("透過名詞定義涵蓋："
                   + md("、".join(pickers.occupation_label(G, c) for c in info["via"])))
    if info["similar"]:
        st.caption("相似項目：" + md("、".join(f"{s['name']}（{s['score']:.2f}）"
                                             for s in info["similar"])))


def render() -> None:
    st.title("職業")
    G = loading.graph()
    code = pickers.pick_occupation(G, "選擇職業（輸入名稱或代碼搜尋）", key="occupation.pick")
    if code is None:
        return
    try:
        view = occupation_view(G, code, lambda item: list(users(G, item)))
    except IcapGraphError as exc:
        loading.fail(exc)
        return
    st.header(md(view.name))
    facts = [f"代碼 {view.code}"]
    if view.level is not None:
        facts.append(f"基準級別 {view.level}")
    st.caption(md(" · ".join(facts)))
    if view.description:
        st.markdown(f"**工作描述**：{md(view.description)}")
    if view.requirements:
        st.markdown(f"**建議條件**：{md(view.requirements)}")

    tree_tab, shared_tab, notes_tab, versions_tab = st.tabs(
        ["職責與任務", "共用的知識技能態度", "說明與名詞定義", "版本"])
    with tree_tab:
        _tree(view)
        if view.loose:
            st.markdown("**未列在任務下的知識與技能**")
            st.markdown("\n".join(f"- {KIND_LABEL.get(u.kind, u.kind)}：{_item_line(u)}"
                                   for u in view.loose))
        if view.attitudes:
            st.markdown("**態度**")
            st.markdown("\n".join(f"- {_item_line(a)}" for a in view.attitudes))
    with shared_tab:
        _shared_table(view)
        _item_detail(G, view)
    with notes_tab:
        if view.notes:
            for note in view.notes:
                mark = f"【{note.get('mark')}】" if note.get("mark") else ""
                term = f"**{md(note.get('term'))}**：" if note.get("term") else ""
                st.markdown(f"- {md(mark)}{term}{md(note.get('text', ''))}")
        else:
            st.caption("此職能基準沒有補充說明。")
    with versions_tab:
        if view.versions:
            st.dataframe(pd.DataFrame([{"版本": v.get("version"), "代碼": v.get("code"),
                                        "名稱": v.get("name"), "狀態": v.get("status"),
                                        "更新說明": v.get("note"), "日期": v.get("date")}
                                       for v in view.versions]),
                         hide_index=True, width="stretch")
        else:
            st.caption("原始檔沒有版本表。")


# Streamlit runs a page as the script "__main__"; importing it (tests) renders nothing.
if __name__ == "__main__":
    render()
