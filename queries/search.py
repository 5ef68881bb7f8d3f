"""The search box: substring hits over every node, with what the typed text *means* first.

The CLI's ``search`` and the app's item search call :func:`search`: the items the
resolver (:mod:`queries.resolve`) matches for the whole text by identity, alias or
generic suffix come first (search for 倉庫管理 shows 倉儲管理 and 倉儲管理能力 first,
though no name contains 倉庫管理), then the substring hits of
:func:`graph.lookup.search` in their usual order, then the resolver's similar names. An
empty result comes with :func:`closest`, the nearest names to suggest.

>>> from queries.sample import sample_graph
>>> [h["name"] for h in search(sample_graph(), "談判協商")]
['談判協商能力']
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import networkx as nx

from graph.aliases import Alias
from graph.kinds import ITEM_KINDS, Kind
from graph.lookup import search as substring_search
from loaders.errors import UnknownItem
from queries.resolve import MAX_SUGGESTIONS, resolve_text, similar_items

_ITEMS = frozenset(ITEM_KINDS)


def search(G: nx.MultiDiGraph, text: str, *, kinds: Collection[Kind] | None = None,
           limit: int = 50, aliases: Sequence[Alias] = ()) -> list[dict[str, Any]]:
    """Nodes for a search box, what ``text`` means first (see the module docstring).

    Parameters
    ----------
    G : the competency graph.
    text : what was typed.
    kinds : only nodes of these kinds (default: all).
    limit : at most this many rows.
    aliases : the curated aliases (for the resolver).

    Returns
    -------
    list[dict] : ``{"id", "kind", "name", "code", "standard"}`` rows, no node twice.
    """
    if limit <= 0:
        return []
    wanted = set(kinds) if kinds is not None else None
    with_items = wanted is None or bool(wanted & _ITEMS)
    first: list[str] = []
    last: list[str] = []
    if with_items:
        resolution = resolve_text(G, text, aliases=aliases)
        found = [m["id"] for m in resolution["matched"]]
        (last if resolution["status"] == "similar" else first).extend(found)
    hits = [h["id"] for h in substring_search(G, text, kinds=kinds, limit=limit)]
    out: list[str] = []
    for node in (*first, *hits, *last):
        if node not in out and (wanted is None or Kind(G.nodes[node]["kind"]) in wanted):
            out.append(node)
    return [_row(G, n) for n in out[:limit]]


def _row(G: nx.MultiDiGraph, node: str) -> dict[str, Any]:
    # The shape graph.lookup.search returns.
    data = G.nodes[node]
    code = str(data.get("code", ""))
    standard = code if data.get("kind") == Kind.OCCUPATION.value else data.get("standard", "")
    return {"id": node, "kind": str(data.get("kind", "")), "name": str(data.get("name", "")),
            "code": code, "standard": str(standard)}


def closest(G: nx.MultiDiGraph, text: str, *, aliases: Sequence[Alias] = ()) -> list[str]:
    """Up to five item names nearest to ``text`` (for "nothing found; did you mean").

    >>> from queries.sample import sample_graph
    >>> closest(sample_graph(), "網紅類型")[:1]
    ['網紅類型與商業模式']
    """
    return list(dict.fromkeys(m["name"] for m in similar_items(
        G, text, aliases=aliases, n=MAX_SUGGESTIONS)))


def find_item(G: nx.MultiDiGraph, text: str, *, aliases: Sequence[Alias] = ()) -> str:
    """The item node ``text`` names: a node id, or the best item the resolver matches by
    identity, alias or generic suffix (a merely similar name is not taken for it).

    Raises
    ------
    UnknownItem
        Nothing matches that way; the error carries the closest names.

    >>> from queries.sample import sample_graph
    >>> find_item(sample_graph(), "談判協商")
    'skill:談判協商能力'
    """
    if text in G and Kind(G.nodes[text].get("kind", Kind.TASK)) in _ITEMS:
        return text
    resolution = resolve_text(G, text, aliases=aliases)
    if resolution["status"] in ("exact", "alias"):
        return resolution["matched"][0]["id"]
    names = [m["name"] for m in (*resolution["matched"], *resolution["suggestions"])]
    raise UnknownItem(text, list(dict.fromkeys(names))[:MAX_SUGGESTIONS])
