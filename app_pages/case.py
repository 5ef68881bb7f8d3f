"""個案: a client's own profile — past jobs, ticked and typed items — matched against every
current occupation with filters; one match opened for 已具備 / 相近可轉移 / 需補強 side by
side; the case saved on this machine; the client's report downloaded."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pandas as pd
import streamlit as st

from app_pages import case_files, loading
from app_pages.case_profile import curated_aliases, kinds_of, profile_widgets
from app_pages.labels import WORD_LABEL, md, one_line, table_height
from graph.kinds import Kind
from loaders.errors import IcapGraphError
from queries.filters import level_of
from queries.index import index
from queries.match import MatchOptions, Result, match
from queries.profile import SOURCE_LABEL, ClientProfile, build_profile

DETAIL = "case.detail"
ALL = "（全部）"


def _classes(G: nx.MultiDiGraph, kind: Kind) -> dict[str, str]:
    rows = sorted((str(d.get("code", "")), str(d.get("name", "")))
                  for _n, d in G.nodes(data=True) if d.get("kind") == kind.value)
    return {code: f"{name}（{code}）" for code, name in rows}


def _filters(G: nx.MultiDiGraph) -> MatchOptions:
    categories, industries = _classes(G, Kind.CATEGORY), _classes(G, Kind.INDUSTRY)
    levels = sorted({lv for p in index(G).profiles.values() if (lv := level_of(p)) is not None})
    cols = st.columns(4)
    # "" / 0 stand for 全部: a select box shows a None value as empty, not by its label.
    category = cols[0].selectbox("職類別", ["", *categories], key="case.category",
                                 format_func=lambda c: categories.get(c, ALL))
    industry = cols[1].selectbox("行業別", ["", *industries], key="case.industry",
                                 format_func=lambda c: industries.get(c, ALL))
    level = cols[2].selectbox("級別", [0, *levels], key="case.level",
                              format_func=lambda v: f"{v} 級" if v else ALL)
    top = cols[3].slider("列出幾個", 5, 50, 10, key="case.top")
    return MatchOptions(category or None, industry or None, level or None, top)


def _ranked_table(results: list[Result]) -> None:
    st.dataframe(pd.DataFrame([
        {"排名": i, "職業": r["name"], "分數": r["score"], "可信度": r["confidence"],
         "已具備": len(r["covered"]), "相近": len(r["partly"]), "需補強": len(r["missing"]),
         "代碼": r["code"]}
        for i, r in enumerate(results, 1)]), hide_index=True, width="stretch",
        height=table_height(len(results)))


def _sources(sources: list[Any]) -> str:
    return "；".join(f"{SOURCE_LABEL[s['kind']]}：{s['label']}" for s in sources)


def _table(rows: list[dict[str, Any]], empty: str) -> None:
    # An empty dataframe says "empty" in English: say it in Chinese instead.
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    else:
        st.caption(empty)


def _detail(result: Result) -> None:
    st.markdown(f"**{md(result['name'])}**：分數 {result['score']:.3f}，可信度"
                f"{md(result['confidence'])}")
    covered, partly, missing = st.columns(3)
    with covered:
        st.markdown(f"**已具備（{len(result['covered'])}）**")
        _table([{"職能": c["name"], "類別": WORD_LABEL.get(c["kind"], ""),
                 "來自": _sources(list(c.get("sources", [])))} for c in result["covered"]],
               "沒有完全相同的項目。")
    with partly:
        st.markdown(f"**相近可轉移（{len(result['partly'])}）**")
        _table([{"目標需要": p["name"], "個案的相近項目": p.get("client_item", {}).get("name", ""),
                 "計分": p["credit"]} for p in result["partly"]], "沒有相近可轉移的項目。")
    with missing:
        st.markdown(f"**需補強（{len(result['missing'])}）**")
        _table([{"職能": m["name"], "類別": WORD_LABEL.get(m["kind"], ""),
                 "重要度": m["importance"],
                 "任務": "、".join(m.get("task_names", m["tasks"]))}
                for m in result["missing"]], "沒有需要補強的項目。")


def _matches(G: nx.MultiDiGraph, profile: ClientProfile) -> tuple[MatchOptions, list[Result]]:
    st.subheader("4. 符合的職業")
    options = _filters(G)
    try:
        results = list(match(G, profile, options)["results"])
    except IcapGraphError as exc:
        st.error(md(one_line(exc)))
        return options, []
    if not results:
        st.info("沒有符合條件的職業：請放寬篩選條件，或加入更多項目。")
        return options, []
    st.caption("分數＝目標職業所需職能中個案已具備的程度（罕見的職能權重較高，相近的項目給部分分數）；"
               "可信度看有多少項知識或技能支持這個分數。")
    _ranked_table(results)
    by_code = {r["code"]: r for r in results}
    chosen = st.selectbox("打開一個職業，並列比較", list(by_code), key=DETAIL,
                          format_func=lambda c: f"{by_code[c]['name']}（{c}）")
    if chosen in by_code:
        _detail(by_code[chosen])
    return options, results


def render() -> None:
    st.title("個案")
    st.caption("把個案做過的工作、會的項目與自己的描述合在一起，找出符合的職業。"
               "個案資料只存在這台電腦上。")
    G = loading.graph()
    store = case_files.open_section(G)
    spec = profile_widgets(G)
    try:
        profile = build_profile(G, spec, aliases=curated_aliases())
    except IcapGraphError as exc:
        st.error(md(one_line(exc)))
        return
    if not profile.items:
        st.info("請先選擇過去的職業、勾選項目或輸入個案會做的事。")
        return
    counts = kinds_of(G, list(profile.items))
    st.markdown(f"**個案的職能：共 {len(profile.items)} 項**（"
                + "、".join(f"{k} {n}" for k, n in counts.items()) + "）")
    options, results = _matches(G, profile)
    st.subheader("5. 儲存個案")
    targets = case_files.save_section(G, store, spec, options, [r["code"] for r in results])
    st.subheader("6. 下載給個案的報告")
    case_files.download_section(G, profile, targets, options)


# Streamlit runs a page as the script "__main__"; importing it (tests) renders nothing.
if __name__ == "__main__":
    render()
