"""The k cheapest routes from one occupation to another through intermediate occupations.

Routes run on an occupation-level weighted digraph. A step u → v costs
``STEP_COST + (1 - move(u → v))``: a fixed price for changing jobs plus how far u is from
v (``move`` is the transitions score of the matching model,
:func:`queries.matching.score_all`). A step exists only when u covers
something of v; to stay fast each occupation keeps only its ``FANOUT`` best next steps and
a route passes at most ``MAX_VIA`` intermediates, while every step into the target and the
direct move stay candidates. Intermediates are current occupations (``latest``, not
historical) other than versions of the two ends.
Paths come from ``networkx.shortest_simple_paths`` (Yen), so they are simple and sorted
by cost; a path's cost is the sum of its (rounded) steps.

>>> from queries.sample import sample_graph
>>> r = paths(sample_graph(), "AAA1111-001v2", "CCC3333-001v1", k=2)
>>> [[s["to"] for s in p["steps"]] for p in r["paths"]]
[['CCC3333-001v1'], ['BBB2222-001v2', 'CCC3333-001v1']]
"""

from __future__ import annotations

from itertools import islice, pairwise
from typing import TYPE_CHECKING, TypedDict

import numpy as np

from loaders.errors import QueryError
from queries.gap import missing_items
from queries.index import Index, index
from queries.matrix import matrices, move_all
from queries.occupations import resolve_id

if TYPE_CHECKING:
    import networkx as nx

#: The fixed cost of one change of occupation, so that many easy hops are not free.
STEP_COST = 0.25
#: How many best next steps each occupation keeps in the routing graph.
FANOUT = 8
#: At most this many intermediate occupations on a route (a route has <= MAX_VIA + 1 steps).
MAX_VIA = 2
_NEIGHBOURS = "neighbours"


def _neighbours(G: nx.MultiDiGraph) -> list[list[tuple[int, float]]]:
    """Per row, its ``FANOUT`` best candidate next steps ``(column, cost)`` (cached)."""
    idx = index(G)
    return idx.derived(_NEIGHBOURS, lambda: _best_moves(G, idx))


def _best_moves(G: nx.MultiDiGraph, idx: Index) -> list[list[tuple[int, float]]]:
    m = matrices(G)
    cover = move_all(G)
    profiles = [idx.profiles[n] for n in m.nodes]
    stem_of = {s: i for i, s in enumerate(sorted({p.stem for p in profiles}))}
    stems = np.array([stem_of[p.stem] for p in profiles])
    ok = np.array([p.latest and not p.historical and p.has_competencies for p in profiles])
    allowed = np.where(ok[None, :] & (stems[:, None] != stems[None, :]), cover, 0.0)
    out: list[list[tuple[int, float]]] = []
    for i in range(len(profiles)):
        row = allowed[i]
        best = np.argpartition(-row, min(FANOUT, len(row) - 1))[:FANOUT]
        out.append([(int(j), _cost(float(row[j]))) for j in sorted(best, key=lambda j: -row[j])
                    if row[j] > 0])
    return out


def _cost(cover: float) -> float:
    return round(STEP_COST + (1.0 - cover), 4)


def routing_graph(G: nx.MultiDiGraph, source: str, target: str) -> nx.DiGraph:
    """The pruned occupation digraph for one query (node ids; edge attribute ``cost``).

    It holds what is reachable from ``source`` through at most ``MAX_VIA`` intermediates
    along each occupation's best next steps, every step from those into ``target``, and
    the direct move.
    """
    import networkx as nx

    idx = index(G)
    m = matrices(G)
    cover = move_all(G)
    s, t = m.row[source], m.row[target]
    ends = {idx.profiles[source].stem, idx.profiles[target].stem}
    allowed = [idx.profiles[n].stem not in ends for n in m.nodes]
    neighbours = _neighbours(G)
    H = nx.DiGraph()
    H.add_nodes_from((source, target))
    frontier, seen = [s], {s}
    for _ in range(MAX_VIA):
        nxt = []
        for i in frontier:
            for j, c in neighbours[i]:
                if allowed[j]:
                    H.add_edge(m.nodes[i], m.nodes[j], cost=c)
                    if j not in seen:
                        seen.add(j)
                        nxt.append(j)
        frontier = nxt
    for i in seen:
        if cover[i, t] > 0:
            H.add_edge(m.nodes[i], target, cost=_cost(float(cover[i, t])))
    H.remove_edges_from([(u, v) for u, v in list(H.edges) if v == source])
    return H


class LearnItem(TypedDict):
    """One item to learn on a step (what ``to`` requires that ``from`` lacks)."""

    id: str
    kind: str
    name: str
    importance: int


#: One move of a route: ``from`` and ``to`` are occupation codes (``from`` is a keyword,
#: hence the functional form).
Step = TypedDict("Step", {"from": str, "to": str, "cost": float, "learn": list[LearnItem]})


class Route(TypedDict):
    """One route: its total cost and its steps."""

    cost: float
    steps: list[Step]


class PathsResult(TypedDict):
    """What :func:`paths` returns."""

    source: str
    target: str
    paths: list[Route]


def paths(G: nx.MultiDiGraph, source: str, target: str, *, k: int = 3) -> PathsResult:
    """The ``k`` cheapest routes from ``source`` to ``target``, each step with what to learn.

    Parameters
    ----------
    G : the competency graph.
    source, target : occupation codes or names.
    k : how many routes (>= 1).

    Returns
    -------
    ``{"source", "target", "paths": [{"cost", "steps": [{"from", "to", "cost",
    "learn": [{"id", "kind", "name", "importance"}]}]}]}``, cheapest first; ``learn``
    is what ``to`` requires that ``from`` lacks (the classification's missing items:
    those ``from`` has a similar item for are partly covered, not listed), most
    important first. No route gives
    an empty ``paths`` list.

    Raises
    ------
    UnknownOccupation
        a code is not loaded.
    QueryError
        source and target are the same occupation, or ``k`` < 1.
    """
    import networkx as nx

    if k < 1:
        raise QueryError(f"k must be at least 1, not {k}")
    a, b = resolve_id(G, source), resolve_id(G, target)
    if a == b:
        raise QueryError(f"source and target are the same occupation ({source!r})")
    idx = index(G)
    H = routing_graph(G, a, b)
    try:
        found = list(islice(nx.shortest_simple_paths(H, a, b, weight="cost"), k))
    except nx.NetworkXNoPath:
        found = []
    routes: list[Route] = []
    for nodes in found:
        steps: list[Step] = []
        for u, v in pairwise(nodes):
            learn = [LearnItem(id=row["id"], kind=row["kind"], name=row["name"],
                               importance=row["importance"])
                     for row in missing_items(G, idx.profiles[u], idx.profiles[v],
                                              partly=False)]
            steps.append({"from": idx.profiles[u].code, "to": idx.profiles[v].code,
                          "cost": H[u][v]["cost"], "learn": learn})
        routes.append({"cost": round(sum(s["cost"] for s in steps), 4), "steps": steps})
    return {"source": idx.profiles[a].code, "target": idx.profiles[b].code, "paths": routes}
