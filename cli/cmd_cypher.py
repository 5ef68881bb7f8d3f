"""``icapgraph cypher "QUERY" [--param name=value]… [--timeout S]``: read-only Cypher on
the embedded engine, loaded from the same graph as every other command.

``--json`` prints ``{"columns": […], "rows": [[…]]}``; otherwise an aligned table whose
cells are JSON for nodes, relationships, paths and lists.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from typing import Any

from cli.context import Context
from cli.registry import command
from loaders.errors import QueryError


def parse_param(text: str) -> tuple[str, Any]:
    """``name=value`` → (name, value); the value is JSON when it parses, else the text.

    >>> parse_param("code=IDC3339-001v2"), parse_param("top=5"), parse_param('s="5"')
    (('code', 'IDC3339-001v2'), ('top', 5), ('s', '5'))
    """
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise QueryError(f"--param expects name=value, not {text!r}")
    try:
        value: Any = json.loads(raw)
    except ValueError:
        value = raw
    return name, value


def parse_params(texts: list[str]) -> dict[str, Any]:
    """Every ``--param``; a name given twice is an error."""
    params: dict[str, Any] = {}
    for text in texts:
        name, value = parse_param(text)
        if name in params:
            raise QueryError(f"--param {name} is given twice")
        params[name] = value
    return params


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def render_table(columns: list[str], rows: list[list[Any]], limit: int = 60) -> str:
    """Rows under their column names, aligned for wide (CJK) characters.

    >>> print(render_table(["name", "n"], [["溝通協調能力", 3]]))
    name          n
    ────────────  ─
    溝通協調能力  3
    (1 row)
    """
    cells = [[_cell(v) for v in row] for row in rows]
    cells = [[c if _width(c) <= limit else c[: limit // 2] + "…" for c in row] for row in cells]
    widths = [max([_width(c), *(_width(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    lines = []
    for row in [columns, ["─" * w for w in widths], *cells]:
        padded = [c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)]
        lines.append("  ".join(padded).rstrip())
    lines.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(lines)


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", metavar="QUERY", help='Cypher text (read-only), or "-" to read stdin')
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a query parameter $NAME (repeatable); VALUE is JSON when it parses "
        '(5, true, ["a","b"], "\\"5\\""), otherwise text',
    )
    p.add_argument(
        "--timeout", type=float, default=10.0, metavar="S", help="time limit in seconds (10)"
    )


@command("cypher", "run a read-only Cypher query on the embedded engine", _configure)
def run_cypher(args: argparse.Namespace, ctx: Context) -> int:
    from cypher.embedded.engine import CypherEngine

    query = sys.stdin.read() if args.query == "-" else args.query
    if not query.strip():
        raise QueryError("the Cypher query is empty")
    params = parse_params(args.param)
    with CypherEngine.from_graph(ctx.graph()) as engine:
        result = engine.run(query, params, timeout=args.timeout)
    ctx.emit(result.as_dict(), render_table(result.columns, result.rows))
    return 0
