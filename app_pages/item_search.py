"""Finding a knowledge / skill / attitude from what a person types — the one function the
item page calls. Behind it is the search box of :mod:`queries.search`: what the text
*means* first (the resolver of :mod:`queries.resolve`: identity, curated alias, generic
suffix — 倉庫管理 finds 倉儲管理), then names containing the text, then similar names.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("knowledge:倉儲管理", kind="Knowledge", name="倉儲管理", key="仓储管理")
>>> G.add_node("skill:倉儲管理能力", kind="Skill", name="倉儲管理能力", key="仓储管理能力")
>>> [(f.name, f.exact) for f in find_items(G, "倉儲 管理")]
[('倉儲管理', True), ('倉儲管理能力', False)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx

from graph.aliases import Alias
from graph.identity import item_key
from graph.lookup import occupations_using
from graph.model import ITEM_KINDS
from loaders.errors import IcapGraphError
from queries.search import closest, search
from queries.search import find_item as meant

#: Most results a search lists.
LIMIT = 24


@dataclass(frozen=True, slots=True)
class Found:
    """An item matching the typed text: ``exact`` when it is what the text names (same
    identity key, a curated alias, or the name with / without a generic suffix),
    ``users`` the number of occupations requiring it directly."""

    id: str
    name: str
    kind: str
    users: int
    exact: bool


def find_items(G: nx.MultiDiGraph, text: str, *, limit: int = LIMIT,
               aliases: Sequence[Alias] = ()) -> list[Found]:
    """Items for ``text`` (spaces, width and variant characters do not matter): what it
    names first, then names containing it, then similar names."""
    if not item_key(text):
        return []
    try:
        named = meant(G, text, aliases=aliases)
    except IcapGraphError:
        named = ""
    return [Found(hit["id"], str(hit["name"]), str(hit["kind"]),
                  len(occupations_using(G, hit["id"])), hit["id"] == named)
            for hit in search(G, text, kinds=ITEM_KINDS, limit=limit, aliases=aliases)]


def suggestions(G: nx.MultiDiGraph, text: str, *, aliases: Sequence[Alias] = ()) -> list[str]:
    """Up to five names close to ``text``, for a search that found nothing."""
    return closest(G, text, aliases=aliases) if item_key(text) else []
