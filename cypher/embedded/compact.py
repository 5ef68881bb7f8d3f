"""FalkorDB's ``--compact`` result format read into Python values, and the engine's graph
client on one connection (:class:`GraphClient`).

A compact reply is ``[header, rows, statistics]`` (``[statistics]`` for a statement that
returns nothing): the header holds ``[column type, name]`` pairs, each row one
``[type tag, value]`` cell per column, and labels, relationship types and property keys
come as numbers that index the graph's ``db.labels()``, ``db.relationshipTypes()`` and
``db.propertyKeys()`` lists. Those lists are read once per client, when a number is first
met, and again when a number is past the end of the list read (names are only ever added
while a graph lives; :meth:`cypher.embedded.engine.CypherEngine.clear` starts new clients).

Values: null → None, string → str, integer → int, boolean → bool, double → float, array
and vectorf32 → list, map → dict (server order), point → ``{"latitude", "longitude"}``,
node / edge / path → :class:`Node` / :class:`Edge` / :class:`Path`, datetime → an aware UTC
:class:`datetime.datetime`, date → :class:`datetime.date`, time → :class:`datetime.time`,
duration → :class:`datetime.timedelta` (the server sends each as seconds since the epoch).

>>> read_value([10, ["a", [3, 1], "b", [6, [[5, "2.5"], [1, None]]]]], Schema(None))
{'a': 1, 'b': [2.5, None]}
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from cypher.embedded.resp import Connection, ErrorReply, Reply, error_message
from loaders.errors import EngineReplyError

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Node:
    """A node as the engine returns it: internal id, labels, properties in server order."""

    id: int
    labels: tuple[str, ...]
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Edge:
    """A relationship: internal id, type, internal ids of its start and end nodes, properties."""

    id: int
    relation: str
    src_node: int
    dest_node: int
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Path:
    """A path: its nodes in order and the relationships between them (one fewer)."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


@dataclass(frozen=True)
class CompactResult:
    """Column names, rows of values, and the server's statistics lines."""

    columns: list[str]
    rows: list[list[Any]]
    statistics: list[str]


class Schema:
    """Label, relationship-type and property-key names by number, read through ``query``
    (``None``: nothing to read, for values without names)."""

    def __init__(self, query: Callable[[str], CompactResult] | None) -> None:
        self._query = query
        self._names: dict[str, list[str]] = {}

    def name(self, procedure: str, number: int) -> str:
        """The name numbered ``number`` in the list ``CALL <procedure>()`` returns.

        Raises
        ------
        EngineReplyError
            the number is not in the list even after reading it again.
        """
        names = self._names.get(procedure, [])
        if not 0 <= number < len(names) and self._query is not None:
            names = [str(row[0]) for row in self._query(f"CALL {procedure}()").rows]
            self._names[procedure] = names
        if not 0 <= number < len(names):
            raise EngineReplyError(f"the engine named no {procedure} entry number {number}")
        return names[number]


def _text(value: Any, _schema: Schema) -> str:
    return value if isinstance(value, str) else str(value)


def _integer(value: Any, _schema: Schema) -> int:
    return int(value)


def _boolean(value: Any, _schema: Schema) -> bool:
    return bool(value == "true")


def _double(value: Any, _schema: Schema) -> float:
    return float(value)


def _array(value: Any, schema: Schema) -> list[Any]:
    return [read_value(cell, schema) for cell in value]


def _properties(pairs: list[list[Any]], schema: Schema) -> dict[str, Any]:
    # Each property is [key number, type tag, value].
    return {schema.name("db.propertyKeys", int(p[0])): read_value(p[1:], schema) for p in pairs}


def _node(value: Any, schema: Schema) -> Node:
    labels = tuple(schema.name("db.labels", int(n)) for n in value[1])
    return Node(int(value[0]), tuple(x for x in labels if x), _properties(value[2], schema))


def _edge(value: Any, schema: Schema) -> Edge:
    relation = schema.name("db.relationshipTypes", int(value[1]))
    return Edge(int(value[0]), relation, int(value[2]), int(value[3]),
                _properties(value[4], schema))  # fmt: skip


def _path(value: Any, schema: Schema) -> Path:
    nodes, edges = read_value(value[0], schema), read_value(value[1], schema)
    return Path(tuple(nodes), tuple(edges))


def _map(value: Any, schema: Schema) -> dict[str, Any]:
    return {_text(value[i], schema): read_value(value[i + 1], schema)
            for i in range(0, len(value), 2)}  # fmt: skip


def _point(value: Any, _schema: Schema) -> dict[str, float]:
    return {"latitude": float(value[0]), "longitude": float(value[1])}


def _vector(value: Any, _schema: Schema) -> list[float]:
    return [float(v) for v in value]


def _datetime(value: Any, _schema: Schema) -> datetime:
    return datetime.fromtimestamp(value, tz=UTC)


def _date(value: Any, schema: Schema) -> date:
    return _datetime(value, schema).date()


def _time(value: Any, schema: Schema) -> time:
    return _datetime(value, schema).time()


def _duration(value: Any, _schema: Schema) -> timedelta:
    return _datetime(value, _schema) - _EPOCH


def _null(_value: Any, _schema: Schema) -> None:
    return None


#: Readers by the format's type tag (0: unknown, read as null).
READERS: dict[int, Callable[[Any, Schema], Any]] = {
    0: _null, 1: _null, 2: _text, 3: _integer, 4: _boolean, 5: _double, 6: _array,
    7: _edge, 8: _node, 9: _path, 10: _map, 11: _point, 12: _vector, 13: _datetime,
    14: _date, 15: _time, 16: _duration,
}  # fmt: skip


def read_value(cell: Any, schema: Schema) -> Any:
    """One ``[type tag, value]`` cell as a Python value.

    Raises
    ------
    EngineReplyError
        an unknown type tag or an unknown name number.
    """
    reader = READERS.get(int(cell[0]))
    if reader is None:
        raise EngineReplyError(f"the engine returned a value of unknown type {cell[0]}")
    return reader(cell[1], schema)


def read_result(reply: Reply, schema: Schema) -> CompactResult:
    """A whole compact reply (see the module text).

    Raises
    ------
    EngineReplyError
        the reply carries an error (a run-time error after the header), or is not a
        compact result.
    """
    if not isinstance(reply, list) or not reply:
        raise EngineReplyError(f"the engine sent no result but {reply!r}")
    for part in (reply[0], reply[-1]):
        if isinstance(part, ErrorReply):
            raise EngineReplyError(error_message(part.message)[0])
    statistics = [str(s) for s in reply[-1]] if isinstance(reply[-1], list) else []
    if len(reply) == 1 or not reply[0]:
        return CompactResult([], [], statistics)
    header, rows = reply[0], reply[1]
    if not isinstance(header, list) or not isinstance(rows, list):
        raise EngineReplyError("the engine sent a result without a header and rows")
    columns = [str(h[1]) for h in header if isinstance(h, list)]
    values = [[read_value(cell, schema) for cell in row] for row in rows if isinstance(row, list)]
    return CompactResult(columns, values, statistics)


class GraphClient:
    """Queries on one graph key over one connection, with that connection's name lists."""

    def __init__(self, connection: Connection, key: str) -> None:
        self.connection = connection
        self.key = key
        self.schema = Schema(lambda text: self.query("GRAPH.RO_QUERY", text))

    def query(self, command: str, text: str, timeout_ms: int | None = None) -> CompactResult:
        """Run ``command`` (``GRAPH.QUERY`` or ``GRAPH.RO_QUERY``) with ``text`` (parameters
        header included) and read its compact reply.

        Raises
        ------
        EngineReplyError
            the engine's error message (syntax, run time, read-only, time limit).
        EngineConnectionError
            the connection was lost or timed out (:mod:`cypher.embedded.resp`).
        UnicodeError
            text that is not valid Unicode, or a reply that is not UTF-8.
        """
        args: list[str | int] = [command, self.key, text, "--compact"]
        if timeout_ms is not None:
            args += ["timeout", timeout_ms]
        return read_result(self.connection.command(*args), self.schema)

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()

