"""個案 page, first half: the widgets that build a client's profile — past jobs with the
items the client confirms (grouped by job and by kind), items ticked from a search, and
items typed in their own words, each shown with what it resolved to, to confirm or change.

Widget values live in ``st.session_state`` under the ``case.*`` keys; opening a saved case
writes them there (:func:`load_spec`) before the widgets are drawn.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import networkx as nx
import streamlit as st

from app_pages.labels import WORD_LABEL, md
from app_pages.pickers import occupations
from graph.aliases import Alias, default_aliases_path, read_aliases
from graph.kinds import INFO, ITEM_KINDS, Kind
from queries.index import index
from queries.occupations import resolve_id
from queries.profile import PastJob, ProfileSpec, TypedItem
from queries.resolve import REASON_LABEL, STATUS_LABEL, Resolution, resolve_text
from queries.search import closest, search

JOBS = "case.jobs"
TICKED = "case.ticked"
SEARCH = "case.search"
TYPED = "case.typed"
#: What an empty choice box says.
PICK = "請選擇（可輸入文字搜尋）"
#: Options of every multiselect here: a Chinese placeholder, and no "Select all" entry
#: (Streamlit words it in English only).
CHOICE: dict[str, Any] = {"placeholder": PICK, "select_all": False}
#: Most rows the item search offers at once.
SEARCH_LIMIT = 30


@st.cache_resource(show_spinner=False)
def curated_aliases() -> tuple[Alias, ...]:
    """The curated aliases (read once per process)."""
    return read_aliases(default_aliases_path())


def job_key(code: str, kind: Kind) -> str:
    return f"case.job.{code}.{kind.value}"


def typed_key(text: str) -> str:
    return "case.typed.pick." + hashlib.sha256(text.encode()).hexdigest()[:16]


def item_label(G: nx.MultiDiGraph, item: str) -> str:
    """``技能｜溝通協調能力`` — what a list shows for an item (plain text, never markup)."""
    d = G.nodes.get(item, {})
    return f"{WORD_LABEL.get(INFO[Kind(d['kind'])].word, '') if d else ''}｜{d.get('name', item)}"


def typed_lines(text: str) -> list[str]:
    """The typed items: one per line, blank lines dropped, duplicates once.

    >>> typed_lines(" 溝通協調\\n\\n倉庫管理\\n溝通協調 ")
    ['溝通協調', '倉庫管理']
    """
    return list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))


def load_spec(G: nx.MultiDiGraph, spec: ProfileSpec) -> None:
    """Put a saved spec into the widgets' session state (call before they are drawn)."""
    idx = index(G)
    codes: list[str] = []
    for job in spec.jobs:
        p = idx.profiles[resolve_id(G, job.occupation)]
        codes.append(p.code)
        for kind in ITEM_KINDS:
            mine = [i for i, use in p.uses.items() if use.kind is kind]
            keep = mine if job.items is None else [i for i in mine if i in job.items]
            st.session_state[job_key(p.code, kind)] = keep
    st.session_state[JOBS] = codes
    st.session_state[TICKED] = [i for i in spec.ticked if i in G]
    st.session_state[TYPED] = "\n".join(t.text for t in spec.typed)
    for t in spec.typed:
        if t.chosen is not None:
            st.session_state[typed_key(t.text)] = [i for i in t.chosen if i in G]


def _jobs(G: nx.MultiDiGraph) -> list[PastJob]:
    rows = [r for r in occupations(G)]
    labels = {r.code: r.label for r in rows}
    codes: list[str] = st.multiselect(
        "過去的職業（可複選；輸入名稱或代碼搜尋）", list(labels), key=JOBS, **CHOICE,
        format_func=lambda c: labels.get(c, c))
    idx = index(G)
    jobs = []
    for code in codes:
        p = idx.profiles[resolve_id(G, code)]
        with st.expander(f"{md(p.name)} 的職能：取消個案不具備的項目", expanded=len(codes) == 1):
            kept: list[str] = []
            for kind in ITEM_KINDS:
                mine = sorted((i for i, use in p.uses.items() if use.kind is kind),
                              key=lambda i: str(G.nodes[i].get("name", "")))
                if not mine:
                    continue
                key = job_key(code, kind)
                if key not in st.session_state:
                    st.session_state[key] = mine
                kept += st.multiselect(
                    f"{INFO[kind].zh}（{len(mine)} 項）", mine, key=key, **CHOICE,
                    format_func=lambda i: str(G.nodes[i].get("name", i)))
            full = len(kept) == len(p.uses)
            st.caption(f"採用 {len(kept)} / {len(p.uses)} 項" + ("（全部）" if full else ""))
        jobs.append(PastJob(code, None if full else tuple(kept)))
    return jobs


def _ticked(G: nx.MultiDiGraph) -> tuple[str, ...]:
    text = st.text_input("搜尋職能項目（例如：倉庫管理、Excel、溝通協調）", key=SEARCH)
    current: list[str] = [i for i in st.session_state.get(TICKED, []) if i in G]
    found: list[str] = []
    if text.strip():
        kinds = ITEM_KINDS
        found = [h["id"] for h in search(G, text, kinds=kinds, limit=SEARCH_LIMIT,
                                         aliases=curated_aliases())]
        if not found:
            near = closest(G, text, aliases=curated_aliases())
            st.info(f"找不到符合「{md(text.strip())}」的職能項目。"
                    + (f"最接近的名稱：{md('、'.join(near))}" if near else ""))
    options = list(dict.fromkeys([*current, *found]))
    chosen: list[str] = st.multiselect(
        "勾選個案會的項目（依類別標示）", options, key=TICKED, **CHOICE,
        format_func=lambda i: item_label(G, i))
    return tuple(chosen)


def _typed_one(G: nx.MultiDiGraph, r: Resolution) -> TypedItem:
    options = list(dict.fromkeys([m["id"] for m in (*r["matched"], *r["suggestions"])]))
    key = typed_key(r["input"])
    if key not in st.session_state:
        st.session_state[key] = [m["id"] for m in r["matched"]]
    reason = "；".join(dict.fromkeys(REASON_LABEL[m["reason"]] for m in r["matched"]))
    head = f"「{md(r['input'])}」：{STATUS_LABEL[r['status']]}"
    head += f"（{reason}）" if reason else ""
    if not options:
        st.markdown(f"{head}——找不到相近的職能名稱，請換個說法。")
        return TypedItem(r["input"], ())
    chosen: list[str] = st.multiselect(head, options, key=key, **CHOICE,
                                       format_func=lambda i: item_label(G, i))
    matched = [m["id"] for m in r["matched"]]
    return TypedItem(r["input"], None if chosen == matched else tuple(chosen))


def _typed(G: nx.MultiDiGraph) -> tuple[TypedItem, ...]:
    text = st.text_area("用個案自己的話描述會做的事（一行一項）", key=TYPED, height=110,
                        placeholder="倉庫管理\n台灣勞動法規\n溝通 協調")
    out = []
    for line in typed_lines(text):
        out.append(_typed_one(G, resolve_text(G, line, aliases=curated_aliases())))
    return tuple(out)


def profile_widgets(G: nx.MultiDiGraph) -> ProfileSpec:
    """Draw the three ways of building a profile; the spec they describe."""
    st.subheader("1. 過去的職業")
    jobs = _jobs(G)
    st.subheader("2. 從清單勾選")
    ticked = _ticked(G)
    st.subheader("3. 自行輸入")
    typed = _typed(G)
    return ProfileSpec(tuple(jobs), ticked, typed)


def kinds_of(G: nx.MultiDiGraph, items: Sequence[str]) -> dict[str, int]:
    """How many of ``items`` are of each kind (Chinese labels), for a summary line."""
    counts = {INFO[kind].zh: 0 for kind in ITEM_KINDS}  # in the order K, S, A
    for item in items:
        counts[INFO[Kind(G.nodes[item]["kind"])].zh] += 1
    return {word: n for word, n in counts.items() if n}
