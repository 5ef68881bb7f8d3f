"""What travels to and from the embedded Cypher engine as text: the read-only guard,
the parameters header, and the engine's error messages turned into one line each.

Parameters travel in a ``CYPHER name=value`` header in front of the query text;
:func:`params_header` builds that header, so that escaping is ours, tested, and
refuses what the server would misread (NUL characters, non-finite floats, integers
beyond 64 bits).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from cypher.embedded.compact import Edge, Node, Path
from loaders.errors import QueryError

_PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_INT64 = (-(2**63), 2**63 - 1)
_REFUSED = re.compile(
    r"(?<![\w.$])(CREATE|MERGE|SET|DELETE|DETACH|REMOVE|DROP|FOREACH|LOAD\s+CSV)(?![\w])(?!\s*:)"
    r"|(?<![\w.$])CALL\s+(db\.idx\.\S*?(?:create|drop)\w*)",
    re.IGNORECASE,
)
# String literals, quoted names and comments, blanked before looking for clauses.
_OPAQUE = re.compile(r"'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.S)
_PARAM_USE = re.compile(r"\$(\w+)")


def refused_clause(query: str) -> str | None:
    """The first write clause in ``query`` outside strings and comments, else None.

    >>> refused_clause("MATCH (n) WHERE n.name = 'CREATE' RETURN n.set")
    >>> refused_clause("MATCH (n) DETACH DELETE n")
    'DETACH'
    >>> refused_clause("load  csv from 'file:///x' as r return r")
    'LOAD CSV'
    """
    match = _REFUSED.search(_OPAQUE.sub(" ", query))
    if match is None:
        return None
    return " ".join((match.group(1) or f"CALL {match.group(2)}").upper().split())


def one_line(text: str) -> str:
    """Collapse whitespace so an engine message prints on one line.

    >>> one_line("Invalid input\\n  at line 2")
    'Invalid input at line 2'
    """
    return " ".join(text.split())


def query_error(
    message: str, query: str, params: Mapping[str, Any] | None, timeout: float | None
) -> QueryError:
    """The QueryError for one engine error message (one line, saying what to do).

    >>> str(query_error("graph.RO_QUERY is to be executed only on read-only queries", "", None, 1))
    'the Cypher console is read-only: write clauses are refused'
    """
    if "only on read-only queries" in message:
        return QueryError("the Cypher console is read-only: write clauses are refused")
    if "timed out" in message.lower():
        return QueryError(f"the query ran longer than the time limit of {timeout:g} s")
    if "mem consumption exceeded" in message:
        return QueryError("the query needed too much memory and was stopped")
    if message.startswith("Missing parameters"):
        given = set(params or ())
        missing = sorted(set(_PARAM_USE.findall(_OPAQUE.sub(" ", query))) - given)
        names = ", ".join(f"${m}" for m in missing)
        return QueryError(f"missing parameter{'s' if len(missing) != 1 else ''}: {names}")
    return QueryError(f"Cypher error: {one_line(message)}")


def encode_value(value: Any) -> str:
    r"""One parameter value as Cypher literal text for the ``CYPHER`` header.

    Raises
    ------
    QueryError
        a value the server cannot receive exactly (NUL character,
        NaN / infinity, an integer beyond 64 bits, an unsupported type).

    >>> encode_value('他說"好"\\n')
    '"他說\\"好\\"\\\\n"'
    >>> encode_value({"k": [1, 2.5, True, None]})
    '{`k`: [1, 2.5, true, null]}'
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if not _INT64[0] <= value <= _INT64[1]:
            raise QueryError(f"parameter value {value} does not fit in 64 bits")
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise QueryError(f"parameter value {value} is not a finite number")
        return repr(value)
    if isinstance(value, str):
        if "\x00" in value:
            raise QueryError("a parameter value contains a NUL character")
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(encode_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        entries = (f"{_quoted_name(k)}: {encode_value(v)}" for k, v in value.items())
        return "{" + ", ".join(entries) + "}"
    raise QueryError(f"unsupported parameter type {type(value).__name__}")


def _quoted_name(name: object) -> str:
    if not isinstance(name, str) or not name or "`" in name or "\x00" in name:
        raise QueryError(f"invalid parameter or map key name {name!r}")
    return f"`{name}`"


# JSON escapes FalkorDB's string literals do not read (``\\uXXXX``, used by json.dumps
# only for rare control characters); such batches take the slower exact encoder.
_JSON_UNSAFE = re.compile(r"(?<!\\)(?:\\\\)*\\u")


def storable(value: Any) -> Any:
    r"""A graph attribute as a value the engine stores (None: leave the property out).

    >>> storable(3), storable("職\x00能") == "職\ufffd能", storable(("a", None, 2.5))
    (3, True, ['a', 2.5])
    >>> storable(float("nan")) is None
    True
    """
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")  # the engine's parser stops at NUL
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, list | tuple | set | frozenset):
        return [v for v in map(storable, value) if v is not None]
    return str(value)


def _json_default(value: Any) -> Any:
    return sorted(value, key=str) if isinstance(value, set | frozenset) else str(value)


def rows_header(rows: list[list[Any]], strings: list[Any] | None = None) -> str:
    r"""``CYPHER rows=[…] s=[…]`` for a load batch of lists of attribute values and its
    string table.

    JSON when that is exact (the common case, fast); otherwise each value goes
    through :func:`storable` and the exact encoder.

    >>> rows_header([["a\"b", 1, None, True]], ["path"])
    'CYPHER rows=[["a\\"b",1,null,true]] s=["path"]\n'
    >>> rows_header([["bell\x07", float("inf")]]) == params_header({"rows": [["bell\x07"]]})
    False
    >>> rows_header([["bell\x07", float("inf")]])
    'CYPHER rows=[["bell\x07", null]] s=[]\n'
    """
    strings = strings or []
    try:
        text = json.dumps(rows, ensure_ascii=False, allow_nan=False, separators=(",", ":"),
                          default=_json_default)
        table = json.dumps(strings, ensure_ascii=False, allow_nan=False, separators=(",", ":"),
                           default=_json_default)
    except ValueError:
        text = table = "\\u"  # NaN or infinity: take the exact path
    # The substring test first: a regex over megabytes of text costs ~0.4 s per load.
    if ("\\u" in text and _JSON_UNSAFE.search(text)) or _JSON_UNSAFE.search(table):
        exact = [[storable(v) for v in row] for row in rows]
        return params_header({"rows": exact, "s": [storable(v) for v in strings]})
    return f"CYPHER rows={text} s={table}\n"


def params_header(params: Mapping[str, Any] | None) -> str:
    r"""The ``CYPHER a=… b=…`` header line (empty without parameters).

    The header ends with a newline so that the engine's error positions stay
    relative to the user's query text.

    >>> params_header({"code": "IDC3339-001v2", "n": 3})
    'CYPHER code="IDC3339-001v2" n=3\n'
    >>> params_header(None)
    ''
    """
    if not params:
        return ""
    parts = []
    for name, value in params.items():
        if not isinstance(name, str) or not _PARAM_NAME.match(name):
            raise QueryError(f"invalid parameter name {name!r}; use letters, digits and _")
        parts.append(f"{name}={encode_value(value)}")
    return "CYPHER " + " ".join(parts) + "\n"


def plain(value: Any, node_id: Callable[[Any], Any]) -> Any:
    """A value from the engine's result as plain data: nodes ``{"id", "kind", "name", …}``,
    relationships ``{"type", "start", "end", …}`` (ends are graph node ids, found by
    ``node_id`` from the engine's node or internal id), paths ``[node, rel, node, …]``.

    >>> plain({"a": (1, 2.5)}, str)
    {'a': [1, 2.5]}
    """
    if isinstance(value, Node):
        props = dict(value.properties)
        labels = value.labels
        head = {"id": props.pop("id", None), "kind": labels[0] if labels else None,
                "name": props.pop("name", None)}  # fmt: skip
        props.pop("kind", None)
        return {**head, **{k: plain(v, node_id) for k, v in props.items()}}
    if isinstance(value, Edge):
        ends = {"start": node_id(value.src_node), "end": node_id(value.dest_node)}
        props = {k: plain(v, node_id) for k, v in value.properties.items()}
        return {"type": value.relation, **ends, **props}
    if isinstance(value, Path):
        out: list[Any] = []
        for i, node in enumerate(value.nodes):
            if i:
                out.append(plain(value.edges[i - 1] if i - 1 < len(value.edges) else None,
                                 node_id))  # fmt: skip
            out.append(plain(node, node_id))
        return out
    if isinstance(value, Mapping):
        return {str(k): plain(v, node_id) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v, node_id) for v in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    return value if value is None or isinstance(value, str | int | float | bool) else str(value)
