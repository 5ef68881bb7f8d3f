"""比較: two or more occupations — shared items by kind (identical / alias / similar with
score) and the evidence tasks on each side, a pairwise similarity heatmap, and the gap
in each direction."""

from __future__ import annotations

from typing import Any

import altair as alt
import networkx as nx
import pandas as pd
import streamlit as st

from app_pages import labels, loading, pickers, report
from app_pages.labels import GROUP_LABEL, MATCH_LABEL, WORD_LABEL, md
from loaders.errors import IcapGraphError
from queries.gap import GapResult, gap
from queries.matrix import pairwise
from queries.overlap import overlap


@st.cache_data(show_spinner=False, max_entries=32)
def _overlap(key: str, codes: tuple[str, ...], _G: nx.MultiDiGraph, _fn: Any) -> dict[str, Any]:
    return dict(_fn(_G, list(codes)))


@st.cache_data(show_spinner=False, max_entries=32)
def _pairwise(key: str, codes: tuple[str, ...], _G: nx.MultiDiGraph, _fn: Any) -> dict[str, Any]:
    return dict(_fn(_G, list(codes)))


def _shared_rows(result: dict[str, Any], group: str) -> list[dict[str, Any]]:
    codes = result["occupations"]
    rows = []
    for e in result["shared"].get(group, []):
        row = {"名稱": e["name"], "比對": MATCH_LABEL.get(e["match"], e["match"]),
               "分數": e["score"], "對方名稱": e.get("other", "")}
        for code in codes:
            row[f"{code} 的任務"] = "、".join(e["evidence"].get(code, [])) or "—"
        rows.append(row)
    return rows


def _heatmap(G: nx.MultiDiGraph, data: dict[str, Any]) -> alt.Chart:
    labels = {c: pickers.occupation_label(G, c) for c in data["codes"]}
    rows = [{"甲": labels[a], "乙": labels[b], "相似度": data["matrix"][i][j]}
            for i, a in enumerate(data["codes"]) for j, b in enumerate(data["codes"])]
    frame = pd.DataFrame(rows)
    base = alt.Chart(frame).encode(x=alt.X("甲:N", title=None), y=alt.Y("乙:N", title=None))
    cells = base.mark_rect().encode(
        color=alt.Color("相似度:Q", scale=alt.Scale(domain=[0, 1], scheme="blues")),
        tooltip=["甲", "乙", alt.Tooltip("相似度:Q", format=".2f")])
    text = base.mark_text(fontSize=12).encode(text=alt.Text("相似度:Q", format=".2f"))
    chart: alt.Chart = (cells + text).properties(height=max(220, 46 * len(data["codes"])))
    return chart


def _gap_rows(result: GapResult) -> list[dict[str, Any]]:
    return [{"名稱": m["name"], "類別": WORD_LABEL.get(m["kind"], m["kind"]),
             "重要度": m["importance"], "需要的任務": "、".join(m["tasks"]) or "（整體要求）",
             "部分涵蓋": "、".join(report.partly(p) for p in m["partly_covered_by"])}
            for m in result["missing"]]


def render() -> None:
    st.title("比較職業")
    G = loading.graph()
    codes = pickers.pick_occupations(G, "選擇兩個以上的職業（輸入名稱或代碼搜尋）",
                                    key="compare.pick")
    if len(codes) < 2:
        st.info("請至少選擇兩個職業。")
        return
    key = loading.graph_key()
    try:
        result = _overlap(key, tuple(codes), G, overlap)
    except IcapGraphError as exc:
        loading.fail(exc)
        return
    cols = st.columns(4)
    entries = [e for v in result["shared"].values() for e in v]
    cols[0].metric("Jaccard 相似度", f"{result['jaccard']:.2f}")
    cols[1].metric("加權相似度（罕見職能權重較高）", f"{result['weighted']:.2f}")
    cols[2].metric("相同職能", sum(e["match"] in ("identical", "alias") for e in entries))
    cols[3].metric("相似職能（部分具備）", sum(e["match"] not in ("identical", "alias")
                                       for e in entries))
    if result.get("common") is not None:
        names = [str(G.nodes[i].get("name", i)) for i in result["common"] if i in G]
        st.markdown("**所有選定職業都需要**：" + (md("、".join(names)) if names else "（無）"))

    for group, label in GROUP_LABEL.items():
        rows = _shared_rows(result, group)
        st.subheader(f"共用的{label}（{len(rows)}）")
        if rows:
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        else:
            st.caption("沒有共用項目。")

    st.subheader("相似度熱圖")
    chosen = pickers.pick_occupations(G, "熱圖要比較的職業", key="compare.heat",
                                     state="icap.heatmap", initial=codes)
    if len(chosen) >= 2:
        try:
            st.altair_chart(_heatmap(G, _pairwise(key, tuple(chosen), G, pairwise)),
                            width="stretch")
        except IcapGraphError as exc:
            st.error(md(labels.one_line(exc)))
    a, b = codes[0], codes[1]
    st.subheader("兩個方向的落差")
    left, right = st.columns(2)
    for col, (src, dst) in zip((left, right), ((a, b), (b, a)), strict=True):
        with col:
            st.markdown(f"**從 {md(pickers.occupation_label(G, src))} 到 "
                        f"{md(pickers.occupation_label(G, dst))} 需補**")
            try:
                gap_result = gap(G, src, dst)
                rows = _gap_rows(gap_result)
            except IcapGraphError as exc:
                st.error(md(labels.one_line(exc)))
                continue
            st.caption(f"需補 {len(gap_result['missing'])} 項、部分具備 "
                       f"{len(gap_result['partly'])} 項（已具備 {len(gap_result['covered'])} 項）；"
                       f"分數 {gap_result['score']:.2f}，信心 {gap_result['confidence']}")
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


# Streamlit runs a page as the script "__main__"; importing it (tests) renders nothing.
if __name__ == "__main__":
    render()
