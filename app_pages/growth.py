"""The graph page's drawing: one occupation's neighbourhood that grows by click.

It opens on the centre occupation and its knowledge, skills and attitudes (tasks
collapsed: each item hangs off the occupation, unless the duties and tasks are asked for).
Each *opened* node adds one ring: an opened item brings the occupations that require it,
an opened occupation brings its items — at most :data:`PER_OPEN` new nodes each, the most
related first, and never more than ``cap`` in all. So on 905 standards the drawing holds
exactly what the visitor chose, never the whole graph. Items other occupations require
too are *shared* (ringed): they are where the drawing can grow. Pure functions; no
Streamlit here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import networkx as nx

from app_pages.naming import item_text, occupation_text, task_text
from app_pages.neighbourhood import (
    MAX_NODES,
    Subgraph,
    VisEdge,
    item_links,
    item_users,
    occupation_items,
    vis_node,
)
from graph.kinds import ITEM_KINDS, Kind, Rel
from graph.model import occupation_id

#: Most nodes one click adds.
PER_OPEN = 20


def _code(G: nx.MultiDiGraph, node: str) -> str:
    return str(G.nodes[node].get("code", ""))


def _current(G: nx.MultiDiGraph, node: str) -> bool:
    latest = G.nodes[node].get("latest", True)
    return latest.lower() == "true" if isinstance(latest, str) else bool(latest)


@dataclass
class _Drawing:
    G: nx.MultiDiGraph
    kinds: frozenset[str]
    cap: int
    order: list[str]
    links: set[tuple[str, str]]
    notes: list[str]
    total: int = 0

    def add(self, nodes: Sequence[str]) -> list[str]:
        room = max(0, self.cap - len(self.order))
        fresh = [n for n in dict.fromkeys(nodes) if n not in self.order]
        self.total += len(fresh)
        self.order.extend(fresh[:room])
        return fresh[:room]

    def items_of(self, occ: str, limit: int | None) -> None:
        items = {i: p for i, p in occupation_items(self.G, _code(self.G, occ)).items()
                 if self.G.nodes[i].get("kind") in self.kinds}
        drawn = set(self.order)
        ranked = sorted(items, key=lambda i: (i not in drawn, -len(item_users(self.G, i)), i))
        new = [i for i in ranked if i not in drawn]
        if limit is not None and len(new) > limit:
            self.notes.append(f"「{occupation_text(self.G, _code(self.G, occ))}」需要 "
                              f"{len(items)} 項，先加入共用最廣的 {limit} 項。")
            new = new[:limit]
        added = set(self.add(new)) | drawn
        self.links.update((occ, i) for i in items if i in added)

    def users_of(self, item: str) -> None:
        users = [occupation_id(c) for c in item_users(self.G, item)]
        users = [u for u in users if u in self.G and (_current(self.G, u) or u in self.order)]
        drawn_items = [n for n in self.order if self.G.nodes[n].get("kind") in self.kinds]

        def related(occ: str) -> int:
            mine = occupation_items(self.G, _code(self.G, occ))
            return sum(1 for i in drawn_items if i in mine)

        fresh = [u for u in users if u not in self.order]
        if len(fresh) > PER_OPEN:
            fresh = sorted(fresh, key=lambda u: (-related(u), u))[:PER_OPEN]
            self.notes.append(f"「{item_text(self.G, item)}」由 {len(users)} 個職業需要，"
                              f"先加入與圖中項目最相關的 {PER_OPEN} 個。")
        added = set(self.add(fresh)) | set(self.order)
        self.links.update((u, item) for u in users if u in added)


def grown(G: nx.MultiDiGraph, center: str, *, opened: Sequence[str] = (),
          kinds: Collection[str] = tuple(ITEM_KINDS), tasks: bool = False,
          cap: int = MAX_NODES) -> Subgraph:
    """The centre occupation (a code), its items of ``kinds`` and one ring per node of
    ``opened`` (node ids, in the order they were opened); duties and tasks of the centre
    when ``tasks``. Nodes beyond ``cap`` are left out (``Subgraph.capped``)."""
    occ = occupation_id(center)
    if occ not in G:
        return Subgraph((), (), 0)
    draw = _Drawing(G, frozenset(str(k) for k in kinds), cap, [occ], set(), [])
    draw.items_of(occ, None)
    for node in opened:
        if node not in draw.order or node == occ:
            continue
        kind = G.nodes[node].get("kind")
        if kind == Kind.OCCUPATION:
            draw.items_of(node, PER_OPEN)
        elif kind in draw.kinds:
            draw.users_of(node)
    keep = set(draw.order)
    occs = {n for n in keep if G.nodes[n].get("kind") == Kind.OCCUPATION}
    degree = Counter(i for o, i in draw.links if o in occs)
    users = {n: len(item_users(G, n)) for n in draw.order if n not in occs}
    structure = _structure(G, occ, keep, draw.links) if tasks else ([], [], set())
    nodes = [vis_node(G, n, shared=users.get(n, 0) >= 2, focus=n == occ or n in opened,
                      extra=_extra(G, n, degree[n], users.get(n, 0), n in opened))
             for n in draw.order]
    nodes += [vis_node(G, n) for n in structure[0]]
    edges = [VisEdge(o, i, "REQUIRES", f"{occupation_text(G, _code(G, o))} 需要 {item_text(G, i)}")
             for o, i in sorted(draw.links) if (o, i) not in structure[2]]
    edges += structure[1] + item_links(G, keep)
    return Subgraph(tuple(nodes), tuple(edges), 1 + draw.total + len(structure[0]),
                    tuple(draw.notes))


def _extra(G: nx.MultiDiGraph, node: str, drawn: int, users: int, opened: bool) -> list[str]:
    if G.nodes[node].get("kind") == Kind.OCCUPATION:
        return ["（已展開）" if opened else "點一下：加入它需要的項目"]
    lines = [f"共 {users} 個職業需要，圖中有 {drawn} 個"]
    if users < 2:
        return lines
    return [*lines, "（已展開）" if opened else "點一下：加入需要它的職業"]


def _structure(G: nx.MultiDiGraph, occ: str, keep: set[str], links: set[tuple[str, str]]
               ) -> tuple[list[str], list[VisEdge], set[tuple[str, str]]]:
    """Duties and tasks of the centre, drawn between it and its items."""
    nodes: list[str] = []
    edges: list[VisEdge] = []
    replaced: set[tuple[str, str]] = set()
    code = _code(G, occ)
    for _, duty, k in G.out_edges(occ, keys=True):
        if k != Rel.HAS_DUTY:
            continue
        nodes.append(duty)
        edges.append(VisEdge(occ, duty, Rel.HAS_DUTY, "主要職責"))
        for _, task, k2 in G.out_edges(duty, keys=True):
            if k2 != Rel.HAS_TASK:
                continue
            nodes.append(task)
            edges.append(VisEdge(duty, task, Rel.HAS_TASK, "工作任務"))
            for _, item, k3 in G.out_edges(task, keys=True):
                if item in keep and (occ, item) in links and k3 in (
                        Rel.REQUIRES_KNOWLEDGE, Rel.REQUIRES_SKILL):
                    says = f"{task_text(G, code, _code(G, task))} 需要 {item_text(G, item)}"
                    edges.append(VisEdge(task, item, str(k3), says))
                    replaced.add((occ, item))
    return nodes, edges, replaced


@dataclass(frozen=True, slots=True)
class Source:
    """Where a drawn occupation requires an item: the task (name and code), the item's
    local code and name as that standard writes them, and the file and line."""

    occupation: str
    task: str
    local_code: str
    written: str
    where: str


def provenance(G: nx.MultiDiGraph, item: str, codes: Collection[str]) -> list[Source]:
    """Where each of the occupations ``codes`` requires ``item`` (for the side panel)."""
    out = []
    for code in sorted(codes):
        for d in occupation_items(G, code).get(item, []):
            path, line = str(d.get("path", "")), d.get("line")
            name = path.rsplit("/", 1)[-1]
            out.append(Source(code, task_text(G, code, str(d.get("task", ""))) if d.get("task")
                              else "（整體要求）", str(d.get("local_code", "")),
                              str(d.get("name", "")), f"{name} 第 {line} 行" if line else name))
    return out
