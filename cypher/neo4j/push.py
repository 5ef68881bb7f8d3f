"""Push the graph to a Neo4j server through an injected ``neo4j.Driver``.

The push sends the uniqueness constraints, then every :func:`cypher.write.write_plan`
group in batches of ``$rows``, each batch in its own managed write transaction
(``session.execute_write``) so that the driver retries it on a transient
failure; MERGE makes every batch idempotent, so a retried batch or a re-run
after an interruption ends in the same graph. It then creates the full-text index
(after the data: see :func:`cypher.write.index_statements`), waits until it is
online, reads back the count of every label and type and compares them with the
local graph.

Every driver failure becomes one :class:`loaders.errors.Neo4jError` line
(:func:`cypher.neo4j.connect.explain`); the password is never part of a message.
Connecting and reading live in :mod:`cypher.neo4j.connect`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import neo4j
import neo4j.exceptions as nex

from cypher import write as cypher
from cypher.neo4j.connect import check_batch_size, explain, open_session
from graph.model import Kind, Rel
from loaders.errors import Neo4jError

if TYPE_CHECKING:
    import networkx as nx

#: Nodes deleted per transaction by ``--replace``.
DELETE_BATCH = 10_000
#: Seconds a push waits for the full-text index to come online.
INDEX_WAIT = 300


@dataclass(frozen=True)
class Progress:
    """Reported after each batch: rows sent so far out of all rows, and the current group."""

    done: int
    total: int
    what: str


@dataclass(frozen=True)
class CountCheck:
    """One label or relationship type: how many the local graph has, how many the server has."""

    name: str
    local: int
    remote: int

    @property
    def ok(self) -> bool:
        return self.local == self.remote


@dataclass(frozen=True)
class PushReport:
    """What a push did: statements and batches sent, rows merged, nodes deleted, count checks."""

    statements: int
    batches: int
    rows: int
    deleted: int
    counts: tuple[CountCheck, ...]

    @property
    def mismatches(self) -> tuple[CountCheck, ...]:
        return tuple(c for c in self.counts if not c.ok)


@dataclass(frozen=True)
class PlannedStatement:
    """One entry of the dry-run plan; :meth:`as_json` is the ``--dry-run --json`` shape."""

    statement: str
    parameters: dict[str, Any]
    rows: int

    def as_json(self) -> dict[str, Any]:
        return {"statement": self.statement, "parameters": self.parameters, "rows": self.rows}


# --- the push --------------------------------------------------------------


def _run_write(tx: neo4j.ManagedTransaction, statement: str, params: dict[str, Any]) -> int:
    """Transaction function: run one statement and return its first column (0 if none).

    It may be called more than once for one batch (the driver retries it), so it
    does nothing but run the statement.
    """
    record = tx.run(statement, params).single()
    return int(record[0]) if record is not None and len(record) else 0


def _run_count(tx: neo4j.ManagedTransaction, statement: str) -> int:
    record = tx.run(statement).single()
    return int(record["count"]) if record is not None else 0


def local_counts(G: nx.MultiDiGraph) -> dict[str, int]:
    """Nodes per label and relationships per type in the local graph (zeros included).

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(); G.add_node("skill:x", kind="Skill")
    >>> local_counts(G)["Skill"], local_counts(G)["HAS_DUTY"]
    (1, 0)
    """
    counts = dict.fromkeys([*(k.value for k in Kind), *(r.value for r in Rel)], 0)
    for n in G.nodes:
        counts[cypher.node_kind(G, n).value] += 1
    for _u, _v, key, attrs in G.edges(keys=True, data=True):
        counts[str(attrs.get("rel", key))] += 1
    return counts


def _await_params() -> dict[str, Any]:
    return {"name": cypher.FULLTEXT_INDEX, "seconds": INDEX_WAIT}


def dry_run_plan(
    G: nx.MultiDiGraph, batch_size: int = cypher.DEFAULT_BATCH, replace: bool = False
) -> list[PlannedStatement]:
    """What a push would send, each statement once, with its first batch as example parameters.

    ``rows`` is the number of rows the statement receives over all its batches
    (0 for DDL and deletions). Connects to nothing.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(); G.add_node("skill:x", kind="Skill", name="x")
    >>> plan = dry_run_plan(G, 10)
    >>> merge = next(p for p in plan if p.rows)
    >>> merge.as_json()["parameters"], merge.rows
    ({'rows': [{'id': 'skill:x', 'props': {'kind': 'Skill', 'name': 'x'}}]}, 1)
    """
    check_batch_size(batch_size)
    out = [PlannedStatement(s, {}, 0) for s in cypher.constraint_statements()]
    if replace:
        out += [PlannedStatement(cypher.delete_batch(k), {"limit": DELETE_BATCH}, 0) for k in Kind]
    for group in cypher.write_plan(G):
        first = next(group.batches(batch_size), ())
        out.append(PlannedStatement(group.statement, {"rows": list(first)}, len(group.rows)))
    out += [PlannedStatement(s, {}, 0) for s in cypher.index_statements()]
    out.append(PlannedStatement(cypher.await_index(), _await_params(), 0))
    return out


def push_graph(
    G: nx.MultiDiGraph,
    driver: neo4j.Driver,
    *,
    database: str | None = None,
    batch_size: int = cypher.DEFAULT_BATCH,
    replace: bool = False,
    progress: Callable[[Progress], None] | None = None,
    uri: str = "",
    user: str = "",
) -> PushReport:
    """Send ``G`` to the server behind ``driver``, idempotently, and compare counts.

    Parameters
    ----------
    database : target database (``None``: the server's default).
    batch_size : rows per ``UNWIND`` batch and transaction (>= 1).
    replace : first delete every node with one of this product's labels.
    progress : called after each batch with the rows done so far.
    uri, user : only used to word error messages.

    Returns
    -------
    A :class:`PushReport`; its ``mismatches`` are labels / types whose counts
    on the server differ from the local graph (e.g. stale nodes without ``replace``).

    Raises
    ------
    Neo4jError
        one line for a bad batch size or any driver / server failure.
    """
    check_batch_size(batch_size)
    plan = cypher.write_plan(G)
    total = sum(len(g.rows) for g in plan)
    statements = batches = done = deleted = 0
    try:
        with open_session(driver, database, neo4j.WRITE_ACCESS) as session:
            for ddl in cypher.constraint_statements():
                session.execute_write(_run_write, ddl, {})
                statements += 1
            if replace:
                for kind in Kind:
                    statements += 1
                    while n := session.execute_write(
                        _run_write, cypher.delete_batch(kind), {"limit": DELETE_BATCH}
                    ):
                        deleted += n
            for group in plan:
                statements += 1
                for batch in group.batches(batch_size):
                    session.execute_write(_run_write, group.statement, {"rows": list(batch)})
                    batches += 1
                    done += len(batch)
                    if progress is not None:
                        progress(Progress(done, total, group.what))
            for ddl in cypher.index_statements():
                session.execute_write(_run_write, ddl, {})
                statements += 1
            session.execute_write(_run_write, cypher.await_index(), _await_params())
            statements += 1
        counts = read_counts(driver, database)
    except (nex.Neo4jError, nex.DriverError, OSError) as exc:
        raise Neo4jError(explain(exc, uri, user, database)) from None
    local = local_counts(G)
    checks = tuple(CountCheck(name, local[name], counts[name]) for name in local)
    return PushReport(statements, batches, done, deleted, checks)


def read_counts(driver: neo4j.Driver, database: str | None = None) -> dict[str, int]:
    """Nodes per product label and relationships per product type on the server.

    Raises
    ------
    neo4j errors unchanged (callers map them with :func:`explain`).
    """
    out: dict[str, int] = {}
    # Counting a type the data never has (INCLUDES, on a corpus without term lists) makes
    # the server warn that the type does not exist, and the driver logs that to stderr
    # after every push; 0 is the answer, so this session asks for no notifications.
    with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS,
                        notifications_min_severity="OFF") as session:
        for kind in Kind:
            out[kind.value] = session.execute_read(_run_count, cypher.count_nodes(kind))
        for rel in Rel:
            out[rel.value] = session.execute_read(_run_count, cypher.count_rels(rel))
    return out


def format_checks(checks: Iterable[CountCheck]) -> list[str]:
    """Human lines for count checks, mismatches marked.

    >>> format_checks([CountCheck("Skill", 3, 4)])
    ['Skill: local 3, Neo4j 4  <- differs']
    """
    return [
        f"{c.name}: local {c.local}, Neo4j {c.remote}" + ("" if c.ok else "  <- differs")
        for c in checks
    ]
