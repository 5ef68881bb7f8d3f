"""Filters on occupations by classification (職類別, 行業別, 職業別) and by level.

A filter value is what a person types: a code (``MPD``, ``C22``), a name (製造／製程研發),
one part of a name (製造, the section before ／) or a fragment of one (塑膠). It stands for
a *set* of classification nodes, so that 製造業 keeps every 製造業／… industry and ``C``
every industry whose code starts with C; an occupation passes when it belongs to any of
them. Nothing matching is an error naming the closest classifications.

>>> from queries.sample import sample_graph
>>> G = sample_graph()
>>> G.add_node("category:MKT", kind="Category", code="MKT", name="行銷與銷售／行銷企劃")
>>> _ = G.add_edge("occupation:CCC3333-001v1", "category:MKT", key="IN_CATEGORY")
>>> sorted(occupations_in(G, Kind.CATEGORY, "行銷與銷售"))
['occupation:CCC3333-001v1']
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from graph.kinds import INFO, Kind
from loaders.errors import QueryError
from queries.index import Profile, index

if TYPE_CHECKING:
    import networkx as nx

_SEP = "/"  # the part separator of classification names (／ becomes / under NFKC)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _classes(G: nx.MultiDiGraph, kind: Kind) -> dict[str, tuple[str, str]]:
    """Classification node → (normalised code, normalised name), cached per graph."""
    def build() -> dict[str, tuple[str, str]]:
        return {n: (_norm(str(d.get("code", ""))), _norm(str(d.get("name", ""))))
                for n, d in G.nodes(data=True) if d.get("kind") == kind.value}

    return index(G).derived(f"classes:{kind.value}", build)


def _members(G: nx.MultiDiGraph, kind: Kind) -> dict[str, frozenset[str]]:
    """Classification node → the occupation nodes in it, cached per graph."""
    rel = INFO[kind].member_of

    def build() -> dict[str, frozenset[str]]:
        out: dict[str, set[str]] = {}
        for node in index(G).profiles:
            for _u, v, key in G.out_edges(node, keys=True):
                if key == rel:
                    out.setdefault(v, set()).add(node)
        return {k: frozenset(v) for k, v in out.items()}

    return index(G).derived(f"members:{kind.value}", build)


def class_nodes(G: nx.MultiDiGraph, kind: Kind, value: str) -> list[str]:
    """The classification nodes ``value`` stands for (see the module docstring).

    Raises
    ------
    QueryError
        Nothing matches; the message names the closest classifications.
    """
    want = _norm(value)
    classes = _classes(G, kind)
    tries: Iterable[list[str]] = (
        [n for n, (code, _name) in classes.items() if want and code.startswith(want)],
        [n for n, (_code, name) in classes.items()
         if want == name or want in (part.strip() for part in name.split(_SEP))],
        [n for n, (_code, name) in classes.items() if want and want in name],
    )
    for found in tries:
        if found:
            return sorted(found)
    names = {name: n for n, (_code, name) in classes.items()}
    close = difflib.get_close_matches(want, list(names), n=5, cutoff=0.3)
    hint = "、".join(f"{G.nodes[names[c]].get('code', '')} {G.nodes[names[c]].get('name', '')}"
                    for c in close)
    raise QueryError(f"unknown {INFO[kind].zh} {value!r}" + (f"; closest: {hint}" if hint else ""))


def occupations_in(G: nx.MultiDiGraph, kind: Kind, value: str) -> frozenset[str]:
    """Occupation nodes in any classification ``value`` stands for.

    Raises
    ------
    QueryError
        ``value`` matches no classification of that kind.
    """
    members = _members(G, kind)
    return frozenset().union(*(members.get(n, frozenset()) for n in class_nodes(G, kind, value)))


def level_of(p: Profile) -> int | None:
    """The level a filter compares: 基準級別, else the rounded mean task 職能級別.

    >>> from queries.occupations import profile
    >>> from queries.sample import sample_graph
    >>> level_of(profile(sample_graph(), "CCC3333-001v1"))
    5
    """
    if p.level is not None:
        return int(p.level)
    mean = p.effective_level
    return None if mean is None else int(mean + 0.5)
