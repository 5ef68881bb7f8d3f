"""Client-profile commands: ``resolve`` (typed text → items) and ``match`` (a profile of
past occupations and items → ranked current occupations).

The profile options are shared with ``case save`` (:mod:`cli.cmd_case`):
``--occupation CODE_OR_NAME`` (repeatable: a past job, all its items), ``--item TEXT``
(repeatable), ``--items-file PATH`` (UTF-8, one item a line, ``#`` comment lines), and
the match options ``--category``, ``--industry``, ``--level``, ``--top``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cli.context import Context
from cli.items_file import read_items_file
from cli.registry import command
from cli.table import table
from graph.aliases import Alias, default_aliases_path, read_aliases
from graph.kinds import zh

# The query modules are imported where they are used: every command of the CLI imports
# this module (its options are shared), and a lookup must not pay for the matcher.
if TYPE_CHECKING:
    import networkx as nx

    from queries.match import MatchOptions
    from queries.profile import ClientProfile, ProfileSpec
    from queries.resolve import Resolution


def aliases() -> tuple[Alias, ...]:
    """The curated aliases the graph was built with (for typed text)."""
    return read_aliases(default_aliases_path())


def _match_name(m: dict[str, Any]) -> str:
    return f"{m['name']}（{zh(m['kind'])} {m['score']:.2f}）"


def resolution_lines(resolutions: list[Resolution]) -> list[str]:
    """One line per typed text (what it became), one more for suggestions.

    >>> resolution_lines([{"input": "量子", "status": "unmatched", "matched": [],
    ...                    "suggestions": []}])
    ['「量子」 [找不到] → （未採用任何項目）']
    """
    from queries.resolve import STATUS_LABEL

    lines = []
    for r in resolutions:
        status = STATUS_LABEL[r["status"]]
        found = "、".join(_match_name(dict(m)) for m in r["matched"]) or "（未採用任何項目）"
        lines.append(f"「{r['input']}」 [{status}] → {found}")
        if r["suggestions"]:
            lines.append("    其他相近：" + "、".join(_match_name(dict(m))
                                                  for m in r["suggestions"]))
    return lines


def _configure_resolve(p: argparse.ArgumentParser) -> None:
    p.add_argument("texts", nargs="+", metavar="TEXT", help="what a person typed (one item each)")


@command("resolve", "which knowledge / skill / attitude items typed text most likely means",
         _configure_resolve)
def run_resolve(args: argparse.Namespace, ctx: Context) -> int:
    from queries.resolve import resolve_texts

    result = resolve_texts(ctx.graph(), args.texts, aliases=aliases())
    ctx.emit(result, "\n".join(resolution_lines(result)))
    return 0


def add_profile_options(p: argparse.ArgumentParser) -> None:
    """The profile and match options of ``match`` and ``case save``."""
    p.add_argument("--occupation", action="append", default=[], metavar="CODE_OR_NAME",
                   help="a past occupation (repeatable; all its items count)")
    p.add_argument("--item", action="append", default=[], metavar="TEXT",
                   help="something the client can do, in any wording (repeatable)")
    p.add_argument("--items-file", type=Path, metavar="PATH",
                   help="UTF-8 text, one item per line, # starts a comment line")
    p.add_argument("--category", metavar="CODE_OR_NAME", help="only occupations of this 職類別")
    p.add_argument("--industry", metavar="CODE_OR_NAME", help="only occupations of this 行業別")
    p.add_argument("--level", type=int, metavar="N", help="only occupations of this level")
    p.add_argument("--top", type=int, default=10, help="how many occupations (default 10)")


def spec_from_args(args: argparse.Namespace) -> ProfileSpec:
    """The profile the options describe (the items file read here)."""
    from queries.profile import PastJob, ProfileSpec, TypedItem

    typed = list(args.item)
    if args.items_file is not None:
        typed += read_items_file(args.items_file)
    return ProfileSpec(jobs=tuple(PastJob(o) for o in args.occupation),
                       typed=tuple(TypedItem(t) for t in typed))


def options_from_args(args: argparse.Namespace) -> MatchOptions:
    from queries.match import MatchOptions

    return MatchOptions(args.category, args.industry, args.level, args.top)


def built(G: nx.MultiDiGraph, spec: ProfileSpec) -> ClientProfile:
    """The profile of ``spec``; a profile with nothing in it is an error (Chinese)."""
    from queries.profile import build_profile, require_items

    return require_items(build_profile(G, spec, aliases=aliases()))


def results_lines(results: list[dict[str, Any]]) -> list[str]:
    rows = [(i, r["name"], f"{r['score']:.3f}", r["confidence"], len(r["covered"]),
             len(r["partly"]), len(r["missing"]), r["code"])
            for i, r in enumerate(results, start=1)]
    if not rows:
        return ["（沒有符合條件的職業：請放寬篩選條件，或加入更多項目）"]
    return table(("#", "職業", "分數", "可信度", "已具備", "相近", "需補強", "代碼"), rows)


@command("match", "rank current occupations by how much of each a client's profile covers",
         add_profile_options)
def run_match(args: argparse.Namespace, ctx: Context) -> int:
    from queries.match import match
    from queries.profile import profile_json

    G = ctx.graph()
    profile = built(G, spec_from_args(args))
    results = match(G, profile, options_from_args(args))["results"]
    result = {"profile": profile_json(G, profile), "results": results}
    jobs = "、".join(j.name for j in profile.occupations)
    lines = [f"個案的職能：{len(profile.items)} 項" + (f"（過去職業：{jobs}）" if jobs else "")]
    lines += resolution_lines(list(profile.resolutions))
    lines += ["", *results_lines([dict(r) for r in results])]
    ctx.emit(result, "\n".join(lines))
    return 0
