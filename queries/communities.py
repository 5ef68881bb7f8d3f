"""The most transferable items (hubs) and communities of occupations (clusters).

Both look at current occupations only (``latest``, not 《歷史資料》), so that several
loaded versions of one occupation do not count twice.

>>> from queries.sample import sample_graph
>>> [(h["name"], h["occupations"], h["tasks"]) for h in hubs(sample_graph(), top=2)]
[('溝通協調能力', 3, 4), ('數位平台應用能力', 2, 3)]
>>> [h["name"] for h in hubs(sample_graph(), top=2, kind="knowledge")]
['合約締結知識', '網路安全與法規']
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, TypedDict

import numpy as np

from graph.model import ITEM_KIND_WORD, KIND_OF_WORD
from loaders.errors import QueryError, UnknownKey
from queries.index import Profile, index
from queries.matrix import matrices, weighted_all

if TYPE_CHECKING:
    import networkx as nx

#: Louvain's random seed, fixed so that the same graph always gives the same clusters.
SEED = 42
#: Each occupation links to at most this many most-similar others in the cluster graph.
NEIGHBOURS = 10
#: How many items label a cluster.
LABEL_ITEMS = 5



def _current(G: nx.MultiDiGraph) -> list[Profile]:
    return sorted((p for p in index(G).profiles.values() if p.latest and not p.historical),
                  key=lambda p: p.code)


class Hub(TypedDict):
    """One transferable item (see :func:`hubs`)."""

    id: str
    kind: str
    name: str
    occupations: int
    tasks: int


class ClusterItem(TypedDict):
    """An item characterising a cluster, with how many of its members require it."""

    id: str
    name: str
    occupations: int


class Member(TypedDict):
    """An occupation of a cluster."""

    code: str
    name: str


class Cluster(TypedDict):
    """One community of occupations (see :func:`clusters`)."""

    cluster: int
    size: int
    label: str
    items: list[ClusterItem]
    occupations: list[Member]


def hubs(G: nx.MultiDiGraph, *, top: int = 20, kind: str | None = None) -> list[Hub]:
    """The ``top`` items used by the most occupations, then by the most tasks.

    Parameters
    ----------
    G : the competency graph.
    top : how many items (>= 1).
    kind : only items of this kind (``knowledge``, ``skill`` or ``attitude``); the
        few attitudes are shared so widely that they fill an unfiltered list.

    Returns
    -------
    ``[{"id", "kind", "name", "occupations", "tasks"}]``: ``occupations`` counts
    current occupations requiring the item, ``tasks`` their tasks using it (an
    attitude, required by a whole occupation, has none). Ties by name.

    Raises
    ------
    QueryError
        ``top`` < 1.
    UnknownKey
        an unknown ``kind``.
    """
    if top < 1:
        raise QueryError(f"top must be at least 1, not {top}")
    if kind is not None and kind not in KIND_OF_WORD:
        raise UnknownKey("item kind", kind, KIND_OF_WORD)
    occupations: Counter[str] = Counter()
    tasks: Counter[str] = Counter()
    kinds: dict[str, str] = {}
    for p in _current(G):
        for item, use in p.uses.items():
            occupations[item] += 1
            tasks[item] += len(use.tasks)
            kinds[item] = ITEM_KIND_WORD[use.kind]
    names = {item: G.nodes[item].get("name", item) for item in occupations}
    if kind is not None:
        occupations = Counter({i: n for i, n in occupations.items() if kinds[i] == kind})
    ranked = sorted(occupations, key=lambda i: (-occupations[i], -tasks[i], names[i], i))
    return [Hub(id=i, kind=kinds[i], name=names[i], occupations=occupations[i], tasks=tasks[i])
            for i in ranked[:top]]


def _cluster_graph(G: nx.MultiDiGraph, members: list[Profile]) -> nx.Graph:
    import networkx as nx

    m = matrices(G)
    rows = np.array([m.row[p.node] for p in members], dtype=np.int64)
    scores = weighted_all(G)[np.ix_(rows, rows)]
    np.fill_diagonal(scores, 0.0)
    H = nx.Graph()
    H.add_nodes_from(p.node for p in members)
    keep = min(NEIGHBOURS, max(len(members) - 1, 1))
    # Every row's `keep` best at once (one stable sort of the matrix, not one per row);
    # the edges are added row by row in rank order, as Louvain's result depends on it.
    best = np.argsort(-scores, axis=1, kind="stable")[:, :keep]
    sources = np.repeat(np.arange(len(members)), best.shape[1])
    targets = best.ravel()
    weights = scores[sources, targets]
    nodes = [p.node for p in members]
    H.add_weighted_edges_from(
        (nodes[i], nodes[j], w)
        for i, j, w in zip(sources.tolist(), targets.tolist(), weights.tolist(), strict=True)
        if w > 0
    )
    return H


def clusters(G: nx.MultiDiGraph, *, resolution: float = 1.0) -> list[Cluster]:
    """Communities of current occupations that share competencies (Louvain, seeded).

    Only occupations with at least one knowledge or skill item take part.

    Occupations are linked to their ``NEIGHBOURS`` most similar others, weighted by the
    symmetric IDF-weighted overlap; ``networkx.community.louvain_communities`` with a
    fixed seed splits that graph. Each cluster is labelled by the items at least two of
    its members require, ranked by members × ln((1 + N) / (1 + df)), so that what
    characterises the cluster comes before what every occupation has (謹慎細心).

    Parameters
    ----------
    G : the competency graph.
    resolution : Louvain's resolution (> 1 gives more, smaller clusters).

    Returns
    -------
    ``[{"cluster", "size", "label", "items": [{"id", "name", "occupations"}],
    "occupations": [{"code", "name"}]}]``, largest first; ``label`` joins the top
    three item names with 、.

    >>> from queries.sample import sample_graph
    >>> sorted(c["size"] for c in clusters(sample_graph()))
    [3]
    """
    import networkx as nx

    # A standard whose tasks did not load keeps only its attitudes; clustering it by
    # those would be noise, so it is left out.
    members = [p for p in _current(G) if p.has_competencies]
    if not members:
        return []
    H = _cluster_graph(G, members)
    parts = nx.community.louvain_communities(H, weight="weight", resolution=resolution,
                                             seed=SEED)
    idx = index(G)
    by_node = {p.node: p for p in members}
    groups = sorted((sorted(part, key=lambda n: by_node[n].code) for part in parts),
                    key=lambda g: (-len(g), by_node[g[0]].code))
    out: list[Cluster] = []
    for number, group in enumerate(groups, start=1):
        counts = Counter(item for n in group for item in by_node[n].uses)
        shared = [i for i, c in counts.items() if c >= 2 or len(group) == 1]
        # idf - 1 = ln((1 + N) / (1 + df)): an item every occupation has scores ~0 here.
        shared.sort(key=lambda i: (-counts[i] * (idx.idf[i] - 1.0), -counts[i], i))
        items = [ClusterItem(id=i, name=G.nodes[i].get("name", i), occupations=counts[i])
                 for i in shared[:LABEL_ITEMS]]
        out.append(Cluster(
            cluster=number, size=len(group), label="、".join(e["name"] for e in items[:3]),
            items=items,
            occupations=[Member(code=by_node[n].code, name=by_node[n].name) for n in group],
        ))
    return out
