"""比較: two or more occupations — shared items by kind (identical / alias / similar with
score) and the tasks using them on each side (by name), a pairwise similarity heatmap
with named axes, and the gap in each direction. Opens on the occupation and target
chosen on the other pages (carried in the session and the URL)."""

from __future__ import annotations

from typing import Any

import altair as alt
import networkx as nx
import pandas as pd
import streamlit as st

from app_pages import carry, filters, labels, loading, naming, pickers, report
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


def headers(G: nx.MultiDiGraph, codes: list[str]) -> dict[str, str]:
    """A distinct, name-first label per occupation (the code added when two names meet)."""
    names = {c: naming.occupation_text(G, c) for c in codes}
    twice = {n for n in names.values() if list(names.values()).count(n) > 1}
    return {c: f"{n}（{c}）" if n in twice else n for c, n in names.items()}


def _shared_rows(G: nx.MultiDiGraph, result: dict[str, Any], group: str
                 ) -> list[dict[str, Any]]:
    codes = result["occupations"]
    heads = headers(G, codes)
    rows = []
    for e in result["shared"].get(group, []):
        row = {"名稱": e["name"], "比對": MATCH_LABEL.get(e["match"], e["match"]),
               "分數": e["score"], "對方名稱": e.get("other", "")}
        for code in codes:
            row[f"{heads[code]} 的任務"] = "、".join(
                naming.task_text(G, code, t) for t in e["evidence"].get(code, [])) or "—"
        rows.append(row)
    return rows


def _heatmap(G: nx.MultiDiGraph, data: dict[str, Any]) -> alt.Chart:
    labels = headers(G, list(data["codes"]))
    rows = [{"甲": labels[a], "乙": labels[b], "相似度": data["matrix"][i][j]}
            for i, a in enumerate(data["codes"]) for j, b in enumerate(data["codes"])]
    frame = pd.DataFrame(rows)
    base = alt.Chart(frame).encode(x=alt.X("甲:N", title=None, axis=alt.Axis(labelAngle=0)),
                                   y=alt.Y("乙:N", title=None))
    cells = base.mark_rect().encode(
        color=alt.Color("相似度:Q", scale=alt.Scale(domain=[0, 1], scheme="blues")),
        tooltip=["甲", "乙", alt.Tooltip("相似度:Q", format=".2f")])
    text = base.mark_text(fontSize=12).encode(text=alt.Text("相似度:Q", format=".2f"))
    chart: alt.Chart = (cells + text).properties(height=max(220, 46 * len(data["codes"])))
    return chart


def _gap_rows(G: nx.MultiDiGraph, result: GapResult) -> list[dict[str, Any]]:
    """The missing items, then the partly covered ones with their match (one table);
    tasks by name."""
    target = str(result["target"])
    return [{"名稱": m["name"], "類別": WORD_LABEL.get(m["kind"], m["kind"]),
             "重要度": m["importance"], "需要的任務": naming.tasks_text(G, target, m["tasks"]),
             "狀態": "部分具備" if "match" in m else "需補",
             "部分涵蓋": report.partly(m["match"]) if "match" in m else ""}
            for m in [*result["missing"], *result["partly"]]]


_PAIR_SEEN = "compare.pair_seen"


def _follow_pair() -> None:
    """Start from the occupation and target chosen elsewhere whenever that pair changed
    (a link naming the occupations to compare wins)."""
    pair = [c for c in (carry.get("occupation"), carry.get("target")) if isinstance(c, str)]
    if len(pair) != 2 or pair[0] == pair[1] or st.session_state.get(_PAIR_SEEN) == pair:
        return
    st.session_state[_PAIR_SEEN] = pair
    if "compare" not in st.query_params:
        carry.choose("compare", pair)


def render() -> None:
    st.title("比較職業")
    G = loading.graph()
    carry.adopt(G)
    _follow_pair()
    choice = filters.narrowing(G, "compare", open_=False)
    codes = pickers.pick_occupations(G, "要比較的職業（兩個以上）", key="compare.pick",
                                     narrowing=choice)
    carry.publish("compare", *filters.PARAMS)
    if len(codes) < 2:
        st.info("請選擇兩個以上的職業（可輸入名稱或代碼搜尋）；"
                "在「轉職」頁選好的目前職業與目標職業會自動帶過來。")
        return
    key = loading.graph_key()
    try:
        result = _overlap(key, tuple(codes), G, overlap)
    except IcapGraphError as exc:
        loading.fail(exc)
        return
    cols = st.columns(4)
    entries = [e for v in result["shared"].values() for e in v]
    cols[0].metric("項目重疊比例", f"{result['jaccard']:.2f}",
                   help="共同項目占兩者所有項目的比例（Jaccard 係數）")
    cols[1].metric("加權相似度（罕見職能權重較高）", f"{result['weighted']:.2f}")
    cols[2].metric("相同職能", sum(e["match"] in ("identical", "alias") for e in entries))
    cols[3].metric("相似職能（部分具備）", sum(e["match"] not in ("identical", "alias")
                                       for e in entries))
    if result.get("common") is not None:
        names = [str(G.nodes[i].get("name", i)) for i in result["common"] if i in G]
        st.markdown("**所有選定職業都需要**：" + (md("、".join(names)) if names else "（無）"))

    for group, label in GROUP_LABEL.items():
        rows = _shared_rows(G, result, group)
        st.subheader(f"共用的{label}（{len(rows)}）")
        if rows:
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        else:
            st.caption("沒有共用項目。")

    # Lazy: a chart costs the browser more than the tables; drawn when opened (open at
    # once when three or more occupations are compared, where a matrix says more).
    heat = st.expander("相似度熱圖", expanded=len(codes) >= 3, key="compare.heatmap",
                       on_change="rerun")
    if heat.open:
        with heat:
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
            st.markdown(f"**從 {naming.occupation_md(G, src)} 到 "
                        f"{naming.occupation_md(G, dst)} 需補**")
            try:
                gap_result = gap(G, src, dst)
                rows = _gap_rows(G, gap_result)
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
