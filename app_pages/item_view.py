"""The item page's view of one knowledge / skill / attitude: the occupations requiring it
with the tasks that use it, those reaching it through a note's term, the notes defining
it, similar items, the items most often required beside it, and the occupations that
need several items at once. Pure functions over the graph; no Streamlit here.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx

from graph.identity import item_key
from graph.kinds import REQUIRES, Rel
from graph.model import occupation_id
from loaders.errors import UnknownItem

_REQUIRES = frozenset(r.value for r in REQUIRES.values())


@dataclass(frozen=True, slots=True)
class Use:
    """One occupation requiring the item: its code and the task codes that use it (empty
    for an attitude or an item required by the standard as a whole)."""

    code: str
    tasks: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Via:
    """An occupation reaching the item through a term one of its notes defines."""

    code: str
    term: str


@dataclass(frozen=True, slots=True)
class Note:
    """A note of a standard about the item: the standard, the term it defines, its text."""

    code: str
    term: str
    text: str


@dataclass(frozen=True, slots=True)
class Similar:
    id: str
    name: str
    score: float
    tier: str


@dataclass(frozen=True, slots=True)
class ItemView:
    id: str
    kind: str
    name: str
    aliases: tuple[str, ...]
    description: str
    uses: tuple[Use, ...]
    via: tuple[Via, ...]
    members: tuple[str, ...]
    notes: tuple[Note, ...]
    similar: tuple[Similar, ...]


def _uses(G: nx.MultiDiGraph, item: str) -> tuple[Use, ...]:
    tasks: dict[str, set[str]] = {}
    for _u, _v, key, d in G.in_edges(item, keys=True, data=True):
        if key in _REQUIRES and d.get("standard"):
            found = tasks.setdefault(str(d["standard"]), set())
            if d.get("task"):
                found.add(str(d["task"]))
    return tuple(Use(code, tuple(sorted(t, key=_task_order))) for code, t in sorted(tasks.items()))


def _task_order(code: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in code.lstrip("T").split("."))


def _includers(G: nx.MultiDiGraph, item: str) -> list[str]:
    found: list[str] = []
    frontier = [item]
    while frontier:
        node = frontier.pop()
        for u, _v, key in G.in_edges(node, keys=True):
            if key == Rel.INCLUDES and u != item and u not in found:
                found.append(u)
                frontier.append(u)
    return found


def _notes(G: nx.MultiDiGraph, codes: Iterable[str], keys: set[str]) -> tuple[Note, ...]:
    out: list[Note] = []
    for code in dict.fromkeys(codes):
        raw = G.nodes.get(occupation_id(code), {}).get("notes")
        try:
            notes = json.loads(raw) if isinstance(raw, str) and raw else []
        except ValueError:
            continue
        for n in notes if isinstance(notes, list) else []:
            term = str(n.get("term") or "") if isinstance(n, dict) else ""
            text = str(n.get("text") or "") if isinstance(n, dict) else ""
            if (term and item_key(term) in keys) or any(k and k in item_key(text) for k in keys):
                out.append(Note(code, term, text))
    return tuple(out)


def item_view(G: nx.MultiDiGraph, item: str) -> ItemView:
    """Everything the item page shows about the item node ``item``.

    Raises
    ------
    UnknownItem
        ``item`` is not a node of ``G``.
    """
    if item not in G:
        raise UnknownItem(item)
    d = G.nodes[item]
    name = str(d.get("name", ""))
    aliases = tuple(a for a in str(d.get("aliases", "")).split("、") if a)
    uses = _uses(G, item)
    direct = {u.code for u in uses}
    via: dict[str, str] = {}
    for term in _includers(G, item):
        for use in _uses(G, term):
            if use.code not in direct:
                via.setdefault(use.code, str(G.nodes[term].get("name", "")))
    members = tuple(v for _u, v, key in G.out_edges(item, keys=True) if key == Rel.INCLUDES)
    keys = {item_key(n) for n in (name, *aliases)}
    defining = [str(e.get("standard")) for _u, _v, key, e in G.in_edges(item, keys=True, data=True)
                if key == Rel.INCLUDES and e.get("standard")]
    defining += [str(e.get("standard")) for _u, _v, key, e in
                 G.out_edges(item, keys=True, data=True) if key == Rel.INCLUDES
                 and e.get("standard")]
    similar = sorted(
        (Similar(v, str(G.nodes[v].get("name", "")), float(e.get("score", 0.0)),
                 str(e.get("tier", "")))
         for _u, v, key, e in G.out_edges(item, keys=True, data=True) if key == Rel.SIMILAR_TO),
        key=lambda s: (-s.score, s.name))
    return ItemView(item, str(d.get("kind", "")), name, aliases, str(d.get("description", "")),
                    uses, tuple(Via(c, t) for c, t in sorted(via.items())), members,
                    _notes(G, [*defining, *sorted(direct), *sorted(via)], keys),
                    tuple(similar))


def users_of(G: nx.MultiDiGraph, item: str) -> set[str]:
    """Codes of the occupations requiring ``item`` directly."""
    return {u.code for u in _uses(G, item)} if item in G else set()


def together(G: nx.MultiDiGraph, items: Sequence[str]) -> list[str]:
    """Codes of the occupations requiring every one of ``items`` directly, sorted.

    >>> G = nx.MultiDiGraph()
    >>> for code, item in [("A", "skill:x"), ("A", "skill:y"), ("B", "skill:x")]:
    ...     _ = G.add_edge(f"occupation:{code}", item, key="REQUIRES_SKILL", standard=code)
    >>> together(G, ["skill:x", "skill:y"]), together(G, ["skill:x"])
    (['A'], ['A', 'B'])
    """
    if not items:
        return []
    common = users_of(G, items[0])
    for item in items[1:]:
        common &= users_of(G, item)
    return sorted(common)


def companions(G: nx.MultiDiGraph, item: str, *, limit: int = 150) -> list[tuple[str, int]]:
    """The items most often required by the same occupations as ``item`` (direct REQUIRES
    edges of their tasks and of the occupation), with how many occupations share both."""
    counts: Counter[str] = Counter()
    for code in users_of(G, item):
        mine: set[str] = set()
        for _u, part, key in G.out_edges(occupation_id(code), keys=True):
            if key in _REQUIRES:
                mine.add(part)
            elif key == Rel.HAS_DUTY:
                for _d, task, k2 in G.out_edges(part, keys=True):
                    if k2 == Rel.HAS_TASK:
                        mine.update(v for _t, v, k3 in G.out_edges(task, keys=True)
                                    if k3 in _REQUIRES)
        mine.discard(item)
        counts.update(mine)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
