"""Bulk-load a networkx graph into the embedded Cypher engine.

Nodes go in per label with ``UNWIND $rows AS r CREATE (:Label {k: r[0], …})``;
relationships then go in per type by engine-internal id (``WHERE id(a) = s``, a
constant-time seek) rather than by an index lookup on ``id``. Rows are plain lists
so that they travel as compact JSON text. Labels and types come from :class:`graph.model.Kind` and
:class:`graph.model.Rel` only, never from data, so no text is spliced into the
statements but those enum values.
"""

from __future__ import annotations

import gc
import queue
import threading
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cypher.embedded.text import one_line, rows_header
from graph.model import Kind, Rel
from loaders.errors import QueryError

if TYPE_CHECKING:
    import networkx as nx

DEFAULT_BATCH = 5000
#: Version of what a load stores (labels, types, properties, indexes, node numbering).
#: Engine snapshots are keyed on it: bump it whenever a change here would make a graph
#: loaded by the previous code differ from one loaded now.
LOADER_VERSION = 2
_KINDS = {k.value: k for k in Kind}
_RELS = {r.value: r for r in Rel}


def node_kind(node: Hashable, attrs: Mapping[str, Any]) -> Kind:
    """The node's :class:`Kind` from its ``kind`` attribute.

    Raises
    ------
    QueryError
        the attribute is missing or not a Kind value.

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

    Raises
    ------
    QueryError
        neither is a Rel value.

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
    """Range indexes on ``id`` for each label (and ``code`` / ``name`` where looked up):
    :func:`loaded_index_statements`, then :func:`id_index_statements`.

    >>> index_statements({Kind.OCCUPATION})[:2]
    ['CREATE INDEX FOR (n:Occupation) ON (n.id)', 'CREATE INDEX FOR (n:Occupation) ON (n.code)']
    """
    return [*loaded_index_statements(labels), *id_index_statements(labels)]


#: The labels whose indexes a load makes, and an engine snapshot therefore holds: those
#: the product's own queries look nodes up in (the named queries find occupations by code).
_LOADED = (Kind.OCCUPATION,)


def loaded_index_statements(labels: set[Kind]) -> list[str]:
    """The indexes a load makes (kept in an engine snapshot): ``id`` and ``code`` of
    Occupation.

    >>> loaded_index_statements({Kind.OCCUPATION, Kind.SKILL})
    ['CREATE INDEX FOR (n:Occupation) ON (n.id)', 'CREATE INDEX FOR (n:Occupation) ON (n.code)']
    """
    out = []
    for kind in _LOADED:
        if kind in labels:
            out += [f"CREATE INDEX FOR (n:{kind.value}) ON (n.id)",
                    f"CREATE INDEX FOR (n:{kind.value}) ON (n.code)"]
    return out


def id_index_statements(labels: set[Kind]) -> list[str]:
    """``id`` indexes of the other labels: made after a start by an engine that will answer
    more than one query (:class:`cypher.embedded.engine.CypherEngine`), never kept in a
    snapshot. A server rebuilds every index of a snapshot when it loads it — 0.18 s for these
    on the corpus, two thirds of the load — and one query seldom looks up enough nodes by
    ``id`` to win that back (a lookup without the index scans the label: 0.3 → 3.7 ms on the
    22,180 indicators).

    >>> id_index_statements({Kind.OCCUPATION, Kind.SKILL, Kind.TASK})
    ['CREATE INDEX FOR (n:Task) ON (n.id)', 'CREATE INDEX FOR (n:Skill) ON (n.id)']
    """
    return [f"CREATE INDEX FOR (n:{kind.value}) ON (n.id)"
            for kind in sorted(labels, key=list(Kind).index) if kind not in _LOADED]


@dataclass(frozen=True, slots=True)
class Batch:
    """One statement to send: Cypher text over ``$rows`` (None: no parameters) and the
    batch's string table ``$s`` that interned columns index into."""

    text: str
    rows: list[list[Any]] | None = None
    strings: list[Any] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class LoadPlan:
    """Everything to send for one graph, in order, and the graph node id of each
    engine-internal id (nodes are created in ``node_ids`` order, and a fresh FalkorDB
    graph numbers nodes 0, 1, 2 … in creation order)."""

    batches: list[Batch]
    node_ids: list[str]
    relationships: int


def _key(name: str) -> str:
    if not name or "`" in name:
        raise QueryError(f"property name {name!r} cannot be stored")
    return f"`{name}`"


#: Rows looked at to decide which columns to intern (a choice of speed, not of meaning).
INTERN_SAMPLE = 1000


def _interned_columns(rows: list[list[Any]], first: int) -> set[int]:
    """Columns of text repeated often enough (provenance paths, standard codes, tiers)
    that sending each distinct value once per batch beats repeating it per row."""
    sample = rows[:INTERN_SAMPLE]
    out = set()
    for c in range(first, len(sample[0]) if sample else 0):
        values = [row[c] for row in sample]
        if all(v is None or type(v) is str for v in values) and len(set(values)) * 4 <= len(
            values
        ):
            out.add(c)
    return out


def _batches(template: str, wrap: tuple[str, str], keys: list[str], rows: list[list[Any]],
             first: int, size: int) -> list[Batch]:  # fmt: skip
    """Cut ``rows`` into batches; ``@props`` in ``template`` becomes the property list
    (columns ``first`` … named by ``keys``) inside ``wrap``, or nothing without keys."""
    interned = _interned_columns(rows, first)
    props = ", ".join(
        f"{_key(k)}: " + (f"$s[r[{c}]]" if c in interned else f"r[{c}]")
        for c, k in enumerate(keys, start=first)
    )
    text = template.replace("@props", f"{wrap[0]}{props}{wrap[1]}" if props else "")
    out = []
    for i in range(0, len(rows), size):
        batch = rows[i : i + size]
        table: list[Any] = []
        index: dict[str, int] = {}
        for row in batch:
            for c in interned:
                value = row[c]
                if value is None:
                    continue
                # Text is shared; any other value (beyond the sample) gets its own slot,
                # so that 1 and True, or unhashable lists, never mix.
                slot = index.get(value) if type(value) is str else None
                if slot is None:
                    slot = len(table)
                    table.append(value)
                    if type(value) is str:
                        index[value] = slot
                row[c] = slot
        out.append(Batch(text, batch, table))
    return out


def plan(G: nx.MultiDiGraph, batch_size: int = DEFAULT_BATCH) -> LoadPlan:
    """The statements that load ``G`` into an empty engine graph.

    Rows are lists (not maps) so that they encode as JSON; each label's and each
    type's statement names the union of its property keys, and a missing value is
    null, which CREATE leaves out. Values are the attributes as they are; the
    encoder (:func:`cypher.embedded.server.rows_header`) makes them storable.

    Raises
    ------
    QueryError
        a node kind or edge type outside :mod:`graph.model`'s enums,
        or ``batch_size`` < 1.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", kind="Skill", name="溝通")
    >>> G.add_node("b", kind="Occupation", name="網紅經紀人", level=4)
    >>> _ = G.add_edge("b", "a", key="REQUIRES_SKILL", rel="REQUIRES_SKILL", line=9)
    >>> p = plan(G)
    >>> p.node_ids, p.batches[-3].rows, p.batches[-3].text[-48:]
    (['b', 'a'], [[0, 1, 9]], 'CREATE (a)-[:REQUIRES_SKILL {`line`: r[2]}]->(b)')
    >>> [b.text for b in p.batches[-2:]]  # Occupation's indexes (Skill's id: after a start)
    ['CREATE INDEX FOR (n:Occupation) ON (n.id)', 'CREATE INDEX FOR (n:Occupation) ON (n.code)']
    """
    node_ids: list[str] = []
    batches = list(iter_batches(G, batch_size, node_ids))
    return LoadPlan(batches, node_ids, G.number_of_edges())


def iter_batches(G: nx.MultiDiGraph, batch_size: int, node_ids: list[str]) -> Iterator[Batch]:
    """The batches of :func:`plan`, produced lazily so that the engine inserts the first
    nodes while the rest is still being planned; ``node_ids`` fills up on the way.

    Raises
    ------
    QueryError
        as :func:`plan`.
    """
    if batch_size < 1:
        raise QueryError(f"batch size must be at least 1, not {batch_size}")
    # Plain loops over attribute dicts: this runs once per node and edge of the corpus
    # graph (~250k) inside the 2 s warm-start budget.
    by_kind: dict[Kind, list[tuple[Hashable, Mapping[str, Any]]]] = defaultdict(list)
    for node, attrs in G.nodes(data=True):
        by_kind[_KINDS.get(attrs.get("kind")) or node_kind(node, attrs)].append((node, attrs))
    order: dict[Hashable, int] = {}
    for kind in sorted(by_kind, key=list(Kind).index):
        entries = by_kind[kind]
        keys = sorted({k for _, attrs in entries for k in attrs} - {"id"})
        rows = []
        for node, attrs in entries:
            order[node] = len(order)
            node_ids.append(node if type(node) is str else str(node))
            rows.append([node_ids[-1], *map(attrs.get, keys)])
        text = f"UNWIND $rows AS r CREATE (:{kind.value} {{`id`: r[0]@props}})"
        yield from _batches(text, (", ", ""), keys, rows, 1, batch_size)
    by_rel: dict[Rel, list[tuple[int, int, Mapping[str, Any]]]] = defaultdict(list)
    for u, v, key, attrs in G.edges(keys=True, data=True):
        rel = _RELS.get(attrs.get("rel", key)) or edge_rel(u, v, key, attrs)
        by_rel[rel].append((order[u], order[v], attrs))
    for rel in sorted(by_rel, key=list(Rel).index):
        edges = by_rel[rel]
        keys = sorted({k for *_, attrs in edges for k in attrs} - {"rel"})
        rows = [[u, v, *map(attrs.get, keys)] for u, v, attrs in edges]
        # Ids bound by WITH first: FalkorDB plans NodeByIdSeek for ``id(a) = s`` but a
        # full scan per row for ``id(a) = r[0]``.
        text = ("UNWIND $rows AS r WITH r, r[0] AS s, r[1] AS d MATCH (a), (b) "
                f"WHERE id(a) = s AND id(b) = d CREATE (a)-[:{rel.value}@props]->(b)")
        yield from _batches(text, (" {", "}"), keys, rows, 2, batch_size)
    # Indexes last: the engine fills them once instead of on every insert.
    yield from (Batch(text) for text in loaded_index_statements(set(by_kind)))


def probe_ids(count: int, samples: int = 16) -> list[int]:
    """Internal ids to read back after a load to check the numbering assumption.

    >>> probe_ids(100, 4)
    [0, 33, 66, 99]
    """
    if count <= 0:
        return []
    step = max(1, (count - 1) // max(1, samples - 1))
    return sorted({*range(0, count, step), count - 1})


def load(
    G: nx.MultiDiGraph, write: Callable[[str], None],
    read_ids: Callable[[list[int]], list[list[Any]]], batch_size: int = DEFAULT_BATCH,
) -> dict[int, str]:  # fmt: skip
    """Load ``G`` into an empty engine graph and check the node numbering.

    Parameters
    ----------
    G : the graph to load.
    write : sends one statement (header + text) and raises on an engine error.
    read_ids : ``[[internal id, n.id], …]`` for the given internal ids.
    batch_size : rows per statement.

    Returns
    -------
    engine-internal id → graph node id.

    Raises
    ------
    QueryError
        an engine error while loading (one line), a kind or type outside
        :mod:`graph.model`, or nodes numbered other than in creation order.
    """
    # The load allocates ~a million small lists; the cyclic GC rescanning the big graph
    # meanwhile doubled the time, and nothing here forms cycles.
    collecting = gc.isenabled()
    gc.disable()
    node_ids: list[str] = []
    try:
        _send(iter_batches(G, batch_size, node_ids), write)
    finally:
        if collecting:
            gc.enable()
    probe = probe_ids(len(node_ids))
    got = sorted((int(i), n) for i, n in read_ids(probe))
    if got != [(i, node_ids[i]) for i in probe]:
        raise QueryError("the Cypher engine numbered the loaded nodes unexpectedly")
    return dict(enumerate(node_ids))


def _send(batches: Iterable[Batch], write: Callable[[str], None]) -> None:
    """Encode each batch while a second thread has the engine run the previous one
    (the engine is another process, and socket waits release the GIL)."""
    pending: queue.Queue[str | None] = queue.Queue(maxsize=64)
    failure: list[Exception] = []

    def sender() -> None:
        while (text := pending.get()) is not None:
            if failure:
                continue  # keep draining so the producer never blocks
            try:
                write(text)
            except Exception as exc:  # re-raised below, in the caller's thread
                failure.append(exc)

    thread = threading.Thread(target=sender, name="cypher-load", daemon=True)
    thread.start()
    try:
        for batch in batches:
            header = "" if batch.rows is None else rows_header(batch.rows, batch.strings)
            pending.put(header + batch.text)
    finally:
        pending.put(None)
        thread.join()
    if failure:
        reason = failure[0]
        detail = str(reason) if isinstance(reason, QueryError) else one_line(str(reason))
        raise QueryError(f"loading the graph into the Cypher engine failed: {detail}")
