"""How plausible the ranked next occupations are, on the real corpus (../shared/icap-corpus).

Prints four figures over the current occupations (``latest``, not 《歷史資料》):

* **career-ladder recall@5** — pairs X助理 → X人員 / X主管 / X專員 / X師 mined from the
  occupations' *titles* (the titles build the truth only; the model never reads them):
  the share of pairs whose target is in the source's top 5;
* **same 職類別** — the share of all top-5 targets that are in the source's own
  category (IN_CATEGORY, the corpus's ``category_code``);
* **median best score** — the median over sources of the top target's score;
* **best < 0.15** — the share of sources whose best target scores below 0.15 (a source
  with no target at all counts as 0).

With ``--review N`` it also prints N random sources (seeded) with their top 5, for reading
by hand; ``--ladder`` prints every ladder pair with the rank its target got.

    .venv/bin/python benchmarks/bench_transition_quality.py [CORPUS_DIR] [--review 20] [--ladder]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.kinds import Kind, Rel  # noqa: E402
from queries.occupations import Profile, index  # noqa: E402
from queries.transitions import transitions  # noqa: E402

#: The rungs above an assistant: X助理 → X + one of these.
LADDER = ("人員", "主管", "專員", "師")
ASSISTANT = "助理"
TOP = 5
LOW = 0.15


def current(G: nx.MultiDiGraph) -> list[Profile]:
    """Current occupations, by code."""
    return sorted((p for p in index(G).profiles.values() if p.latest and not p.historical),
                  key=lambda p: p.code)


def category(G: nx.MultiDiGraph, node: str) -> str | None:
    """The code of the occupation's 職類別 (first IN_CATEGORY target), or None."""
    for _, v, key in G.out_edges(node, keys=True):
        if key == Rel.IN_CATEGORY.value and G.nodes[v].get("kind") == Kind.CATEGORY.value:
            return str(G.nodes[v].get("code", v))
    return None


def ladder_pairs(profiles: Sequence[Profile]) -> list[tuple[Profile, Profile]]:
    """(X助理, X人員 / 主管 / 專員 / 師) pairs among current occupations, by title only."""
    by_name: dict[str, list[Profile]] = {}
    for p in profiles:
        by_name.setdefault(p.name.strip(), []).append(p)
    pairs = []
    for p in profiles:
        name = p.name.strip()
        if not name.endswith(ASSISTANT) or len(name) <= len(ASSISTANT):
            continue
        stem = name[: -len(ASSISTANT)]
        for rung in LADDER:
            for q in by_name.get(stem + rung, []):
                if q.stem != p.stem:
                    pairs.append((p, q))
    return pairs


def main(argv: Sequence[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "icap-corpus"))
    ap.add_argument("--review", type=int, default=0, help="print N random sources' top 5")
    ap.add_argument("--seed", type=int, default=13, help="seed of the random review sample")
    ap.add_argument("--ladder", action="store_true", help="print every ladder pair's rank")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"corpus not found at {corpus}; nothing to measure")
        return 0
    from graph.store import load_graph

    G = load_graph([str(corpus)]).graph
    profiles = current(G)
    start = time.perf_counter()
    ranked = {p.node: transitions(G, p.code, top=TOP)["targets"] for p in profiles}
    took = time.perf_counter() - start
    code_of = {p.code: p for p in profiles}

    pairs = ladder_pairs(profiles)
    hits = 0
    lines = []
    for src, dst in pairs:
        codes = [t["code"] for t in ranked[src.node]]
        rank = codes.index(dst.code) + 1 if dst.code in codes else None
        hits += rank is not None
        lines.append(f"  {'ok ' if rank else 'MISS'} {src.name} → {dst.name}  rank "
                     f"{rank or f'> {TOP}'}")
    cats = {p.node: category(G, p.node) for p in profiles}
    same = total = 0
    best: list[float] = []
    for p in profiles:
        targets = ranked[p.node]
        best.append(targets[0]["score"] if targets else 0.0)
        for t in targets:
            total += 1
            same += cats[p.node] is not None and cats[code_of[t["code"]].node] == cats[p.node]
    print(f"{len(profiles)} current occupations; top {TOP} of each in {took:.2f} s")
    print(f"career-ladder recall@{TOP}: {hits}/{len(pairs)} = {hits / max(1, len(pairs)):.3f}")
    print(f"top-{TOP} targets in the source's own 職類別: {same}/{total} = "
          f"{same / max(1, total):.3f}")
    print(f"median best score: {statistics.median(best):.3f}")
    low = sum(b < LOW for b in best)
    print(f"occupations whose best score < {LOW}: {low}/{len(best)} = {low / len(best):.3f}")
    if args.ladder:
        print("\n".join(lines))
    if args.review:
        rng = random.Random(args.seed)
        for p in rng.sample(profiles, args.review):
            print(f"\n{p.code} {p.name}  [{cats[p.node]}]")
            for i, t in enumerate(ranked[p.node], 1):
                extra = "".join(f" {k}={t[k]}" for k in ("confidence",) if k in t)  # type: ignore[literal-required]
                same_cat = "=" if cats[code_of[t["code"]].node] == cats[p.node] else " "
                print(f"  {i}. {same_cat} {t['code']:<15} {t['name']}  {t['score']:.3f}"
                      f"{extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
