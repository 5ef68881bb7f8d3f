"""Where a variable-length pattern could pass a node twice.

The embedded engine's variable-length traversal never passes an intermediate node twice,
while Cypher only forbids using a relationship twice: it silently misses walks such as
``0 -> 1 -> 0 -> 2`` (measured against hand-counted walks on random small graphs). Such a
walk needs a cycle among the relationships the pattern may use, or a self-loop when it has
two hops, so the console refuses a variable-length pattern only where the graph it runs
on has one (:class:`CycleFacts`, from the graph's relationships).

>>> facts = CycleFacts([(1, 2, "HAS_DUTY"), (2, 3, "HAS_TASK"), (3, 4, "SIMILAR_TO"),
...                     (4, 3, "SIMILAR_TO")])
>>> facts.may_revisit(frozenset({"HAS_DUTY", "HAS_TASK"}), directed=True, upper=None)
False
>>> facts.may_revisit(None, directed=True, upper=5), facts.may_revisit(None, True, 2)
(True, False)
>>> facts.may_revisit(frozenset({"HAS_DUTY", "HAS_TASK"}), directed=False, upper=3)
False
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable

#: (start node, end node, relationship type); nodes are any hashable ids.
Edge = tuple[Hashable, Hashable, str]


class CycleFacts:
    """Self-loops and cycles of a graph's relationships, per set of relationship types
    (answers are cached: a few set operations per query after the first)."""

    def __init__(self, edges: Iterable[Edge]) -> None:
        self._edges: dict[str, list[tuple[Hashable, Hashable]]] = defaultdict(list)
        for a, b, rel in edges:
            self._edges[rel].append((a, b))
        self._loops = {rel for rel, es in self._edges.items() if any(a == b for a, b in es)}
        self._cache: dict[tuple[frozenset[str], bool], bool] = {}

    def may_revisit(self, types: frozenset[str] | None, directed: bool, upper: int | None) -> bool:
        """Whether a walk of at most ``upper`` hops (None: any) over ``types`` (None: all)
        could pass one node twice."""
        chosen = frozenset(self._edges) if types is None else types & frozenset(self._edges)
        if upper is not None and upper <= 1:
            return False
        if chosen & self._loops:
            return True
        if upper is not None and upper <= 2:
            return False  # two hops pass a node twice only through a self-loop
        key = (chosen, directed)
        if key not in self._cache:
            edges = [e for rel in sorted(chosen) for e in self._edges[rel]]
            self._cache[key] = _directed_cycle(edges) if directed else _undirected_cycle(edges)
        return self._cache[key]


def _undirected_cycle(edges: list[tuple[Hashable, Hashable]]) -> bool:
    parent: dict[Hashable, Hashable] = {}

    def root(x: Hashable) -> Hashable:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = root(a), root(b)
        if ra == rb:
            return True  # parallel edges count: two relationships between a and b
        parent[ra] = rb
    return False


def _directed_cycle(edges: list[tuple[Hashable, Hashable]]) -> bool:
    out: dict[Hashable, list[Hashable]] = defaultdict(list)
    indegree: dict[Hashable, int] = defaultdict(int)
    nodes: set[Hashable] = set()
    for a, b in edges:
        out[a].append(b)
        indegree[b] += 1
        nodes.update((a, b))
    ready = [n for n in nodes if indegree[n] == 0]
    seen = 0
    while ready:  # Kahn's algorithm: a cycle leaves nodes never ready
        n = ready.pop()
        seen += 1
        for m in out[n]:
            indegree[m] -= 1
            if indegree[m] == 0:
                ready.append(m)
    return seen < len(nodes)
