"""Query commands: ``overlap``, ``gap``, ``transitions``, ``path``, ``hubs``, ``clusters``,
``pairwise`` and ``queries`` (the named-query registry as data).

Each wires arguments to a function of ``queries`` and prints its JSON (``--json``) or a
compact table whose columns line up with Chinese text (wide characters count double).
"""

from __future__ import annotations

import argparse
import unicodedata
from collections.abc import Sequence
from typing import Any

from cli.context import Context
from cli.numbers import integer, number
from cli.registry import command

_KIND_TITLE = {"knowledge": "知識 Knowledge", "skills": "技能 Skills",
               "attitudes": "態度 Attitudes"}
_DIRECTION = {"upward": "升遷 upward", "lateral": "平行 lateral", "downward": "降階 downward"}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` display columns (with …) and pad it to exactly that."""
    if _width(text) > width:
        out = ""
        for ch in text:
            if _width(out + ch) > width - 1:
                break
            out += ch
        text = out + "…"
    return text + " " * (width - _width(text))


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]], limit: int = 40) -> list[str]:
    """Rows as aligned columns (each at most ``limit`` display columns wide)."""
    cells = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
    widths = [min(limit, max(_width(r[i]) for r in cells)) for i in range(len(header))]
    lines = ["  ".join(_fit(c, w) for c, w in zip(r, widths, strict=True)).rstrip()
             for r in cells]
    lines.insert(1, "  ".join("─" * w for w in widths))
    return lines


def _codes(evidence: dict[str, list[str]]) -> str:
    return " | ".join(f"{code}: {', '.join(tasks) or '(整體)'}" for code, tasks in evidence.items())


def _configure_overlap(p: argparse.ArgumentParser) -> None:
    p.add_argument("codes", nargs="+", metavar="CODE", help="two or more occupation codes")


@command("overlap", "competencies two or more occupations share", _configure_overlap)
def run_overlap(args: argparse.Namespace, ctx: Context) -> int:
    from queries.overlap import overlap

    result = overlap(ctx.graph(), args.codes)
    lines = [" ∩ ".join(result["occupations"]),
             f"Jaccard {result['jaccard']:.4f}   weighted {result['weighted']:.4f}"]
    for key, entries in result["shared"].items():
        lines += ["", f"{_KIND_TITLE[key]} ({len(entries)})"]
        rows = [(e["name"] + (f" ~ {e['other']}" if e["match"] == "similar" else ""),
                 e["match"], f"{e['score']:.2f}", _codes(e["evidence"])) for e in entries]
        if rows:
            lines += _table(("item 項目", "match", "score", "tasks 任務"), rows, limit=60)
    if "matrix" in result:
        codes = result["occupations"]
        lines += ["", f"common to all: {len(result['common'])}", ""]
        lines += _table(("", *codes), [(c, *(f"{v:.3f}" for v in row))
                                       for c, row in zip(codes, result["matrix"], strict=True)])
    ctx.emit(result, "\n".join(lines))
    return 0


def _configure_gap(p: argparse.ArgumentParser) -> None:
    p.add_argument("source", help="the occupation someone comes from")
    p.add_argument("target", help="the occupation they aim for")


@command("gap", "what the target occupation requires that the source lacks", _configure_gap)
def run_gap(args: argparse.Namespace, ctx: Context) -> int:
    from queries.gap import gap

    result = gap(ctx.graph(), args.source, args.target)
    rows = [(m["name"], m["kind"], m["importance"], ", ".join(m["tasks"]) or "(整體)",
             "、".join(e["name"] for e in m["partly_covered_by"]))
            for m in result["missing"]]
    lines = [f"{result['source']} → {result['target']}: {len(rows)} missing 缺少", ""]
    lines += _table(("item 項目", "kind", "importance", "tasks 任務", "partly covered by 部分具備"),
                    rows)
    ctx.emit(result, "\n".join(lines))
    return 0


def _configure_transitions(p: argparse.ArgumentParser) -> None:
    p.add_argument("sources", nargs="+", metavar="CODE", help="one or more occupation codes")
    p.add_argument("--top", type=integer(1, 1000), default=10, metavar="N",
                   help="targets per source (1 to 1000; default 10)")


@command("transitions", "ranked next occupations for someone from each given one",
         _configure_transitions)
def run_transitions(args: argparse.Namespace, ctx: Context) -> int:
    from queries.transitions import transitions

    G = ctx.graph()
    results = [transitions(G, code, top=args.top) for code in args.sources]
    lines: list[str] = []
    for result in results:
        rows = [(i, t["code"], t["name"], f"{t['score']:.3f}", _DIRECTION[t["direction"]],
                 t["shared"], t["gap"]) for i, t in enumerate(result["targets"], start=1)]
        lines += [f"from {result['source']}:"]
        if not rows:
            lines += ["  (none: no current occupation needs anything this one has)", ""]
            continue
        lines += _table(("#", "code", "name 職業", "score", "direction 方向", "shared", "gap"),
                        rows)
        lines.append("")
    ctx.emit(results, "\n".join(lines))
    return 0


def _configure_path(p: argparse.ArgumentParser) -> None:
    p.add_argument("source")
    p.add_argument("target")
    p.add_argument("--k", type=integer(1, 100), default=3, metavar="K",
                   help="how many routes (1 to 100; default 3)")


@command("path", "the k cheapest routes between two occupations", _configure_path)
def run_path(args: argparse.Namespace, ctx: Context) -> int:
    from queries.paths import paths

    result = paths(ctx.graph(), args.source, args.target, k=args.k)
    if not result["paths"]:
        ctx.emit(result, f"no route from {result['source']} to {result['target']}: "
                         "no chain of occupations covers any of the next one's requirements")
        return 0
    lines: list[str] = []
    for n, route in enumerate(result["paths"], start=1):
        lines.append(f"route {n}  cost {route['cost']:.4f}")
        for step in route["steps"]:
            learn = "、".join(e["name"] for e in step["learn"][:8])
            more = len(step["learn"]) - 8
            lines.append(f"  {step['from']} → {step['to']}  ({step['cost']:.4f})  "
                         f"learn 需學 {len(step['learn'])}: {learn}"
                         + (f" … +{more}" if more > 0 else ""))
        lines.append("")
    ctx.emit(result, "\n".join(lines))
    return 0


def _configure_hubs(p: argparse.ArgumentParser) -> None:
    p.add_argument("--top", type=integer(1, 100_000), default=20, metavar="N",
                   help="how many items (1 to 100000; default 20)")
    p.add_argument("--kind", choices=("knowledge", "skill", "attitude"),
                   help="only items of this kind")


@command("hubs", "the most transferable competencies", _configure_hubs)
def run_hubs(args: argparse.Namespace, ctx: Context) -> int:
    from queries.communities import hubs

    result = hubs(ctx.graph(), top=args.top, kind=args.kind)
    rows = [(i, h["name"], h["kind"], h["occupations"], h["tasks"])
            for i, h in enumerate(result, start=1)]
    ctx.emit(result, "\n".join(_table(("#", "item 項目", "kind", "occupations", "tasks"), rows)))
    return 0


def _configure_clusters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--resolution", type=number(0, 100, above=True), default=1.0, metavar="R",
                   help="Louvain resolution, above 0 and at most 100; larger gives smaller "
                        "clusters (default 1.0)")


@command("clusters", "communities of occupations that share competencies", _configure_clusters)
def run_clusters(args: argparse.Namespace, ctx: Context) -> int:
    from queries.communities import clusters

    result = clusters(ctx.graph(), resolution=args.resolution)
    lines: list[str] = []
    for c in result:
        names = "、".join(o["name"] for o in c["occupations"][:6])
        more = c["size"] - 6
        lines.append(f"#{c['cluster']} ({c['size']}) {c['label'] or '—'}: {names}"
                     + (f" … +{more}" if more > 0 else ""))
    ctx.emit(result, "\n".join(lines))
    return 0


def _configure_pairwise(p: argparse.ArgumentParser) -> None:
    p.add_argument("codes", nargs="*", metavar="CODE",
                   help="occupation codes (default: every current occupation)")


@command("pairwise", "pairwise weighted overlap matrix of occupations", _configure_pairwise)
def run_pairwise(args: argparse.Namespace, ctx: Context) -> int:
    from queries.matrix import pairwise

    result = pairwise(ctx.graph(), args.codes or None)
    rows = [(c, *(f"{v:.3f}" for v in row))
            for c, row in zip(result["codes"], result["matrix"], strict=True)]
    ctx.emit(result, "\n".join(_table(("", *result["codes"]), rows)))
    return 0


@command("queries", "list the named queries with their parameters and Cypher texts")
def run_queries(args: argparse.Namespace, ctx: Context) -> int:
    from queries.registry import NAMED_QUERIES

    data = [q.to_json() for q in NAMED_QUERIES.values()]
    rows = [(q.name, ", ".join(p.name for p in q.parameters) or "—",
             "yes" if q.cypher else "—", "yes" if q.function else "—", q.summary)
            for q in NAMED_QUERIES.values()]
    ctx.emit(data, "\n".join(_table(("name", "parameters", "cypher", "python", "summary"), rows,
                                    limit=70)))
    return 0
