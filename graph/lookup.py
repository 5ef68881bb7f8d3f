"""Finding nodes: substring search over names and codes, and what one item is used by.

Matching is done on identity keys (:func:`graph.identity.item_key`), so a query
with extraction spaces, full-width letters or a variant character (台/臺)
still finds its node. The normalised names are computed once per graph and
kept beside it (a graph that changes size gets a fresh index).
"""

from __future__ import annotations

import difflib
import weakref
from bisect import bisect_right
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from graph.identity import item_key, search_keys
from graph.lite import stored
from graph.model import ITEM_KINDS, REQUIRES, Kind, Rel, kind_of
from graph.serialize import no_gc
from loaders.errors import CacheError, UnknownItem

if TYPE_CHECKING:
    import networkx as nx

#: Order of kinds in search results: occupations first, then items, then the rest.
KIND_ORDER: tuple[Kind, ...] = (
    Kind.OCCUPATION, *ITEM_KINDS, Kind.DUTY, Kind.TASK, Kind.OUTPUT, Kind.INDICATOR,
    Kind.CATEGORY, Kind.GROUP, Kind.INDUSTRY,
)
_RANK = {kind.value: i for i, kind in enumerate(KIND_ORDER)}
_SUGGESTIONS = 5
_REQUIRES = frozenset(r.value for r in REQUIRES.values())
_INCLUDES = Rel.INCLUDES.value
_SIMILAR = Rel.SIMILAR_TO.value


@dataclass(frozen=True, slots=True)
class _Column:
    """One string per node, joined end to end, with where each ends: a substring search
    scans one long string instead of tens of thousands of short ones (and the lookup cache
    reads one string back instead of tens of thousands)."""

    text: str
    ends: tuple[int, ...]

    @classmethod
    def of(cls, texts: Iterable[str]) -> _Column:
        parts = list(texts)
        return cls("".join(parts), tuple(accumulate(map(len, parts))))

    def __getitem__(self, row: int) -> str:
        return self.text[self.ends[row - 1] if row else 0 : self.ends[row]]

    def rows_containing(self, query: str) -> set[int]:
        """The rows whose string contains ``query`` (an occurrence across two rows' strings
        is no occurrence)."""
        found: set[int] = set()
        at = self.text.find(query)
        while at >= 0:
            row = bisect_right(self.ends, at)
            if at + len(query) <= self.ends[row]:
                found.add(row)
                at = self.text.find(query, self.ends[row])  # the next row's string on
            else:
                at = self.text.find(query, at + 1)
        return found


@dataclass(frozen=True, slots=True)
class _Index:
    """Every node's id, kind, normalised name and code (rows in graph order), and item
    forms."""

    size: int
    ids: _Column
    kinds: bytes  # per row, a position in kind_names
    kind_names: tuple[str, ...]
    name_keys: _Column
    code_keys: _Column
    items: dict[str, tuple[str, ...]]  # identity key (names and aliases) -> item node ids


_INDEXES: weakref.WeakKeyDictionary[nx.MultiDiGraph, _Index] = weakref.WeakKeyDictionary()


#: What the lookup cache keeps for these functions (see :func:`lookup_values`).
SEARCH_KEY = "lookup:search"
ITEMS_KEY = "lookup:items"
STATS_KEY = "lookup:stats"


def _index(G: nx.MultiDiGraph) -> _Index:
    cached = _INDEXES.get(G)
    if cached is not None and cached.size == G.number_of_nodes():
        return cached
    kept = stored(G, SEARCH_KEY)
    if kept is not None:
        if not isinstance(kept, _Index) or kept.size != G.number_of_nodes():
            raise CacheError("lookup cache: the search index is not this graph's")
        _INDEXES[G] = kept
        return kept
    with no_gc():
        nodes = tuple(G.nodes)
        data = [G.nodes[n] for n in nodes]
        kinds = tuple(str(d.get("kind", "")) for d in data)
        names = search_keys([str(d.get("name", "")) for d in data])
        codes = search_keys([str(d.get("code", "")) for d in data])
        items: dict[str, list[str]] = {}
        item_kinds = {k.value for k in ITEM_KINDS}
        for node, kind, d, name_key in zip(nodes, kinds, data, names, strict=True):
            if kind in item_kinds:
                aliases = [a for a in str(d.get("aliases", "")).split("、") if a]
                for form in dict.fromkeys([str(d.get("key", name_key)), *map(item_key, aliases)]):
                    items.setdefault(form, []).append(node)
        kind_names = tuple(dict.fromkeys(kinds))
        number = {kind: i for i, kind in enumerate(kind_names)}
        index = _Index(len(nodes), _Column.of(nodes), bytes(number[k] for k in kinds),
                       kind_names, _Column.of(names), _Column.of(codes),
                       {k: tuple(sorted(v, key=_item_rank)) for k, v in items.items()})
    _INDEXES[G] = index
    return index


def _item_rank(node: str) -> tuple[int, str]:
    return (_RANK.get(kind_of(node).value, 99), node)


def search(
    G: nx.MultiDiGraph, text: str, *, kinds: Collection[Kind] | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """Nodes whose name or code contains ``text`` (after normalisation of both).

    Parameters
    ----------
    G : the competency graph.
    text : a fragment of a name or code; spaces, markup, case and variant characters
        do not matter.
    kinds : only nodes of these kinds (default: all).
    limit : at most this many results.

    Returns
    -------
    list[dict] : ``{"id", "kind", "name", "code", "standard"}`` (``code`` / ``standard``
    empty when the node has none), occupations first, then K / S / A, then the rest;
    exact matches before partial ones, then shorter names first.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("skill:溝通協調能力", kind="Skill", name="溝通協調能力", key="沟通协调能力")
    >>> G.add_node("occupation:X-001v1", kind="Occupation", name="溝通專員", code="X-001v1")
    >>> [r["id"] for r in search(G, "溝通")]
    ['occupation:X-001v1', 'skill:溝通協調能力']
    """
    query = item_key(text)
    if not query or limit <= 0:
        return []
    wanted = None if kinds is None else {k.value for k in kinds}
    hits: list[tuple[tuple[int, int, int, str], str]] = []
    index = _index(G)
    for row in index.name_keys.rows_containing(query) | index.code_keys.rows_containing(query):
        kind = index.kind_names[index.kinds[row]]
        if wanted is not None and kind not in wanted:
            continue
        name_key, code_key, node = index.name_keys[row], index.code_keys[row], index.ids[row]
        exact = 0 if query in (name_key, code_key) else 1
        hits.append(((_RANK.get(kind, 99), exact, len(name_key), node), node))
    hits.sort()
    out: list[dict[str, Any]] = []
    for _rank, node in hits[:limit]:
        data = G.nodes[node]
        code = str(data.get("code", ""))
        standard = code if data.get("kind") == Kind.OCCUPATION.value else data.get("standard", "")
        out.append({"id": node, "kind": data.get("kind", ""), "name": data.get("name", ""),
                    "code": code, "standard": str(standard)})
    return out


def _standard_of(G: nx.MultiDiGraph, node: str) -> str:
    data = G._node[node]
    if data.get("kind") == Kind.OCCUPATION.value:
        return str(data.get("code", ""))
    return str(data.get("standard", ""))


def occupations_using(G: nx.MultiDiGraph, item_id: str) -> list[str]:
    """Codes of the standards that require the item directly (tasks for K / S, the
    occupation for A), sorted.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("task:X-001v1/T1.1", kind="Task", standard="X-001v1")
    >>> G.add_node("skill:談判能力", kind="Skill")
    >>> _ = G.add_edge("task:X-001v1/T1.1", "skill:談判能力", key="REQUIRES_SKILL",
    ...                rel="REQUIRES_SKILL")
    >>> occupations_using(G, "skill:談判能力")
    ['X-001v1']
    """
    if item_id not in G:
        return []
    requires = _REQUIRES
    # networkx's own predecessor dicts (u -> {key: attrs}): edge views cost several times
    # more, and the lookup cache computes this for every item.
    codes = {_standard_of(G, u) for u, keyed in G._pred[item_id].items()
             if not requires.isdisjoint(keyed)}
    codes.discard("")
    return sorted(codes)


def _includers(G: nx.MultiDiGraph, item_id: str) -> set[str]:
    """Every item that includes ``item_id``, directly or through a chain of INCLUDES."""
    found: set[str] = set()
    frontier = [item_id]
    while frontier:
        node = frontier.pop()
        for u, keyed in G._pred[node].items():
            if _INCLUDES in keyed and u not in found and u != item_id:
                found.add(u)
                frontier.append(u)
    return found


def _suggest(G: nx.MultiDiGraph, name: str, index: _Index) -> list[str]:
    """Up to five item names close to ``name``: containing it, contained in it, or
    close by difflib, best ratio first."""
    query = item_key(name)
    if not query:
        return []
    keys = {k: str(G.nodes[nodes[0]].get("name", "")) for k, nodes in index.items.items()}
    found = {k for k in keys if query in k or (len(k) >= 2 and k in query)}
    found.update(difflib.get_close_matches(query, list(keys), n=_SUGGESTIONS, cutoff=0.6))

    def closeness(k: str) -> tuple[float, str]:
        return (-difflib.SequenceMatcher(None, query, k).ratio(), k)

    return list(dict.fromkeys(keys[k] for k in sorted(found, key=closeness)))[:_SUGGESTIONS]


def _similar(G: nx.MultiDiGraph, node: str) -> list[dict[str, Any]]:
    similar = _SIMILAR
    out = [
        {"id": v, "name": G.nodes[v].get("name", ""), "score": float(d.get("score", 0.0)),
         "tier": d.get("tier", ""), "method": d.get("method", "")}
        for v, keyed in G._succ[node].items() if (d := keyed.get(similar)) is not None
    ]
    return sorted(out, key=lambda s: (-s["score"], s["id"]))


def find_item(G: nx.MultiDiGraph, name: str) -> str:
    """The id of the item named ``name`` (a node id, a name or an alias, normalised).

    When a knowledge and a skill share the name, the knowledge wins (K, S, A order).

    Raises
    ------
    UnknownItem : no item matches; carries up to five suggestions.
    """
    if name in G and G.nodes[name].get("kind") in {k.value for k in ITEM_KINDS}:
        return name
    index = _index(G)
    nodes = index.items.get(item_key(name))
    if not nodes:
        raise UnknownItem(name, _suggest(G, name, index))
    return nodes[0]


def _codes(G: nx.MultiDiGraph, nodes: Iterable[str]) -> list[str]:
    return sorted({code for n in nodes for code in occupations_using(G, n)})


def item_info(G: nx.MultiDiGraph, name: str) -> dict[str, Any]:
    """What ``icapgraph item NAME --json`` prints about one knowledge / skill / attitude.

    Returns
    -------
    dict : ``{"id", "kind", "name", "aliases": [...], "occupations": [codes using it
    directly], "via": [codes reaching it through INCLUDES, transitively], "similar":
    [{"id", "name", "score", "tier", "method"}]}`` (similar by falling score).

    Raises
    ------
    UnknownItem : no item matches after normalisation (with suggestions).

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("skill:談判能力", kind="Skill", name="談判能力", key="谈判能力", aliases="")
    >>> item_info(G, "談判 能力")["id"]
    'skill:談判能力'
    """
    node = find_item(G, name)
    data = G.nodes[node]
    aliases = [a for a in str(data.get("aliases", "")).split("、") if a]
    kept = stored(G, ITEMS_KEY)
    facts = item_facts(G, node) if kept is None else kept[node]
    return {
        "id": node,
        "kind": data.get("kind", ""),
        "name": data.get("name", ""),
        "aliases": aliases,
        "occupations": facts["occupations"],
        "via": facts["via"],
        "similar": facts["similar"],
    }


def item_facts(G: nx.MultiDiGraph, node: str) -> dict[str, Any]:
    """What :func:`item_info` reads from the edges around item ``node``: ``occupations``
    (codes using it directly), ``via`` (codes reaching it through INCLUDES, transitively)
    and ``similar`` (its SIMILAR_TO items, by falling score)."""
    return {"occupations": occupations_using(G, node), "via": _codes(G, _includers(G, node)),
            "similar": _similar(G, node)}


def graph_stats(G: nx.MultiDiGraph) -> dict[str, dict[str, int]]:
    """What ``icapgraph stats --json`` prints.

    Returns
    -------
    dict : ``{"nodes": {kind: n}, "edges": {rel: n}, "shared": {kind: number of items
    used directly by two or more standards}}``; every kind / relationship is listed,
    zero counts included, in the order of :mod:`graph.model`.

    >>> import networkx as nx
    >>> graph_stats(nx.MultiDiGraph())["shared"]
    {'Knowledge': 0, 'Skill': 0, 'Attitude': 0}
    """
    kept = stored(G, STATS_KEY)
    if kept is not None:  # plain dicts, in the same order
        return {part: dict(counts) for part, counts in kept.items()}
    nodes = dict.fromkeys((k.value for k in Kind), 0)
    shared = dict.fromkeys((k.value for k in ITEM_KINDS), 0)
    for node, kind in G.nodes(data="kind"):
        nodes[kind] = nodes.get(kind, 0) + 1
        if kind in shared and len(occupations_using(G, node)) >= 2:
            shared[kind] += 1
    edges = dict.fromkeys((r.value for r in Rel), 0)
    for _u, _v, key in G.edges(keys=True):
        edges[key] = edges.get(key, 0) + 1
    return {"nodes": nodes, "edges": edges, "shared": shared}


def lookup_values(G: nx.MultiDiGraph) -> dict[str, object]:
    """What the lookup cache keeps for this module's functions on ``G``: the search index,
    every item's :func:`item_facts`, the :func:`graph_stats`."""
    items = {k.value for k in ITEM_KINDS}
    with no_gc():
        facts = {node: item_facts(G, node) for node, kind in G.nodes(data="kind")
                 if kind in items}
    return {SEARCH_KEY: _index(G), ITEMS_KEY: facts, STATS_KEY: graph_stats(G)}
