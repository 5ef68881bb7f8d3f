"""Where the app's data is and the session-state keys that outlive a page.

Widget keys are dropped when a page is left, so selections a visitor makes on one page
(the occupation, the compared ones, the target, the item) are copied into these plain
keys, which every page reads.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
DATA_ENV = "ICAPGRAPH_DATA"
DEFAULT_DATA = ROOT / "data" / "standards"

STATE_PATHS = "icap.data_paths"
STATE_UPLOADS = "icap.uploads"
STATE_PRIMARY = "icap.occupation"
STATE_SELECTION = "icap.occupations"
STATE_TARGET = "icap.target"
STATE_ITEM = "icap.item"
STATE_FIELD = "icap.field"
STATE_INDUSTRY = "icap.industry"
STATE_LEVEL = "icap.level"
GRAPH_READY = "icap.graph_ready"

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
