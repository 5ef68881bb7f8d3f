"""What a target occupation requires that a source occupation lacks, most important first —
and what it already covers, fully or in part, by the one classification every page uses.

Importance of an item in the target is the sum of the 職能級別 of the target's tasks that
need it (a task without a level counts at the occupation's 基準級別, else 1); an attitude,
required by the occupation as a whole, counts once at that level. Each requirement of the
target is *covered* (the source has the same item), *partly covered* (the source has a
similar item, SIMILAR_TO of either tier, or reaches it through a term it requires,
INCLUDES, e.g. 網路行銷相關法規 → 個人資料保護法; its best single match is named) or
*missing* (:func:`queries.classify.classify`). ``missing`` holds only the last: an item
partly covered is listed in ``partly``, never in both.

>>> from queries.sample import sample_graph
>>> r = gap(sample_graph(), "AAA1111-001v2", "BBB2222-001v2")
>>> [(m["name"], m["importance"]) for m in r["missing"]]
[('數位平台應用能力', 7), ('彈性', 4), ('影音剪輯能力', 3)]
>>> [(p["name"], p["match"]["name"]) for p in r["partly"]]
[('網紅類型與獲利模式', '網紅類型與商業模式')]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from loaders.errors import QueryError
from queries.classify import Components, Item, PartlyBy, assess_pair, classify
from queries.index import Profile, index
from queries.matching import importance
from queries.occupations import resolve_id

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["GapResult", "MissingItem", "PartlyBy", "gap", "importance", "missing_items"]

#: One classified requirement (the ``missing`` entries keep their historical name).
MissingItem = Item


class GapResult(TypedDict):
    """What :func:`gap` returns."""

    source: str
    target: str
    missing: list[Item]
    covered: list[Item]
    partly: list[Item]
    score: float
    components: Components
    confidence: str


def missing_items(G: nx.MultiDiGraph, source: Profile, target: Profile, *,
                  partly: bool = True) -> list[Item]:
    """The ``missing`` list of :func:`gap` for two resolved profiles (any two, even equal).

    ``partly`` is kept for callers of the earlier signature: a missing item has no partial
    cover by definition (those are in the ``partly`` list), so its ``partly_covered_by``
    is always empty.
    """
    del partly
    return classify(G, source.uses, target)[2]


def gap(G: nx.MultiDiGraph, source: str, target: str) -> GapResult:
    """What ``target`` requires that ``source`` lacks, ordered by importance in ``target``.

    Parameters
    ----------
    G : the competency graph.
    source, target : occupation codes or names.

    Returns
    -------
    ``{"source", "target", "missing", "covered", "partly", "score", "components",
    "confidence"}``. ``missing`` / ``covered`` / ``partly`` are the target's
    requirements as :func:`queries.classify.classify` sorts them (most important
    first), each ``{"id", "kind", "name", "weight", "importance", "tasks": [target
    task codes], "credit"}``; ``missing`` and ``partly`` entries also have
    ``partly_covered_by`` (``[{"id", "name", "score", "via"}]``, ``via`` ``similar``
    or ``includes``; empty on a missing item) and ``partly`` entries the best single
    ``match`` (``{"id", "name", "score", "credit", "via"}``, ``via`` ``similar``,
    ``review``, ``ngram`` or ``includes``: :class:`queries.classify.Match`). ``score``,
    ``components`` and ``confidence`` are the move's (:func:`queries.classify.assess`).

    Raises
    ------
    UnknownOccupation
        a code is not loaded, or a name fits several occupations.
    QueryError
        source and target are the same occupation.
    """
    a, b = resolve_id(G, source), resolve_id(G, target)
    if a == b:
        raise QueryError(f"source and target are the same occupation ({source!r})")
    idx = index(G)
    pa, pb = idx.profiles[a], idx.profiles[b]
    why = assess_pair(G, pa, pb)
    return GapResult(source=pa.code, target=pb.code, missing=why["missing"],
                     covered=why["covered"], partly=why["partly"], score=why["score"],
                     components=why["components"], confidence=why["confidence"])
