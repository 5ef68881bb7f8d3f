"""The graph a session explores: loaded once per process from the data paths (cached by
Streamlit), plus the standards this session uploaded; errors shown as one line.
"""

from __future__ import annotations

import gc
import hashlib
from dataclasses import dataclass

import networkx as nx
import streamlit as st

from app_pages.labels import md, one_line
from app_pages.state import GRAPH_READY, STATE_UPLOADS, data_paths
from graph.serialize import no_gc
from graph.store import Loaded, load_graph
from loaders.errors import IcapGraphError
from loaders.records import Standard


def fail(exc: IcapGraphError) -> None:
    """Show a product error as one line and stop the page."""
    st.error(md(one_line(exc)))
    st.stop()


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
def _load(paths: tuple[str, ...]) -> Loaded:
    # Without the collector during the read, and frozen before it is re-enabled: its
    # first young-generation pass would otherwise walk every dict just read.
    with no_gc():
        found = load_graph(list(paths))
        settle()
    return found


def loaded() -> Loaded:
    """The ``graph.store.Loaded`` of the data paths (built once per process)."""
    paths = data_paths()
    try:
        with st.spinner("正在載入職能基準並建立圖譜…"):
            return _load(paths)
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
    # Imported here: only a session with uploads rebuilds, and the first page stays light.
    from graph.aliases import default_aliases_path, read_aliases
    from graph.build import build_graph
    from loaders.corpus import load_corpus

    codes = {s.code for s in _uploaded}
    base = [s for s in load_corpus(list(paths)).standards if s.code not in codes]
    curated = read_aliases(default_aliases_path())
    with no_gc():
        graph: nx.MultiDiGraph = build_graph([*base, *_uploaded], curated)
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
