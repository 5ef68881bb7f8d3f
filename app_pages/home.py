"""首頁: where the work starts — what this is, what is loaded (and why there are fewer
occupations than files), three ways in (a client, an occupation, a competency), and every
occupation by name, grouped by 職類別, narrowed by the field filters and searchable."""

from __future__ import annotations

import networkx as nx
import streamlit as st

from app_pages import carry, filters, loading, pickers
from app_pages.catalogue import Summary, by_field, narrow, summarise
from app_pages.link_list import Link, LinkGroup, occupation_links
from app_pages.registry import PAGES
from graph.kinds import INFO, ITEM_KINDS, Kind

INTRO = ("把勞動部 iCAP 職能基準整理成一張關係圖：看一個職業要做哪些任務、"
         "需要哪些知識、技能與態度，找出需要同一項能力的職業，"
         "並估算從目前的職業轉到目標職業還要補強什麼。")
#: The entry buttons: (page url, label, help); a page not in the registry is not offered.
ENTRIES: tuple[tuple[str, str, str], ...] = (
    ("case", "從個案開始", "輸入個案的經歷與能力，找出適合的職業與要補強的項目"),
    ("occupation", "查一個職業", "看一個職業的職責、任務與所需能力"),
    ("item", "查一項能力", "看哪些職業需要某項知識、技能或態度"),
)


@st.cache_data(show_spinner=False, max_entries=4)
def _kind_counts(key: str, _G: nx.MultiDiGraph) -> dict[str, int]:
    counts = {k.value: 0 for k in ITEM_KINDS}
    for _, kind in _G.nodes(data="kind"):
        if kind in counts:
            counts[kind] += 1
    return counts


def _loaded_text(s: Summary) -> str:
    parts = [f"讀入 {s.files:,} 個檔案，得到 **{s.occupations:,} 份職能基準**"
             f"（{s.fields} 個職類別，分屬 {s.sectors} 個大類）。"]
    why = []
    if s.duplicates:
        why.append(f"{s.duplicates} 個檔案的職能基準代碼與另一個檔案相同"
                   "（同一份基準存了兩次），只計一次")
    if s.failed:
        why.append(f"{s.failed} 個檔案無法讀取")
    if why:
        parts.append("職能基準比檔案少，是因為" + "；".join(why) + "。")
    if s.older:
        parts.append(f"同一職業有多個版本時都會載入：其中 {s.older} 份是較舊的版本，"
                     f"目前版本共 {s.current:,} 份；轉職只以最新版本為目標。")
    if s.historical:
        parts.append(f"另有 {s.historical} 份標示為「歷史資料」的舊基準，名稱後會註明。")
    return "".join(parts)


def _entry_buttons() -> None:
    urls = {p.url for p in PAGES}
    offered = [e for e in ENTRIES if e[0] in urls]
    for col, (url, label, tip) in zip(st.columns(len(offered)), offered, strict=True):
        if col.button(label, help=tip, type="primary", width="stretch", key=f"home.go.{url}"):
            st.switch_page(f"app_pages/{url}.py")


def render() -> None:
    st.title("職能圖譜")
    st.markdown(INTRO)
    _entry_buttons()
    loaded = loading.loaded()
    G = loading.graph()
    rows = pickers.occupations(G)
    duplicates = sum(1 for w in loaded.warnings
                     if w.message.startswith("duplicate standard code"))
    summary = summarise(rows, len(loaded.files) + len(loading.uploads()), len(loaded.failures),
                        duplicates)
    st.subheader("目前載入的資料")
    st.markdown(_loaded_text(summary))
    counts = _kind_counts(loading.graph_key(), G)
    cols = st.columns(len(ITEM_KINDS) + 2)
    cols[0].metric("職能基準", f"{summary.occupations:,}")
    cols[1].metric(INFO[Kind.CATEGORY].zh, summary.fields)
    for col, kind in zip(cols[2:], ITEM_KINDS, strict=True):
        col.metric(INFO[kind].zh, f"{counts[kind]:,}")
    notes = len(loaded.warnings) + len(loaded.failures)
    if notes:
        st.caption(f"讀檔時記下 {notes:,} 則資料提醒（例如任務沒有列出工作產出、名稱被截斷），"
                   "不影響查詢；逐筆說明在「資料」頁。")
        st.page_link("app_pages/data.py", label=f"查看 {notes:,} 則資料提醒")

    st.subheader("所有職業")
    carry.adopt(G)
    choice = filters.narrowing(G, "home")
    carry.publish(*filters.PARAMS)
    shown = narrow(rows, choice)
    groups = [LinkGroup(g.title, tuple(Link(r.code, r.name + r.mark) for r in g.rows),
                        g.sector) for g in by_field(shown)]
    st.caption("依職類別分組，點職業名稱開啟；在框內輸入可即時篩選。")
    occupation_links(groups, key="home.list", open_=len(shown) <= 40)


# Streamlit runs a page as the script "__main__"; importing it (tests) renders nothing.
if __name__ == "__main__":
    render()
