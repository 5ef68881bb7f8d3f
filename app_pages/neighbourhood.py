"""What a drawing holds, and the pieces every drawing shares: the :class:`Subgraph` of
nodes and edges (plain text in every field; the renderers escape nothing twice and trust
nothing), node tooltips in Chinese (name, 類別：知識, aliases, level — provenance with file
and line belongs on the graph page's side panel, not in a tooltip), the nodes a Cypher
result holds, and a set of transition paths. The graph page's growing neighbourhood is in
:mod:`app_pages.growth`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from app_pages.naming import version_mark
from graph.kinds import zh
from graph.model import REQUIRES, Kind, Rel, occupation_id

#: Most nodes one drawing holds; more freezes a browser tab for seconds.
MAX_NODES = 300
_TIP_LINES = 8


@dataclass(frozen=True)
class VisNode:
    id: str
    kind: str
    label: str
    title: str
    shared: bool = False
    focus: bool = False


@dataclass(frozen=True)
class VisEdge:
    source: str
    target: str
    rel: str
    title: str = ""
    label: str = ""


@dataclass(frozen=True)
class Subgraph:
    """Nodes and edges to draw; ``total`` nodes were reachable, ``len(nodes)`` are kept."""

    nodes: tuple[VisNode, ...]
    edges: tuple[VisEdge, ...]
    total: int
    notes: tuple[str, ...] = field(default=())

    @property
    def capped(self) -> bool:
        return self.total > len(self.nodes)


def occupation_items(G: nx.MultiDiGraph, code: str) -> dict[str, list[dict[str, Any]]]:
    """Items an occupation requires (K/S through its tasks, A directly), each with the
    provenance of every REQUIRES_* edge to it."""
    occ = occupation_id(code)
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if occ not in G:
        return found
    wanted = set(REQUIRES.values())
    for _, duty, k in G.out_edges(occ, keys=True):
        if k == Rel.HAS_DUTY:
            for _, task, k2 in G.out_edges(duty, keys=True):
                if k2 == Rel.HAS_TASK:
                    for _, item, k3, d in G.out_edges(task, keys=True, data=True):
                        if k3 in wanted:
                            found[item].append(d)
        elif k in wanted:
            found[duty].append(G.edges[occ, duty, k])
    return found


def item_users(G: nx.MultiDiGraph, item: str) -> set[str]:
    """Codes of the occupations whose REQUIRES_* edges reach ``item`` directly."""
    wanted = set(REQUIRES.values())
    return {str(d["standard"]) for _, _, k, d in G.in_edges(item, keys=True, data=True)
            if k in wanted and d.get("standard")}


def short(text: str, width: int = 16) -> str:
    """``text`` cut to ``width`` characters with an ellipsis (labels on a canvas)."""
    return text if len(text) <= width else text[: width - 1] + "…"


def tip(head: str, lines: Sequence[str]) -> str:
    """A tooltip: a head line and at most a few more (the rest counted)."""
    more = len(lines) - _TIP_LINES
    body = list(lines[:_TIP_LINES]) + ([f"…還有 {more} 筆"] if more > 0 else [])
    return "\n".join([head, *body])


def vis_node(G: nx.MultiDiGraph, nid: str, *, shared: bool = False, focus: bool = False,
             extra: Iterable[str] = ()) -> VisNode:
    """A drawn node: labelled by its name (an occupation's code is in the tooltip: a label
    starting "IDC3339-001v2 網…" would cut off the part a counsellor reads); the tooltip
    in Chinese — name, 類別, code, aliases, level — plus ``extra`` lines."""
    d = G.nodes[nid]
    kind, name = str(d.get("kind", "")), str(d.get("name", nid))
    head = f"{name}{version_mark(d)}" if kind == Kind.OCCUPATION else name
    lines = [f"類別：{zh(kind)}"]
    if d.get("code"):
        lines.append(f"代碼：{d['code']}")
    if d.get("aliases"):
        lines.append(f"別名：{d['aliases']}")
    if d.get("level") is not None:
        lines.append(f"級別：{d['level']}")
    lines.extend(extra)
    return VisNode(nid, kind, short(name), tip(head, lines), shared, focus)


def item_links(G: nx.MultiDiGraph, keep: set[str]) -> list[VisEdge]:
    """INCLUDES and SIMILAR_TO edges among the kept items (each similar pair once)."""
    out: list[VisEdge] = []
    for u in sorted(keep):
        for _, v, k, d in G.out_edges(u, keys=True, data=True):
            if v not in keep:
                continue
            if k == Rel.INCLUDES:
                out.append(VisEdge(u, v, str(k), f"包含（{d.get('note') or '名詞定義'}）"))
            elif k == Rel.SIMILAR_TO and u < v:
                out.append(VisEdge(u, v, str(k), f"名稱相似度 {float(d.get('score', 0)):.2f}"))
    return out


def induced(G: nx.MultiDiGraph, node_ids: Iterable[str], *, cap: int = MAX_NODES) -> Subgraph:
    """The given nodes (those in ``G``, first ``cap``) and every edge among them."""
    wanted = list(dict.fromkeys(n for n in node_ids if n in G))
    kept = wanted[:cap]
    keep = set(kept)
    edges = [VisEdge(u, v, str(k)) for u, v, k in G.subgraph(kept).edges(keys=True)
             if u in keep and v in keep and not (k == Rel.SIMILAR_TO and u > v)]
    return Subgraph(tuple(vis_node(G, n) for n in kept), tuple(edges), len(wanted))


def route_graph(G: nx.MultiDiGraph, paths: Sequence[dict[str, Any]]) -> Subgraph:
    """Occupations on the given transition paths (``queries.paths`` shape), one edge per
    step titled with what that step has to learn."""
    nodes: dict[str, VisNode] = {}
    edges: dict[tuple[str, str], VisEdge] = {}
    ends = {occupation_id(str(p["steps"][i]["from" if i == 0 else "to"]))
            for p in paths if p.get("steps") for i in (0, -1)}
    for path in paths:
        for step in path.get("steps", []):
            a, b = occupation_id(str(step["from"])), occupation_id(str(step["to"]))
            for n in (a, b):
                if n in G and n not in nodes:
                    nodes[n] = vis_node(G, n, focus=n in ends)
            learn = [str(x.get("name", x)) if isinstance(x, dict) else str(x)
                     for x in step.get("learn", [])]
            edges[(a, b)] = VisEdge(a, b, "STEP", tip(f"需補 {len(learn)} 項", learn),
                                    label=f"需補 {len(learn)}")
    kept = tuple(nodes.values())
    return Subgraph(kept, tuple(e for e in edges.values() if e.source in nodes
                                and e.target in nodes), len(kept))
