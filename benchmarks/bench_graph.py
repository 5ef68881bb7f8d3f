"""Graph benchmarks: build time, and warm start from the cache vs a bare JSON read.

Budgets (issue 3): building the graph from loaded standards <= 1 s on the
908-standard corpus (reported with and without SIMILAR_TO scoring); a warm start
from the cache <= 1.5 x ``json.load`` of the same cache file. Uses
``../shared/icap-corpus`` when present, else ``data/standards``. Prints figures;
asserts nothing. Run: ``.venv/bin/python benchmarks/bench_graph.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.build import build_graph  # noqa: E402
from graph.serialize import no_gc  # noqa: E402
from graph.store import load_graph  # noqa: E402
from loaders.corpus import load_corpus  # noqa: E402

CORPUS = ROOT.parent / "shared" / "icap-corpus"


def best(run: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs, wall-clock seconds (the least disturbed by other load)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
        del result  # freeing the result is not part of what is measured
    return min(times)


def best_cpu(run: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs in this process's CPU seconds: on a shared machine
    this is the figure that does not count time spent waiting for a core."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        result = run()
        times.append(time.process_time() - start)
        del result
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = CORPUS if CORPUS.is_dir() else ROOT / "data" / "standards"
    print(f"data: {data}")

    start = time.perf_counter()
    corpus = load_corpus([str(data)])
    print(f"load_corpus: {time.perf_counter() - start:.2f} s, {len(corpus.standards)} standards")

    def plain() -> object:
        return build_graph(corpus.standards, similar=False)

    def scored() -> object:
        return build_graph(corpus.standards, similar=True)

    t_plain, c_plain = best(plain, args.repeat), best_cpu(plain, args.repeat)
    t_similar, c_similar = best(scored, args.repeat), best_cpu(scored, args.repeat)
    G = build_graph(corpus.standards)
    print(f"graph: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges")
    print(f"build_graph without SIMILAR_TO: {t_plain:.3f} s wall, {c_plain:.3f} s CPU"
          "   (budget 1 s)")
    print(f"build_graph with SIMILAR_TO:    {t_similar:.3f} s wall, {c_similar:.3f} s CPU"
          f"   (scoring {c_similar - c_plain:.3f} s CPU, budget 5 s)")

    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        os.environ.pop("ICAPGRAPH_ALIASES", None)
        start = time.perf_counter()
        load_graph([str(data)], cache_dir=cache)
        print(f"cold load_graph (load + build + write cache): {time.perf_counter() - start:.2f} s")
        (path,) = cache.glob("graph-*.json")
        print(f"cache file: {path.stat().st_size / 1e6:.1f} MB")

        def warm() -> object:
            loaded = load_graph([str(data)], cache_dir=cache)
            assert loaded.from_cache
            return loaded

        def bare() -> object:
            with path.open("rb") as handle:
                return json.load(handle)

        def bare_no_gc() -> object:
            with no_gc():
                return bare()

        t_bare = best(bare, args.repeat)
        t_bare_no_gc = best(bare_no_gc, args.repeat)
        t_warm = best(warm, args.repeat)
        c_bare = best_cpu(bare, args.repeat)
        c_bare_no_gc = best_cpu(bare_no_gc, args.repeat)
        c_warm = best_cpu(warm, args.repeat)
    print(f"bare json.load of the cache:              {t_bare:.3f} s wall, {c_bare:.3f} s CPU")
    print(f"bare json.load, garbage collector paused: {t_bare_no_gc:.3f} s wall, "
          f"{c_bare_no_gc:.3f} s CPU")
    print(f"warm load_graph from cache:               {t_warm:.3f} s wall, {c_warm:.3f} s CPU")
    print(f"warm / bare: {t_warm / t_bare:.2f} x wall, {c_warm / c_bare:.2f} x CPU; against "
          f"the paused read {t_warm / t_bare_no_gc:.2f} x wall, {c_warm / c_bare_no_gc:.2f} x CPU"
          " (budget 1.5 x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
