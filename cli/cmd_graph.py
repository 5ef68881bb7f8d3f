"""Graph commands: ``build``, ``stats``, ``item``, ``search``, ``export``."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from cli.cmd_profile import aliases
from cli.context import Context
from cli.numbers import integer
from cli.registry import command
from exports.registry import EXPORTERS, export_graph
from exports.target import STDOUT, to_stdout
from graph.kinds import KINDS, Kind
from loaders.sources import shown

_KINDS = {row.kind.value.lower(): row.kind for row in KINDS}


def _configure_build(p: argparse.ArgumentParser) -> None:
    p.add_argument("--force", action="store_true",
                   help="rebuild even when the cache is up to date")


@command("build", "build the graph from the standards and write the cache (unless up to date)",
         _configure_build)
def run_build(args: argparse.Namespace, ctx: Context) -> int:
    """Nothing is rebuilt when a cache for the same inputs and code is there and sound."""
    start = time.perf_counter()
    loaded = ctx.load(use_cache=ctx.use_cache and not args.force)
    seconds = time.perf_counter() - start
    ctx.keep_lookup(force=args.force)  # so that the first lookup does not build the graph
    G = loaded.graph
    data = {
        "files": len(loaded.files),
        "standards": sum(1 for _n, k in G.nodes(data="kind") if k == Kind.OCCUPATION.value),
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "warnings": len(loaded.warnings),
        "failures": len(loaded.failures),
        "seconds": round(seconds, 3),
        "up_to_date": loaded.from_cache,
    }
    counts = (f"{data['nodes']} nodes, {data['edges']} edges from {data['standards']} standards "
              f"({data['files']} files, {data['warnings']} warnings, {data['failures']} failed)")
    if loaded.from_cache:
        text = f"up to date: {counts}; nothing rebuilt (--force rebuilds)"
    else:
        kept = "not cached" if loaded.notices else "cache written"
        text = f"built {counts} in {seconds:.2f} s; {kept}"
    ctx.emit(data, text)
    return 0


def _table(title: str, counts: dict[str, int]) -> list[str]:
    """A titled column of counts.

    >>> _table("nodes", {"Skill": 3})
    ['nodes', '  Skill                       3']
    """
    return [title, *(f"  {name:<20} {n:>8}" for name, n in counts.items())]


@command("stats", "count nodes, edges and shared items of the graph")
def run_stats(args: argparse.Namespace, ctx: Context) -> int:
    from graph.lookup import graph_stats

    stats = ctx.lookup(graph_stats)
    lines = [
        *_table("nodes", stats["nodes"]),
        *_table("edges", stats["edges"]),
        *_table("items used by 2+ standards", stats["shared"]),
    ]
    ctx.emit(stats, "\n".join(lines))
    return 0


def _configure_item(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", help="a knowledge / skill / attitude name (or alias, or node id)")


def _item_text(info: dict[str, Any]) -> str:
    lines = [f"{info['name']}  ({info['kind']}, {info['id']})"]
    if info["aliases"]:
        lines.append("  aliases: " + "、".join(info["aliases"]))
    lines.append("  used by: " + (", ".join(info["occupations"]) or "-"))
    if info["via"]:
        lines.append("  through a broader term: " + ", ".join(info["via"]))
    for s in info["similar"]:
        lines.append(f"  similar: {s['name']}  {s['score']:.2f} {s['tier']} ({s['method']})")
    return "\n".join(lines)


@command("item", "what one knowledge / skill / attitude is used by", _configure_item)
def run_item(args: argparse.Namespace, ctx: Context) -> int:
    from graph.lookup import item_info
    from queries.search import find_item

    def answer(G: Any) -> dict[str, Any]:
        # The resolver decides which item a typed name means (spacing, variants, aliases,
        # a generic suffix such as 能力); graph.lookup describes it.
        return item_info(G, find_item(G, args.name, aliases=aliases()))

    info = ctx.lookup(answer)
    ctx.emit(info, _item_text(info))
    return 0


def _kind(value: str) -> Kind:
    """The ``--kind`` of ``search``: a kind's label, any case (argparse type).

    >>> _kind("skill"), _kind("OccupationGroup")
    (<Kind.SKILL: 'Skill'>, <Kind.GROUP: 'OccupationGroup'>)
    """
    kind = _KINDS.get(value.lower())
    if kind is None:
        raise argparse.ArgumentTypeError(
            f"unknown kind {value!r}; choose one of: {', '.join(sorted(_KINDS))}"
        )
    return kind


def _configure_search(p: argparse.ArgumentParser) -> None:
    p.add_argument("text", help="part of a name or code (Chinese substring)")
    p.add_argument("--kind", action="append", type=_kind, metavar="KIND",
                   help="only nodes of this kind (repeatable): " + ", ".join(sorted(_KINDS)))
    p.add_argument("--limit", type=integer(1, 100_000), default=50, metavar="N",
                   help="at most this many results (1 to 100000; default 50)")


@command("search", "find nodes whose name or code contains TEXT", _configure_search)
def run_search(args: argparse.Namespace, ctx: Context) -> int:
    from queries.search import closest, search

    def answer(G: Any) -> tuple[list[dict[str, Any]], list[str]]:
        hits = search(G, args.text, kinds=args.kind, limit=args.limit, aliases=aliases())
        return hits, [] if hits else closest(G, args.text, aliases=aliases())

    hits, near = ctx.lookup(answer)
    text = "\n".join(
        f"{h['kind']:<16} {h['name']}" + (f"  [{h['standard']} {h['code']}]" if h["code"] else "")
        for h in hits
    )
    if not hits:
        text = f"找不到符合「{args.text}」的名稱或代碼。" + (
            f"最接近的名稱：{'、'.join(near)}" if near else "")
    ctx.emit(hits, text)
    return 0


def _configure_export(p: argparse.ArgumentParser) -> None:
    p.add_argument("format", help="one of: " + ", ".join(sorted(EXPORTERS)))
    # A string, not a Path: Path("./-") is Path("-"), and only a bare "-" means stdout.
    p.add_argument("-o", "--output", required=True, metavar="PATH",
                   help="target file (a folder for csv and neo4j-admin); '-' writes to "
                        "standard output; a pipe or a device is written directly, never "
                        "replaced; a symbolic link is followed")


@command("export", "write the graph as graphml, gexf, json, csv, cypher or neo4j-admin files",
         _configure_export)
def run_export(args: argparse.Namespace, ctx: Context) -> int:
    target = STDOUT if args.output == "-" else Path(args.output)
    written = export_graph(ctx.graph(), args.format, target)
    if to_stdout(target):
        return 0  # the export itself is the output
    names = [shown(str(p)) for p in written]
    ctx.emit({"format": args.format, "files": names}, "\n".join(f"wrote {p}" for p in names))
    return 0
