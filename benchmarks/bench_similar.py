"""Benchmark: SIMILAR_TO scoring over every item of the 908-standard corpus (budget: 5 s).

Usage::

    .venv/bin/python benchmarks/bench_similar.py [CORPUS_DIR] [--samples N]

Reads the item names straight from the corpus JSON (``competency_knowledge`` /
``competency_skills`` / ``competency_attitudes``), cleans them and keeps one
name per identity key, as the graph does. Prints, per kind: names, seconds,
pairs per tier and the score distribution in bands of 0.05; then the time of
:func:`graph.similar.add_similar_edges` on a graph holding all those items.
With ``--samples N`` it also prints N random pairs per band (the evidence for
the thresholds in the README). Exits 0 with a note when the corpus is absent.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.identity import display_name, item_key  # noqa: E402
from graph.model import ITEM_KINDS, Kind, item_id  # noqa: E402
from graph.similar import add_similar_edges, score_pairs  # noqa: E402
from loaders.clean import clean_name  # noqa: E402

BUDGET_S = 5.0
FIELDS = {
    Kind.KNOWLEDGE: "competency_knowledge",
    Kind.SKILL: "competency_skills",
    Kind.ATTITUDE: "competency_attitudes",
}


def read_names(corpus: Path) -> dict[Kind, list[str]]:
    """One display name per identity key and kind, sorted."""
    forms: dict[Kind, dict[str, list[str]]] = {k: defaultdict(list) for k in FIELDS}
    for path in sorted(corpus.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for kind, field in FIELDS.items():
            for entry in doc.get(field) or []:
                name, _marks = clean_name(str(entry.get("name") or ""))
                if name:
                    forms[kind][item_key(name)].append(name)
    return {k: sorted(display_name(v) for v in by_key.values()) for k, by_key in forms.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "corpus", nargs="?", type=Path, default=ROOT.parent / "shared" / "icap-corpus"
    )
    parser.add_argument("--samples", type=int, default=0, help="random pairs to print per band")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"corpus not found at {args.corpus}: benchmark skipped")
        return 0

    t0 = time.perf_counter()
    names = read_names(args.corpus)
    print(f"read {sum(map(len, names.values()))} item names in {time.perf_counter() - t0:.2f} s")
    item_key.cache_clear()  # time the scoring cold, identity keys included

    rng = random.Random(908)
    total = total_cpu = 0.0
    for kind in ITEM_KINDS:
        ns = names[kind]
        t, c = time.perf_counter(), time.process_time()
        pairs = score_pairs(ns, kind=kind.value)
        dt, dc = time.perf_counter() - t, time.process_time() - c
        total += dt
        total_cpu += dc
        tiers = Counter(p.tier for p in pairs)
        print(
            f"{kind.value:<9} names={len(ns):>6}  {dt:6.2f} s (cpu {dc:5.2f} s)  "
            f"similar={tiers['similar']:>6}  review={tiers['review']:>6}"
        )
        bands: dict[float, list[str]] = defaultdict(list)
        for p in pairs:
            band = min(int(p.score * 20) / 20, 0.95)
            bands[band].append(f"{p.score:.3f} {p.tier[0]} {ns[p.i]} ~ {ns[p.j]}")
        for band in sorted(bands):
            print(f"    [{band:.2f}, {band + 0.05:.2f})  {len(bands[band]):>6}")
            for line in rng.sample(bands[band], min(args.samples, len(bands[band]))):
                print(f"        {line}")
    # Wall time is the budget; CPU time shows what it costs when the machine is shared.
    print(f"score_pairs, all kinds: {total:.2f} s, cpu {total_cpu:.2f} s (budget {BUDGET_S:.0f} s)")

    G = nx.MultiDiGraph()
    for kind in ITEM_KINDS:
        for name in names[kind]:
            G.add_node(item_id(kind, name), kind=kind.value, name=name)
    item_key.cache_clear()
    t, c = time.perf_counter(), time.process_time()
    n = add_similar_edges(G)
    dt, dc = time.perf_counter() - t, time.process_time() - c
    verdict = "within" if dt <= BUDGET_S else "OVER"
    print(
        f"add_similar_edges: {n} pairs, {G.number_of_edges()} edges in {dt:.2f} s"
        f" (cpu {dc:.2f} s; {verdict} the {BUDGET_S:.0f} s budget)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
