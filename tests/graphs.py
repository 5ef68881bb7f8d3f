"""Graphs for the query tests: the hand-made sample, the five seeds, the real corpus.

Built once per test session (the queries never mutate a graph).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import networkx as nx

from queries.sample import sample_graph

ROOT = Path(__file__).resolve().parent.parent


@cache
def sample() -> nx.MultiDiGraph:
    """The four-occupation graph of :func:`queries.occupations.sample_graph`."""
    return sample_graph()


@cache
def seeds() -> nx.MultiDiGraph:
    """The graph of the five standards in data/standards, built without the cache."""
    folder = ROOT / "data" / "standards"
    try:
        from graph.store import load_graph

        return load_graph([str(folder)], use_cache=False).graph
    except ModuleNotFoundError:
        # Until loaders.corpus lands: parse each text file and build directly.
        from graph.build import build_graph
        from loaders.text import parse_standard_text

        standards = [parse_standard_text(p.read_text(encoding="utf-8"), str(p))
                     for p in sorted(folder.glob("*.txt"))]
        return build_graph(standards)


@cache
def corpus(path: str) -> nx.MultiDiGraph:
    """The graph of the real corpus at ``path`` (the on-disk cache may be used)."""
    from graph.store import load_graph

    return load_graph([path]).graph
