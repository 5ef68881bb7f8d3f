"""``icapgraph cypher "QUERY" [--param name=value]… [--timeout S] [--max-rows N]``:
read-only Cypher on the embedded engine, loaded from the same graph as every other command.

Results are bounded: at most ``--max-rows`` rows (10,000) are fetched and printed, and a
last line says how many more there were. ``--json`` prints one object
``{"columns": […], "rows": [[…]], "truncated": bool, "more": n, "warnings": […]}`` (``more``
is null when the rest could not be counted within the time limit; ``warnings`` name shapes
the engine may answer differently from Neo4j, also printed on stderr); ``--jsonl`` prints
JSON Lines:
``{"columns": […]}``, then one array per row, then ``{"truncated": bool, "more": n}``.
Otherwise an aligned table whose cells are JSON for nodes, relationships, paths and lists.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import unicodedata
from typing import TYPE_CHECKING, Any

from cli.context import Context
from cli.registry import command
from loaders.errors import QueryError

if TYPE_CHECKING:
    from cypher.embedded.engine import CypherResult

#: Allowed ranges of the numeric options (inclusive).
TIMEOUT_RANGE = (0.001, 3600.0)
MAX_ROWS_RANGE = (1, 1_000_000)


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


def more_line(shown: int, more: int | None) -> str:
    """The line after a cut result.

    >>> more_line(10000, 4990000)
    '… 4,990,000 more rows not shown (showing the first 10,000): add LIMIT or raise --max-rows'
    >>> more_line(5, None).split(";")[0]
    '… more rows not shown (showing the first 5'
    """
    if more is None:
        head = (f"… more rows not shown (showing the first {shown:,}; the rest could not be "
                "counted within the time limit)")
    else:
        rows = "row" if more == 1 else "rows"
        head = f"… {more:,} more {rows} not shown (showing the first {shown:,})"
    return head + ": add LIMIT or raise --max-rows"


def checked_range(name: str, value: float, low: float, high: float) -> None:
    """Raise QueryError naming the allowed range when ``value`` is outside it.

    >>> checked_range("--max-rows", 0, 1, 10)
    Traceback (most recent call last):
    ...
    loaders.errors.QueryError: --max-rows must be between 1 and 10, not 0
    """
    if not (math.isfinite(value) and low <= value <= high):
        raise QueryError(f"{name} must be between {_num(low)} and {_num(high)}, not {_num(value)}")


def _num(x: float) -> str:
    return f"{x:,}" if isinstance(x, int) else f"{x:g}"


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
        "--timeout", type=float, default=10.0, metavar="S",
        help=f"time limit in seconds ({TIMEOUT_RANGE[0]:g}–{TIMEOUT_RANGE[1]:g}; 10)",
    )  # fmt: skip
    p.add_argument(
        "--max-rows", type=int, default=10_000, metavar="N",
        help=f"print at most N rows ({MAX_ROWS_RANGE[0]}–{MAX_ROWS_RANGE[1]:,}; 10,000)",
    )  # fmt: skip
    p.add_argument("--jsonl", action="store_true",
                   help="JSON Lines: the columns, one line per row, then truncated / more")


def _write_jsonl(columns: list[str], rows: list[list[Any]], truncated: bool,
                 more: int | None) -> None:  # fmt: skip
    out = sys.stdout
    out.write(json.dumps({"columns": columns}, ensure_ascii=False) + "\n")
    for row in rows:  # one line at a time: the rows are never joined into one text
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
    out.write(json.dumps({"truncated": truncated, "more": more}) + "\n")


@command("cypher", "run a read-only Cypher query on the embedded engine", _configure)
def run_cypher(args: argparse.Namespace, ctx: Context) -> int:
    checked_range("--timeout", args.timeout, *TIMEOUT_RANGE)
    checked_range("--max-rows", args.max_rows, *MAX_ROWS_RANGE)
    query = sys.stdin.read() if args.query == "-" else args.query
    if not query.strip():
        raise QueryError("the Cypher query is empty")
    params = parse_params(args.param)
    # The server starts loading the last used snapshot now, while the engine is imported
    # and the lookup cache read (cypher/embedded/prestart.py): ~0.1 s less to wait.
    from cypher.embedded.prestart import prestart

    early = prestart() if ctx.use_cache else None
    try:
        from cypher.embedded.engine import CypherEngine

        def answer(G: Any) -> CypherResult:
            # From the lookup cache when it is there: a warm engine snapshot then starts
            # without the graph being built (a bulk load builds it). One query, then closed.
            with CypherEngine.from_graph(G, one_shot=True, prestarted=early) as engine:
                return engine.run(query, params, timeout=args.timeout, max_rows=args.max_rows)

        result = ctx.lookup(answer)
    finally:
        if early is not None:
            early.stop()  # unused (another graph's), or already stopped with the engine
    for warning in result.warnings:
        print(f"icapgraph: warning: {warning}", file=sys.stderr)
    if args.jsonl:
        _write_jsonl(result.columns, result.rows, result.truncated, result.more)
        return 0
    data = {**result.as_dict(), "truncated": result.truncated, "more": result.more,
            "warnings": list(result.warnings)}
    text = render_table(result.columns, result.rows)
    if result.truncated:
        text += "\n" + more_line(len(result.rows), result.more)
    ctx.emit(data, text)
    return 0
