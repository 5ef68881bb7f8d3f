"""The graph as a lookup sees it when the lookup cache answers: :class:`LiteGraph`.

Rebuilding the whole networkx graph from the cache (64,579 nodes, 182,940 edges on the
905-standard corpus) and the query index, matching model and name spaces on top of it is
most of what a lookup command used to cost. A ``LiteGraph`` is read from one file kept beside
the graph cache (:mod:`queries.lookup_cache` writes it): the nodes' attributes (decoded one
node at a time), the graph's sizes and attributes, and the values the queries derived from
the graph (:meth:`LiteGraph.value`), each read and checked only when first used. The
queries take it where they take the graph — ``G._node`` / ``G.nodes[n]``, ``n in G``,
``G.graph``, ``G.number_of_nodes()`` — and find what they derive from ``G`` already made
(:func:`stored`). Whatever needs the whole graph gets it from :meth:`LiteGraph.full` (the
engine's bulk load, say), built the usual way.

A node's attributes are kept per id prefix (``skill:``, ``task:`` …), so a lookup that
names items reads the items' attributes, not the indicators'.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from graph.codec import Decoder
from graph.sections import SectionFile
from loaders.errors import CacheError, NotKept

if TYPE_CHECKING:
    import networkx as nx

#: Names of what the graph part of the lookup cache keeps.
NODES = "graph:nodes:"
IDS = "graph:ids"
KINDS = "graph:kinds"
EDGES = "graph:edges"
ORDER = "graph:order"


def _prefix(node: str) -> str:
    return node.partition(":")[0]


class LiteNodes(Mapping[str, dict[str, Any]]):
    """Node id → attribute dict, decoded on first access (the same dict every time)."""

    def __init__(self, graph: LiteGraph) -> None:
        self._graph = graph

    def _part(self, node: object) -> Mapping[str, dict[str, Any]] | None:
        if not isinstance(node, str):
            return None
        found: Mapping[str, dict[str, Any]] | None = self._graph.value(NODES + _prefix(node))
        return found

    def __getitem__(self, node: str) -> dict[str, Any]:
        part = self._part(node)
        if part is None:
            raise KeyError(node)
        return part[node]

    def __contains__(self, node: object) -> bool:
        part = self._part(node)
        return part is not None and node in part

    def __iter__(self) -> Iterator[str]:
        ids: tuple[str, ...] = self._graph.value(IDS) or ()
        return iter(ids)

    def __len__(self) -> int:
        return self._graph.number_of_nodes()

    def __call__(self, data: bool | str = False, default: Any = None) -> Iterator[Any]:
        """As networkx's ``G.nodes(data=…)``: ids, ``(id, attributes)`` or ``(id, value)``
        (the kinds without decoding any node; anything else decodes every node)."""
        if data is False:
            return iter(self)
        if data == "kind":
            return iter(node_kinds(self._graph))
        if data is True:
            return ((node, self[node]) for node in self)
        return ((node, self[node].get(data, default)) for node in self)


class LiteGraph:
    """A read-only stand-in for the built graph, answering from the lookup cache.

    Parameters
    ----------
    file : the open lookup cache (its ``meta`` holds ``graph``, ``nodes``, ``edges``).
    full : builds (or reads) the whole networkx graph, for what needs it.
    """

    def __init__(self, file: SectionFile,
                 full: Callable[[], nx.MultiDiGraph] | None = None) -> None:
        self._decoder = Decoder(file)
        meta = file.meta
        self.graph: dict[str, Any] = dict(meta["graph"])
        self._nodes = int(meta["nodes"])
        self._edges = int(meta["edges"])
        self._values: dict[str, Any] = {}
        self._load_full = full
        self._full: nx.MultiDiGraph | None = None
        self._node = LiteNodes(self)

    @property
    def file(self) -> SectionFile:
        """The open lookup cache."""
        return self._decoder.file

    @property
    def nodes(self) -> LiteNodes:
        """Node id → attributes (``G.nodes[n]``)."""
        return self._node

    def number_of_nodes(self) -> int:
        return self._nodes

    def number_of_edges(self) -> int:
        return self._edges

    def __len__(self) -> int:
        return self._nodes

    def __contains__(self, node: object) -> bool:
        return node in self._node

    def __iter__(self) -> Iterator[str]:
        return iter(self._node)

    def is_directed(self) -> bool:
        return True

    def is_multigraph(self) -> bool:
        return True

    def __getattr__(self, name: str) -> Any:
        # Edges, adjacency, views: what the lookup cache does not keep. The command then
        # answers from the built graph (cli.context.Context.lookup catches this).
        raise NotKept(f"the lookup cache does not keep the graph's {name!r}")

    def value(self, name: str) -> Any:
        """The value kept under ``name`` (decoded once), or None when none is kept.

        Raises
        ------
        CacheError : the value is damaged (the caller answers from the full graph).
        """
        if name not in self._values:
            self._values[name] = (self._decoder.value(name) if name in self._decoder.file
                                  else None)
        return self._values[name]

    def full(self) -> nx.MultiDiGraph:
        """The whole networkx graph (loaded on first call)."""
        if self._full is None:
            if self._load_full is None:
                raise CacheError("the lookup cache has no way to the full graph")
            self._full = self._load_full()
        return self._full


def stored(G: Any, name: str) -> Any:
    """What the lookup cache keeps under ``name`` for ``G``; None for a networkx graph (or
    when nothing is kept under that name)."""
    return G.value(name) if isinstance(G, LiteGraph) else None


def materialised(G: Any) -> nx.MultiDiGraph:
    """``G`` itself, or for a :class:`LiteGraph` the whole graph it stands for."""
    return G.full() if isinstance(G, LiteGraph) else G


def node_kinds(G: Any) -> Iterator[tuple[str, Any]]:
    """``(node, kind attribute)`` for every node, in graph order."""
    if isinstance(G, LiteGraph):
        return zip(G.value(IDS), G.value(KINDS), strict=True)
    return iter(G.nodes(data="kind"))


def edge_total(G: Any) -> int:
    """The number of edges (relationships), counted without views on a networkx graph."""
    if isinstance(G, LiteGraph):
        return G.number_of_edges()
    if not (G.is_multigraph() and G.is_directed()):
        return int(G.number_of_edges())
    return sum(len(keyed) for nbrs in G._adj.values() for keyed in nbrs.values())


def relationships(G: Any) -> Iterator[tuple[Any, Any, str]]:
    """``(start, end, type)`` of every edge (``type`` its ``rel``, else its key); on a
    :class:`LiteGraph` the ends are node positions, not ids (for structure, not names)."""
    if isinstance(G, LiteGraph):
        starts, ends, codes, names = G.value(EDGES)
        return zip(starts.tolist(), ends.tolist(), (names[c] for c in codes.tolist()),
                   strict=True)
    return ((u, v, str(d.get("rel", k))) for u, v, k, d in G.edges(keys=True, data=True))


def graph_values(G: nx.MultiDiGraph) -> dict[str, object]:
    """What the lookup cache keeps of ``G`` itself: its nodes' attributes (by id prefix),
    ids, kinds and relationships."""
    import numpy as np

    position = {n: i for i, n in enumerate(G._node)}
    parts: dict[str, dict[str, Any]] = {}
    for node, attrs in G._node.items():
        parts.setdefault(_prefix(node), {})[node] = attrs
    names: dict[str, int] = {}
    starts: list[int] = []
    ends: list[int] = []
    codes: list[int] = []
    for u, nbrs in G._adj.items():  # networkx's own dicts: edge views cost several times more
        for v, keyed in nbrs.items():
            for key, attrs in keyed.items():
                starts.append(position[u])
                ends.append(position[v])
                codes.append(names.setdefault(str(attrs.get("rel", key)), len(names)))
    edges = (np.array(starts, dtype=np.int32), np.array(ends, dtype=np.int32),
             np.array(codes, dtype=np.int32), tuple(names))
    order = kind_order(G)
    kept = {} if order is None else {ORDER: (tuple(order), ids_digest(order))}
    return {IDS: tuple(G._node), KINDS: tuple(a.get("kind") for a in G._node.values()),
            EDGES: edges, **kept, **{NODES + p: nodes for p, nodes in parts.items()}}


def kind_order(G: Any) -> list[str] | None:
    """Every node id grouped by kind, kinds in :class:`graph.model.Kind` order (graph order
    within a kind): the order in which a bulk load creates the engine's nodes
    (:func:`cypher.embedded.snapshot.node_order`); None when a node's kind is none of them.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", kind="Skill")
    >>> G.add_node("b", kind="Occupation")
    >>> kind_order(G), kind_order(nx.MultiDiGraph([("x", "y")]))
    (['b', 'a'], None)
    """
    if isinstance(G, LiteGraph):
        kept = G.value(ORDER)
        return None if kept is None else list(kept[0])
    from graph.model import Kind

    by_kind: dict[str, list[str]] = {kind.value: [] for kind in Kind}
    for node, kind in node_kinds(G):
        found = by_kind.get(kind) if isinstance(kind, str) else None
        if found is None:
            return None
        found.append(node if type(node) is str else str(node))
    return [node for nodes in by_kind.values() for node in nodes]


def ids_digest(ids: list[str]) -> bytes:
    """SHA-256 of the JSON of ``ids`` (unambiguous: ids may hold any character); kept with
    :func:`kind_order` for a :class:`LiteGraph`, whose engine snapshot is keyed on it."""
    import hashlib
    import json

    return hashlib.sha256(json.dumps(ids).encode()).digest()


def kept_order_digest(G: Any) -> bytes | None:
    """:func:`ids_digest` of :func:`kind_order` as the lookup cache keeps it for a
    :class:`LiteGraph`; None for any other graph (or when none is kept)."""
    kept = stored(G, ORDER)
    return None if kept is None else bytes(kept[1])


def graph_meta(G: nx.MultiDiGraph) -> dict[str, Any]:
    """The sizes and attributes a :class:`LiteGraph` of ``G`` answers with."""
    return {"graph": dict(G.graph), "nodes": G.number_of_nodes(), "edges": edge_total(G)}
