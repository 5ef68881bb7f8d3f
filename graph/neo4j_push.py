"""Push the graph to a Neo4j server, and read from it, through an injected ``neo4j.Driver``.

The push sends the schema DDL, then every :func:`graph.cypher.write_plan` group
in batches of ``$rows``, each batch in its own managed write transaction
(``session.execute_write``) so that the driver retries it on a transient
failure; MERGE makes every batch idempotent, so a retried batch or a re-run
after an interruption ends in the same graph. It then reads back the count of
every label and type and compares them with the local graph.

Every driver failure becomes one :class:`loaders.errors.Neo4jError` line
(:func:`explain`); the password is never part of a message.

>>> check_uri("http://localhost:7474")  # doctest: +ELLIPSIS
Traceback (most recent call last):
  ...
loaders.errors.Neo4jError: unsupported URI scheme 'http' in 'http://localhost:7474'; use one of: ...
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import neo4j
import neo4j.exceptions as nex
import networkx as nx

from graph import cypher
from graph.model import Kind, Rel
from loaders.errors import Neo4jError

SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
#: Seconds to wait for a server before giving up with a clear message.
CONNECT_TIMEOUT = 5.0
#: Nodes deleted per transaction by ``--replace``.
DELETE_BATCH = 10_000


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


@dataclass(frozen=True)
class ReadResult:
    """Rows of a read query, as plain values, with their column names."""

    columns: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]


# --- validation and errors -------------------------------------------------


def check_uri(uri: str) -> str:
    """Return ``uri`` when its scheme is one the driver speaks and it names a host.

    Raises:
        Neo4jError: another scheme (``http``, a typo) or no host.

    >>> check_uri("bolt://localhost:7687")
    'bolt://localhost:7687'
    """
    parts = urlsplit(uri)
    if parts.scheme not in SCHEMES:
        raise Neo4jError(
            f"unsupported URI scheme {parts.scheme!r} in {uri!r}; use one of: {', '.join(SCHEMES)}"
        )
    if not parts.hostname:
        raise Neo4jError(f"no host in Neo4j URI {uri!r} (expected e.g. bolt://localhost:7687)")
    return uri


def check_batch_size(size: int) -> int:
    """Return ``size`` when it is at least 1.

    >>> check_batch_size(0)
    Traceback (most recent call last):
      ...
    loaders.errors.Neo4jError: --batch-size must be at least 1, not 0
    """
    if size < 1:
        raise Neo4jError(f"--batch-size must be at least 1, not {size}")
    return size


def _code(exc: BaseException) -> str:
    return str(getattr(exc, "code", "") or "")


@dataclass(frozen=True)
class _Rule:
    matches: Callable[[BaseException], bool]
    message: Callable[[str, str, str], str]  # (uri, user, database) -> line


# Order matters: first match wins (AuthError is a ClientError, NotALeader a TransientError).
_RULES: tuple[_Rule, ...] = (
    _Rule(
        lambda e: isinstance(e, nex.AuthError),
        lambda uri, user, db: f"Neo4j at {uri} refused the credentials of user {user!r} "
        "(wrong password? it is read from NEO4J_PASSWORD or the prompt)",
    ),
    _Rule(
        lambda e: _code(e) == "Neo.ClientError.Database.DatabaseNotFound",
        lambda uri, user, db: f"database {db} does not exist on the Neo4j server at {uri}",
    ),
    _Rule(
        lambda e: isinstance(e, nex.Forbidden | nex.ForbiddenOnReadOnlyDatabase | nex.NotALeader)
        or "AccessMode" in _code(e)
        or "ReadOnly" in _code(e),
        lambda uri, user, db: f"the Neo4j server at {uri} refuses writes to database {db} "
        f"(read-only database or replica, or user {user!r} may not write)",
    ),
    _Rule(
        lambda e: isinstance(e, nex.DatabaseUnavailable),
        lambda uri, user, db: f"database {db} on the Neo4j server at {uri} is unavailable "
        "(stopped or still starting)",
    ),
    _Rule(
        lambda e: isinstance(e, nex.ServiceUnavailable | nex.SessionExpired | OSError),
        lambda uri, user, db: f"cannot reach a Neo4j server at {uri} within {CONNECT_TIMEOUT:g} s "
        "(connection refused, host unreachable or unknown name; is the server running?)",
    ),
    _Rule(
        lambda e: isinstance(e, nex.ConfigurationError),
        lambda uri, user, db: f"the Neo4j driver rejected the settings for {uri} "
        "(check the URI and, for +s / +ssc, the TLS set-up)",
    ),
)


def explain(exc: BaseException, uri: str = "", user: str = "", database: str | None = None) -> str:
    """One line for a driver or server error, never containing the password.

    >>> explain(nex.ServiceUnavailable("refused"), "bolt://h:7687")  # doctest: +ELLIPSIS
    'cannot reach a Neo4j server at bolt://h:7687 within 5 s (connection refused, ...)'
    """
    db = repr(database) if database else "(the default database)"
    where = uri or "the server"
    for rule in _RULES:
        if rule.matches(exc):
            return rule.message(where, user or "neo4j", db)
    detail = (getattr(exc, "message", None) or str(exc) or type(exc).__name__).splitlines()[0]
    return f"Neo4j at {where} failed: {detail}"


# --- connecting ------------------------------------------------------------


def connect(
    uri: str, user: str, password: str, *, timeout: float = CONNECT_TIMEOUT
) -> neo4j.Driver:
    """Open a driver and check that the server answers and accepts the credentials.

    The URI is validated before any connection; ``timeout`` bounds the connection
    attempt so an unreachable host fails fast instead of hanging.

    Raises:
        Neo4jError: bad scheme, unreachable server, wrong credentials (one line).
    """
    check_uri(uri)
    try:
        driver = neo4j.GraphDatabase.driver(
            uri,
            auth=neo4j.basic_auth(user, password),
            connection_timeout=timeout,
            connection_acquisition_timeout=timeout,
        )
    except (nex.ConfigurationError, ValueError) as exc:
        raise Neo4jError(explain(exc, uri, user)) from None
    try:
        driver.verify_connectivity()
    except (nex.Neo4jError, nex.DriverError, OSError) as exc:
        driver.close()
        raise Neo4jError(explain(exc, uri, user)) from None
    return driver


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


def dry_run_plan(
    G: nx.MultiDiGraph, batch_size: int = cypher.DEFAULT_BATCH, replace: bool = False
) -> list[PlannedStatement]:
    """What a push would send, each statement once, with its first batch as example parameters.

    ``rows`` is the number of rows the statement receives over all its batches
    (0 for DDL and deletions). Connects to nothing.

    >>> G = nx.MultiDiGraph(); G.add_node("skill:x", kind="Skill", name="x")
    >>> plan = dry_run_plan(G, 10)
    >>> plan[-1].as_json()["parameters"], plan[-1].rows
    ({'rows': [{'id': 'skill:x', 'props': {'kind': 'Skill', 'name': 'x'}}]}, 1)
    """
    check_batch_size(batch_size)
    out = [PlannedStatement(s, {}, 0) for s in cypher.schema_statements()]
    if replace:
        out += [PlannedStatement(cypher.delete_batch(k), {"limit": DELETE_BATCH}, 0) for k in Kind]
    for group in cypher.write_plan(G):
        first = next(group.batches(batch_size), ())
        out.append(PlannedStatement(group.statement, {"rows": list(first)}, len(group.rows)))
    return out


def _session(driver: neo4j.Driver, database: str | None, mode: str) -> neo4j.Session:
    return driver.session(database=database, default_access_mode=mode)


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

    Parameters:
        database: target database (``None``: the server's default).
        batch_size: rows per ``UNWIND`` batch and transaction (>= 1).
        replace: first delete every node with one of this product's labels.
        progress: called after each batch with the rows done so far.
        uri, user: only used to word error messages.

    Returns:
        A :class:`PushReport`; its ``mismatches`` are labels / types whose counts
        on the server differ from the local graph (e.g. stale nodes without ``replace``).

    Raises:
        Neo4jError: one line for a bad batch size or any driver / server failure.
    """
    check_batch_size(batch_size)
    plan = cypher.write_plan(G)
    total = sum(len(g.rows) for g in plan)
    statements = batches = done = deleted = 0
    try:
        with _session(driver, database, neo4j.WRITE_ACCESS) as session:
            for ddl in cypher.schema_statements():
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
        counts = read_counts(driver, database)
    except (nex.Neo4jError, nex.DriverError, OSError) as exc:
        raise Neo4jError(explain(exc, uri, user, database)) from None
    local = local_counts(G)
    checks = tuple(CountCheck(name, local[name], counts[name]) for name in local)
    return PushReport(statements, batches, done, deleted, checks)


def read_counts(driver: neo4j.Driver, database: str | None = None) -> dict[str, int]:
    """Nodes per product label and relationships per product type on the server.

    Raises:
        neo4j errors unchanged (callers map them with :func:`explain`).
    """
    out: dict[str, int] = {}
    with _session(driver, database, neo4j.READ_ACCESS) as session:
        for kind in Kind:
            out[kind.value] = session.execute_read(_run_count, cypher.count_nodes(kind))
        for rel in Rel:
            out[rel.value] = session.execute_read(_run_count, cypher.count_rels(rel))
    return out


# --- reading ---------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Driver values as JSON-friendly plain data (nodes and relationships as property maps)."""
    if isinstance(value, neo4j.graph.Node):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, neo4j.graph.Relationship):
        return {"type": value.type, **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Path):
        return [_plain(n) for n in value.nodes]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _collect(tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any]) -> ReadResult:
    result = tx.run(query, params)
    columns = tuple(result.keys())
    rows = tuple({k: _plain(record[k]) for k in columns} for record in result)
    return ReadResult(columns, rows)


def run_read(
    driver: neo4j.Driver,
    query: str,
    params: dict[str, Any] | None = None,
    *,
    database: str | None = None,
    uri: str = "",
    user: str = "",
) -> ReadResult:
    """Run ``query`` in a READ transaction (read access mode: the server refuses writes).

    Raises:
        Neo4jError: one line for any driver or server failure (syntax errors included).
    """
    try:
        with _session(driver, database, neo4j.READ_ACCESS) as session:
            return session.execute_read(_collect, query, dict(params or {}))
    except (nex.Neo4jError, nex.DriverError, OSError) as exc:
        raise Neo4jError(explain(exc, uri, user, database)) from None


def format_checks(checks: Iterable[CountCheck]) -> list[str]:
    """Human lines for count checks, mismatches marked.

    >>> format_checks([CountCheck("Skill", 3, 4)])
    ['Skill: local 3, Neo4j 4  <- differs']
    """
    return [
        f"{c.name}: local {c.local}, Neo4j {c.remote}" + ("" if c.ok else "  <- differs")
        for c in checks
    ]
