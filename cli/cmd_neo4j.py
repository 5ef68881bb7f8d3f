"""``icapgraph neo4j push|query``: the graph on a Neo4j server (argument wiring only).

The password comes from ``NEO4J_PASSWORD`` or a prompt, never from an argument,
and is never printed. ``push --dry-run`` connects to nothing and prints the plan.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
from typing import TYPE_CHECKING, Any

from cli.context import Context
from cli.numbers import integer
from cli.registry import command
from loaders.errors import Neo4jError, QueryError, UnknownKey

if TYPE_CHECKING:
    from cypher.neo4j.push import Progress
    from queries.registry import NamedQuery


def _add_global(parser: argparse.ArgumentParser) -> None:
    # The global options, also accepted after the action; SUPPRESS keeps a value
    # given earlier on the line (the same convention as cli.main).
    parser.add_argument("--data", action="append", metavar="PATH", default=argparse.SUPPRESS,
                        help="a standard file or a folder of them (repeatable)")
    parser.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="machine-readable JSON output")
    parser.add_argument("--no-cache", action="store_true", default=argparse.SUPPRESS,
                        help="rebuild the graph instead of reading the cache")


def _configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="neo4j_action", metavar="ACTION", required=True)
    push = sub.add_parser("push", help="send the graph (idempotent MERGE) and compare counts")
    query = sub.add_parser("query", help="run a named query on Neo4j in a read transaction")
    for p in (push, query):
        _add_global(p)
        p.add_argument(
            "--uri",
            default=os.environ.get("NEO4J_URI"),
            help="bolt:// or neo4j:// (+s / +ssc) URI of the server (default $NEO4J_URI)",
        )
        p.add_argument("--user", default=os.environ.get("NEO4J_USER", "neo4j"))
        p.add_argument(
            "--database",
            default=os.environ.get("NEO4J_DATABASE") or None,
            help="target database (default: the server's default)",
        )
    push.add_argument("--batch-size", type=integer(1, 100_000), default=1000, metavar="N",
                      help="rows per batch (1 to 100000; default 1000)")
    push.add_argument("--replace", action="store_true",
                      help="first delete every node with one of this product's labels")
    push.add_argument("--dry-run", action="store_true",
                      help="connect to nothing; print the statements that would be sent")
    query.add_argument("name", help="a named query (icapgraph queries lists them)")
    query.add_argument("--param", action="append", default=[], metavar="K=V",
                       help="a query parameter (repeatable)")


def _password(user: str) -> str:
    secret = os.environ.get("NEO4J_PASSWORD")
    if secret is not None:
        return secret
    try:
        return getpass.getpass(f"Neo4j password for {user}: ")
    except (EOFError, OSError):
        raise Neo4jError("no password: set NEO4J_PASSWORD or run in a terminal") from None


def _need_uri(args: argparse.Namespace) -> str:
    if not args.uri:
        raise Neo4jError("no server: pass --uri bolt://HOST:7687 or set NEO4J_URI")
    uri: str = args.uri
    return uri


def _quiet_driver_logs() -> None:
    # The driver logs routing failures as warnings; the user gets our one line instead.
    logging.getLogger("neo4j").addHandler(logging.NullHandler())
    logging.getLogger("neo4j").propagate = False


class _Bar:
    """A one-line progress bar on stderr."""

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, p: Progress) -> None:
        width = 30
        filled = width * p.done // max(p.total, 1)
        sys.stderr.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {p.done}/{p.total} rows  {p.what:<40}"
        )
        sys.stderr.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\n")


def _push(args: argparse.Namespace, ctx: Context) -> int:
    from cypher.neo4j import connect as conn
    from cypher.neo4j import push

    conn.check_batch_size(args.batch_size)
    if args.dry_run:
        plan = push.dry_run_plan(ctx.graph(), args.batch_size, args.replace)
        entries = [p.as_json() for p in plan]
        text = "\n".join(f"{p.rows:>7} rows  {p.statement}" for p in plan)
        ctx.emit(entries, text)
        return 0
    uri = conn.check_uri(_need_uri(args))
    G = ctx.graph()
    _quiet_driver_logs()
    driver = conn.connect(uri, args.user, _password(args.user))
    bar = _Bar()
    try:
        report = push.push_graph(
            G, driver, database=args.database, batch_size=args.batch_size,
            replace=args.replace, progress=bar, uri=uri, user=args.user,
        )
    finally:
        bar.close()
        driver.close()
    data = {
        "statements": report.statements, "batches": report.batches, "rows": report.rows,
        "deleted": report.deleted, "ok": not report.mismatches,
        "counts": [{"name": c.name, "local": c.local, "neo4j": c.remote} for c in report.counts],
    }
    lines = [f"sent {report.rows} rows in {report.batches} batches "
             f"({report.statements} statements); deleted {report.deleted}"]
    lines += push.format_checks(c for c in report.counts if c.local or c.remote)
    ctx.emit(data, "\n".join(lines))
    if report.mismatches:
        names = ", ".join(c.name for c in report.mismatches)
        print(f"icapgraph: error: counts on Neo4j differ from the local graph for {names} "
              "(stale data from an earlier push? re-run with --replace)", file=sys.stderr)
        return 1
    return 0


def _params(named: NamedQuery, pairs: list[str]) -> dict[str, Any]:
    """``--param k=v`` pairs as checked values of the parameters the query's Cypher text
    uses (parsed by the registry's own declarations); declared defaults fill the rest."""
    from cli.cmd_named import parse_pairs

    given = parse_pairs(named, pairs)
    used = {p.name: p for p in named.cypher_parameters}
    extra = sorted(set(given) - set(used))
    if extra:
        raise QueryError(f"named query {named.name!r} takes {extra[0]!r} only when run "
                         f"locally; its Cypher text uses: {', '.join(used) or 'nothing'}")
    out: dict[str, Any] = {}
    for name, param in used.items():
        if name in given:
            out[name] = given[name]
        elif param.required:
            raise QueryError(f"named query {named.name!r} needs --param {name}=…")
        else:
            out[name] = param.default
    return out


def _named(name: str) -> NamedQuery:
    from queries.registry import NAMED_QUERIES

    named = NAMED_QUERIES.get(name)
    with_text = sorted(n for n, q in NAMED_QUERIES.items() if q.cypher)
    if named is None:
        raise UnknownKey("named query", name, with_text)
    if not named.cypher:
        raise QueryError(
            f"named query {name!r} has no Cypher text (it runs only locally); "
            f"on Neo4j choose one of: {', '.join(with_text)}"
        )
    return named


def _query(args: argparse.Namespace, ctx: Context) -> int:
    from cypher.neo4j import connect as conn

    uri = conn.check_uri(_need_uri(args))
    named = _named(args.name)
    params = _params(named, args.param)
    _quiet_driver_logs()
    driver = conn.connect(uri, args.user, _password(args.user))
    try:
        result = conn.run_read(driver, str(named.cypher), params, database=args.database,
                               uri=uri, user=args.user)
    finally:
        driver.close()
    table = ["\t".join(result.columns)]
    table += ["\t".join(str(row[c]) for c in result.columns) for row in result.rows]
    ctx.emit({"engine": "neo4j", "columns": list(result.columns), "rows": list(result.rows)},
             "\n".join(table))
    return 0


_ACTIONS = {"push": _push, "query": _query}


@command("neo4j", "push the graph to Neo4j, or run a named query there", _configure)
def run(args: argparse.Namespace, ctx: Context) -> int:
    return _ACTIONS[args.neo4j_action](args, ctx)
