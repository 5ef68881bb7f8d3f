"""轉職: ranked next steps from an occupation (升遷 / 平行 / 降階, confidence, and the
covered / partly covered / missing counts of the one classification), narrowed by the
field filters; for a chosen target the ordered gap list and what is partly covered, the
routes a counsellor can explain (each step's direction, the cost in words, a detour
costlier than the direct move never recommended, up-then-down routes only when asked),
drawn as a small graph, and the plan as Markdown, printable HTML and CSV. The source and
the target are carried to the other pages and in the URL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import networkx as nx
import pandas as pd
import streamlit as st

from app_pages import carry, filters, forms, loading, naming, pickers, report
from app_pages.catalogue import Narrowing, narrow
from app_pages.labels import DIRECTION_LABEL, WORD_LABEL, md, one_line
from app_pages.neighbourhood import route_graph
from app_pages.state import STATE_TARGET
from app_pages.vis_component import draw
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


#: Candidates asked of ``transitions`` when the field filters are on (then narrowed).
NARROWED_POOL = 300


def _narrowed(G: nx.MultiDiGraph, targets: list[dict[str, Any]], choice: Narrowing,
              top: int) -> list[dict[str, Any]]:
    if not choice.active:
        return targets[:top]
    keep = {r.code for r in narrow(pickers.occupations(G), choice)}
    return [t for t in targets if t["code"] in keep][:top]


def _target(G: nx.MultiDiGraph, targets: list[dict[str, Any]]) -> str | None:
    stored = st.session_state.get(STATE_TARGET)
    codes = [t["code"] for t in targets]
    anywhere = isinstance(stored, str) and stored not in codes
    if st.toggle("從所有職業中選擇目標", key="transitions.any", value=anywhere):
        return pickers.pick_occupation(G, "目標職業", key="transitions.target.any",
                                       state=STATE_TARGET, placeholder="請輸入或選擇目標職業…")
    if not targets:
        return None
    names = {t["code"]: f"{naming.occupation_option(G, t['code'])}"
                        f"・{DIRECTION_LABEL.get(t['direction'], '')}" for t in targets}
    carry.bind("target", "transitions.target")
    choice: str | None = st.selectbox(
        "目標職業", codes, index=codes.index(stored) if stored in codes else None,
        format_func=lambda c: names[c], key="transitions.target",
        placeholder="從上表選一個目標職業…")
    st.session_state[STATE_TARGET] = choice
    return choice


def _routes_section(G: nx.MultiDiGraph, plan: report.Plan, routes: dict[str, Any]) -> None:
    st.subheader("轉換路徑")
    st.caption("直接轉換，或先轉到其他職業再到目標。只有不比直接轉換更費力的路徑標為「建議」；"
               "「↑升遷／平行／↓降階」依兩個職業的級別判斷。")
    if not plan.routes:
        st.info("找不到可行的路徑。")
        return
    for i, (route, line) in enumerate(zip(plan.routes, report.routes_summary(plan.routes),
                                          strict=True), 1):
        badge = ":green[**建議**]" if route.recommended else ":gray[比直接轉換更費力]"
        kind = "直接轉換" if len(route.steps) == 1 else f"經 {len(route.steps) - 1} 個職業"
        steps = "".join(f"；到{md(s.target_name)}{md(s.words)}" for s in route.steps
                        if len(route.steps) > 1)
        st.markdown(f"{i}. {badge} {kind}：{md(line)}  \n{md(route.words)}{steps}")
    # Lazy: the drawing repeats the list above; its script is sent only when asked for.
    drawing = st.expander("路徑圖", key="transitions.drawing", on_change="rerun")
    if drawing.open:
        with drawing:
            draw(route_graph(G, routes["paths"]), key="transitions.routes", on_click=_ignore,
                 height=320, big="大圓：目前職業與目標職業")


def _ignore() -> None:
    """Clicks on the route drawing change nothing (it only shows the routes)."""


_CARRIED = ("occupation", "target", *filters.PARAMS)


def render() -> None:
    st.title("轉職建議")
    G = loading.graph()
    carry.adopt(G)
    source = pickers.pick_occupation(G, "目前的職業", key="transitions.source")
    if source is None:
        carry.publish(*_CARRIED)
        st.info("請先選擇目前的職業（或個案過去的職業），這裡會列出可能的下一步。")
        return
    key = loading.graph_key()
    choice = filters.narrowing(G, "transitions", open_=False)
    top = forms.widget(forms.param("transitions", "top"), key="transitions.top", ui_max=30)
    try:
        ranked = _ranked(key, source, NARROWED_POOL if choice.active else top, G, transitions)
    except IcapGraphError as exc:
        st.error(md(one_line(exc)))
        carry.publish(*_CARRIED)
        return
    targets = _narrowed(G, ranked["targets"], choice, top)
    st.subheader("可能的下一步")
    st.caption("分數結合兩項證據：目標職業所需職能中目前職業已具備的加權比例（職能涵蓋；"
               "罕見而專業的職能權重較高，各行各業都要求的通用職能與態度權重低，相似職能依相似度"
               "給部分分數），以及兩者任務、產出與行為指標文字的相似度（任務相似）。"
               "信心：高＝兩項證據都明顯高於隨機職業配對；低＝證據有限，僅供參考。")
    if not targets:
        st.caption("沒有符合篩選條件的職業。")
    else:
        st.dataframe(pd.DataFrame([
            {"排名": i, "職業": naming.occupation_text(G, t["code"]),
             "方向": DIRECTION_LABEL.get(t["direction"], t["direction"]),
             "分數": t["score"], "信心": t.get("confidence", ""), "已具備": t["shared"],
             "部分具備": len(t.get("partly", [])), "需補": t["gap"],
             "職能涵蓋": t.get("components", {}).get("coverage"),
             "任務相似": t.get("components", {}).get("tasks"), "代碼": t["code"]}
            for i, t in enumerate(targets, 1)]), hide_index=True, width="stretch")

    target = _target(G, targets)
    carry.publish(*_CARRIED)
    if target is None or target == source:
        st.info("請選擇一個與目前職業不同的目標職業，下面會列出要補強的能力與轉換路徑。")
        return
    try:
        missing = gap(G, source, target)
    except IcapGraphError as exc:
        st.error(md(one_line(exc)))
        return
    entry = next((t for t in ranked["targets"] if t["code"] == target), None)
    k = int(st.session_state.get("transitions.k") or forms.param("paths", "k").default or 3)
    bounce = bool(st.session_state.get("transitions.bounce"))
    try:
        routes = _routes(key, source, target, k, G, paths)
    except IcapGraphError as exc:
        st.error(md(one_line(exc)))
        routes = {"paths": []}
    plan = report.make_plan(G, missing, routes, entry, dt.date.today().isoformat(),
                            with_bounces=bounce)
    carry.go(st.columns(3)[0], "把兩個職業並排比較", "compare", key="transitions.go.compare",
             compare=[source, target])

    st.subheader(f"從「{md(plan.source_name)}」到「{md(plan.target_name)}」要補強什麼")
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

    _routes_section(G, plan, routes)
    left, right = st.columns(2)
    with left:
        forms.widget(forms.param("paths", "k"), key="transitions.k", ui_max=5,
                     help="列出最省力的幾條路徑（直接轉換也算一條）")
    right.toggle("也列出先升遷再降階的路徑", key="transitions.bounce",
                 help="這類路徑繞遠路，預設不列出")

    st.subheader("下載轉職計畫")
    stem = naming.file_stem(f"轉職計畫_{plan.source_name}_{plan.target_name}")
    cols = st.columns(3)
    cols[0].download_button("文字檔（Markdown）", report.plan_markdown(plan).encode("utf-8"),
                            f"{stem}.md", "text/markdown", key="transitions.md")
    cols[1].download_button("可列印的網頁（HTML）", report.plan_html(plan).encode("utf-8"),
                            f"{stem}.html", "text/html", key="transitions.html")
    cols[2].download_button("落差清單 CSV（Excel）", report.gap_csv(plan), f"{stem}.csv",
                            "text/csv", key="transitions.csv")


# Streamlit runs a page as the script "__main__"; importing it (tests) renders nothing.
if __name__ == "__main__":
    render()
