"""職能圖譜 — the Streamlit explorer: navigation over app_pages/ and where the data is.

Run ``streamlit run app.py -- --data DIR [--data DIR2]`` (or set ``ICAPGRAPH_DATA``,
``os.pathsep``-separated); without either, the shipped data/standards is loaded.
Everything else lives in app_pages/ (UI) and graph/ / queries/ (logic). The page
modules are deliberately NOT in a folder called ``pages/``: Streamlit treats such a
folder beside the main script as a legacy multipage app and, on a fresh server's first
run, lists every module in it (helpers included) and runs the requested one without
app.py — so --data and the layout would be lost for that first visitor.
"""

from __future__ import annotations

import os
import sys

import streamlit as st

from app_pages import builtin_text
from app_pages.registry import PAGES
from app_pages.state import GRAPH_READY, STATE_PATHS, resolve_data_paths
from app_pages.warm import warm_up


def main() -> None:
    st.set_page_config(page_title="職能圖譜", layout="wide")
    builtin_text.apply()
    if STATE_PATHS not in st.session_state:
        st.session_state[STATE_PATHS] = resolve_data_paths(sys.argv, os.environ)
    pages = [st.Page(p.script, title=p.title, url_path=p.url, default=p.default) for p in PAGES]
    st.navigation(pages).run()
    # Reached only when the page ran to its end (st.stop() raises), so the visitor already
    # sees it; the graph's other indexes are then built in the background.
    loaded = st.session_state.get(GRAPH_READY)
    if loaded is not None:
        warm_up(loaded)


# Streamlit runs this file as ``__main__``; importing it (a tool, a test) starts nothing.
if __name__ == "__main__":
    main()
