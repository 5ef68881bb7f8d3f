"""What a target occupation requires that a source occupation lacks, most important first.

Importance of an item in the target is the sum of the 職能級別 of the target's tasks that
need it (a task without a level counts at the occupation's 基準級別, else 1); an attitude,
required by the occupation as a whole, counts once at that level. A missing item the
source has a similar version of (SIMILAR_TO, tier ``similar``) or reaches through a term
it requires (INCLUDES, e.g. 網路行銷相關法規 → 個人資料保護法) is marked partly covered.

>>> from queries.sample import sample_graph
>>> r = gap(sample_graph(), "AAA1111-001v2", "BBB2222-001v2")
>>> [(m["name"], m["importance"]) for m in r["missing"]][:2]
[('數位平台應用能力', 7), ('網紅類型與獲利模式', 4)]
>>> r["missing"][1]["partly_covered_by"][0]["name"]
'網紅類型與商業模式'
"""

from __future__ import annotations

from typing import TypedDict

import networkx as nx

from graph.model import ITEM_KIND_WORD, ITEM_KINDS
from loaders.errors import QueryError
from queries.occupations import Index, ItemUse, Profile, index, resolve_id


class PartlyBy(TypedDict):
    """A source item that partly covers a missing one: ``via`` ``similar`` or ``includes``."""

    id: str
    name: str
    score: float | None
    via: str


class MissingItem(TypedDict):
    """One item the target requires that the source lacks (see :func:`gap`)."""

    id: str
    kind: str
    name: str
    importance: int
    tasks: list[str]
    partly_covered_by: list[PartlyBy]


class GapResult(TypedDict):
    """What :func:`gap` returns."""

    source: str
    target: str
    missing: list[MissingItem]


_KIND_ORDER = {kind: i for i, kind in enumerate(ITEM_KINDS)}


def importance(use: ItemUse, owner: Profile) -> int:
    """How much ``owner`` relies on an item: Σ of its tasks' levels (see the module doc).

    >>> from queries.occupations import profile
    >>> from queries.sample import sample_graph
    >>> p = profile(sample_graph(), "AAA1111-001v2")
    >>> importance(p.uses["skill:溝通協調能力"], p), importance(p.uses["attitude:自信心"], p)
    (7, 4)
    """
    fallback = owner.level or 1
    if not use.tasks:
        return fallback
    return sum(use.levels) + (len(use.tasks) - len(use.levels)) * fallback


def _partly(G: nx.MultiDiGraph, idx: Index, source: Profile, item: str) -> list[PartlyBy]:
    out = [PartlyBy(id=other, name=G.nodes[other].get("name", other), score=round(score, 4),
                    via="similar")
           for other, score in idx.similar.get(item, {}).items() if other in source.uses]
    out.sort(key=lambda e: (-(e["score"] or 0.0), e["name"]))
    out += [PartlyBy(id=term, name=G.nodes[term].get("name", term), score=None, via="includes")
            for term in sorted(source.uses) if item in idx.includes.get(term, ())]
    return out


def missing_items(G: nx.MultiDiGraph, source: Profile, target: Profile, *,
                  partly: bool = True) -> list[MissingItem]:
    """The ``missing`` list of :func:`gap` for two resolved profiles (any two, even equal).

    With ``partly=False`` the ``partly_covered_by`` lists are left empty (cheaper).
    """
    idx = index(G)
    rows: list[MissingItem] = []
    for item, use in target.uses.items():
        if item in source.uses:
            continue
        rows.append({
            "id": item, "kind": ITEM_KIND_WORD[use.kind],
            "name": G.nodes[item].get("name", item),
            "importance": importance(use, target), "tasks": list(use.tasks),
            "partly_covered_by": _partly(G, idx, source, item) if partly else [],
        })
    rows.sort(key=lambda r: (-r["importance"], _KIND_ORDER[target.uses[r["id"]].kind],
                             r["name"]))
    return rows


def gap(G: nx.MultiDiGraph, source: str, target: str) -> GapResult:
    """What ``target`` requires that ``source`` lacks, ordered by importance in ``target``.

    Parameters:
        G: the competency graph.
        source, target: occupation codes or names.

    Returns:
        ``{"source": code, "target": code, "missing": [{"id", "kind", "name",
        "importance", "tasks": [target task codes], "partly_covered_by": [{"id",
        "name", "score", "via"}]}]}`` — ``via`` is ``similar`` or ``includes``.

    Raises:
        UnknownOccupation: a code is not loaded.
        QueryError: source and target are the same occupation.
    """
    a, b = resolve_id(G, source), resolve_id(G, target)
    if a == b:
        raise QueryError(f"source and target are the same occupation ({source!r})")
    idx = index(G)
    pa, pb = idx.profiles[a], idx.profiles[b]
    return {"source": pa.code, "target": pb.code, "missing": missing_items(G, pa, pb)}
