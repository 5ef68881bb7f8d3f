"""pytest fixtures for a live Neo4j 5 server: ``neo4j_server`` and ``neo4j_live``.

Loaded by ``tests/conftest.py`` (``pytest_plugins``). Any test may ask for them::

    def test_something(neo4j_live: LiveNeo4j) -> None:
        neo4j_live.load(G)                        # the product's push; G replaces what was there
        rows = neo4j_live.read("MATCH (n:Skill) RETURN n.name AS name ORDER BY name")
        driver = neo4j_live.driver                # or talk to it directly (then see forget())

``neo4j_server`` (session scope) is the :class:`~neo4j_server.server.Neo4jProcess`: Neo4j
Community 5.26 started from Maven Central artifacts (``tests/neo4j_server/pom.xml``), Bolt on
127.0.0.1, a fresh random password. It starts the first time a test asks for it, so a run
that selects no live test starts no JVM, and it stops at the end of the session (and when
pytest dies: see :mod:`neo4j_server.server`).

``neo4j_live`` (session scope) is a :class:`LiveNeo4j`: ``uri``, ``user``, ``password``, an
open ``driver`` and helpers. The one database is shared by every live test in the session,
so a test states what it needs with :meth:`LiveNeo4j.load` instead of assuming what an earlier
test left; ``load`` skips the push when the same graph is already there.

When the server cannot be had here (no Java 17+ or Maven, Maven Central unreachable on a
first run, a start failure) the tests asking for it skip with one line saying why; with
``CI=true`` they fail instead: CI must never skip them silently.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import neo4j
import networkx as nx
import pytest

from cypher.neo4j import connect as conn
from cypher.neo4j import push
from cypher.write import DEFAULT_BATCH
from neo4j_server.server import Neo4jProcess, ServerUnavailable

#: The only user database of Neo4j Community.
DATABASE = "neo4j"
ROOT = Path(__file__).resolve().parents[2]


def icapgraph(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command-line tool (``.venv/bin/icapgraph``, else ``python -m cli.main``)
    in the repository root; its output is captured as text."""
    script = Path(sys.executable).with_name("icapgraph")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "cli.main"]
    return subprocess.run([*cmd, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)


def in_ci() -> bool:
    """True when the environment says this is a CI run (``CI=true``, as CI services set it).

    >>> import os; os.environ.get("CI") is None or isinstance(in_ci(), bool)
    True
    """
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def unavailable(reason: str) -> None:
    """Skip the asking test with ``reason``, or fail it under ``CI=true``."""
    if in_ci():
        pytest.fail(f"the Neo4j test server is required in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def start_server(*args: Any, **kwargs: Any) -> Neo4jProcess:
    """:meth:`Neo4jProcess.start`, or skip the asking test (fail it under ``CI=true``) with
    the one line saying why the server cannot be had."""
    try:
        return Neo4jProcess.start(*args, **kwargs)
    except ServerUnavailable as exc:
        reason = str(exc)
    unavailable(reason)  # outside the except block: no chained traceback in the report
    raise AssertionError("unreachable: unavailable() skips or fails")


@dataclass
class LiveNeo4j:
    """A session on the live test server.

    Attributes:
        uri, user, password: how to reach it (``bolt://127.0.0.1:PORT``, ``neo4j``, random).
        driver: an open ``neo4j.Driver`` (closed at the end of the session).
        database: ``neo4j``, the only user database of the Community edition.
    """

    uri: str
    user: str
    password: str = field(repr=False)
    driver: neo4j.Driver = field(repr=False)
    database: str = DATABASE
    # The graph last pushed by load() (kept alive, so that no other graph can take its id)
    # with its node and edge counts then.
    _loaded: tuple[nx.MultiDiGraph, int, int] | None = field(default=None, repr=False)

    def env(self) -> dict[str, str]:
        """The environment for a CLI subprocess on this server: ``os.environ`` without any
        ``NEO4J_*`` of the person running the tests, plus ``NEO4J_URI``, ``NEO4J_USER`` and
        ``NEO4J_PASSWORD`` (the password never goes in argv)."""
        own = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
        return {**own, "NEO4J_URI": self.uri, "NEO4J_USER": self.user,
                "NEO4J_PASSWORD": self.password}

    def load(
        self, G: nx.MultiDiGraph, *, batch_size: int = DEFAULT_BATCH
    ) -> push.PushReport | None:
        """Make the database hold exactly ``G``: delete everything, then the product's push
        (:func:`cypher.neo4j.push.push_graph`, schema included); the full-text index is
        online when this returns. ``G`` follows :mod:`graph.model`'s contract (each node's
        ``kind`` a ``Kind``, each edge's ``rel`` a ``Rel``), as the push requires.

        Returns the push report, or None when the push was skipped because ``G`` (the same
        object, with as many nodes and edges) is what the last ``load`` pushed and nothing
        was written since through :meth:`write` or noted by :meth:`forget` (so do not change
        a loaded graph's attributes in place, or call :meth:`forget` after doing so).

        Raises:
            AssertionError: the counts read back differ from ``G``'s.
        """
        key = (G, G.number_of_nodes(), G.number_of_edges())
        if self._loaded is not None and self._loaded[0] is G and self._loaded[1:] == key[1:]:
            return None
        self.wipe()
        report = push.push_graph(G, self.driver, database=self.database,
                                 batch_size=batch_size, uri=self.uri)
        assert not report.mismatches, push.format_checks(report.mismatches)
        self.await_indexes()
        self._loaded = key
        return report

    def forget(self) -> None:
        """Note that the database no longer holds what the last :meth:`load` pushed."""
        self._loaded = None

    def wipe(self) -> None:
        """Delete every node and relationship, of any label (schema and indexes stay)."""
        with self.driver.session(database=self.database) as session:
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } "
                        "IN TRANSACTIONS OF 10000 ROWS").consume()
        self._loaded = None

    def await_indexes(self, seconds: int = 120) -> None:
        """Wait until every index (the full-text one included) is online."""
        with self.driver.session(database=self.database) as session:
            session.run("CALL db.awaitIndexes($seconds)", seconds=seconds).consume()

    def read(self, query: str, **params: Any) -> list[dict[str, Any]]:
        """Rows of ``query`` run in a READ transaction, as plain values (the product's reader)."""
        result = conn.run_read(self.driver, query, params, database=self.database, uri=self.uri)
        return [dict(row) for row in result.rows]

    def write(self, query: str, **params: Any) -> None:
        """Run ``query`` in a write transaction (and :meth:`forget` what was loaded)."""
        self._loaded = None
        self.driver.execute_query(query, params, database_=self.database)

    def counts(self) -> dict[str, int]:
        """Nodes per product label and relationships per product type on the server."""
        return push.read_counts(self.driver, self.database)

    def totals(self) -> tuple[int, int]:
        """All nodes and all relationships in the database, whatever their labels."""
        rows = self.read("CALL () { MATCH (n) RETURN count(n) AS nodes } "
                         "CALL () { MATCH ()-[r]->() RETURN count(r) AS rels } "
                         "RETURN nodes, rels")
        return int(rows[0]["nodes"]), int(rows[0]["rels"])


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[Neo4jProcess]:
    """The running test server (started on first use, stopped at the end of the session)."""
    server = start_server()
    _STARTS.append(server.started_in)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def neo4j_live(neo4j_server: Neo4jProcess) -> Iterator[LiveNeo4j]:
    """A :class:`LiveNeo4j` on the session's test server."""
    driver = conn.connect(neo4j_server.uri, neo4j_server.user, neo4j_server.password)
    try:
        yield LiveNeo4j(neo4j_server.uri, neo4j_server.user, neo4j_server.password, driver)
    finally:
        driver.close()


_STARTS: list[float] = []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Live tests on the corpus run after every other test: the corpus is then pushed once
    and never wiped again for a small graph (a wipe of it takes 15-30 s)."""
    items.sort(key=lambda item: item.get_closest_marker("neo4j") is not None
               and item.get_closest_marker("corpus") is not None)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "neo4j: runs against the live Neo4j test server (deselect: -m 'not neo4j')")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """One line on how long the test server took to start, when one was started."""
    for seconds in _STARTS:
        terminalreporter.write_line(f"Neo4j test server: started in {seconds:.1f} s")
