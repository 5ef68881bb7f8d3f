"""個案 page, the case files: open or delete a saved case, save the current one, download
the client's report. The database may be unusable (damaged, from a newer version): the
page then says so in one line and everything else still works without cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import networkx as nx
import streamlit as st

from app_pages.case_profile import CHOICE, load_spec
from app_pages.labels import md, one_line
from cases.store import Case, CaseStore
from loaders.errors import IcapGraphError
from queries.match import MatchOptions
from queries.profile import ClientProfile, ProfileSpec
from reports.case_data import case_report
from reports.case_html import case_html
from reports.case_xlsx import case_xlsx

NAME = "case.name"
NOTE = "case.note"
TARGETS = "case.targets"
OPEN = "case.open"
#: What was just done to a case (a message), shown after the rerun that follows it.
DONE = "icap.case.done"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _store() -> CaseStore | None:
    """The case store, or None (with a one-line warning) when its file is unusable."""
    store = CaseStore()
    try:
        store.list()
    except IcapGraphError as exc:
        st.warning(f"個案資料庫無法使用，其他功能照常：{md(one_line(exc))}")
        return None
    return store


def open_section(G: nx.MultiDiGraph) -> CaseStore | None:
    """The saved cases: open one (its profile, targets and note fill the page) or delete
    one. Returns the store for saving, None when it is unusable."""
    store = _store()
    done = st.session_state.pop(DONE, None)
    if done:
        st.success(done)
    if store is None:
        return None
    cases = store.list()
    with st.expander(f"已儲存的個案（{len(cases)}）", expanded=False):
        if not cases:
            st.caption("還沒有儲存的個案。個案只存在這台電腦上。")
            return store
        names = [c.name for c in cases]
        when = {c.name: c.updated.replace("T", " ")[:16] for c in cases}
        choice = st.selectbox("個案", names, key=OPEN,
                              format_func=lambda n: f"{n}（{when[n]}）")
        left, right = st.columns(2)
        if left.button("開啟", key="case.open.go") and choice:
            try:
                case = store.get(choice)
                load_spec(G, ProfileSpec.from_json(case.profile))
            except IcapGraphError as exc:
                st.error(md(one_line(exc)))
                return store
            st.session_state[NAME] = case.name
            st.session_state[NOTE] = case.note
            st.session_state[TARGETS] = list(case.targets)
            st.session_state[DONE] = f"已開啟個案「{md(case.name)}」。"
            st.rerun()
        if right.button("刪除", key="case.delete") and choice:
            try:
                store.delete(choice)
            except IcapGraphError as exc:
                st.error(md(one_line(exc)))
            else:
                st.session_state[DONE] = f"已刪除個案「{md(choice)}」，資料已從檔案中清除。"
                st.rerun()
    return store


def save_section(G: nx.MultiDiGraph, store: CaseStore | None, spec: ProfileSpec,
                 options: MatchOptions, ranked: Sequence[str]) -> tuple[str, ...]:
    """Name, note, targets and the save button; returns the chosen targets."""
    names = {c: str(G.nodes.get(f"occupation:{c}", {}).get("name", c)) for c in ranked}
    chosen_before = [c for c in st.session_state.get(TARGETS, []) if f"occupation:{c}" in G]
    for code in chosen_before:
        names.setdefault(code, str(G.nodes[f"occupation:{code}"].get("name", code)))
    targets: list[str] = st.multiselect("個案選擇的目標職業", list(names), key=TARGETS,
                                        **CHOICE,
                                        format_func=lambda c: names.get(c, c))
    name = st.text_input("個案名稱", key=NAME, max_chars=100)
    note = st.text_area("諮詢紀錄（只存在這台電腦上）", key=NOTE, height=90)
    replace = st.checkbox("覆寫同名個案", key="case.replace")
    if store is None:
        st.caption("個案資料庫無法使用，無法儲存。")
    elif st.button("儲存個案", key="case.save", type="primary"):
        if not replace and name.strip() in {c.name for c in store.list()}:
            st.error(f"已有同名個案「{md(name.strip())}」：勾選「覆寫同名個案」才會取代它。")
            return tuple(targets)
        try:
            saved = store.save(Case(name, spec.to_json(), tuple(targets), note,
                                    options.to_json(), str(G.graph.get("content_key", ""))),
                               replace_existing=replace)
        except IcapGraphError as exc:
            st.error(md(one_line(exc)))
        else:
            # Rerun, so that the list of saved cases above shows it at once.
            st.session_state[DONE] = f"已儲存個案「{md(saved.name)}」。"
            st.rerun()
    return tuple(targets)


def download_section(G: nx.MultiDiGraph, profile: ClientProfile, targets: Sequence[str],
                     options: MatchOptions) -> None:
    """The client's report of the current profile, as a printable page and a workbook."""
    name = str(st.session_state.get(NAME) or "個案").strip() or "個案"
    note = str(st.session_state.get(NOTE) or "")
    try:
        report = case_report(G, name, note, profile, targets, options,
                             dt.date.today().isoformat())
    except IcapGraphError as exc:
        st.error(md(one_line(exc)))
        return
    stem = f"職能分析報告_{name}"
    left, right = st.columns(2)
    left.download_button("可列印的報告（HTML）", case_html(report).encode("utf-8"),
                         f"{stem}.html", "text/html", key="case.report.html")
    right.download_button("報告試算表（Excel）", case_xlsx(report), f"{stem}.xlsx", XLSX,
                          key="case.report.xlsx")
    if not targets:
        st.caption("尚未選擇目標職業：報告列出最符合的三個職業。")
