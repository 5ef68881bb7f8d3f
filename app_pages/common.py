"""What every page shares: where the data is, the cached graph (plus this session's
uploads), the occupation pickers that survive page switches, labels and text escaping.

Pages only wire widgets to ``graph`` / ``queries`` functions; the few derived tables
they need are cached here with ``st.cache_data`` keyed by :func:`graph_key`.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import html
import importlib
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import streamlit as st

from graph.kinds import INFO, ITEM_KINDS, KINDS, Kind
from graph.serialize import no_gc
from loaders.errors import IcapGraphError
from loaders.records import Standard

ROOT = Path(__file__).resolve().parent.parent
DATA_ENV = "ICAPGRAPH_DATA"
DEFAULT_DATA = ROOT / "data" / "standards"

# Session-state keys that outlive a page (widget keys are dropped when a page is left,
# so selections are copied into these plain keys).
STATE_PATHS = "icap.data_paths"
STATE_UPLOADS = "icap.uploads"
STATE_PRIMARY = "icap.occupation"
STATE_SELECTION = "icap.occupations"
STATE_TARGET = "icap.target"
STATE_ITEM = "icap.item"
GRAPH_READY = "icap.graph_ready"

#: Chinese name of each kind by its label (``"Skill"`` → 技能), from the kind table.
KIND_LABEL: dict[str, str] = {row.kind.value: row.zh for row in KINDS}
#: ``overlap`` groups shared items under these plural keys.
GROUP_LABEL: dict[str, str] = {INFO[kind].group: INFO[kind].zh for kind in ITEM_KINDS}
#: Chinese name of each item kind by its record word (``"skill"`` → 技能).
WORD_LABEL: dict[str, str] = {INFO[kind].word: INFO[kind].zh for kind in ITEM_KINDS}
DIRECTION_LABEL: dict[str, str] = {"upward": "升遷", "lateral": "平行", "downward": "降階"}
MATCH_LABEL: dict[str, str] = {"identical": "相同", "alias": "同義", "similar": "相似",
                               "includes": "涵蓋"}


def resolve_data_paths(argv: Sequence[str], environ: Mapping[str, str]) -> tuple[str, ...]:
    """The data folders/files: ``--data`` (repeatable) after ``streamlit run app.py --``,
    else ``ICAPGRAPH_DATA`` (``os.pathsep``-separated), else the shipped data/standards.

    >>> resolve_data_paths(["app.py", "--data", "/d1", "--data", "/d2"], {})
    ('/d1', '/d2')
    >>> resolve_data_paths([], {"ICAPGRAPH_DATA": "/a" + os.pathsep + "/b"})
    ('/a', '/b')
    """
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--data", action="append", default=[])
    known, _ = parser.parse_known_args(list(argv[1:]))
    chosen: list[str] = known.data or [
        p for p in environ.get(DATA_ENV, "").split(os.pathsep) if p.strip()
    ]
    if not chosen:
        chosen = [str(DEFAULT_DATA)]
    return tuple(str(Path(p).expanduser().absolute()) for p in chosen)


def data_paths() -> tuple[str, ...]:
    """The paths app.py resolved for this session."""
    paths = st.session_state.get(STATE_PATHS)
    return tuple(paths) if paths else (str(DEFAULT_DATA),)


def need(module: str, attr: str) -> Any:
    """``module.attr``, or a clear 「尚未提供」 notice and a stopped page while another
    part of the project has not landed yet (a bug inside the module still raises)."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is None or not module.startswith(exc.name):
            raise
        mod = None
    found = getattr(mod, attr, None) if mod is not None else None
    if found is None:
        st.info(f"尚未提供：此功能需要 `{module}.{attr}`，該模組尚未完成。")
        st.stop()
    return found


def fail(exc: IcapGraphError) -> None:
    """Show a product error as one line and stop the page."""
    st.error(md(one_line(exc)))
    st.stop()


def one_line(exc: BaseException) -> str:
    """An error message folded onto one line."""
    return " ".join(str(exc).split()) or type(exc).__name__


def settle() -> None:
    """Move every object alive now out of the cyclic collector's sight (``gc.freeze``).

    The corpus graph and its query indexes are millions of small acyclic dicts and
    tuples that live as long as the process. Left to the collector, each full
    collection rescans them all (0.3–0.6 s) — and Streamlit forces one after every
    script run (``runner.postScriptGC``), so every page switch paid that. Frozen
    objects are still freed by reference counting; only cyclic garbage alive at the
    moment of a call is kept, which is why this runs once per graph, not per rerun.
    """
    gc.freeze()


@st.cache_resource(show_spinner=False, max_entries=4)
def _load(paths: tuple[str, ...], _load_graph: Any) -> Any:
    # Without the collector during the read, and frozen before it is re-enabled: its
    # first young-generation pass would otherwise walk every dict just read.
    with no_gc():
        found = _load_graph(list(paths))
        settle()
    return found


def loaded() -> Any:
    """The ``graph.store.Loaded`` of the data paths (built once per process)."""
    load_graph = need("graph.store", "load_graph")
    paths = data_paths()
    try:
        with st.spinner("正在載入職能基準並建立圖譜…"):
            return _load(paths, load_graph)
    except IcapGraphError as exc:
        fail(exc)
        raise  # unreachable: fail() stops the page


@dataclass(frozen=True)
class Upload:
    """A standard a user uploaded in this session (never written to disk unless asked)."""

    filename: str
    sha256: str
    standard: Standard


def uploads() -> tuple[Upload, ...]:
    """This session's uploaded standards, in upload order."""
    return tuple(st.session_state.get(STATE_UPLOADS, ()))


def add_upload(upload: Upload) -> None:
    """Add (or replace, by standard code) an uploaded standard for this session."""
    kept = [u for u in uploads() if u.standard.code != upload.standard.code]
    st.session_state[STATE_UPLOADS] = (*kept, upload)


@st.cache_resource(show_spinner=False, max_entries=8)
def _session_graph(
    paths: tuple[str, ...], upload_key: str, _uploaded: tuple[Standard, ...]
) -> nx.MultiDiGraph:
    load_corpus = importlib.import_module("loaders.corpus").load_corpus
    build = importlib.import_module("graph.build")
    aliases = importlib.import_module("graph.aliases")
    codes = {s.code for s in _uploaded}
    base = [s for s in load_corpus(list(paths)).standards if s.code not in codes]
    curated = aliases.read_aliases(aliases.default_aliases_path())
    with no_gc():
        graph: nx.MultiDiGraph = build.build_graph([*base, *_uploaded], curated)
        settle()
    return graph


def graph() -> nx.MultiDiGraph:
    """The graph this session explores: the loaded data plus its uploads."""
    base = loaded()
    ups = uploads()
    G: nx.MultiDiGraph = base.graph
    if ups:
        with st.spinner("正在把上傳的職能基準加入圖譜…"):
            try:
                G = _session_graph(data_paths(), upload_key(), tuple(u.standard for u in ups))
            except IcapGraphError as exc:
                fail(exc)
    st.session_state[GRAPH_READY] = G
    return G


def upload_key() -> str:
    return ",".join(u.sha256[:16] for u in uploads())


def graph_key() -> str:
    """A string naming the current graph's content, for ``st.cache_data`` keys: the
    loaded files' cache key (their content hashes) plus this session's uploads."""
    content = str(loaded().graph.graph.get("content_key") or "")
    if not content:  # a graph without one: name the data paths instead
        content = hashlib.sha256("\n".join(data_paths()).encode()).hexdigest()
    return f"{content[:32]}+{upload_key()}"


@dataclass(frozen=True)
class OccupationRow:
    """One occupation as the pickers and tables list it."""

    code: str
    name: str
    level: int | None
    latest: bool
    historical: bool

    @property
    def label(self) -> str:
        mark = "（歷史）" if self.historical else ("" if self.latest else "（舊版）")
        return f"{self.code} {self.name}{mark}"


@st.cache_data(show_spinner=False, max_entries=8)
def _occupations(key: str, _G: nx.MultiDiGraph) -> list[OccupationRow]:
    rows = [
        OccupationRow(
            code=str(d.get("code", "")),
            name=str(d.get("name", "")),
            level=d.get("level"),
            latest=bool(d.get("latest", True)),
            historical=bool(d.get("historical", False)),
        )
        for _, d in _G.nodes(data=True)
        if d.get("kind") == Kind.OCCUPATION
    ]
    return sorted(rows, key=lambda r: r.code)


def occupations(G: nx.MultiDiGraph) -> list[OccupationRow]:
    """Every occupation of ``G``, sorted by code."""
    return _occupations(graph_key(), G)


def occupation_label(G: nx.MultiDiGraph, code: str) -> str:
    """``code name`` of an occupation (the code alone when it is not in ``G``)."""
    node = G.nodes.get(f"occupation:{code}")
    return f"{code} {node.get('name', '')}" if node else code


def pick_occupation(
    G: nx.MultiDiGraph, label: str, *, key: str, state: str = STATE_PRIMARY
) -> str | None:
    """A searchable single picker (type any part of the code or the Chinese name);
    the choice is remembered under ``state`` across pages."""
    rows = occupations(G)
    if not rows:
        st.warning("沒有載入任何職能基準。")
        return None
    codes = [r.code for r in rows]
    labels = {r.code: r.label for r in rows}
    stored = st.session_state.get(state)
    index = codes.index(stored) if stored in codes else 0
    choice: str = st.selectbox(
        label, codes, index=index, format_func=lambda c: labels.get(c, c), key=key,
        help="可輸入職業名稱或代碼的任一部分搜尋",
    )
    st.session_state[state] = choice
    return choice


def pick_occupations(
    G: nx.MultiDiGraph, label: str, *, key: str, state: str = STATE_SELECTION, default: int = 2,
    initial: Sequence[str] = (),
) -> list[str]:
    """A searchable multi-picker remembered under ``state`` across pages; ``initial`` (else
    the primary occupation and the next codes, ``default`` in all) when nothing is stored."""
    rows = occupations(G)
    codes = [r.code for r in rows]
    labels = {r.code: r.label for r in rows}
    stored = [c for c in st.session_state.get(state, []) if c in labels]
    if not stored:
        stored = [c for c in initial if c in labels]
    if not stored:
        primary = st.session_state.get(STATE_PRIMARY)
        stored = [primary] if primary in labels else []
        stored += [c for c in codes if c not in stored][: max(0, default - len(stored))]
    chosen: list[str] = st.multiselect(
        label, codes, default=stored, format_func=lambda c: labels.get(c, c), key=key,
        help="可輸入職業名稱或代碼的任一部分搜尋",
    )
    st.session_state[state] = chosen
    return chosen


def table_height(rows: int, *, most: int = 25) -> int:
    """Pixel height showing ``rows`` rows of a dataframe (scrolling beyond ``most``)."""
    return 38 + 35 * max(1, min(rows, most))


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$:])")


def md(text: object) -> str:
    """``text`` made inert for ``st.markdown``: HTML and Markdown syntax show as typed.

    >>> md("<b>粗體</b> **x**")
    '&lt;b&gt;粗體&lt;/b&gt; \\\\*\\\\*x\\\\*\\\\*'
    """
    return _MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))
