"""Graphs for the query tests: the hand-made sample, the five seeds, the real corpus.

Built once per test session (the queries never mutate a graph).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import networkx as nx

from graph.store import load_graph
from queries.sample import sample_graph

ROOT = Path(__file__).resolve().parent.parent


@cache
def sample() -> nx.MultiDiGraph:
    """The four-occupation graph of :func:`queries.occupations.sample_graph`."""
    return sample_graph()


@cache
def seeds() -> nx.MultiDiGraph:
    """The graph of the five standards in data/standards, built without the cache."""
    return load_graph([str(ROOT / "data" / "standards")], use_cache=False).graph


@cache
def corpus(path: str) -> nx.MultiDiGraph:
    """The graph of the real corpus at ``path`` (the on-disk cache may be used)."""
    from graph.store import load_graph

    return load_graph([path]).graph
