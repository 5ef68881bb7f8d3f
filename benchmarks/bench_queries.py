"""Benchmark of the queries on the real corpus (../shared/icap-corpus), graph already built.

Prints one line per query: median and worst time over several sources, beside its budget.
The one-time index (profiles, IDF, the task-text rows, the n-gram name pairs, the matching
model, all-pairs scores, routing neighbours) is timed separately: it is built on the first
query of a graph and reused afterwards; the task-text rows and the name pairs are built once
per input set and then read from their files beside the graph cache (both timed).
``transitions, all current`` is every current occupation's top 10, one after the other
(budget 5 s).

    .venv/bin/python benchmarks/bench_queries.py [CORPUS_DIR]

Hook for other benchmarks (e.g. the same queries on the embedded Cypher engine): one
``time_<query>(G, ...)`` function per query returning a :class:`Timing`, ``measure(name,
calls, budget_ms)`` to time anything the same way, ``sample_codes(G)`` / ``pairs_of(codes)``
for the same inputs, and ``python_timings(G, codes)`` returning ``{query name: Timing}``.
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from queries.communities import clusters, hubs  # noqa: E402
from queries.index import _CACHE, index  # noqa: E402
from queries.matching import model  # noqa: E402
from queries.matrix import cover_all, pairwise, weighted_all  # noqa: E402
from queries.name_similarity import build as build_name_pairs  # noqa: E402
from queries.name_similarity import name_pairs  # noqa: E402
from queries.overlap import overlap  # noqa: E402
from queries.paths import _neighbours, paths  # noqa: E402
from queries.scores import score_all  # noqa: E402
from queries.task_text import build as build_task_text  # noqa: E402
from queries.task_text import task_text  # noqa: E402
from queries.transitions import transitions  # noqa: E402


@dataclass(frozen=True)
class Timing:
    """Times of one query over several inputs, in milliseconds."""

    name: str
    runs: int
    median_ms: float
    worst_ms: float
    budget_ms: float | None

    def line(self) -> str:
        budget = f"budget {self.budget_ms:8.1f} ms  {'ok' if self.ok else 'OVER'}" \
            if self.budget_ms is not None else ""
        return (f"{self.name:<26} median {self.median_ms:8.2f} ms  worst {self.worst_ms:8.2f} ms"
                f"  ({self.runs} runs)  {budget}")

    @property
    def ok(self) -> bool:
        return self.budget_ms is None or self.worst_ms <= self.budget_ms


REPEAT = 3


def measure(name: str, calls: Sequence[Callable[[], object]], budget_ms: float | None,
            repeat: int = REPEAT) -> Timing:
    """Time each call ``repeat`` times and keep its best (other processes only ever add
    time, as timeit's documentation argues); report the median and the worst input."""
    times = []
    for call in calls:
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            call()
            best = min(best, time.perf_counter() - start)
        times.append(best * 1000)
    return Timing(name, len(times), statistics.median(times), max(times), budget_ms)


def sample_codes(G: nx.MultiDiGraph, n: int = 20) -> list[str]:
    """``n`` current occupation codes spread over the corpus (deterministic)."""
    codes = sorted(p.code for p in index(G).profiles.values() if p.latest and not p.historical
                   and p.uses)
    step = max(1, len(codes) // n)
    return codes[::step][:n]


def index_timings(G: nx.MultiDiGraph) -> list[Timing]:
    """The one-time preparations, each timed from a cold cache (the task-text rows and the
    name pairs both built and read from their files; each build has the 2 s budget of a
    representation built with the graph, and so has the matching model read from them)."""
    _CACHE.pop(G, None)
    index(G)
    build_ms = measure("task text, built", [lambda: build_task_text(G, index(G))], 2000,
                       repeat=1)
    cpu = time.process_time()
    names_ms = measure("name pairs, built", [lambda: build_name_pairs(G)], 2000, repeat=1)
    print(f"  (name pairs, built: {(time.process_time() - cpu) * 1000:.0f} ms CPU)")
    _CACHE.pop(G, None)
    steps = [("index (profiles, IDF)", lambda: index(G), None),
             ("task text, from file", lambda: task_text(G), None),
             ("name pairs, from file", lambda: name_pairs(G), None),
             ("matching model", lambda: model(G), 2000),
             ("all-pairs scores", lambda: score_all(G), None),
             ("all-pairs coverage", lambda: cover_all(G), None),
             ("routing neighbours", lambda: _neighbours(G), None)]
    out = [build_ms, names_ms]
    for name, call, budget in steps:
        cpu = time.process_time()
        out.append(measure(name, [call], budget, repeat=1))
        if budget is not None:
            print(f"  ({name}: {(time.process_time() - cpu) * 1000:.0f} ms CPU)")
    return out


def pairs_of(codes: Sequence[str]) -> list[tuple[str, str]]:
    """Pairs of distinct codes: the first with the last, the second with the one before…"""
    return [(a, b) for a, b in zip(codes, reversed(codes), strict=True) if a != b]


# One function per query, each returning its Timing: the hook for benchmarks that put
# another implementation (e.g. the embedded Cypher engine) beside these figures.

def time_transitions(G: nx.MultiDiGraph, codes: Sequence[str]) -> Timing:
    """transitions(A, top=10) for each code."""
    return measure("transitions top 10", [partial(transitions, G, c, top=10) for c in codes], 5)


def time_transitions_all(G: nx.MultiDiGraph) -> Timing:
    """transitions(A, top=10) for every current occupation, one after the other."""
    codes = [p.code for p in index(G).profiles.values() if p.latest and not p.historical]

    def every() -> None:
        for c in codes:
            transitions(G, c, top=10)

    cpu = time.process_time()
    timing = measure("transitions, all current", [every], 5000, repeat=2)
    # On a shared machine the wall time depends on the neighbours; the CPU time does not.
    print(f"  (transitions, all current: {(time.process_time() - cpu) / 2:.2f} s CPU per run)")
    return timing


def time_overlap(G: nx.MultiDiGraph, codes: Sequence[str]) -> Timing:
    """overlap of two, for each pair of :func:`pairs_of`."""
    return measure("overlap of two", [partial(overlap, G, [a, b]) for a, b in pairs_of(codes)],
                   5)


def time_all_pairs(G: nx.MultiDiGraph) -> Timing:
    """The all-pairs weighted overlap matrix: the sparse product (matrices already built)."""
    def product() -> object:
        _drop(G, "matching_covered", "weighted")
        return weighted_all(G)
    return measure("all-pairs product", [product], 500)


def time_all_pairs_from_scratch(G: nx.MultiDiGraph) -> Timing:
    """The same, building the sparse matrices first (once)."""
    def scratch() -> object:
        _drop(G, "matching", "matching_covered", "matching_all", "pairs", "weighted",
              "neighbours")
        return weighted_all(G)
    return measure("all-pairs from scratch", [scratch], None, repeat=1)


def time_pairwise_json(G: nx.MultiDiGraph) -> Timing:
    """pairwise(G) as JSON-ready lists (905 × 905 rounded floats)."""
    return measure("pairwise JSON (cached)", [partial(pairwise, G)], None)


def time_paths(G: nx.MultiDiGraph, codes: Sequence[str]) -> Timing:
    """paths(A, B, k=3), for each pair of :func:`pairs_of`."""
    return measure("paths k=3", [partial(paths, G, a, b, k=3) for a, b in pairs_of(codes)], 200)


def time_hubs(G: nx.MultiDiGraph) -> Timing:
    """hubs(top=20)."""
    return measure("hubs top 20", [partial(hubs, G, top=20)], None)


def time_clusters(G: nx.MultiDiGraph) -> Timing:
    """clusters() (Louvain)."""
    return measure("clusters", [partial(clusters, G)], None)


def python_timings(G: nx.MultiDiGraph, codes: Sequence[str]) -> dict[str, Timing]:
    """Time every query of the brief on the given source codes (warm index)."""
    index(G)
    out = [time_transitions(G, codes), time_transitions_all(G), time_overlap(G, codes),
           time_all_pairs(G),
           time_all_pairs_from_scratch(G), time_pairwise_json(G), time_paths(G, codes),
           time_hubs(G), time_clusters(G)]
    return {t.name: t for t in out}


def _drop(G: nx.MultiDiGraph, *keys: str) -> None:
    # Forget cached matrices so that the product itself is timed, not a cache hit.
    for key in keys:
        index(G).extra.pop(key, None)


def main(argv: Sequence[str]) -> int:
    corpus = Path(argv[0]) if argv else ROOT.parent / "shared" / "icap-corpus"
    if not corpus.is_dir():
        print(f"corpus not found at {corpus}; nothing to measure")
        return 0
    from graph.store import load_graph

    start = time.perf_counter()
    G = load_graph([str(corpus)]).graph
    n_occ = len(index(G).profiles)
    print(f"graph: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges, {n_occ} "
          f"occupations (loaded in {time.perf_counter() - start:.2f} s)")
    for t in index_timings(G):
        print(t.line())
    # A long-lived process (the app) holds the graph for its lifetime; freezing it keeps
    # the collector from rescanning ~10^5 graph objects in the middle of a timed query.
    gc.collect()
    gc.freeze()
    codes = sample_codes(G)
    for t in python_timings(G, codes).values():
        print(t.line())
    print(f"load average during the run: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
