"""How plausible the ranked next occupations are, on the real corpus (../shared/icap-corpus).

Prints four figures over the current occupations (``latest``, not 《歷史資料》):

* **career-ladder recall@5** — pairs X助理 → X人員 / X主管 / X專員 / X師 mined from the
  occupations' *titles* (the titles build the truth only; the model never reads them):
  the share of pairs whose target is in the source's top 5;
* **same 職類別** — the share of all top-5 targets that are in the source's own
  category (IN_CATEGORY, the corpus's ``category_code``);
* **median best score** — the median over sources of the top target's score;
* **best < 0.15** — the share of sources whose best target scores below 0.15 (a source
  with no target at all counts as 0);
* **generic share** — over all top-5 targets, the mean share of the score that generic
  items give: attitudes and items at least 2 % of current occupations require (from the
  ``covered`` / ``partly`` lists and ``components`` of the matching model; "n/a" for a
  model that does not explain its scores);
* **confidence** — how the top-5 targets are labelled 高 / 中 / 低, and the score
  distribution the labels' thresholds come from: percentiles of the score over all pairs
  of current occupations (random pairs), over the ladder pairs, and the share of random
  pairs above each candidate threshold that are in one 職類別 (from the model's
  ``score_all``; skipped when absent).

With ``--review N`` it also prints N random sources (seeded) with their top 5, for reading
by hand; ``--ladder`` prints every ladder pair with the rank its target got; ``--compare``
prints everything twice in one run, first for the model without the n-gram name pairs
(:mod:`queries.name_similarity`, the before of the README's table), then with them.

    .venv/bin/python benchmarks/bench_transition_quality.py [CORPUS_DIR] [--review 20] [--ladder]
        [--compare]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.kinds import Kind, Rel  # noqa: E402
from queries.index import Profile, index  # noqa: E402
from queries.transitions import transitions  # noqa: E402

#: The rungs above an assistant: X助理 → X + one of these.
LADDER = ("人員", "主管", "專員", "師")
ASSISTANT = "助理"
TOP = 5
LOW = 0.15
#: An item at least this share of current occupations require counts as generic.
GENERIC_SHARE = 0.02


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


def generic_share(G: nx.MultiDiGraph, profiles: Sequence[Profile],
                  ranked: dict[str, list[Any]]) -> float | None:
    """The mean share of a top target's score that generic items give (module doc)."""
    try:
        from queries.matching import BLEND
    except ImportError:
        return None
    df: dict[str, int] = {}
    for p in profiles:
        for item in p.uses:
            df[item] = df.get(item, 0) + 1
    floor = GENERIC_SHARE * len(profiles)

    def generic(item: str) -> bool:
        return G.nodes[item].get("kind") == Kind.ATTITUDE.value or df.get(item, 0) >= floor

    shares = []
    for targets in ranked.values():
        for t in targets:
            if "components" not in t or not t["score"]:
                return None if "components" not in t else 0.0
            rows = t["covered"] + t["partly"] + t["missing"]
            total = sum(r["weight"] for r in rows)
            if total <= 0:
                continue
            part = sum(r["weight"] * r["credit"] for r in rows if generic(r["id"])) / total
            shares.append(BLEND * part * t["components"]["evidence"] / t["score"])
    return statistics.mean(shares) if shares else 0.0


def thresholds(G: nx.MultiDiGraph, profiles: Sequence[Profile],
               pairs: Sequence[tuple[Profile, Profile]], cats: dict[str, str | None]) -> None:
    """Print the score distributions the confidence thresholds are set from."""
    try:
        from queries.matching import model, task_cosine_all
        from queries.matrix import cover_all
        from queries.scores import score_all
    except ImportError:
        return
    m = model(G)
    rows = np.array([m.row[p.node] for p in profiles])
    S = score_all(G)[np.ix_(rows, rows)]
    stems = np.array([p.stem for p in profiles], dtype=object)
    cat = np.array([cats[p.node] or "" for p in profiles], dtype=object)
    mask = stems[:, None] != stems[None, :]
    random_pairs = S[mask]
    same = (cat[:, None] == cat[None, :])[mask]
    pos = {p.node: i for i, p in enumerate(profiles)}
    ladder = np.array([S[pos[a.node], pos[b.node]] for a, b in pairs])
    pct = (50, 90, 95, 99, 99.9)
    print("score over random pairs: " + ", ".join(
        f"p{q} {np.percentile(random_pairs, q):.3f}" for q in pct))
    for name, full in (("coverage", cover_all(G)), ("tasks", task_cosine_all(G))):
        part = full[np.ix_(rows, rows)][mask]
        print(f"  {name} over random pairs: " + ", ".join(
            f"p{q} {np.percentile(part, q):.3f}" for q in pct))
    if len(ladder):
        print("score over ladder pairs: " + ", ".join(
            f"p{q} {np.percentile(ladder, q):.3f}" for q in (10, 25, 50, 75)))
    for t in (0.10, 0.15, 0.20, 0.25, 0.30, 0.40):
        above = random_pairs >= t
        print(f"  score >= {t:.2f}: random pairs {above.mean():.4f} (same 職類別 "
              f"{same[above].mean() if above.any() else 0:.2f}), ladder pairs "
              f"{(ladder >= t).mean() if len(ladder) else 0:.2f}")


@contextmanager
def without_name_pairs(G: nx.MultiDiGraph) -> Iterator[None]:
    """The matching model as it was before the n-gram name pairs (``--compare``): rebuilt
    without them, then rebuilt with them again on leaving."""
    import queries.matching as matching
    from queries.index import _CACHE

    saved = matching.name_pairs
    matching.name_pairs = lambda _G: None  # type: ignore[assignment,return-value]
    _CACHE.pop(G, None)
    try:
        yield
    finally:
        matching.name_pairs = saved
        _CACHE.pop(G, None)


def main(argv: Sequence[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "icap-corpus"))
    ap.add_argument("--review", type=int, default=0, help="print N random sources' top 5")
    ap.add_argument("--seed", type=int, default=13, help="seed of the random review sample")
    ap.add_argument("--ladder", action="store_true", help="print every ladder pair's rank")
    ap.add_argument("--compare", action="store_true",
                    help="first the model without the n-gram name pairs, then with them")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"corpus not found at {corpus}; nothing to measure")
        return 0
    from graph.store import load_graph

    G = load_graph([str(corpus)]).graph
    profiles = current(G)
    if args.compare:
        print("== before: without the n-gram name pairs")
        with without_name_pairs(G):
            report(G, profiles, args)
        print("\n== after: with the n-gram name pairs")
    report(G, profiles, args)
    return 0


def report(G: nx.MultiDiGraph, profiles: Sequence[Profile], args: argparse.Namespace) -> None:
    """Print every figure of the module docstring for the current matching model."""
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
    share = generic_share(G, profiles, ranked)
    print("share of top-5 scores from generic items (attitudes, items of >= "
          f"{GENERIC_SHARE:.0%} of occupations): "
          + ("n/a" if share is None else f"{share:.3f}"))
    labels = Counter(t.get("confidence", "") for ts in ranked.values() for t in ts)
    if "" not in labels:
        print("confidence of top-5 targets: " + ", ".join(
            f"{k} {labels[k]} ({labels[k] / max(1, total):.2f})" for k in ("高", "中", "低")))
    thresholds(G, profiles, pairs, cats)
    if args.ladder:
        print("\n".join(lines))
    if args.review:
        rng = random.Random(args.seed)
        for p in rng.sample(list(profiles), args.review):
            print(f"\n{p.code} {p.name}  [{cats[p.node]}]")
            for i, t in enumerate(ranked[p.node], 1):
                extra = (f"  {t['confidence']} (items {t['components']['coverage']:.2f}, "
                         f"tasks {t['components']['tasks']:.2f})") if "components" in t else ""
                same_cat = "=" if cats[code_of[t["code"]].node] == cats[p.node] else " "
                print(f"  {i}. {same_cat} {t['code']:<15} {t['name']}  {t['score']:.3f}"
                      f"{extra}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
