"""cypher.neo4j.push against a test double built on the real neo4j API (autospec'd).

The double's transactions execute the push's statements on a small in-memory
store with MERGE semantics (keyed by the statement texts cypher.write builds),
and its ``execute_write`` / ``execute_read`` follow the driver's documented
contract: call the transaction function with a fresh transaction, and call it
again when it fails with a retryable error.
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import neo4j
import neo4j.exceptions as nex
import networkx as nx
import pytest

from cypher import write as cypher
from cypher.neo4j import connect as conn
from cypher.neo4j import push
from graph.build import build_graph
from graph.model import Kind, Rel
from loaders.errors import Neo4jError
from loaders.text import parse_standard_text

SECRET = "s3cr3t-Pa55"
TRICKY = "名稱 'single' \"double\" back\\slash\nnew line\ttab"


@pytest.fixture(scope="module")
def seed(standards_dir: Path) -> nx.MultiDiGraph:
    paths = sorted(standards_dir.glob("*.txt"))
    return build_graph([parse_standard_text(p.read_text(encoding="utf-8"), str(p)) for p in paths])


def server_error(code: str, message: str = "refused") -> nex.Neo4jError:
    """An error as the driver builds it from a server FAILURE message."""
    return nex.Neo4jError._hydrate_neo4j(code=code, message=message)


class FakeServer:
    """Nodes and relationships with MERGE semantics, for the statements cypher.write builds."""

    def __init__(self) -> None:
        self.nodes: dict[str, tuple[Kind, dict[str, Any]]] = {}
        self.rels: dict[tuple[Rel, str, str], dict[str, Any]] = {}
        self.calls: list[tuple[str, int]] = []  # (statement, rows) of every run
        self.fail: Callable[[str, dict[str, Any]], None] = lambda s, p: None
        self.handlers: dict[str, Callable[[dict[str, Any]], list[dict[str, Any]]]] = {}
        for kind in Kind:
            self.handlers[cypher.node_merge(kind)] = self._merge_nodes(kind)
            self.handlers[cypher.count_nodes(kind)] = self._count_nodes(kind)
            self.handlers[cypher.delete_batch(kind)] = self._delete(kind)
            for src in Kind:
                for rel in Rel:
                    merge = self._merge_rels(rel, src, kind)
                    self.handlers[cypher.rel_merge(rel, src, kind)] = merge
        for rel in Rel:
            self.handlers[cypher.count_rels(rel)] = self._count_rels(rel)
        for ddl in cypher.schema_statements():
            self.handlers[ddl] = lambda p: []
        self.handlers[cypher.await_index()] = lambda p: []

    def _merge_nodes(self, kind: Kind) -> Callable[[dict[str, Any]], list[dict[str, Any]]]:
        def run(p: dict[str, Any]) -> list[dict[str, Any]]:
            for row in p["rows"]:
                _, props = self.nodes.setdefault(row["id"], (kind, {"id": row["id"]}))
                props.update(row["props"])
            return []
        return run

    def _merge_rels(self, rel: Rel, a: Kind, b: Kind) -> Callable[[dict[str, Any]], list[Any]]:
        def run(p: dict[str, Any]) -> list[dict[str, Any]]:
            for row in p["rows"]:
                ends = self.nodes.get(row["src"]), self.nodes.get(row["dst"])
                if ends[0] and ends[1] and ends[0][0] is a and ends[1][0] is b:
                    self.rels.setdefault((rel, row["src"], row["dst"]), {}).update(row["props"])
            return []
        return run

    def _count_nodes(self, kind: Kind) -> Callable[[dict[str, Any]], list[dict[str, Any]]]:
        return lambda p: [{"count": sum(k is kind for k, _ in self.nodes.values())}]

    def _count_rels(self, rel: Rel) -> Callable[[dict[str, Any]], list[dict[str, Any]]]:
        return lambda p: [{"count": sum(r is rel for r, _, _ in self.rels)}]

    def _delete(self, kind: Kind) -> Callable[[dict[str, Any]], list[dict[str, Any]]]:
        def run(p: dict[str, Any]) -> list[dict[str, Any]]:
            doomed = [n for n, (k, _) in self.nodes.items() if k is kind][: p["limit"]]
            for n in doomed:
                del self.nodes[n]
            self.rels = {key: v for key, v in self.rels.items() if key[1] in self.nodes
                         and key[2] in self.nodes}
            return [{"deleted": len(doomed)}]
        return run

    def run(self, statement: str, params: dict[str, Any] | None = None) -> neo4j.Result:
        params = params or {}
        self.fail(statement, params)
        self.calls.append((statement, len(params.get("rows", ()))))
        records = [neo4j.Record(r) for r in self.handlers[statement](params)]
        result = mock.Mock(spec=neo4j.Result)  # spec, not autospec: thousands of these
        result.single.return_value = records[0] if records else None
        return result


def managed(server: FakeServer, attempts: list[int]) -> Callable[..., Any]:
    """``Session.execute_write`` / ``execute_read`` as the driver documents them: retry
    the transaction function on a retryable error (a few times here, not 30 s)."""

    def execute(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        for attempt in range(3):
            tx = mock.Mock(spec=neo4j.ManagedTransaction)
            tx.run.side_effect = server.run
            attempts.append(attempt)
            try:
                return fn(tx, *args, **kwargs)
            except (nex.Neo4jError, nex.DriverError) as exc:
                if not exc.is_retryable() or attempt == 2:
                    raise
        raise AssertionError("unreachable")

    return execute


def fake_driver(server: FakeServer) -> tuple[Any, list[Any], list[int]]:
    driver = mock.create_autospec(neo4j.Driver, instance=True)
    sessions: list[Any] = []
    attempts: list[int] = []

    def session(**config: Any) -> Any:
        s = mock.create_autospec(neo4j.Session, instance=True)
        s.__enter__.return_value = s
        s.execute_write.side_effect = managed(server, attempts)
        s.execute_read.side_effect = managed(server, attempts)
        s.run.side_effect = AssertionError("auto-commit transactions are not retried")
        sessions.append((config, s))
        return s

    driver.session.side_effect = session
    return driver, sessions, attempts


# --- pushes -------------------------------------------------------------------


def test_push_sends_batches_of_the_requested_size(seed: nx.MultiDiGraph) -> None:
    server = FakeServer()
    driver, _, _ = fake_driver(server)
    report = push.push_graph(seed, driver, batch_size=50)
    sizes: dict[str, list[int]] = {}
    for statement, rows in server.calls:
        if "$rows" in statement:
            sizes.setdefault(statement, []).append(rows)
    for group in cypher.write_plan(seed):
        n = len(group.rows)
        assert sizes[group.statement] == [50] * (n // 50) + ([n % 50] if n % 50 else [])
    assert report.rows == seed.number_of_nodes() + seed.number_of_edges()
    assert not report.mismatches


def test_constraints_come_before_the_data_and_the_fulltext_index_after_it(
    seed: nx.MultiDiGraph,
) -> None:
    server = FakeServer()
    driver, _, _ = fake_driver(server)
    push.push_graph(seed, driver, batch_size=100)
    statements = [s for s, _ in server.calls]
    data = [i for i, s in enumerate(statements) if "$rows" in s]
    assert max(statements.index(c) for c in cypher.constraint_statements()) < min(data)
    index = statements.index(cypher.fulltext_index())
    assert max(data) < index < statements.index(cypher.await_index())
    plan = [p.statement for p in push.dry_run_plan(seed, 100)]
    assert plan == list(dict.fromkeys(statements[: statements.index(cypher.await_index()) + 1]))


def test_push_uses_managed_write_transactions_only(seed: nx.MultiDiGraph) -> None:
    server = FakeServer()
    driver, sessions, _ = fake_driver(server)
    push.push_graph(seed, driver, database="icap", batch_size=500)
    write_config, write_session = sessions[0]
    assert write_config == {"database": "icap", "default_access_mode": neo4j.WRITE_ACCESS}
    assert write_session.execute_write.call_count > 0
    write_session.run.assert_not_called()
    write_session.begin_transaction.assert_not_called()
    read_config, read_session = sessions[1]  # the read-back
    assert read_config["default_access_mode"] == neo4j.READ_ACCESS
    read_session.execute_write.assert_not_called()


def test_counts_read_back_equal_the_local_graph(seed: nx.MultiDiGraph) -> None:
    server = FakeServer()
    driver, _, _ = fake_driver(server)
    report = push.push_graph(seed, driver)
    by_name = {c.name: c for c in report.counts}
    # Five seed standards -> five occupations; IDC3339-001v2 alone has duties T1..T4.
    assert by_name["Occupation"].remote == 5
    assert all(c.local == c.remote for c in report.counts)
    assert sum(c.remote for c in report.counts) == seed.number_of_nodes() + seed.number_of_edges()


def test_a_transient_failure_on_one_batch_is_retried(seed: nx.MultiDiGraph) -> None:
    server = FakeServer()
    failed: list[int] = []

    def flaky(statement: str, params: dict[str, Any]) -> None:
        if statement == cypher.node_merge(Kind.SKILL) and not failed:
            failed.append(1)
            raise server_error("Neo.TransientError.Transaction.DeadlockDetected", "deadlock")

    server.fail = flaky
    driver, _, attempts = fake_driver(server)
    report = push.push_graph(seed, driver, batch_size=1000)
    assert failed == [1] and attempts.count(1) == 1  # one batch ran a second time
    assert not report.mismatches


def test_service_unavailable_mid_batch_is_retried(seed: nx.MultiDiGraph) -> None:
    server = FakeServer()
    seen: list[str] = []

    def drop_once(statement: str, params: dict[str, Any]) -> None:
        if "HAS_TASK" in statement and statement not in seen:
            seen.append(statement)
            raise nex.ServiceUnavailable("connection reset")

    server.fail = drop_once
    driver, _, _ = fake_driver(server)
    assert not push.push_graph(seed, driver).mismatches


def test_an_interrupted_push_rerun_completes(seed: nx.MultiDiGraph) -> None:
    server = FakeServer()

    def down(statement: str, params: dict[str, Any]) -> None:
        if statement == cypher.node_merge(Kind.INDICATOR):
            raise nex.ServiceUnavailable("server went away")

    server.fail = down
    driver, _, _ = fake_driver(server)
    with pytest.raises(Neo4jError, match="cannot reach"):
        push.push_graph(seed, driver, batch_size=20, uri="bolt://db:7687")
    assert 0 < len(server.nodes) < seed.number_of_nodes()
    server.fail = lambda s, p: None
    report = push.push_graph(seed, driver, batch_size=20)
    assert not report.mismatches
    again = push.push_graph(seed, driver, batch_size=7)  # idempotent: nothing changes
    assert [c.remote for c in again.counts] == [c.remote for c in report.counts]


def test_stale_nodes_show_as_mismatches_and_replace_removes_them(seed: nx.MultiDiGraph) -> None:
    server = FakeServer()
    driver, _, _ = fake_driver(server)
    server.nodes["skill:舊技能"] = (Kind.SKILL, {"id": "skill:舊技能"})
    report = push.push_graph(seed, driver)
    assert [c.name for c in report.mismatches] == ["Skill"]
    replaced = push.push_graph(seed, driver, replace=True)
    assert not replaced.mismatches
    assert replaced.deleted == seed.number_of_nodes() + 1
    assert "skill:舊技能" not in server.nodes


def test_progress_reports_every_batch(seed: nx.MultiDiGraph) -> None:
    server = FakeServer()
    driver, _, _ = fake_driver(server)
    seen: list[push.Progress] = []
    push.push_graph(seed, driver, batch_size=100, progress=seen.append)
    total = seed.number_of_nodes() + seed.number_of_edges()
    assert seen[-1] == push.Progress(total, total, seen[-1].what)
    assert [p.done for p in seen] == sorted(p.done for p in seen)


def test_tricky_names_travel_as_parameters_exactly() -> None:
    G = nx.MultiDiGraph()
    G.add_node("skill:" + TRICKY, kind="Skill", name=TRICKY)
    server = FakeServer()
    driver, _, _ = fake_driver(server)
    push.push_graph(G, driver)
    assert server.nodes["skill:" + TRICKY][1]["name"] == TRICKY


# --- errors: one clear line each ----------------------------------------------


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (server_error("Neo.ClientError.Database.DatabaseNotFound"),
         "database 'nope' does not exist on the Neo4j server at bolt://db:7687"),
        (server_error("Neo.ClientError.Security.Forbidden"),
         "the Neo4j server at bolt://db:7687 refuses writes to database 'nope'"),
        (server_error("Neo.ClientError.General.ForbiddenOnReadOnlyDatabase"),
         "the Neo4j server at bolt://db:7687 refuses writes to database 'nope'"),
        (server_error("Neo.ClientError.Cluster.NotALeader"),
         "the Neo4j server at bolt://db:7687 refuses writes to database 'nope'"),
        (nex.ServiceUnavailable("Couldn't connect"), "cannot reach a Neo4j server at bolt://db:7687"),
    ],
)
def test_server_errors_during_a_push_are_one_line(
    seed: nx.MultiDiGraph, error: Exception, expected: str
) -> None:
    server = FakeServer()

    def refuse(statement: str, params: dict[str, Any]) -> None:
        raise error

    server.fail = refuse
    driver, _, _ = fake_driver(server)
    with pytest.raises(Neo4jError) as info:
        push.push_graph(seed, driver, database="nope", uri="bolt://db:7687", user="ana")
    message = str(info.value)
    assert message.startswith(expected)
    assert "\n" not in message


def driver_factory(verify_error: Exception | None) -> Any:
    driver = mock.create_autospec(neo4j.Driver, instance=True)
    if verify_error is not None:
        driver.verify_connectivity.side_effect = verify_error
    return mock.create_autospec(neo4j.GraphDatabase.driver, return_value=driver)


def test_wrong_password_is_one_line_without_the_password() -> None:
    auth = server_error("Neo.ClientError.Security.Unauthorized", f"bad credentials {SECRET}")
    factory = driver_factory(auth)
    with mock.patch.object(neo4j.GraphDatabase, "driver", factory), \
            pytest.raises(Neo4jError) as info:
        conn.connect("neo4j://db:7687", "ana", SECRET)
    assert str(info.value) == (
        "Neo4j at neo4j://db:7687 refused the credentials of user 'ana' "
        "(wrong password? it is read from NEO4J_PASSWORD or the prompt)"
    )
    assert factory.call_args.kwargs["connection_timeout"] == conn.CONNECT_TIMEOUT
    factory.return_value.close.assert_called_once()


def test_refused_connection_is_one_line() -> None:
    factory = driver_factory(nex.ServiceUnavailable("Couldn't connect to db:7687"))
    with mock.patch.object(neo4j.GraphDatabase, "driver", factory), \
            pytest.raises(Neo4jError, match=r"^cannot reach a Neo4j server at bolt://db:7687"):
        conn.connect("bolt://db:7687", "neo4j", SECRET)


@pytest.mark.parametrize("uri", ["http://localhost:7474", "bolt:/localhost", "localhost:7687",
                                 "neo4j+x://h:7687", "bolt://"])
def test_a_wrong_uri_fails_before_connecting(uri: str) -> None:
    factory = driver_factory(None)
    with mock.patch.object(neo4j.GraphDatabase, "driver", factory), \
            pytest.raises(Neo4jError, match="URI"):
        conn.connect(uri, "neo4j", SECRET)
    factory.assert_not_called()


def test_unreachable_host_fails_fast_with_the_real_driver() -> None:
    with socket.socket() as s:  # a loopback port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    start = time.monotonic()
    with pytest.raises(Neo4jError) as info:
        conn.connect(f"bolt://127.0.0.1:{port}", "neo4j", SECRET)
    assert time.monotonic() - start < conn.CONNECT_TIMEOUT
    assert str(info.value).startswith(f"cannot reach a Neo4j server at bolt://127.0.0.1:{port}")
    assert SECRET not in str(info.value)


def test_batch_size_zero_is_refused(seed: nx.MultiDiGraph) -> None:
    driver, sessions, _ = fake_driver(FakeServer())
    with pytest.raises(Neo4jError, match="--batch-size must be at least 1, not 0"):
        push.push_graph(seed, driver, batch_size=0)
    assert sessions == []
    with pytest.raises(Neo4jError, match="at least 1"):
        push.dry_run_plan(seed, 0)


# --- dry run and reads ----------------------------------------------------------


def test_dry_run_lists_each_statement_once_with_its_first_batch(seed: nx.MultiDiGraph) -> None:
    plan = [p.as_json() for p in push.dry_run_plan(seed, batch_size=10, replace=True)]
    statements = [p["statement"] for p in plan]
    assert len(statements) == len(set(statements))
    groups = {g.statement: g for g in cypher.write_plan(seed)}
    for entry in plan:
        group = groups.get(entry["statement"])
        if group is None:
            assert entry["rows"] == 0
            continue
        assert entry["rows"] == len(group.rows)
        assert entry["parameters"] == {"rows": list(group.rows[:10])}
    deletes = [p for p in plan if "DETACH DELETE" in p["statement"]]
    assert len(deletes) == len(Kind)
    assert json.loads(json.dumps(plan, ensure_ascii=False)) == plan


def test_dry_run_parameters_round_trip_tricky_names() -> None:
    G = nx.MultiDiGraph()
    G.add_node("skill:" + TRICKY, kind="Skill", name=TRICKY)
    plan = [p.as_json() for p in push.dry_run_plan(G)]
    decoded = json.loads(json.dumps(plan))
    merge = next(p for p in decoded if p["rows"])
    row = merge["parameters"]["rows"][0]
    assert row == {"id": "skill:" + TRICKY, "props": {"kind": "Skill", "name": TRICKY}}
    assert TRICKY not in merge["statement"]


def test_run_read_uses_a_read_transaction() -> None:
    driver = mock.create_autospec(neo4j.Driver, instance=True)
    session = mock.create_autospec(neo4j.Session, instance=True)
    session.__enter__.return_value = session
    driver.session.return_value = session
    session.execute_read.return_value = conn.ReadResult(("n",), ({"n": 1},))
    result = conn.run_read(driver, "MATCH (n) RETURN count(n) AS n", database="icap")
    assert result.rows == ({"n": 1},)
    driver.session.assert_called_once_with(database="icap", default_access_mode=neo4j.READ_ACCESS)
    session.execute_write.assert_not_called()
    session.run.assert_not_called()


def test_run_read_collects_plain_rows() -> None:
    tx = mock.create_autospec(neo4j.ManagedTransaction, instance=True)
    result = mock.create_autospec(neo4j.Result, instance=True)
    result.keys.return_value = ["name", "n"]
    result.__iter__.return_value = iter([neo4j.Record({"name": TRICKY, "n": [1, 2]})])
    tx.run.return_value = result
    out = conn._collect(tx, "MATCH …", {"x": 1})
    assert out == conn.ReadResult(("name", "n"), ({"name": TRICKY, "n": [1, 2]},))


def test_the_drivers_own_retry_loop_retries_a_failed_batch(seed: nx.MultiDiGraph) -> None:
    """The real ``neo4j.Session.execute_write`` (its retry loop, delays and
    ``is_retryable`` checks) with only its transport replaced: the session opens
    spec'd transactions on the fake server instead of a socket."""
    from neo4j._conf import SessionConfig

    server = FakeServer()
    failures: list[str] = []

    def flaky(statement: str, params: dict[str, Any]) -> None:
        if statement == cypher.node_merge(Kind.SKILL) and len(failures) < 2:
            failures.append(statement)
            raise nex.ServiceUnavailable("connection reset by peer")

    server.fail = flaky

    def real_session(**config: Any) -> neo4j.Session:
        session_config = SessionConfig()
        session_config.database = config["database"]
        session_config.default_access_mode = config["default_access_mode"]
        session_config.initial_retry_delay = 0.01
        session = neo4j.Session(mock.Mock(), session_config)

        def open_transaction(*, tx_cls: type, **_: Any) -> None:
            tx = mock.Mock(spec=tx_cls)
            tx.run.side_effect = server.run
            session._transaction = tx

        session._open_transaction = open_transaction  # type: ignore[method-assign]
        session._disconnect = lambda sync=False: None  # type: ignore[method-assign]
        session.close = lambda: None  # type: ignore[method-assign]
        return session

    driver = mock.create_autospec(neo4j.Driver, instance=True)
    driver.session.side_effect = real_session
    report = push.push_graph(seed, driver, batch_size=1000)
    assert len(failures) == 2  # the Skill batch failed twice and went through the third time
    assert not report.mismatches


def test_counts_are_read_back_without_server_notifications(seed: nx.MultiDiGraph) -> None:
    # On data without a relationship type (INCLUDES, on a corpus without term lists) the
    # server warns that the type does not exist and the driver logs it to stderr after
    # every push; the read-back's session asks for no notifications, the writes' keep them.
    server = FakeServer()
    driver, sessions, _ = fake_driver(server)
    push.push_graph(seed, driver, batch_size=500)
    reads = [config for config, _ in sessions if config.get("default_access_mode") == "READ"]
    writes = [config for config, _ in sessions if config.get("default_access_mode") == "WRITE"]
    assert reads and writes
    assert all(c.get("notifications_min_severity") == "OFF" for c in reads)
    assert not any("notifications_min_severity" in c for c in writes)
