"""總覽: the competencies most occupations share (per kind, so that the few attitudes every
standard lists do not fill the table) and groups of occupations that need much the same
competencies, each named by what its members share. What is loaded is on 首頁; load
notes and versions are on 資料."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pandas as pd
import streamlit as st

from app_pages import carry, filters, labels, loading, pickers
from app_pages.catalogue import narrow
from app_pages.labels import md
from app_pages.link_list import Link, LinkGroup, occupation_links
from graph.kinds import INFO, ITEM_KINDS
from queries.communities import clusters as clusters_of
from queries.communities import hubs

#: The slider's upper end: the most items the transferable-competency table lists.
TOP_MAX = 100


@st.cache_data(show_spinner=False, max_entries=12)
def _hubs(key: str, kind: str, _G: nx.MultiDiGraph, _hubs_of: Any) -> list[dict[str, Any]]:
    return list(_hubs_of(_G, top=TOP_MAX, kind=kind))


@st.cache_data(show_spinner=False, max_entries=4)
def _clusters(key: str, _G: nx.MultiDiGraph, _clusters_of: Any) -> list[dict[str, Any]]:
    return list(_clusters_of(_G))



def render() -> None:
    st.title("職能總覽")
    G = loading.graph()
    carry.adopt(G)
    key = loading.graph_key()

    st.subheader("最多職業共同需要的能力")
    st.caption("被最多職業（只計目前版本）要求的知識、技能與態度。這些能力換工作時最容易帶著走；"
               "在「能力」頁可看是哪些職業需要。")
    top = st.slider("列出前幾名", 5, TOP_MAX, 15, key="overview.top")
    tabs = st.tabs([INFO[k].zh for k in ITEM_KINDS])
    for tab, kind in zip(tabs, ITEM_KINDS, strict=True):
        with tab:
            with st.spinner("正在整理各職業的職能需求…"):
                items = _hubs(key, INFO[kind].word, G, hubs)[:top]
            if not items:
                st.caption("沒有資料。")
                continue
            st.dataframe(pd.DataFrame([{"名稱": i["name"], "需要的職業數": i["occupations"],
                                        "用到的任務數": i["tasks"] or ""} for i in items]),
                         hide_index=True, width="stretch",
                         height=labels.table_height(len(items)))
            names = {i["id"]: i["name"] for i in items}
            picked = st.selectbox("在「能力」頁查看其中一項", list(names), index=None,
                                  format_func=names.__getitem__, key=f"overview.pick.{kind}",
                                  placeholder="選擇一項能力…")
            if picked:
                carry.choose("item", picked)
                st.switch_page("app_pages/item.py", query_params={"item": picked})

    st.subheader("需要相近能力的職業群")
    with st.spinner("正在依共同需要的能力把職業分群…"):
        groups = _clusters(key, G, clusters_of)
    st.caption(f"依職業之間共同需要的知識與技能（罕見的能力比人人都有的更有份量），把職業分成 "
               f"{len(groups)} 群；每群以成員最常共同需要的能力命名，分群結果每次都相同。"
               "點職業名稱可開啟。")
    choice = filters.narrowing(G, "overview", open_=False)
    keep = {r.code for r in narrow(pickers.occupations(G), choice)}
    shown = [g for g in groups if g["size"] >= 2][:40]
    occupation_links([LinkGroup(
        f"第 {g['cluster']} 群：{g['label'] or '（無共同項目）'}",
        tuple(Link(o["code"], o["name"]) for o in g["occupations"] if o["code"] in keep))
        for g in shown], key="overview.clusters", placeholder="輸入職業名稱找它在哪一群…")
    rest = len(groups) - len(shown)
    if rest:
        st.caption(md(f"另有 {rest} 個較小的群（多為只有一個職業）未列出。"))
    carry.publish(*filters.PARAMS)


# Streamlit runs a page as the script "__main__"; importing it (tests) renders nothing.
if __name__ == "__main__":
    render()
