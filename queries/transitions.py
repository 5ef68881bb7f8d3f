"""Next steps for someone from one occupation, ranked by the matching model's score.

The score of a move A → B (:mod:`queries.matching`) blends how much of B's weighted
requirements A covers (identical or alias-merged items fully, similar ones at a credit
graded by their similarity, generic items discounted) with how alike the two occupations'
tasks, outputs and indicators read. It is asymmetric, and never reads titles or codes.
Each target carries the explanation (:func:`queries.classify.assess`): its components,
a confidence label 高 / 中 / 低 and the target's requirements classified as covered,
partly covered and missing. Only current occupations (``latest``, not 《歷史資料》) that
require at least one knowledge or skill item are targets, and never a version of A's own
occupation (same code stem before ``v<N>``). The direction compares levels: 基準級別 when
both are known, else the mean task 職能級別; unknown levels count as lateral.

>>> from queries.sample import sample_graph
>>> r = transitions(sample_graph(), "AAA1111-001v2")
>>> [(t["code"], t["direction"], t["shared"], len(t["partly"]), t["gap"])
...  for t in r["targets"]]
[('BBB2222-001v2', 'lateral', 4, 1, 3), ('CCC3333-001v1', 'upward', 1, 0, 3)]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

import numpy as np

from loaders.errors import QueryError
from queries.classify import Components, Item, assess
from queries.index import Profile, index
from queries.matching import model
from queries.occupations import resolve_id
from queries.scores import occupation_scores

if TYPE_CHECKING:
    import networkx as nx


class Target(TypedDict):
    """One ranked next occupation (see :func:`transitions`)."""

    code: str
    name: str
    score: float
    direction: str
    shared: int
    gap: int
    components: Components
    confidence: str
    covered: list[Item]
    partly: list[Item]
    missing: list[Item]


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

    Parameters
    ----------
    G : the competency graph.
    source : an occupation code or name.
    top : how many targets to return (>= 1).

    Returns
    -------
    ``{"source": code, "targets": [{"code", "name", "score", "direction", "shared",
    "gap", "components", "confidence", "covered", "partly", "missing"}]}`` — ``score``
    in (0, 1] (4 places); ``covered`` / ``partly`` / ``missing`` the target's
    requirements as :func:`queries.classify.classify` sorts them, ``shared`` and
    ``gap`` the lengths of ``covered`` and ``missing``; ``components`` and
    ``confidence`` as :func:`queries.classify.assess` gives them. Ties are broken by
    code; a target scoring 0 is not listed. A source without knowledge or skill items
    is scored from its task text alone (confidence 低).

    Raises
    ------
    UnknownOccupation
        ``source`` is not loaded, or names several occupations.
    QueryError
        ``top`` < 1.
    """
    if top < 1:
        raise QueryError(f"top must be at least 1, not {top}")
    node = resolve_id(G, source)
    idx = index(G)
    src = idx.profiles[node]
    m = model(G)
    row = occupation_scores(G, node)
    scores = row.score
    # Best first, by code on ties; candidates filtered lazily so a top-10 query
    # touches a few profiles, not all of them.
    order = np.lexsort((np.arange(len(m.nodes)), -scores))
    targets: list[Target] = []
    for i in order:
        if scores[i] <= 0:
            break  # nothing of the rest is covered or alike: not a next step
        tgt = idx.profiles[m.nodes[i]]
        if not is_candidate(src, tgt):
            continue
        why = assess(G, src.uses, tgt, tasks=float(row.tasks[i]), paired=bool(row.paired[i]))
        targets.append(Target(
            code=tgt.code, name=tgt.name, score=round(float(scores[i]), 4),
            direction=direction(src, tgt), shared=len(why["covered"]),
            gap=len(why["missing"]), components=why["components"],
            confidence=why["confidence"], covered=why["covered"], partly=why["partly"],
            missing=why["missing"]))
        if len(targets) == top:
            break
    return {"source": src.code, "targets": targets}
