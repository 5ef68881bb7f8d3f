"""What several occupations share: identical, alias-merged and partly matching items, with
scores — read off the one classification (:func:`queries.classify.classify`) in both
directions, so that what overlap calls shared, gap and transitions call covered or partly
covered, never missing.

Weights are the matching model's (:mod:`queries.matching`): an item every occupation has,
like 溝通協調能力, counts less than a rare one, and more in the occupation that relies on it
in more tasks. *Credit* of a requirement is 1 when the other side has the same item, else
the credit of its best single partial match. The weighted score of A and B is

    (Σ_{b∈B} w_B(b)·credit_A(b) + Σ_{a∈A} w_A(a)·credit_B(a)) / (Σ_{b∈B} w_B(b) + Σ_{a∈A} w_A(a))

which is 1 for identical requirement sets and 0 when nothing is shared or similar. The
sparse all-pairs version in :mod:`queries.matrix` computes the same number.

>>> from queries.sample import sample_graph
>>> result = overlap(sample_graph(), ["AAA1111-001v2", "BBB2222-001v2"])
>>> [(e["name"], e["match"]) for e in result["shared"]["knowledge"]]
[('合約締結知識', 'identical'), ('網路安全與法規', 'identical'), ('網紅類型與商業模式', 'similar')]
>>> [(d["source"], d["target"], len(d["covered"]), len(d["partly"]), len(d["missing"]))
...  for d in result["directions"]]
[('AAA1111-001v2', 'BBB2222-001v2', 4, 1, 3), ('BBB2222-001v2', 'AAA1111-001v2', 4, 1, 1)]
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations, permutations
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict, cast

from graph.kinds import INFO, ITEM_KINDS
from loaders.errors import QueryError
from queries.classify import Assessment, assess_pair
from queries.index import Profile, index
from queries.matching import model
from queries.matrix import weighted_pair
from queries.occupations import resolve_id

if TYPE_CHECKING:
    import networkx as nx


class SharedEntry(TypedDict):
    """One shared item (see :func:`overlap`); ``other`` / ``other_id`` only for a partial
    match (``similar`` or ``includes``)."""

    id: str
    name: str
    match: str
    score: float
    weight: float
    evidence: dict[str, list[str]]
    other: NotRequired[str]
    other_id: NotRequired[str]


class Direction(Assessment):
    """The classification of ``target``'s requirements against ``source`` (as in gap)."""

    source: str
    target: str


class OverlapResult(TypedDict):
    """What :func:`overlap` returns (``common`` and ``matrix`` for three or more)."""

    occupations: list[str]
    shared: dict[str, list[SharedEntry]]
    jaccard: float
    weighted: float
    directions: list[Direction]
    common: NotRequired[list[str]]
    matrix: NotRequired[list[list[float]]]


#: The JSON key of each item kind in ``shared``.
SHARED_KEY = {kind: INFO[kind].group for kind in ITEM_KINDS}
_MATCH_ORDER = {"identical": 0, "alias": 1, "similar": 2, "includes": 3}


def weighted_score(G: nx.MultiDiGraph, a: Profile, b: Profile) -> float:
    """The symmetric weighted overlap of two profiles, in [0, 1] (formula above)."""
    return weighted_pair(G, a.node, b.node)


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


def _identical(G: nx.MultiDiGraph, group: Sequence[Profile],
               weights: dict[tuple[str, str], float]) -> list[tuple[str, SharedEntry]]:
    out: list[tuple[str, SharedEntry]] = []
    seen: set[str] = set()
    for p, q in combinations(group, 2):
        for item in sorted(p.uses.keys() & q.uses.keys()):
            if item in seen:
                continue
            seen.add(item)
            users = [r for r in group if item in r.uses]
            surfaces = {r.uses[item].surface for r in users}
            weight = max(weights.get((r.node, item), 0.0) for r in users)
            out.append((SHARED_KEY[p.uses[item].kind], SharedEntry(
                id=item, name=G.nodes[item].get("name", item),
                match="alias" if len(surfaces) > 1 else "identical", score=1.0,
                weight=round(weight, 4),
                evidence=_evidence(users, {r.code: item for r in users}))))
    return out


def _partial(G: nx.MultiDiGraph, p: Profile, q: Profile,
             directions: dict[tuple[str, str], Assessment]) -> list[tuple[str, SharedEntry]]:
    """The partial matches between ``p`` (earlier) and ``q`` (later), both ways, once each:
    ``id`` / ``name`` on ``p``'s side, ``other`` on ``q``'s."""
    out: dict[tuple[str, str], tuple[str, SharedEntry]] = {}
    for source, target in ((p, q), (q, p)):
        for r in directions[(source.node, target.node)]["partly"]:
            match = r["match"]
            mine, theirs = (match["id"], r["id"]) if source is p else (r["id"], match["id"])
            if (mine, theirs) in out:
                continue
            via = "includes" if match["via"] == "includes" else "similar"
            out[(mine, theirs)] = (SHARED_KEY[p.uses[mine].kind], SharedEntry(
                id=mine, name=G.nodes[mine].get("name", mine), match=via,
                score=match["score"] if match["score"] is not None else match["credit"],
                weight=r["weight"],
                other=G.nodes[theirs].get("name", theirs), other_id=theirs,
                evidence=_evidence([p, q], {p.code: mine, q.code: theirs})))
    return [out[k] for k in sorted(out)]


def _shared(G: nx.MultiDiGraph, group: Sequence[Profile],
            directions: dict[tuple[str, str], Assessment]) -> dict[str, list[SharedEntry]]:
    out: dict[str, list[SharedEntry]] = {key: [] for key in SHARED_KEY.values()}
    m = model(G)
    weights = {(r.node, item): m.weight(item, use, r)
               for r in group for item, use in r.uses.items()}
    for key, entry in _identical(G, group, weights):
        out[key].append(entry)
    for p, q in combinations(group, 2):
        for key, entry in _partial(G, p, q, directions):
            out[key].append(entry)
    for entries in out.values():
        entries.sort(key=lambda e: (_MATCH_ORDER[e["match"]], -e["weight"], e["name"],
                                    e.get("other", "")))
    return out


def overlap(G: nx.MultiDiGraph, codes: Sequence[str]) -> OverlapResult:
    """What the given occupations share, per kind, with evidence and scores.

    Parameters
    ----------
    G : the competency graph.
    codes : two or more occupation codes (or names, see :func:`resolve_id`).

    Returns
    -------
    ``{"occupations": [codes], "shared": {"knowledge": [...], "skills": [...],
    "attitudes": [...]}, "jaccard": x, "weighted": x, "directions": [...]}``. Each
    shared entry is ``{"id", "name", "match", "score", "weight", "evidence": {code:
    [task codes]}}``; ``match`` is ``identical``, ``alias`` (one node reached through
    different surface forms), ``similar`` (a SIMILAR_TO partial match) or ``includes``
    (a term whose note lists the other item; ``score`` is then its credit); for the
    last two ``name`` is the item on the earlier occupation's side and ``other`` /
    ``other_id`` the one on the later's. A partial match is listed when it is the best
    single match of a requirement in either direction (exactly the ``partly`` items of
    ``directions``). ``directions`` holds, for every ordered pair, the classification
    and score of the move (:func:`queries.classify.assess`): ``{"source", "target",
    "score", "components", "confidence", "covered", "partly", "missing"}``. For three
    or more occupations also ``common`` (ids of items all require) and ``matrix``
    (pairwise weighted scores); ``jaccard`` is then |common| / |union| and
    ``weighted`` the mean of the pairwise scores.

    Raises
    ------
    UnknownOccupation
        a code is not loaded, or a name fits several occupations.
    QueryError
        fewer than two occupations, or one named twice.

    >>> from queries.sample import sample_graph
    >>> r = overlap(sample_graph(), ["AAA1111-001v2", "BBB2222-001v2", "CCC3333-001v1"])
    >>> r["common"], r["matrix"][0][0], len(r["directions"])
    (['skill:溝通協調能力'], 1.0, 6)
    """
    group = _profiles(G, codes)
    profiles = {p.node: p for p in group}
    assessed = {(a.node, b.node): assess_pair(G, a, b) for a, b in permutations(group, 2)}
    sets = [set(p.uses) for p in group]
    union = set().union(*sets)
    common = set.intersection(*sets)
    result: dict[str, Any] = {
        "occupations": [p.code for p in group],
        "shared": _shared(G, group, assessed),
        "jaccard": round(len(common) / len(union), 4) if union else 0.0,
    }
    result["directions"] = [
        Direction(source=a.code, target=b.code, score=why["score"],
                  components=why["components"], confidence=why["confidence"],
                  covered=why["covered"], partly=why["partly"], missing=why["missing"])
        for (na, nb), why in assessed.items()
        for a, b in [(profiles[na], profiles[nb])]]
    if len(group) == 2:
        result["weighted"] = round(weighted_score(G, group[0], group[1]), 4)
        return cast(OverlapResult, result)
    matrix = [[1.0 if i == j else round(weighted_score(G, a, b), 4)
               for j, b in enumerate(group)] for i, a in enumerate(group)]
    pairs = [matrix[i][j] for i, j in combinations(range(len(group)), 2)]
    result["weighted"] = round(sum(pairs) / len(pairs), 4)
    result["common"] = sorted(common)
    result["matrix"] = matrix
    return cast(OverlapResult, result)
