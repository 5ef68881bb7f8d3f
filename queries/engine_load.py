"""Bulk-load a networkx graph into the embedded Cypher engine.

Nodes go in per label with ``UNWIND $rows AS r CREATE (n:Label) SET n = r``,
returning the engine's internal ids; relationships then go in per type by
internal id (``WHERE id(a) = s``, a constant-time seek) rather than by an index
lookup on ``id``. Labels and types come from :class:`graph.model.Kind` and
:class:`graph.model.Rel` only, never from data, so no text is spliced into the
statements but those enum values.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.model import Kind, Rel
from loaders.errors import QueryError

#: Write one statement with parameters, return its rows.
Write = Callable[[str, Mapping[str, Any] | None], list[list[Any]]]

DEFAULT_BATCH = 2000
_KINDS = {k.value: k for k in Kind}
_RELS = {r.value: r for r in Rel}


@dataclass(frozen=True, slots=True)
class Loaded:
    """What a load produced: engine-internal id → graph node id, and the counts."""

    node_ids: dict[int, str]
    nodes: int
    relationships: int


def plain(value: Any) -> Any:
    """A property value the engine can store, or None to leave the property out.

    >>> plain(3), plain("職能"), plain(("a", "b")), plain(float("nan")), plain(None)
    (3, '職能', ['a', 'b'], None, None)
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v) for v in value]
        return [v for v in items if v is not None]
    return str(value)


def node_properties(node: Hashable, attrs: Mapping[str, Any]) -> dict[str, Any]:
    """The properties stored for one node: every attribute, plus ``id``.

    >>> node_properties("skill:溝通協調能力", {"kind": "Skill", "name": "溝通協調能力", "x": None})
    {'kind': 'Skill', 'name': '溝通協調能力', 'id': 'skill:溝通協調能力'}
    """
    props = {str(k): v for k, raw in attrs.items() if (v := plain(raw)) is not None}
    props["id"] = str(node)
    return props


def node_kind(node: Hashable, attrs: Mapping[str, Any]) -> Kind:
    """The node's :class:`Kind` from its ``kind`` attribute.

    Raises:
        QueryError: the attribute is missing or not a Kind value.

    >>> node_kind("occupation:X", {"kind": "Occupation"})
    <Kind.OCCUPATION: 'Occupation'>
    """
    kind = _KINDS.get(str(attrs.get("kind", "")))
    if kind is None:
        raise QueryError(
            f"node {node!r} has kind {attrs.get('kind')!r}; expected one of: {', '.join(_KINDS)}"
        )
    return kind


def edge_rel(u: Hashable, v: Hashable, key: Any, attrs: Mapping[str, Any]) -> Rel:
    """The edge's :class:`Rel` from its ``rel`` attribute (else its key).

    Raises:
        QueryError: neither is a Rel value.

    >>> edge_rel("a", "b", "HAS_TASK", {})
    <Rel.HAS_TASK: 'HAS_TASK'>
    """
    rel = _RELS.get(str(attrs.get("rel", key)))
    if rel is None:
        raise QueryError(
            f"edge {u!r} -> {v!r} has type {attrs.get('rel', key)!r}; "
            f"expected one of: {', '.join(_RELS)}"
        )
    return rel


def index_statements(labels: set[Kind]) -> list[str]:
    """Range indexes on ``id`` for each label (and ``code`` / ``name`` where looked up).

    >>> index_statements({Kind.OCCUPATION})[:2]
    ['CREATE INDEX FOR (n:Occupation) ON (n.id)', 'CREATE INDEX FOR (n:Occupation) ON (n.code)']
    """
    out = []
    for kind in sorted(labels, key=list(Kind).index):
        out.append(f"CREATE INDEX FOR (n:{kind.value}) ON (n.id)")
        if kind is Kind.OCCUPATION:
            out.append(f"CREATE INDEX FOR (n:{kind.value}) ON (n.code)")
    return out


def _batches(rows: list[Any], size: int) -> list[list[Any]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def load(write: Write, G: nx.MultiDiGraph, batch_size: int = DEFAULT_BATCH) -> Loaded:
    """Create every node and edge of ``G`` through ``write``.

    Parameters:
        write: runs one write statement with parameters and returns its rows.
        G: a graph following :mod:`graph.model`'s contract.
        batch_size: rows per statement (> 0).

    Returns:
        the internal-id mapping and the numbers of nodes and relationships created.

    Raises:
        QueryError: a node kind or edge type outside :mod:`graph.model`'s enums.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", kind="Skill", name="溝通")
    >>> G.add_node("b", kind="Occupation", name="網紅經紀人")
    >>> _ = G.add_edge("b", "a", key="REQUIRES_SKILL", rel="REQUIRES_SKILL", line=9)
    >>> sent = []
    >>> def fake(q, p):
    ...     sent.append(q)
    ...     return [[i] for i in range(len(p["rows"]))] if "RETURN" in q else []
    >>> load(fake, G).nodes, "[e:REQUIRES_SKILL]" in sent[-1]
    (2, True)
    """
    if batch_size < 1:
        raise QueryError(f"batch size must be at least 1, not {batch_size}")
    by_kind: dict[Kind, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for node, attrs in G.nodes(data=True):
        by_kind[node_kind(node, attrs)].append((str(node), node_properties(node, attrs)))
    for statement in index_statements(set(by_kind)):
        write(statement, None)
    internal: dict[str, int] = {}
    for kind, entries in by_kind.items():
        statement = f"UNWIND $rows AS r CREATE (n:{kind.value}) SET n = r RETURN id(n)"
        for batch in _batches(entries, batch_size):
            ids = write(statement, {"rows": [props for _, props in batch]})
            internal.update((node, int(row[0])) for (node, _), row in zip(batch, ids, strict=True))
    by_rel: dict[Rel, list[list[Any]]] = defaultdict(list)
    for u, v, key, attrs in G.edges(keys=True, data=True):
        props = {str(k): p for k, raw in attrs.items()
                 if k != "rel" and (p := plain(raw)) is not None}
        by_rel[edge_rel(u, v, key, attrs)].append([internal[str(u)], internal[str(v)], props])
    relationships = 0
    for rel, rows in by_rel.items():
        statement = (
            # Ids bound by WITH first: FalkorDB plans NodeByIdSeek for ``id(a) = s`` but a
            # full scan per row for ``id(a) = r[0]``.
            f"UNWIND $rows AS r WITH r, r[0] AS s, r[1] AS d MATCH (a), (b) "
            f"WHERE id(a) = s AND id(b) = d CREATE (a)-[e:{rel.value}]->(b) SET e = r[2]"
        )
        for batch in _batches(rows, batch_size):
            write(statement, {"rows": batch})
            relationships += len(batch)
    return Loaded({i: n for n, i in internal.items()}, len(internal), relationships)
