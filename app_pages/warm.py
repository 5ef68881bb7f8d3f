"""Warming the graph's indexes in the background once the first page is shown.

The pages build per-graph indexes on first use (the lookup index, requirement
profiles, similarity matrices) and import modules the overview does not need;
:func:`warm_up` builds and imports them in a daemon thread, so that a visitor's
first switch to another page does not pay for them.
"""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Callable
from typing import Any

import networkx as nx

from app_pages.loading import settle
from graph.model import Kind
from loaders.errors import IcapGraphError


def _first(G: nx.MultiDiGraph, kinds: tuple[str, ...], n: int) -> list[dict[str, Any]]:
    found = []
    for node, d in G.nodes(data=True):
        if d.get("kind") in kinds:
            found.append({"id": node, **d})
            if len(found) == n:
                break
    return found


def _warm_lookup(G: nx.MultiDiGraph) -> None:
    lookup = importlib.import_module("graph.lookup")
    for item in _first(G, (Kind.SKILL,), 1):
        lookup.occupations_using(G, item["id"])
        lookup.item_info(G, item["name"])


def _warm_search(G: nx.MultiDiGraph) -> None:
    # The item search's resolver builds its n-gram index on first use (~2 s on the corpus).
    search = importlib.import_module("app_pages.item_search")
    aliases = importlib.import_module("graph.aliases")
    search.find_items(G, "管理", aliases=aliases.read_aliases(aliases.default_aliases_path()))


def _warm_queries(G: nx.MultiDiGraph) -> None:
    codes = [o["code"] for o in _first(G, (Kind.OCCUPATION,), 2)]
    importlib.import_module("queries.communities").hubs(G, top=20)
    if len(codes) == 2:
        importlib.import_module("queries.overlap").overlap(G, codes)
        importlib.import_module("queries.matrix").pairwise(G, codes)


#: What the other pages import beyond the overview's needs (altair alone takes ~0.4 s).
_PAGE_MODULES = ("altair", "app_pages.occupation_tree", "app_pages.report",
                 "app_pages.item_view", "app_pages.growth",
                 "app_pages.pyvis_view", "queries.gap", "queries.transitions", "queries.paths")


def _warm_modules(G: nx.MultiDiGraph) -> None:
    for name in _PAGE_MODULES:
        importlib.import_module(name)


def _warm_resolver(G: nx.MultiDiGraph) -> None:
    # The 個案 page's item search and typed items: the n-gram spaces of every item kind.
    aliases = importlib.import_module("graph.aliases")
    curated = aliases.read_aliases(aliases.default_aliases_path())
    importlib.import_module("queries.resolve").resolver_index(G, curated)


#: What is warmed, in order.
WARMERS: tuple[Callable[[nx.MultiDiGraph], None], ...] = (
    _warm_queries, _warm_lookup, _warm_modules, _warm_resolver, _warm_search)
_WARMED: set[int] = set()
#: Seconds the warm-up waits before it starts (see :func:`warm_up`).
WARM_DELAY = 0.5
_WARM_LOCK = threading.Lock()


def warm_up(G: nx.MultiDiGraph) -> threading.Thread | None:
    """Start warming ``G``'s indexes in a daemon thread (once per graph object)."""
    with _WARM_LOCK:
        if id(G) in _WARMED:
            return None
        _WARMED.add(id(G))
    # The query index the first page built lives as long as G: out of the collector's
    # sight before Streamlit's collection at the end of this run.
    settle()

    def run() -> None:
        # Called as the first page's script ends: Streamlit still has to finish the run
        # (and tell the browser so) on this process's one GIL; warming at once delayed
        # the visitor's "page ready" by about the warm-up's own CPU time.
        time.sleep(WARM_DELAY)
        for warm in WARMERS:
            try:
                warm(G)
            except (IcapGraphError, ImportError):
                continue  # the page will show the same problem to its visitor
        settle()  # the indexes just built live as long as the graph

    thread = threading.Thread(target=run, name="icapgraph-warm-up", daemon=True)
    thread.start()
    return thread
