"""Finding a knowledge / skill / attitude from what a person types — the one function the
item page calls, so that a better resolver (typed text → items, issue 14) can replace
the substring search behind it without touching the page.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("knowledge:倉儲管理", kind="Knowledge", name="倉儲管理", key="仓储管理")
>>> G.add_node("skill:倉儲管理能力", kind="Skill", name="倉儲管理能力", key="仓储管理能力")
>>> [(f.name, f.exact) for f in find_items(G, "倉儲 管理")]
[('倉儲管理', True), ('倉儲管理能力', False)]
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graph.identity import item_key
from graph.lookup import occupations_using, search
from graph.model import ITEM_KINDS

#: Most results a search lists.
LIMIT = 24


@dataclass(frozen=True, slots=True)
class Found:
    """An item matching the typed text: ``exact`` when its name is what was typed (after
    normalisation), ``users`` the number of occupations requiring it directly."""

    id: str
    name: str
    kind: str
    users: int
    exact: bool


def find_items(G: nx.MultiDiGraph, text: str, *, limit: int = LIMIT) -> list[Found]:
    """Items whose name contains ``text`` (normalised as identity keys: spaces, width and
    variant characters do not matter), exact matches first, then shorter names."""
    wanted = item_key(text)
    if not wanted:
        return []
    return [Found(hit["id"], str(hit["name"]), str(hit["kind"]),
                  len(occupations_using(G, hit["id"])),
                  item_key(str(hit["name"])) == wanted)
            for hit in search(G, text, kinds=ITEM_KINDS, limit=limit)]
