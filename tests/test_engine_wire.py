"""The engine's own wire client (cypher/embedded/resp.py) and compact result reader
(cypher/embedded/compact.py), on replies of the real server holding the five seed standards,
and on a fake server for the failures a real one rarely shows on demand."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

import graphs
import pytest

from cypher.embedded.compact import Edge, GraphClient, Node
from cypher.embedded.compact import Path as GraphPath
from cypher.embedded.engine import CypherEngine
from cypher.embedded.resp import Connection
from loaders.errors import EngineConnectionError, EngineReplyError, EngineTimeout


@pytest.fixture(scope="module")
def engine() -> Iterator[CypherEngine]:
    with CypherEngine.from_graph(graphs.seeds()) as e:
        yield e


@pytest.fixture
def connection(engine: CypherEngine) -> Iterator[Connection]:
    assert engine._server is not None
    with engine._server.connect(10.0) as conn:
        yield conn


@pytest.fixture
def scratch(connection: Connection) -> Iterator[GraphClient]:
    """A client on a graph key of its own (the seeds' graph stays as loaded)."""
    yield GraphClient(connection, "wire-test")
    connection.command("DEL", "wire-test")


def test_resp_framing_on_real_replies(connection: Connection) -> None:
    assert connection.command("PING") == "PONG"  # simple string
    assert connection.command("ECHO", "職能圖譜\r\n") == "職能圖譜\r\n"  # bulk, CRLF inside
    assert connection.command("EXISTS", "icapgraph") == 1  # integer: the graph's key
    assert connection.command("GET", "no such key") is None  # nil bulk string
    assert connection.command("CONFIG", "GET", "port") == ["port", "0"]  # array
    # A compact result: [header, rows, statistics]; header [column type 1, name], each
    # cell [type tag, value] (2: string, 3: integer). data/standards/ holds five standards,
    # IDC3339-001v2 is 網紅經紀人.
    reply = connection.command(
        "GRAPH.RO_QUERY", "icapgraph",
        "MATCH (o:Occupation) RETURN count(o), "
        "[x IN collect(o) WHERE x.code = 'IDC3339-001v2' | x.name][0]", "--compact",
    )  # fmt: skip
    assert isinstance(reply, list) and len(reply) == 3
    header, rows, stats = reply
    assert header == [[1, "count(o)"],
                      [1, "[x IN collect(o) WHERE x.code = 'IDC3339-001v2' | x.name][0]"]]
    assert rows == [[[3, 5], [2, "網紅經紀人"]]]
    assert isinstance(stats, list) and any("execution time" in str(s) for s in stats)


def test_every_value_type_the_engine_returns(scratch: GraphClient) -> None:
    result = scratch.query("GRAPH.QUERY", (
        "CREATE (a:Skill:Extra {id: 'skill:甲', name: '溝通', score: 0.5})"
        "-[r:SIMILAR_TO {score: 0.75}]->(b:Knowledge {id: 'knowledge:乙', tags: ['x', 'y']}) "
        "RETURN null, '職能 \"x\"', -42, 4611686018427387904, true, false, 2.5, 1.0 / 3, "
        "[1, 'a', [2.5, null]], {b: 1, a: [true]}, point({latitude: 25.25, longitude: 121.5}), "
        "vecf32([1.5, -2]), localdatetime('2024-01-02T03:04:05'), date('2024-01-02'), "
        "localtime('03:04:05'), duration('P1DT2H'), a, r, b"
    ))
    (row,) = result.rows
    assert row[:8] == [None, '職能 "x"', -42, 2**62, True, False, 2.5, 0.333333333333333]
    assert isinstance(row[2], int) and isinstance(row[6], float) and row[4] is True
    assert row[8] == [1, "a", [2.5, None]]
    assert row[9] == {"b": 1, "a": [True]} and list(row[9]) == ["b", "a"]  # server order
    assert row[10] == {"latitude": 25.25, "longitude": 121.5}  # (float32: 25.03 would not be)
    assert row[11] == [1.5, -2.0]
    assert row[12] == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert row[13] == date(2024, 1, 2)
    assert row[14] == clock(3, 4, 5)
    assert row[15] == timedelta(days=1, hours=2)
    a, r, b = row[16:]
    assert isinstance(a, Node) and a.labels == ("Skill", "Extra")
    assert a.properties == {"id": "skill:甲", "name": "溝通", "score": 0.5}
    assert list(a.properties) == ["id", "name", "score"]
    assert isinstance(b, Node) and b.labels == ("Knowledge",)
    assert b.properties == {"id": "knowledge:乙", "tags": ["x", "y"]}
    assert isinstance(r, Edge) and r.relation == "SIMILAR_TO" and r.properties == {"score": 0.75}
    assert (r.src_node, r.dest_node) == (a.id, b.id)
    paths = scratch.query("GRAPH.RO_QUERY", "MATCH p = (:Knowledge)<-[]-(:Skill) RETURN p").rows
    # The path walks from b back to a; its relationship keeps its own direction (a → b).
    assert paths == [[GraphPath((b, a), (r,))]]
    assert result.columns[:3] == ["null", "'職能 \"x\"'", "-42"]
    assert "Nodes created: 2" in result.statistics


def test_names_met_after_the_first_read_are_read_again(scratch: GraphClient) -> None:
    """Label and property numbers are read once per client, and again for one past the end."""
    first = scratch.query("GRAPH.QUERY", "CREATE (n:Skill {name: 'a'}) RETURN n").rows[0][0]
    assert first.labels == ("Skill",) and first.properties == {"name": "a"}
    later = scratch.query("GRAPH.QUERY", "CREATE (n:Task {code: 'T1'}) RETURN n").rows[0][0]
    assert later.labels == ("Task",) and later.properties == {"code": "T1"}


def test_an_empty_result_and_a_statement_without_one(scratch: GraphClient) -> None:
    created = scratch.query("GRAPH.QUERY", "CREATE (:Skill)")
    assert (created.columns, created.rows) == ([], [])
    assert "Nodes created: 1" in created.statistics
    empty = scratch.query("GRAPH.RO_QUERY", "MATCH (n:Nothing) RETURN n.name AS name")
    assert (empty.columns, empty.rows) == (["name"], [])


def test_error_replies_keep_the_connection(connection: Connection) -> None:
    with pytest.raises(EngineReplyError, match=r"^unknown command 'NOSUCH'"):
        connection.command("NOSUCH", "x")  # "ERR unknown command …": the code is cut off
    with pytest.raises(EngineReplyError, match=r"^Invalid graph operation on empty key$"):
        GraphClient(connection, "no-graph").query("GRAPH.RO_QUERY", "RETURN 1")
    scratch = GraphClient(connection, "icapgraph")
    with pytest.raises(EngineReplyError, match=r"^Division by zero$"):
        scratch.query("GRAPH.RO_QUERY", "RETURN 1 / 0")
    with pytest.raises(EngineReplyError, match=r"^errMsg: Invalid input 'R'"):
        scratch.query("GRAPH.RO_QUERY", "RETRN 1")
    with pytest.raises(EngineReplyError, match="executed only on read-only queries"):
        scratch.query("GRAPH.RO_QUERY", "CREATE (:Skill)")
    assert connection.command("PING") == "PONG"


def test_a_reply_past_the_time_limit_times_out_and_a_new_connection_works(
    engine: CypherEngine,
) -> None:
    assert engine._server is not None
    with engine._server.connect(0.3) as slow:
        start = time.monotonic()
        with pytest.raises(EngineTimeout, match=r"within 0\.3 s"):
            slow.command("BLPOP", "a list nobody fills", 0)  # waits for ever
        assert 0.3 <= time.monotonic() - start < 5
        assert slow._sock is None  # closed: a late reply can never be read as another's
        assert slow.command("PING") == "PONG"  # a new connection


def _fake_server(tmp_path: Path, answer: Callable[[socket.socket], None]) -> Iterator[Path]:
    path = tmp_path / "fake.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(1)
    done = threading.Event()

    def serve() -> None:
        peer, _ = listener.accept()
        with peer:
            peer.recv(4096)
            answer(peer)
            done.wait(5)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield path
    done.set()
    thread.join(5)
    listener.close()


@pytest.mark.parametrize(("reply", "error", "message"), [
    (None, EngineTimeout, r"no reply from the engine within 0\.2 s"),
    (b"", EngineConnectionError, "closed the connection"),
    (b"$10\r\nshort", EngineConnectionError, "closed the connection mid-reply"),
    (b"?what\r\n", EngineConnectionError, "not RESP2"),
    (b":12x\r\n", EngineConnectionError, "malformed number"),
    (b"-LOADING Redis is loading the dataset in memory\r\n", EngineConnectionError,
     "^Redis is loading the dataset in memory$"),
])  # fmt: skip
def test_a_silent_closed_or_garbled_server(
    tmp_path: Path, reply: bytes | None, error: type[Exception], message: str
) -> None:
    def answer(peer: socket.socket) -> None:
        if reply is None:
            return  # say nothing
        peer.sendall(reply)
        if reply in (b"", b"$10\r\nshort"):
            peer.shutdown(socket.SHUT_WR)

    for path in _fake_server(tmp_path, answer):
        conn = Connection(path, timeout=0.2)
        start = time.monotonic()
        with pytest.raises(error, match=message):
            conn.command("PING")
        assert time.monotonic() - start < 3
        assert conn._sock is None  # closed: the next command opens a new connection


def test_no_server_at_the_socket(tmp_path: Path) -> None:
    with pytest.raises(EngineConnectionError, match="lost the connection to the engine"):
        Connection(tmp_path / "none.sock", timeout=1.0).command("PING")


def test_text_that_is_not_unicode_is_refused_before_sending(connection: Connection) -> None:
    with pytest.raises(UnicodeEncodeError):
        connection.command("ECHO", "\ud800")
    assert connection.command("PING") == "PONG"
