"""Next steps for someone from one occupation, ranked by how much of each target they cover.

The score of a move A → B is asymmetric: how much of B's IDF-weighted requirements A
covers (identical or alias-merged items fully, similar items at their SIMILAR_TO score),
divided by B's total weight plus a prior (:func:`queries.matrix.move_row`), so a B that
asks for little beyond what A has ranks high even when A has much more, but only on real
evidence. Only competencies count, never occupation titles. Only current occupations
(``latest``, not 《歷史資料》) are targets, and never a version of A's own occupation (same
code stem before ``v<N>``). The direction compares levels: 基準級別 when both are known,
else the mean task 職能級別; unknown levels count as lateral.

>>> from queries.sample import sample_graph
>>> r = transitions(sample_graph(), "AAA1111-001v2")
>>> [(t["code"], t["direction"], t["shared"], t["gap"]) for t in r["targets"]]
[('BBB2222-001v2', 'lateral', 4, 4), ('CCC3333-001v1', 'upward', 1, 3)]
"""

from __future__ import annotations

from typing import TypedDict

import networkx as nx
import numpy as np

from loaders.errors import QueryError
from queries.matrix import matrices, move_row
from queries.occupations import Profile, index, resolve_id


class Target(TypedDict):
    """One ranked next occupation (see :func:`transitions`)."""

    code: str
    name: str
    score: float
    direction: str
    shared: int
    gap: int


class TransitionsResult(TypedDict):
    """What :func:`transitions` returns."""

    source: str
    targets: list[Target]


#: Level differences smaller than this (in mean task 職能級別) count as lateral.
LATERAL_BAND = 0.5


def direction(source: Profile, target: Profile) -> str:
    """``upward``, ``lateral`` or ``downward`` from the two occupations' levels.

    >>> from queries.occupations import profile
    >>> from queries.sample import sample_graph
    >>> G = sample_graph()
    >>> direction(profile(G, "CCC3333-001v1"), profile(G, "AAA1111-001v2"))
    'downward'
    """
    if source.level is not None and target.level is not None:
        diff = float(target.level - source.level)
    else:
        a, b = source.effective_level, target.effective_level
        if a is None or b is None:
            return "lateral"
        diff = b - a
    if diff >= LATERAL_BAND:
        return "upward"
    if diff <= -LATERAL_BAND:
        return "downward"
    return "lateral"


def is_candidate(source: Profile, target: Profile) -> bool:
    """Whether ``target`` may be offered as a move from ``source``.

    A target must be current, of another occupation, and require at least one knowledge
    or skill item: a standard whose tasks did not load (only its attitudes are linked)
    would otherwise look easy to reach because it seems to ask for little.
    """
    return (target.latest and not target.historical and target.stem != source.stem
            and target.has_competencies)


def transitions(G: nx.MultiDiGraph, source: str, *, top: int = 10) -> TransitionsResult:
    """The ``top`` best next occupations for someone from ``source``, best first.

    Parameters:
        G: the competency graph.
        source: an occupation code or name.
        top: how many targets to return (>= 1).

    Returns:
        ``{"source": code, "targets": [{"code", "name", "score", "direction", "shared",
        "gap"}]}`` — ``score`` in (0, 1) (rounded to 4 places), ``shared`` the number of
        the target's items the source has, ``gap`` the number it lacks. Ties are broken
        by code; a target the source covers nothing of is not listed.

    Raises:
        UnknownOccupation: ``source`` is not loaded.
        QueryError: ``top`` < 1.
    """
    if top < 1:
        raise QueryError(f"top must be at least 1, not {top}")
    node = resolve_id(G, source)
    idx = index(G)
    src = idx.profiles[node]
    m = matrices(G)
    scores = move_row(G, node)
    # Best first, by code on ties; candidates filtered lazily so a top-10 query
    # touches a few profiles, not all of them.
    order = np.lexsort((np.arange(len(m.nodes)), -np.round(scores, 12)))
    targets: list[Target] = []
    for i in order:
        if scores[i] <= 0:
            break  # nothing of the rest is covered: not a next step
        tgt = idx.profiles[m.nodes[i]]
        if not is_candidate(src, tgt):
            continue
        shared = sum(1 for item in tgt.uses if item in src.uses)
        targets.append({"code": tgt.code, "name": tgt.name, "score": round(float(scores[i]), 4),
                        "direction": direction(src, tgt), "shared": shared,
                        "gap": len(tgt.uses) - shared})
        if len(targets) == top:
            break
    return {"source": src.code, "targets": targets}
