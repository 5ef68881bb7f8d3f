"""Graph serialisation: node-link and adjacency dicts, and the fast assembly of a graph
(files are written by :mod:`graph.atomic`).

Two layouts of the same graph as plain JSON values:

* **node-link** (``{"nodes": [{"id", …}], "edges": [{"source", "target", "key", …}]}``),
  networkx's own, what :func:`graph.store.save_graph` writes and the ``json`` export;
* **adjacency** (``{"nodes": {id: attrs}, "adj": {u: {v: {key: attrs}}}}``), the
  cache's: after ``json.load`` its dicts *are* networkx's node and successor dicts,
  so a warm start only has to link the predecessor dicts, where node-link needs a
  pass with three ``pop`` per edge.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx


def graph_to_data(G: nx.MultiDiGraph) -> dict[str, Any]:
    """The node-link form of ``G`` (``nodes`` / ``edges`` lists), plain JSON values.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(); G.add_edge("a", "b", key="R", rel="R")
    'R'
    >>> graph_to_data(G)["edges"]
    [{'rel': 'R', 'source': 'a', 'target': 'b', 'key': 'R'}]
    """
    import networkx as nx

    data: dict[str, Any] = nx.node_link_data(G, edges="edges")
    return data


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while many acyclic dicts are created.

    Building or reading the graph makes hundreds of thousands of small dicts; each
    automatic collection would rescan every object alive (the loaded corpus too),
    which made a one-second job take ten. Nothing made here forms a cycle.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def assemble(
    nodes: Iterable[tuple[str, dict[str, Any]]],
    edges: Iterable[tuple[str, str, str, dict[str, Any]]],
) -> nx.MultiDiGraph:
    """A MultiDiGraph from (id, attrs) nodes and (u, v, key, attrs) edges, dicts reused.

    A repeated node or (u, v, key) keeps the last attrs, as ``add_node`` / ``add_edge``
    would leave them for these graphs.

    Raises
    ------
    KeyError : an edge names a node that is not in ``nodes``.

    >>> G = assemble([("a", {}), ("b", {})], [("a", "b", "R", {"rel": "R"})])
    >>> list(G.edges(keys=True, data=True))
    [('a', 'b', 'R', {'rel': 'R'})]
    """
    import networkx as nx

    G = nx.MultiDiGraph()
    node, adj, pred = G._node, G._adj, G._pred
    # Filling networkx's dicts directly is several times faster than add_node /
    # add_edge; it is what keeps the build under a second and makes a warm start
    # cost little more than the JSON read itself.
    for n, attrs in nodes:
        if n not in node:
            adj[n] = {}
            pred[n] = {}
        node[n] = attrs
    for u, v, k, attrs in edges:
        if u not in node or v not in node:
            raise KeyError(f"edge {u!r} -> {v!r} names an unknown node")
        keyed = adj[u].get(v)
        if keyed is None:
            keyed = adj[u][v] = {}
            pred[v][u] = keyed
        keyed[k] = attrs
    return G


def data_to_graph(data: dict[str, Any]) -> nx.MultiDiGraph:
    """Rebuild a graph from :func:`graph_to_data` output (the dicts are reused, not copied).

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(); G.add_edge("a", "b", key="R", rel="R")
    'R'
    >>> H = data_to_graph(graph_to_data(G))
    >>> list(H.edges(keys=True, data=True))
    [('a', 'b', 'R', {'rel': 'R'})]
    """
    G = assemble(
        ((attrs.pop("id"), attrs) for attrs in data["nodes"]),
        ((e.pop("source"), e.pop("target"), e.pop("key"), e) for e in data["edges"]),
    )
    G.graph.update(data.get("graph") or {})
    return G


def graph_to_adjacency(G: nx.MultiDiGraph) -> dict[str, Any]:
    """The adjacency form of ``G``: every node's attrs and out-edges, in node order.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(); G.add_edge("a", "b", key="R", rel="R")
    'R'
    >>> graph_to_adjacency(G)["adj"]
    {'a': {'b': {'R': {'rel': 'R'}}}, 'b': {}}
    """
    return {"graph": dict(G.graph), "nodes": dict(G.nodes(data=True)),
            "adj": {u: {v: dict(keyed) for v, keyed in nbrs.items()} for u, nbrs in G.adj.items()}}


def adjacency_to_graph(data: dict[str, Any]) -> nx.MultiDiGraph:
    """Rebuild a graph from :func:`graph_to_adjacency` output (its dicts become the graph's).

    Raises
    ------
    ValueError : nodes and adjacency disagree, or an edge names an unknown node.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(); G.add_edge("a", "b", key="R", rel="R")
    'R'
    >>> H = adjacency_to_graph(graph_to_adjacency(G))
    >>> list(H.in_edges("b", keys=True, data=True))
    [('a', 'b', 'R', {'rel': 'R'})]
    """
    import networkx as nx

    nodes: dict[str, dict[str, Any]] = data["nodes"]
    adj: dict[str, dict[str, dict[str, Any]]] = data["adj"]
    if not isinstance(nodes, dict) or not isinstance(adj, dict) or nodes.keys() != adj.keys():
        raise ValueError("nodes and adjacency list different nodes")
    pred: dict[str, dict[str, Any]] = {n: {} for n in nodes}
    try:
        for u, nbrs in adj.items():
            for v, keyed in nbrs.items():
                pred[v][u] = keyed
    except (KeyError, AttributeError, TypeError) as exc:
        raise ValueError(f"corrupt adjacency: {exc!r}") from exc
    G = nx.MultiDiGraph()
    G.graph.update(data.get("graph") or {})
    # networkx reads these three dicts and nothing else for a MultiDiGraph's structure.
    G._node = nodes
    G._adj = adj  # also sets _succ
    G._pred = pred
    return G
