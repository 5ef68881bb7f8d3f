"""總覽: what is loaded, the most transferable competencies, clusters, load warnings and
each standard's version."""

from __future__ import annotations

import json
from typing import Any

import networkx as nx
import pandas as pd
import streamlit as st

from app_pages import labels, loading, state
from app_pages.labels import KIND_LABEL, WORD_LABEL, md
from graph.model import ITEM_KINDS, Kind
from queries.communities import clusters as clusters_of
from queries.communities import hubs

#: The slider's upper end: the most items the transferable-competency table lists.
TOP_MAX = 100
#: Load warnings listed before the visitor asks for all of them.
WARNINGS_SHOWN = 200


@st.cache_data(show_spinner=False, max_entries=4)
def _hubs(key: str, _G: nx.MultiDiGraph, _hubs_of: Any) -> tuple[int, list[dict[str, Any]]]:
    # hubs() ranks every item when asked for all of them; "shared" = used by ≥ 2
    # occupations. Only the count and the first TOP_MAX rows are kept: st.cache_data
    # copies its value on every rerun, and the full ranking is ~20 000 rows.
    ranked = _hubs_of(_G, top=max(1, _G.number_of_nodes()))
    return sum(1 for i in ranked if i["occupations"] >= 2), list(ranked[:TOP_MAX])


@st.cache_data(show_spinner=False, max_entries=4)
def _clusters(key: str, _G: nx.MultiDiGraph, _clusters_of: Any) -> list[dict[str, Any]]:
    return list(_clusters_of(_G))


@st.cache_data(show_spinner=False, max_entries=4)
def _kind_counts(key: str, _G: nx.MultiDiGraph) -> dict[str, int]:
    kinds = {k.value: 0 for k in (Kind.OCCUPATION, *ITEM_KINDS)}
    for _, d in _G.nodes(data=True):
        if d.get("kind") in kinds:
            kinds[d["kind"]] += 1
    return kinds


@st.cache_data(show_spinner=False, max_entries=4)
def _version_rows(key: str, _G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    rows = []
    for _, d in _G.nodes(data=True):
        if d.get("kind") != Kind.OCCUPATION:
            continue
        versions = json.loads(d.get("versions") or "[]")
        own: dict[str, Any] = next((v for v in versions if v.get("code") == d.get("code")), {})
        rows.append({
            "代碼": d.get("code", ""), "名稱": d.get("name", ""), "基準級別": d.get("level"),
            "版本": own.get("version", ""), "狀態": own.get("status", ""),
            "更新日期": own.get("date", ""),
            "載入的最新版": "是" if d.get("latest", True) else "否",
            "歷史資料": "是" if d.get("historical") else "",
        })
    return sorted(rows, key=lambda r: str(r["代碼"]))


def _warning_rows(warnings: Any, failures: Any) -> list[dict[str, Any]]:
    rows = [{"類型": "無法載入", "檔案": w.path, "行": str(w.line or ""), "問題": w.message}
            for w in failures]
    rows += [{"類型": "警告", "檔案": w.path, "行": str(w.line or ""), "問題": w.message}
             for w in warnings]
    return rows


def render() -> None:
    st.title("職能圖譜 總覽")
    loaded = loading.loaded()
    G = loading.graph()
    key = loading.graph_key()

    # What is loaded shows at once; the shared-item count fills in when the ranking
    # below is ready (on a fresh server it builds the query index first).
    kinds = _kind_counts(key, G)
    cols = st.columns(6)
    cols[0].metric("職能基準", kinds[Kind.OCCUPATION])
    for col, kind in zip(cols[1:4], ITEM_KINDS, strict=True):
        col.metric(KIND_LABEL[kind], kinds[kind])
    shared_slot = cols[4].empty()
    cols[5].metric("載入警告", len(loaded.warnings) + len(loaded.failures))
    st.caption("資料來源：" + md("、".join(state.data_paths()))
               + (f"；本次另上傳 {len(loading.uploads())} 份" if loading.uploads() else ""))

    st.subheader("最具可轉移性的職能")
    st.caption("被最多職業（僅計目前版本）要求的知識、技能與態度；在「職業」頁可看是哪些職業共用。")
    top = st.slider("顯示前幾名", 5, TOP_MAX, 20, key="overview.top")
    with st.spinner("正在整理各職業的職能需求…"):
        shared, items = _hubs(key, G, hubs)
    shared_slot.metric("共用項目", shared, help="被兩個以上職業要求的知識、技能與態度")
    st.dataframe(
        pd.DataFrame([{"名稱": i["name"], "類別": WORD_LABEL.get(i["kind"], i["kind"]),
                       "職業數": i["occupations"], "任務數": i["tasks"]} for i in items[:top]]),
        hide_index=True, width="stretch", height=labels.table_height(min(top, len(items))),
    )

    st.subheader("職業群集")
    with st.spinner("正在依共用職能分群…"):
        groups = _clusters(key, G, clusters_of)
    st.caption(f"依共用職能把職業分成 {len(groups)} 群（Louvain 社群偵測，結果固定可重現）。")
    for group in groups[:30]:
        title = f"第 {group['cluster']} 群 · {group['size']} 個職業 · {md(group['label'])}"
        with st.expander(title):
            # Plain text, not a table: sixteen grids in collapsed expanders cost the
            # browser more than the whole rest of the page.
            st.markdown(md("、".join(f"{o['code']} {o['name']}" for o in group["occupations"])))
            st.caption("代表職能：" + md("、".join(i["name"] for i in group["items"])))
    if len(groups) > 30:
        st.caption(f"另有 {len(groups) - 30} 個較小的群集未列出。")

    st.subheader("各職能基準的版本")
    st.dataframe(pd.DataFrame(_version_rows(key, G)), hide_index=True, width="stretch")

    st.subheader("載入警告")
    for notice in loaded.notices:  # the cache could not be written
        st.warning("快取無法寫入，每次啟動都會重新建立圖譜：" + md(notice))
    rows = _warning_rows(loaded.warnings, loaded.failures)
    if not rows:
        st.success("所有檔案都完整讀入，沒有警告。")
        return
    # The corpus has thousands: a table that long was a large part of what the browser
    # had to lay out before the first page settled, so the rest waits for a click.
    every = len(rows) <= WARNINGS_SHOWN or st.toggle(f"列出全部 {len(rows)} 筆",
                                                     key="overview.warnings")
    if not every:
        st.caption(f"共 {len(rows)} 筆，以下是前 {WARNINGS_SHOWN} 筆。")
    st.dataframe(pd.DataFrame(rows if every else rows[:WARNINGS_SHOWN]), hide_index=True,
                 width="stretch")


# Streamlit runs a page as the script "__main__"; importing it (tests) renders nothing.
if __name__ == "__main__":
    render()
