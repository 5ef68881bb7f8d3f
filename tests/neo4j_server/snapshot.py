"""A whole database as plain data, and what it must be after a push or import of a graph.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("skill:x", kind="Skill", name="x", note=None)
>>> nodes, rels = expected_snapshot(G)
>>> nodes[0]["labels"], nodes[0]["props"], rels
(['Skill'], {'id': 'skill:x', 'kind': 'Skill', 'name': 'x'}, [])
"""

from __future__ import annotations

from typing import Any

import networkx as nx

#: Every node with its labels and properties, by id (read with ``conn.run_read``).
NODES = "MATCH (n) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props ORDER BY id"
#: Every relationship with its ends, type and properties, in a fixed order.
RELS = ("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS type, b.id AS b, "
        "properties(r) AS props ORDER BY a, type, b")

Rows = list[dict[str, Any]]


def expected_snapshot(G: nx.MultiDiGraph) -> tuple[Rows, Rows]:
    """What :data:`NODES` and :data:`RELS` must return after ``G`` was pushed or imported,
    read off the graph: each node with its ``kind`` as its one label, its ``id`` and its
    non-null attributes; each edge with its ``rel`` as type and its other non-null
    attributes (lists as lists)."""

    def plain(v: Any) -> Any:
        return list(v) if isinstance(v, tuple | set | frozenset) else v

    nodes = [{"id": n, "labels": [d["kind"]],
              "props": {"id": n, **{k: plain(v) for k, v in d.items() if v is not None}}}
             for n, d in sorted(G.nodes(data=True))]
    rels = sorted(({"a": u, "type": k, "b": v,
                    "props": {a: plain(x) for a, x in d.items() if a != "rel" and x is not None}}
                   for u, v, k, d in G.edges(keys=True, data=True)),
                  key=lambda r: (r["a"], r["type"], r["b"]))
    return nodes, rels
