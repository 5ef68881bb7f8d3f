r"""Every write statement this product sends to Neo4j, in one place.

Labels and relationship types come only from :class:`graph.model.Kind` and
:class:`graph.model.Rel`; every value travels as a parameter (``$rows``,
``$limit``), so no name from the data is ever spliced into Cypher text. The
one exception is :func:`cypher_script`, a standalone file for ``cypher-shell``
(which has no parameters): it substitutes each batch as an escaped literal for
``$rows`` in the very same statement texts.

The data statements also run on the embedded engine (FalkorDB), so they keep
to the Cypher both understand: ``UNWIND``, ``MERGE`` on ``id``, ``SET x +=
map``. The DDL (constraints, the full-text index) is Neo4j-only.

>>> print(node_merge(Kind.SKILL))
UNWIND $rows AS row MERGE (n:Skill {id: row.id}) SET n += row.props
>>> print(literal("it's\\ \n"))
'it\'s\\ \n'
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graph.model import Kind, Rel, kind_of
from loaders.errors import ExportError

if TYPE_CHECKING:
    import networkx as nx

#: Name of the full-text index over every node's ``name``.
FULLTEXT_INDEX = "icap_names"
#: Rows per ``UNWIND`` batch unless the caller says otherwise.
DEFAULT_BATCH = 1000

Row = dict[str, Any]


@dataclass(frozen=True)
class WriteGroup:
    """One MERGE statement and all the rows it must receive (as ``$rows``, in batches).

    ``target`` is the label or relationship type written; ``what`` a short human
    label for progress output (``"nodes Skill"``).
    """

    target: Kind | Rel
    what: str
    statement: str
    rows: tuple[Row, ...]

    def batches(self, size: int) -> Iterator[tuple[Row, ...]]:
        """The rows in consecutive slices of at most ``size`` (``size`` >= 1)."""
        for start in range(0, len(self.rows), size):
            yield self.rows[start : start + size]


# --- statement texts -------------------------------------------------------


def constraint(kind: Kind) -> str:
    """Neo4j 5 uniqueness constraint on ``id`` for one label (idempotent).

    >>> constraint(Kind.TASK)
    'CREATE CONSTRAINT icap_Task_id IF NOT EXISTS FOR (n:Task) REQUIRE n.id IS UNIQUE'
    """
    return (
        f"CREATE CONSTRAINT icap_{kind.value}_id IF NOT EXISTS "
        f"FOR (n:{kind.value}) REQUIRE n.id IS UNIQUE"
    )


def fulltext_index() -> str:
    """Full-text index on ``name`` of every label, with the ``cjk`` analyzer for Chinese search.

    >>> "`fulltext.analyzer`: 'cjk'" in fulltext_index()
    True
    """
    labels = "|".join(k.value for k in Kind)
    return (
        f"CREATE FULLTEXT INDEX {FULLTEXT_INDEX} IF NOT EXISTS FOR (n:{labels}) "
        "ON EACH [n.name] OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}"
    )


def constraint_statements() -> tuple[str, ...]:
    """One uniqueness constraint per label: sent before any data, so that every MERGE
    finds its node through the constraint's index.

    >>> len(constraint_statements()) == len(Kind)
    True
    """
    return tuple(constraint(k) for k in Kind)


def index_statements() -> tuple[str, ...]:
    """The full-text index: sent after the data. Neo4j then fills it in one pass instead
    of updating it at every batch's commit (the corpus push on Neo4j 5.26 took 77 s with
    the index created first, 49 s + 3 s with it created last).

    >>> index_statements() == (fulltext_index(),)
    True
    """
    return (fulltext_index(),)


def await_index() -> str:
    """Wait (``$seconds`` at most) until the full-text index ``$name`` is online, so that a
    search right after a push finds everything.

    >>> await_index()
    'CALL db.awaitIndex($name, $seconds)'
    """
    return "CALL db.awaitIndex($name, $seconds)"


def schema_statements() -> tuple[str, ...]:
    """All the Neo4j-only DDL: the constraints, then the full-text index (a push sends the
    constraints before the data and the index after it).

    >>> len(schema_statements()) == len(Kind) + 1
    True
    """
    return (*constraint_statements(), *index_statements())


def node_merge(kind: Kind) -> str:
    """Upsert nodes of one label from ``$rows`` = ``[{id, props}]``.

    >>> node_merge(Kind.OCCUPATION)
    'UNWIND $rows AS row MERGE (n:Occupation {id: row.id}) SET n += row.props'
    """
    return f"UNWIND $rows AS row MERGE (n:{kind.value} {{id: row.id}}) SET n += row.props"


def rel_merge(rel: Rel, src: Kind, dst: Kind) -> str:
    """Upsert relationships of one type from ``$rows`` = ``[{src, dst, props}]``.

    Both end labels are named so that Neo4j finds the ends through the ``id``
    constraints' indexes instead of scanning every node.

    >>> rel_merge(Rel.HAS_DUTY, Kind.OCCUPATION, Kind.DUTY)  # doctest: +NORMALIZE_WHITESPACE
    'UNWIND $rows AS row MATCH (a:Occupation {id: row.src}) MATCH (b:Duty {id: row.dst})
     MERGE (a)-[r:HAS_DUTY]->(b) SET r += row.props'
    """
    return (
        f"UNWIND $rows AS row MATCH (a:{src.value} {{id: row.src}}) "
        f"MATCH (b:{dst.value} {{id: row.dst}}) "
        f"MERGE (a)-[r:{rel.value}]->(b) SET r += row.props"
    )


def delete_batch(kind: Kind) -> str:
    """Delete up to ``$limit`` nodes of one of this product's labels (``--replace``), with their
    relationships; repeated until it reports 0, so no transaction grows unbounded.

    >>> delete_batch(Kind.SKILL)  # doctest: +NORMALIZE_WHITESPACE
    'MATCH (n:Skill) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted'
    """
    return f"MATCH (n:{kind.value}) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"


def count_nodes(kind: Kind) -> str:
    """Read-back: how many nodes carry one label.

    >>> count_nodes(Kind.DUTY)
    'MATCH (n:Duty) RETURN count(n) AS count'
    """
    return f"MATCH (n:{kind.value}) RETURN count(n) AS count"


def count_rels(rel: Rel) -> str:
    """Read-back: how many relationships have one type.

    >>> count_rels(Rel.INCLUDES)
    'MATCH ()-[r:INCLUDES]->() RETURN count(r) AS count'
    """
    return f"MATCH ()-[r:{rel.value}]->() RETURN count(r) AS count"


# --- rows from the graph ---------------------------------------------------


def _value(v: Any) -> Any:
    """A property value Neo4j stores as is; ``None`` means "leave the property out".

    The same conversion as the embedded engine's loader (lists stay lists, a
    non-finite float is left out), so both hold the same properties.
    """
    t = type(v)
    if v is None or t is str or t is bool or t is int:  # the common case, without ABC checks
        return v
    if t is float:
        return v if math.isfinite(v) else None
    if isinstance(v, bool | str):
        return v
    if isinstance(v, numbers.Integral):
        return int(v)
    if isinstance(v, numbers.Real):
        return float(v) if math.isfinite(v) else None
    if isinstance(v, list | tuple | set | frozenset):
        return [x for x in map(_value, v) if x is not None]
    # The graph contract says plain values; anything else is shown, not lost.
    return str(v)


def _props(attrs: Mapping[str, Any], skip: str = "") -> Row:
    return {
        k: val for k, v in sorted(attrs.items()) if k != skip and (val := _value(v)) is not None
    }


def node_kind(G: nx.MultiDiGraph, node: str) -> Kind:
    """The label of a node: its ``kind`` attribute, else the kind in its id.

    Raises
    ------
    ExportError
        the node has no kind this product knows.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(); G.add_node("skill:溝通", kind="Skill")
    >>> node_kind(G, "skill:溝通")
    <Kind.SKILL: 'Skill'>
    """
    raw = G.nodes[node].get("kind")
    try:
        return Kind(raw) if raw is not None else kind_of(str(node))
    except ValueError:
        valid = ", ".join(k.value for k in Kind)
        raise ExportError(f"node {node!r} has unknown kind {raw!r}; valid: {valid}") from None


def write_plan(G: nx.MultiDiGraph) -> list[WriteGroup]:
    """Every MERGE statement with its rows: nodes per label, then relationships per
    (type, start label, end label), each in the enums' order, rows sorted by id.

    Node rows are ``{"id", "props"}``; relationship rows ``{"src", "dst", "props"}``.
    Properties are the graph's attributes (``kind`` included, as the embedded
    engine stores it, so the named queries read the same data on both; ``rel`` left
    out, it is the type); ``None`` values are left out.

    Raises
    ------
    ExportError
        a node or edge carries a kind or type this product does not know.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("occupation:X-001v1", kind="Occupation", name="甲", level=3)
    >>> G.add_node("duty:X-001v1/T1", kind="Duty", name="乙", code="T1")
    >>> G.add_edge("occupation:X-001v1", "duty:X-001v1/T1", key="HAS_DUTY", rel="HAS_DUTY")
    'HAS_DUTY'
    >>> [(g.what, len(g.rows)) for g in write_plan(G)]
    [('nodes Occupation', 1), ('nodes Duty', 1), ('rels HAS_DUTY Occupation->Duty', 1)]
    >>> write_plan(G)[0].rows[0]
    {'id': 'occupation:X-001v1', 'props': {'kind': 'Occupation', 'level': 3, 'name': '甲'}}
    """
    kinds = {n: node_kind(G, n) for n in G.nodes}
    nodes: dict[Kind, list[Row]] = {}
    for n in sorted(G.nodes, key=str):
        nodes.setdefault(kinds[n], []).append({"id": str(n), "props": _props(G.nodes[n])})
    rels: dict[tuple[Rel, Kind, Kind], list[Row]] = {}
    for u, v, key, attrs in G.edges(keys=True, data=True):
        try:
            rel = Rel(attrs.get("rel", key))
        except ValueError:
            raise ExportError(f"edge {u!r} -> {v!r} has unknown type {key!r}") from None
        row = {"src": str(u), "dst": str(v), "props": _props(attrs, "rel")}
        rels.setdefault((rel, kinds[u], kinds[v]), []).append(row)
    plan = [
        WriteGroup(k, f"nodes {k.value}", node_merge(k), tuple(nodes[k]))
        for k in Kind
        if k in nodes
    ]
    kind_order = {k: i for i, k in enumerate(Kind)}
    rel_order = {r: i for i, r in enumerate(Rel)}
    for rel, src, dst in sorted(
        rels, key=lambda t: (rel_order[t[0]], kind_order[t[1]], kind_order[t[2]])
    ):
        rows = sorted(rels[rel, src, dst], key=lambda r: (r["src"], r["dst"]))
        plan.append(
            WriteGroup(
                rel,
                f"rels {rel.value} {src.value}->{dst.value}", rel_merge(rel, src, dst), tuple(rows)
            )
        )
    return plan


# --- the standalone script -------------------------------------------------

# Backslash, quote, newlines and tabs by name; other control characters as \uXXXX.
_ESCAPES = str.maketrans(
    {**{chr(c): f"\\u{c:04x}" for c in [*range(0x20), 0x7F]},
     "\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
)


def literal(value: Any) -> str:
    r"""``value`` as a Cypher literal: strings single-quoted with ``\\``, ``'``, newlines, tabs
    and other control characters escaped; maps with back-quoted keys; lists.

    >>> print(literal({"name": "it's", "n": 2, "ok": True, "tags": ["x"]}))
    {`name`: 'it\'s', `n`: 2, `ok`: true, `tags`: ['x']}
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "(0.0 / 0.0)"
        if math.isinf(value):
            return "(1.0 / 0.0)" if value > 0 else "(-1.0 / 0.0)"
        return repr(value)
    if isinstance(value, str):
        return "'" + value.translate(_ESCAPES) + "'"
    if isinstance(value, Mapping):
        inner = ", ".join(
            f"`{str(k).replace('`', '``')}`: {literal(v)}" for k, v in value.items()
        )
        return "{" + inner + "}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    raise ExportError(f"cannot write {type(value).__name__} as a Cypher literal")


def script_statements(G: nx.MultiDiGraph, batch_size: int = DEFAULT_BATCH) -> list[str]:
    r"""The statements of :func:`cypher_script`, without the trailing ``;``.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(); G.add_node("skill:a'b", kind="Skill", name="a'b")
    >>> print(script_statements(G)[-1])  # doctest: +NORMALIZE_WHITESPACE
    UNWIND [{`id`: 'skill:a\'b', `props`: {`kind`: 'Skill', `name`: 'a\'b'}}] AS row
    MERGE (n:Skill {id: row.id}) SET n += row.props
    """
    if batch_size < 1:
        raise ExportError(f"batch size must be at least 1, not {batch_size}")
    out = list(schema_statements())
    for group in write_plan(G):
        for batch in group.batches(batch_size):
            # The same statement text; only $rows becomes a literal.
            out.append(group.statement.replace("$rows", literal(list(batch)), 1))
    return out


def cypher_script(G: nx.MultiDiGraph, batch_size: int = DEFAULT_BATCH) -> str:
    """A standalone, idempotent MERGE script for ``cypher-shell -f``: the schema DDL, then
    every node and relationship in batches, one statement per line, each ending in ``;``.

    Raises
    ------
    ExportError
        ``batch_size`` < 1, or the graph breaks the node/edge contract.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(); G.add_node("skill:x", kind="Skill", name="x")
    >>> cypher_script(G).splitlines()[1]
    'CREATE CONSTRAINT icap_Occupation_id IF NOT EXISTS FOR (n:Occupation) REQUIRE n.id IS UNIQUE;'
    """
    header = "// 職能圖譜 graph as an idempotent MERGE script (cypher-shell -f FILE)\n"
    return header + "".join(f"{s};\n" for s in script_statements(G, batch_size))
