"""Pairs of item names by n-gram score band, for labelling by hand (../shared/icap-corpus).

The matching model credits two items of one kind whose names read alike
(:mod:`queries.name_similarity`) from :data:`~queries.name_similarity.NGRAM_MIN` on. This
prints, for each score band from 0.20 up, how many pairs of knowledge / skill / attitude
names fall in it that SIMILAR_TO does not already link (those are credited through
SIMILAR_TO), and a seeded random sample of them to read: is the source's item the same
competency as the target's, or a part of it? The README's counts per band come from reading
the default sample (seed 7, 30 pairs per band).

    .venv/bin/python benchmarks/bench_name_pairs.py [CORPUS_DIR] [--per-band 30] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.kinds import Rel  # noqa: E402
from queries.name_similarity import NGRAM_MIN, scored_pairs  # noqa: E402

#: Band edges of the printed samples (the last band is closed).
BANDS = (0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50, 0.60, 0.70, 1.0)


def main(argv: Sequence[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "icap-corpus"))
    ap.add_argument("--per-band", type=int, default=30, help="pairs printed per band")
    ap.add_argument("--seed", type=int, default=7, help="seed of the random samples")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"corpus not found at {corpus}; nothing to measure")
        return 0
    from graph.store import load_graph

    G = load_graph([str(corpus)]).graph
    start = time.perf_counter()
    items, i, j, s = scored_pairs(G, BANDS[0])
    print(f"{len(items)} item names; pairs scoring >= {BANDS[0]:.2f}: {len(s)} "
          f"(scored in {time.perf_counter() - start:.2f} s); credited from {NGRAM_MIN}")
    linked = {(u, v) for u, v, key in G.edges(keys=True) if key == Rel.SIMILAR_TO.value}
    free = np.array([(items[a], items[b]) not in linked for a, b in zip(i, j, strict=True)],
                    dtype=bool)
    print(f"of which SIMILAR_TO links {int((~free).sum())}; the rest by band:")
    rng = random.Random(args.seed)
    for lo, hi in pairwise(BANDS):
        upper = s <= hi if hi == BANDS[-1] else s < hi
        band = np.flatnonzero(free & (s >= lo) & upper)
        print(f"\n[{lo:.2f}, {hi:.2f}{']' if hi == BANDS[-1] else ')'}: {len(band)} pairs")
        picked = rng.sample(sorted(band.tolist()), min(args.per_band, len(band)))
        for n, k in enumerate(picked, 1):
            a, b = items[int(i[k])], items[int(j[k])]
            print(f"  {n:2d}. {s[k]:.3f}  {G.nodes[a].get('name', a)}  |  "
                  f"{G.nodes[b].get('name', b)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
