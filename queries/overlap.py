"""What several occupations share: identical, alias-merged and similar items, with scores.

Scores use IDF weights (see :mod:`queries.occupations`): an item every occupation has,
like 溝通協調能力, counts less than a rare one. *Coverage* of an item by an occupation is 1
when the occupation requires it and otherwise the best SIMILAR_TO score from one of its
items (partial credit), so the weighted score of A and B is

    (Σ_{b∈B} w_b·cov_A(b) + Σ_{a∈A} w_a·cov_B(a)) / (Σ_{a∈A} w_a + Σ_{b∈B} w_b)

which is 1 for identical requirement sets and 0 when nothing is shared or similar. The
sparse all-pairs version in :mod:`queries.matrix` computes the same number.

>>> from queries.sample import sample_graph
>>> result = overlap(sample_graph(), ["AAA1111-001v2", "BBB2222-001v2"])
>>> [(e["name"], e["match"]) for e in result["shared"]["knowledge"]]
[('合約締結知識', 'identical'), ('網路安全與法規', 'identical'), ('網紅類型與商業模式', 'similar')]
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Any, NotRequired, TypedDict, cast

import networkx as nx

from graph.kinds import INFO, ITEM_KINDS
from loaders.errors import QueryError
from queries.occupations import Index, Profile, index, resolve_id


class SharedEntry(TypedDict):
    """One shared item (see :func:`overlap`); ``other`` / ``other_id`` only for ``similar``."""

    id: str
    name: str
    match: str
    score: float
    weight: float
    evidence: dict[str, list[str]]
    other: NotRequired[str]
    other_id: NotRequired[str]


class OverlapResult(TypedDict):
    """What :func:`overlap` returns (``common`` and ``matrix`` for three or more)."""

    occupations: list[str]
    shared: dict[str, list[SharedEntry]]
    jaccard: float
    weighted: float
    common: NotRequired[list[str]]
    matrix: NotRequired[list[list[float]]]


#: The JSON key of each item kind in ``shared``.
SHARED_KEY = {kind: INFO[kind].group for kind in ITEM_KINDS}
_MATCH_ORDER = {"identical": 0, "alias": 1, "similar": 2}


def coverage(idx: Index, who: Profile, item: str) -> float:
    """How far ``who`` covers ``item``: 1 if required, else its best similar item's score."""
    if item in who.uses:
        return 1.0
    return max((s for other, s in idx.similar.get(item, {}).items() if other in who.uses),
               default=0.0)


def covered_weight(idx: Index, source: Profile, target: Profile) -> float:
    """Σ over ``target``'s items of IDF weight × coverage by ``source``."""
    return sum(idx.idf[i] * coverage(idx, source, i) for i in target.uses)


def total_weight(idx: Index, who: Profile) -> float:
    """Σ of the IDF weights of everything ``who`` requires."""
    return sum(idx.idf[i] for i in who.uses)


def weighted_score(idx: Index, a: Profile, b: Profile) -> float:
    """The symmetric IDF-weighted overlap of two profiles, in [0, 1] (formula above)."""
    denom = total_weight(idx, a) + total_weight(idx, b)
    if denom == 0:
        return 0.0
    return (covered_weight(idx, a, b) + covered_weight(idx, b, a)) / denom


def _profiles(G: nx.MultiDiGraph, codes: Sequence[str]) -> list[Profile]:
    if len(codes) < 2:
        raise QueryError("overlap needs at least two occupations")
    idx = index(G)
    nodes = [resolve_id(G, c) for c in codes]
    for a, b in combinations(range(len(nodes)), 2):
        if nodes[a] == nodes[b]:
            raise QueryError(f"{codes[a]!r} and {codes[b]!r} are the same occupation")
    return [idx.profiles[n] for n in nodes]


def _evidence(group: Sequence[Profile], items: dict[str, str]) -> dict[str, list[str]]:
    # ``items`` maps each occupation's code to the item it uses on its side.
    return {p.code: list(p.uses[items[p.code]].tasks) for p in group if items.get(p.code)}


def _shared(G: nx.MultiDiGraph, idx: Index, group: Sequence[Profile]) -> dict[str, list[Any]]:
    out: dict[str, list[dict[str, Any]]] = {key: [] for key in SHARED_KEY.values()}
    seen: set[str] = set()
    for p, q in combinations(group, 2):
        for item in p.uses.keys() & q.uses.keys():
            if item in seen:
                continue
            seen.add(item)
            users = [r for r in group if item in r.uses]
            surfaces = {r.uses[item].surface for r in users}
            out[SHARED_KEY[p.uses[item].kind]].append({
                "id": item, "name": G.nodes[item].get("name", item),
                "match": "alias" if len(surfaces) > 1 else "identical", "score": 1.0,
                "weight": round(idx.idf[item], 4),
                "evidence": _evidence(users, {r.code: item for r in users}),
            })
        for item in p.uses.keys() - q.uses.keys():
            for other, score in sorted(idx.similar.get(item, {}).items()):
                if other in q.uses and other not in p.uses:
                    out[SHARED_KEY[p.uses[item].kind]].append({
                        "id": item, "name": G.nodes[item].get("name", item),
                        "match": "similar", "score": round(score, 4),
                        "weight": round((idx.idf[item] + idx.idf[other]) / 2, 4),
                        "other": G.nodes[other].get("name", other), "other_id": other,
                        "evidence": _evidence([p, q], {p.code: item, q.code: other}),
                    })
    for entries in out.values():
        entries.sort(key=lambda e: (_MATCH_ORDER[e["match"]], -e["weight"], e["name"]))
    return dict(out)


def overlap(G: nx.MultiDiGraph, codes: Sequence[str]) -> OverlapResult:
    """What the given occupations share, per kind, with evidence and scores.

    Parameters:
        G: the competency graph.
        codes: two or more occupation codes (or names, see :func:`resolve_id`).

    Returns:
        ``{"occupations": [codes], "shared": {"knowledge": [...], "skills": [...],
        "attitudes": [...]}, "jaccard": x, "weighted": x}``. Each shared entry is
        ``{"id", "name", "match", "score", "weight", "evidence": {code: [task codes]}}``;
        ``match`` is ``identical``, ``alias`` (one node reached through different surface
        forms) or ``similar`` (then ``name`` is the item on the earlier occupation's side
        and ``other`` / ``other_id`` the one on the later's). For three or more
        occupations also ``common`` (ids of items all require) and ``matrix`` (pairwise
        weighted scores); ``jaccard`` is then |common| / |union| and ``weighted`` the mean
        of the pairwise scores.

    Raises:
        UnknownOccupation: a code is not loaded.
        QueryError: fewer than two occupations, or one named twice.

    >>> from queries.sample import sample_graph
    >>> r = overlap(sample_graph(), ["AAA1111-001v2", "BBB2222-001v2", "CCC3333-001v1"])
    >>> r["common"], r["matrix"][0][0]
    (['skill:溝通協調能力'], 1.0)
    """
    group = _profiles(G, codes)
    idx = index(G)
    sets = [set(p.uses) for p in group]
    union = set().union(*sets)
    common = set.intersection(*sets)
    result: dict[str, Any] = {
        "occupations": [p.code for p in group],
        "shared": _shared(G, idx, group),
    }
    if len(group) == 2:
        result["jaccard"] = round(len(common) / len(union), 4) if union else 0.0
        result["weighted"] = round(weighted_score(idx, group[0], group[1]), 4)
        return cast(OverlapResult, result)
    matrix = [[1.0 if i == j else round(weighted_score(idx, a, b), 4)
               for j, b in enumerate(group)] for i, a in enumerate(group)]
    pairs = [matrix[i][j] for i, j in combinations(range(len(group)), 2)]
    result["jaccard"] = round(len(common) / len(union), 4) if union else 0.0
    result["weighted"] = round(sum(pairs) / len(pairs), 4)
    result["common"] = sorted(common)
    result["matrix"] = matrix
    return cast(OverlapResult, result)
