"""The named queries on the command line, generated from :data:`queries.registry.NAMED_QUERIES`.

Every named query with a ``command`` becomes a subcommand whose arguments come from its
declared parameters (``overlap A B``, ``gap A B``, ``transitions A [B…] --top N``,
``path A B --k 3``, ``hubs --top N --kind K``, …); ``icapgraph run NAME --param k=v``
runs any named query, a Cypher-only one on the embedded engine; ``icapgraph queries``
lists them. Values are checked by the parameters themselves, so a bad one is one line
naming the parameter and its allowed range.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from cli.context import Context
from cli.numbers import integer, number
from cli.registry import command
from cli.table import table
from cli.views import view
from loaders.errors import QueryError
from queries.params import Param
from queries.registry import NAMED_QUERIES, NamedQuery, get_query


def add_arguments(p: argparse.ArgumentParser, params: tuple[Param, ...]) -> None:
    """Declare each parameter on ``p``: positional or ``--name``; values stay text here
    and are parsed (and range-checked) by :meth:`Param.parse` when the command runs, so
    that a bad value is one ``icapgraph: error:`` line like every other error."""
    for param in params:
        extra = f" ({param.bounds()})" if param.bounds() else ""
        if param.choices:
            extra += f" (one of: {', '.join(param.choices)})"
        if not param.required:
            extra += f" (default {param.default})"
        if param.positional:
            nargs = "+" if param.several or (param.type == "array" and param.required) else (
                "*" if param.type == "array" else None)
            metavar = "CODE" if param.role == "occupation" else param.name.upper()
            p.add_argument(param.name, nargs=nargs, metavar=metavar, help=param.help + extra)
        elif param.type in ("integer", "number"):
            p.add_argument(f"--{param.name}", type=_numeric(param), default=None,
                           metavar=param.name.upper(), help=param.help + extra)
        else:
            p.add_argument(f"--{param.name}", metavar=param.name.upper(), default=None,
                           help=param.help + extra)


def _numeric(param: Param) -> Callable[[str], float]:
    """The range-checked argparse type of a numeric parameter (its declared bounds)."""
    if param.type == "integer":
        return integer(int(param.minimum if param.minimum is not None else -(2**63)),
                       int(param.maximum if param.maximum is not None else 2**63))
    low = 0.0 if param.positive else (param.minimum if param.minimum is not None else -1e308)
    high = param.maximum if param.maximum is not None else 1e308
    return number(low, high, above=param.positive)


def bound_values(query: NamedQuery, args: argparse.Namespace) -> list[dict[str, Any]]:
    """The keyword arguments of each call the command makes (several for a ``several``
    parameter given more than once), parsed and checked."""
    base: dict[str, Any] = {}
    several: Param | None = None
    for param in query.parameters:
        raw = getattr(args, param.name, None)
        if param.several:
            several = param
        elif raw is None or raw == []:
            base[param.name] = param.check(param.default) if not param.required else None
        elif isinstance(raw, list):
            base[param.name] = param.check([str(v) for v in raw])
        elif isinstance(raw, str):
            base[param.name] = param.parse(raw)
        else:  # already parsed and range-checked by argparse (see _numeric)
            base[param.name] = param.check(raw)
    if several is None:
        return [base]
    values = getattr(args, several.name) or []
    return [{**base, several.name: several.check(str(v))} for v in values]


def _generated(query: NamedQuery) -> None:
    function = query.function
    assert function is not None and query.command is not None

    def configure(p: argparse.ArgumentParser) -> None:
        add_arguments(p, query.parameters)

    def run(args: argparse.Namespace, ctx: Context) -> int:
        G = ctx.graph()
        calls = bound_values(query, args)
        results = [function(G, **kwargs) for kwargs in calls]
        several = any(p.several for p in query.parameters)
        data = results if several else results[0]
        ctx.emit(data, view(query.name, data))
        return 0

    command(query.command, f"{query.summary} ({query.title})", configure)(run)


for _query in NAMED_QUERIES.values():
    if _query.command and _query.function is not None:
        _generated(_query)


def parse_pairs(query: NamedQuery, pairs: list[str]) -> dict[str, Any]:
    """``--param name=value`` pairs as checked values of ``query``'s parameters.

    Raises
    ------
    QueryError
        A pair without ``=``, a name given twice, an unknown parameter or a bad value.

    Examples
    --------
    >>> parse_pairs(get_query("hubs"), ["top=5"])
    {'top': 5}
    """
    declared = {p.name: p for p in query.parameters}
    out: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise QueryError(f"--param expects name=value, not {pair!r}")
        if key in out:
            raise QueryError(f"--param {key} is given twice")
        if key not in declared:
            raise QueryError(f"named query {query.name!r} has no parameter {key!r}; its "
                             f"parameters: {', '.join(declared) or 'none'}")
        out[key] = declared[key].parse(raw)
    return out


def _configure_run(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", metavar="NAME", help="a named query (see `icapgraph queries`)")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="a parameter of the query (repeatable)")
    p.add_argument("--timeout", default="10", help="seconds a Cypher-only query may run")


@command("run", "run any named query by name, with --param name=value", _configure_run)
def run_named(args: argparse.Namespace, ctx: Context) -> int:
    from queries.registry import run_query

    query = get_query(args.name)
    params = parse_pairs(query, args.param)
    if query.function is not None:
        result = run_query(ctx.graph(), query.name, params)
        ctx.emit(result, view(query.name, result))
        return 0
    from cli.cmd_cypher import render_table
    from cypher.embedded.engine import get_engine
    from queries.params import bind

    timeout = Param("timeout", "number", "", "", positive=True, maximum=3600).parse(args.timeout)
    values = bind(query.parameters, params, f"named query {query.name!r}")
    found = get_engine(ctx.graph()).run(query.cypher or "", values, timeout=timeout)
    ctx.emit(found.as_dict(), render_table(found.columns, found.rows))
    return 0


@command("queries", "list the named queries with their parameters and Cypher texts")
def run_queries(args: argparse.Namespace, ctx: Context) -> int:
    data = [q.to_json() for q in NAMED_QUERIES.values()]
    rows = [(q.name, q.command or "run", ", ".join(p.name for p in q.parameters) or "—",
             "yes" if q.cypher else "—", "yes" if q.function else "—", q.summary)
            for q in NAMED_QUERIES.values()]
    ctx.emit(data, "\n".join(table(("name", "command", "parameters", "cypher", "python",
                                    "summary"), rows, limit=70)))
    return 0
