"""The occupation page's view of one standard: duty → task → outputs / indicators → K/S,
attitudes, notes and versions, read from the graph by its attribute contract
(graph/model.py). Pure functions; no Streamlit here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.kinds import ITEM_KINDS, Rel, find
from graph.model import occupation_id
from loaders.errors import UnknownOccupation

Users = Callable[[str], list[str]]


@dataclass(frozen=True)
class ItemUse:
    """A K/S/A item as one standard uses it, with the other occupations that use it too."""

    id: str
    kind: str
    name: str
    local_code: str
    others: tuple[str, ...]


@dataclass(frozen=True)
class Part:
    """An output or an indicator of a task: its code and its text."""

    code: str
    text: str


@dataclass(frozen=True)
class TaskView:
    code: str
    name: str
    level: int | None
    outputs: tuple[Part, ...]
    indicators: tuple[Part, ...]
    items: tuple[ItemUse, ...]


@dataclass(frozen=True)
class DutyView:
    code: str
    name: str
    tasks: tuple[TaskView, ...]


@dataclass(frozen=True)
class OccupationView:
    code: str
    name: str
    level: int | None
    description: str
    requirements: str
    duties: tuple[DutyView, ...]
    attitudes: tuple[ItemUse, ...]
    notes: tuple[dict[str, Any], ...]
    versions: tuple[dict[str, Any], ...]
    #: K/S items the standard defines but no task uses (linked from the occupation itself)
    loose: tuple[ItemUse, ...] = ()

    def items(self) -> tuple[ItemUse, ...]:
        """Every distinct item of the standard (K, S, then A), first use first."""
        seen: dict[str, ItemUse] = {}
        for duty in self.duties:
            for task in duty.tasks:
                for item in task.items:
                    seen.setdefault(item.id, item)
        for item in (*self.loose, *self.attitudes):
            seen.setdefault(item.id, item)
        order = {k.value: i for i, k in enumerate(ITEM_KINDS)}
        return tuple(sorted(seen.values(), key=lambda u: (order.get(u.kind, 9), u.local_code)))


def code_order(code: str) -> tuple[int | str, ...]:
    """Sort key putting ``T2`` before ``T10`` and ``K9`` before ``K10``.

    >>> sorted(["T10", "T2", "T1.1"], key=code_order)
    ['T1.1', 'T2', 'T10']
    """
    return tuple(int(p) if p.isdigit() else p for p in re.findall(r"\d+|\D+", code))


def _targets(G: nx.MultiDiGraph, node: str, rel: Rel) -> list[tuple[str, dict[str, Any]]]:
    return [(v, d) for _, v, k, d in G.out_edges(node, keys=True, data=True) if k == rel]


def _json_list(raw: object) -> tuple[dict[str, Any], ...]:
    if not isinstance(raw, str) or not raw:
        return ()
    try:
        value = json.loads(raw)
    except ValueError:
        return ()
    return tuple(v for v in value if isinstance(v, dict)) if isinstance(value, list) else ()


def _uses(
    G: nx.MultiDiGraph, edges: Iterable[tuple[str, dict[str, Any]]], code: str, users: Users
) -> tuple[ItemUse, ...]:
    out: dict[str, ItemUse] = {}
    for item, data in edges:
        node = G.nodes[item]
        others = tuple(c for c in users(item) if c != code)
        out.setdefault(
            item,
            ItemUse(item, str(node.get("kind", "")), str(node.get("name", item)),
                    str(data.get("local_code", "")), others),
        )
    return tuple(sorted(out.values(), key=lambda u: code_order(u.local_code)))


def occupation_view(G: nx.MultiDiGraph, code: str, users: Users) -> OccupationView:
    """Read one occupation's standard out of ``G``.

    ``users(item_id)`` returns the codes of the occupations using an item (e.g.
    ``graph.lookup.occupations_using`` bound to ``G``). Raises UnknownOccupation when
    ``code`` is not an occupation of ``G``.
    """
    occ = occupation_id(code)
    if occ not in G:
        raise UnknownOccupation(code)
    attrs = G.nodes[occ]
    duties = []
    def by_code(edge: tuple[str, dict[str, Any]]) -> tuple[int | str, ...]:
        return code_order(_code(G, edge[0]))

    for duty, _ in sorted(_targets(G, occ, Rel.HAS_DUTY), key=by_code):
        tasks = []
        for task, _ in sorted(_targets(G, duty, Rel.HAS_TASK), key=by_code):
            t = G.nodes[task]
            reqs = [e for rel in (Rel.REQUIRES_KNOWLEDGE, Rel.REQUIRES_SKILL)
                    for e in _targets(G, task, rel)]
            tasks.append(TaskView(
                code=_code(G, task), name=str(t.get("name", "")), level=t.get("level"),
                outputs=_names(G, _targets(G, task, Rel.PRODUCES)),
                indicators=_names(G, _targets(G, task, Rel.MEASURED_BY)),
                items=_uses(G, reqs, code, users),
            ))
        duties.append(DutyView(_code(G, duty), str(G.nodes[duty].get("name", "")), tuple(tasks)))
    return OccupationView(
        code=code, name=str(attrs.get("name", "")), level=attrs.get("level"),
        description=str(attrs.get("description", "")),
        requirements=str(attrs.get("requirements", "")),
        duties=tuple(duties),
        attitudes=_uses(G, _targets(G, occ, Rel.REQUIRES_ATTITUDE), code, users),
        notes=_json_list(attrs.get("notes")), versions=_json_list(attrs.get("versions")),
        loose=_uses(G, [e for rel in (Rel.REQUIRES_KNOWLEDGE, Rel.REQUIRES_SKILL)
                        for e in _targets(G, occ, rel)], code, users),
    )


def _code(G: nx.MultiDiGraph, node: str) -> str:
    return str(G.nodes[node].get("code", node.rsplit("/", 1)[-1]))


def _names(G: nx.MultiDiGraph, edges: list[tuple[str, dict[str, Any]]]) -> tuple[Part, ...]:
    nodes = sorted((v for v, _ in edges), key=lambda n: code_order(_code(G, n)))
    return tuple(Part(_code(G, n), str(G.nodes[n].get("name", ""))) for n in nodes)


def item_kind_label(kind: str) -> str:
    """K / S / A letter of an item kind (empty for other kinds).

    >>> item_kind_label("Skill")
    'S'
    """
    row = find(kind)
    return row.letter if row is not None and row.item else ""
