"""轉職: ranked next steps from an occupation (升遷 / 平行 / 降階, confidence, and the
covered / partly covered / missing counts of the one classification); for a chosen target
the ordered gap list and what is partly covered, the k best multi-step routes drawn as a
small graph, and the plan as Markdown, printable HTML and CSV."""

from __future__ import annotations

import datetime as dt
from typing import Any

import networkx as nx
import pandas as pd
import streamlit as st

from app_pages import forms, loading, pickers, report
from app_pages.labels import DIRECTION_LABEL, WORD_LABEL, md
from app_pages.neighbourhood import route_graph
from app_pages.pyvis_view import render_html
from app_pages.state import STATE_TARGET
from loaders.errors import IcapGraphError
from queries.gap import gap
from queries.paths import paths
from queries.transitions import transitions


@st.cache_data(show_spinner=False, max_entries=64)
def _ranked(key: str, source: str, top: int, _G: nx.MultiDiGraph, _fn: Any) -> dict[str, Any]:
    return dict(_fn(_G, source, top=top))


@st.cache_data(show_spinner=False, max_entries=64)
def _routes(key: str, source: str, target: str, k: int, _G: nx.MultiDiGraph,
            _fn: Any) -> dict[str, Any]:
    return dict(_fn(_G, source, target, k=k))


def _target(G: nx.MultiDiGraph, targets: list[dict[str, Any]]) -> str | None:
    if st.toggle("從所有職業中選擇目標", key="transitions.any"):
        return pickers.pick_occupation(G, "目標職業", key="transitions.target.any",
                                      state=STATE_TARGET)
    if not targets:
        return None
    codes = [t["code"] for t in targets]
    stored = st.session_state.get(STATE_TARGET)
    names = {t["code"]: f"{t['code']} {t['name']}（{DIRECTION_LABEL.get(t['direction'], '')}）"
             for t in targets}
    index = codes.index(stored) if stored in codes else 0
    choice: str = st.selectbox("目標職業", codes, index=index, format_func=lambda c: names[c],
                               key="transitions.target")
    st.session_state[STATE_TARGET] = choice
    return choice


def render() -> None:
    st.title("轉職建議")
    G = loading.graph()
    source = pickers.pick_occupation(G, "目前的職業（輸入名稱或代碼搜尋）",
                                     key="transitions.source")
    if source is None:
        return
    key = loading.graph_key()
    top = forms.widget(forms.param("transitions", "top"), key="transitions.top", ui_max=30)
    try:
        ranked = _ranked(key, source, top, G, transitions)
    except IcapGraphError as exc:
        loading.fail(exc)
        return
    targets = ranked["targets"]
    st.subheader("可能的下一步")
    st.caption("分數結合兩項證據：目標職業所需職能中目前職業已具備的加權比例（職能涵蓋；"
               "罕見而專業的職能權重較高，各行各業都要求的通用職能與態度權重低，相似職能依相似度"
               "給部分分數），以及兩者任務、產出與行為指標文字的相似度（任務相似）。"
               "信心：高＝兩項證據都明顯高於隨機職業配對；低＝證據有限，僅供參考。")
    st.dataframe(pd.DataFrame([
        {"排名": i, "代碼": t["code"], "名稱": t["name"],
         "方向": DIRECTION_LABEL.get(t["direction"], t["direction"]),
         "分數": t["score"], "信心": t.get("confidence", ""), "已具備": t["shared"],
         "部分具備": len(t.get("partly", [])), "需補": t["gap"],
         "職能涵蓋": t.get("components", {}).get("coverage"),
         "任務相似": t.get("components", {}).get("tasks")}
        for i, t in enumerate(targets, 1)]), hide_index=True, width="stretch")

    target = _target(G, targets)
    if target is None or target == source:
        st.info("請選擇一個與目前職業不同的目標職業。")
        return
    k = forms.widget(forms.param("paths", "k"), key="transitions.k", ui_max=5,
                     help="列出成本最低的幾條路徑（直接轉換也算一條）")
    try:
        missing = gap(G, source, target)
        routes = _routes(key, source, target, k, G, paths)
    except IcapGraphError as exc:
        loading.fail(exc)
        return
    entry = next((t for t in targets if t["code"] == target), None)
    plan = report.make_plan(G, missing, routes, entry, dt.date.today().isoformat())

    st.subheader(f"要學什麼：{md(plan.target_name)}（{len(plan.gap)} 項）")
    st.caption(f"已具備 {plan.shared} 項、部分具備 {len(plan.partly)} 項、需補 {len(plan.gap)} 項"
               + (f"；信心 {plan.confidence}" if plan.confidence else ""))
    st.dataframe(pd.DataFrame([
        {"順序": i, "名稱": r.name, "類別": WORD_LABEL.get(r.kind, r.kind), "重要度": r.importance,
         "需要的任務": "、".join(r.tasks) or "（整體要求）"}
        for i, r in enumerate(plan.gap, 1)]), hide_index=True, width="stretch")
    if plan.partly:
        st.markdown(f"**已部分具備（{len(plan.partly)} 項）**："
                    "目前職業有相似的職能，建議確認後補強。")
        st.dataframe(pd.DataFrame([
            {"順序": i, "名稱": r.name, "類別": WORD_LABEL.get(r.kind, r.kind),
             "重要度": r.importance, "需要的任務": "、".join(r.tasks) or "（整體要求）",
             "相似的現有職能": "、".join(r.partly)}
            for i, r in enumerate(plan.partly, 1)]), hide_index=True, width="stretch")

    st.subheader("建議路徑")
    if not plan.routes:
        st.info("找不到經由其他職業的路徑。")
    else:
        for i, (route, line) in enumerate(zip(plan.routes, report.routes_summary(plan.routes),
                                              strict=True), 1):
            st.markdown(f"{i}. {md(line)}（成本 {route.cost:.2f}，共 {len(route.steps)} 步）")
        st.iframe(render_html(route_graph(G, routes["paths"]), height=320), height=380)

    st.subheader("下載轉職計畫")
    stem = f"轉職計畫_{plan.source}_{plan.target}"
    cols = st.columns(3)
    cols[0].download_button("Markdown", report.plan_markdown(plan).encode("utf-8"),
                            f"{stem}.md", "text/markdown", key="transitions.md")
    cols[1].download_button("可列印的網頁（HTML）", report.plan_html(plan).encode("utf-8"),
                            f"{stem}.html", "text/html", key="transitions.html")
    cols[2].download_button("落差清單 CSV（Excel）", report.gap_csv(plan), f"{stem}.csv",
                            "text/csv", key="transitions.csv")


# Streamlit runs a page as the script "__main__"; importing it (tests) renders nothing.
if __name__ == "__main__":
    render()
