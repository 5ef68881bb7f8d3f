"""Which part of the graph a drawing shows: a capped neighbourhood of occupations, the
nodes a Cypher result holds, or a set of transition paths. Pure functions returning a
:class:`Subgraph` (plain text in every field; the renderer escapes nothing twice and
trusts nothing).

The neighbourhood is counted at the level a counsellor thinks in: depth 1 is the
chosen occupations' items, depth 2 adds the other occupations using those items,
depth 3 adds their items, and so on. Duties and tasks are drawn for the chosen
occupations only, and only when asked for.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.model import ITEM_KINDS, REQUIRES, Kind, Rel, occupation_id

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


def _where(d: dict[str, Any]) -> str:
    path, line = str(d.get("path", "")), d.get("line")
    where = f"{path.rsplit('/', 1)[-1]}:{line}" if path and line else path.rsplit("/", 1)[-1]
    what = " ".join(str(d.get(k, "")) for k in ("standard", "task", "local_code") if d.get(k))
    return f"{what}（{where}）" if where else what


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


def _short(text: str, width: int = 16) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _tip(head: str, lines: Sequence[str]) -> str:
    more = len(lines) - _TIP_LINES
    body = list(lines[:_TIP_LINES]) + ([f"…還有 {more} 筆"] if more > 0 else [])
    return "\n".join([head, *body])


def _node(G: nx.MultiDiGraph, nid: str, *, shared: bool = False, focus: bool = False,
          provenance: Iterable[str] = ()) -> VisNode:
    d = G.nodes[nid]
    kind, name = str(d.get("kind", "")), str(d.get("name", nid))
    head = f"{d.get('code', '')} {name}".strip() if kind == Kind.OCCUPATION else name
    lines = [f"類別：{kind}"]
    if d.get("aliases"):
        lines.append(f"別名：{d['aliases']}")
    if d.get("level") is not None:
        lines.append(f"級別：{d['level']}")
    lines.extend(provenance)
    # Occupations are labelled by name (the code is in the tooltip): "IDC3339-001v2 網…"
    # would cut off the part a counsellor reads.
    return VisNode(nid, kind, _short(name), _tip(head, lines), shared, focus)


def neighbourhood(
    G: nx.MultiDiGraph,
    codes: Sequence[str],
    *,
    depth: int = 1,
    kinds: Collection[str] = (Kind.OCCUPATION, *ITEM_KINDS),
    cap: int = MAX_NODES,
) -> Subgraph:
    """The chosen occupations, ``depth`` layers around them (see the module docstring),
    restricted to ``kinds`` and capped at ``cap`` nodes — the most shared first."""
    item_kinds = {k for k in ITEM_KINDS if k in kinds}
    occs = [occupation_id(c) for c in codes if occupation_id(c) in G]
    order: list[str] = list(occs)
    seen = set(order)
    uses: dict[str, list[dict[str, Any]]] = defaultdict(list)
    links: set[tuple[str, str]] = set()
    frontier, is_occ_layer = list(occs), True
    for _ in range(depth):
        counts: Counter[str] = Counter()
        for node in frontier:
            if is_occ_layer:
                for item, prov in occupation_items(G, str(G.nodes[node].get("code", ""))).items():
                    if G.nodes[item].get("kind") in item_kinds:
                        counts[item] += 1
                        uses[item].extend(prov)
                        links.add((node, item))
            else:
                for code in item_users(G, node):
                    counts[occupation_id(code)] += 1
                    links.add((occupation_id(code), node))
        fresh = sorted((n for n in counts if n not in seen), key=lambda n: (-counts[n], n))
        order.extend(fresh)
        seen.update(fresh)
        frontier, is_occ_layer = fresh, not is_occ_layer
        if not fresh:
            break
    kept = order[:cap]
    keep = set(kept)
    structure = _structure(G, occs, kinds, keep, cap)
    occ_kept = {n for n in kept if G.nodes[n].get("kind") == Kind.OCCUPATION}
    degree = Counter(i for o, i in links if o in occ_kept and i in keep)
    nodes = [
        _node(G, n, shared=degree[n] >= 2, focus=n in occs,
              provenance=[_where(d) for d in uses.get(n, [])])
        for n in kept
    ]
    nodes += [_node(G, n) for n in structure.nodes]
    def provenance(occ: str, item: str) -> str:
        code = G.nodes[occ].get("code")
        return _tip("需要", [_where(d) for d in uses.get(item, []) if d.get("standard") == code])

    edges = [VisEdge(o, i, "REQUIRES", provenance(o, i)) for o, i in sorted(links)
             if o in keep and i in keep and (o, i) not in structure.replaced]
    edges += list(structure.edges) + _item_links(G, keep)
    notes = ("職責與任務只畫出所選職業的部分。",) if structure.nodes else ()
    return Subgraph(tuple(nodes), tuple(edges), len(order) + len(structure.nodes), notes)


@dataclass(frozen=True)
class _Structure:
    nodes: tuple[str, ...]
    edges: tuple[VisEdge, ...]
    replaced: frozenset[tuple[str, str]]


def _structure(G: nx.MultiDiGraph, occs: Sequence[str], kinds: Collection[str],
               keep: set[str], cap: int) -> _Structure:
    """Duties and tasks of the chosen occupations, drawn between them and their items."""
    if Kind.DUTY not in kinds and Kind.TASK not in kinds:
        return _Structure((), (), frozenset())
    nodes: list[str] = []
    edges: list[VisEdge] = []
    replaced: set[tuple[str, str]] = set()
    room = max(0, cap - len(keep))
    for occ in occs:
        for _, duty, k in G.out_edges(occ, keys=True):
            if k != Rel.HAS_DUTY or len(nodes) >= room:
                continue
            nodes.append(duty)
            edges.append(VisEdge(occ, duty, Rel.HAS_DUTY))
            for _, task, k2 in G.out_edges(duty, keys=True):
                if k2 != Rel.HAS_TASK or len(nodes) >= room or Kind.TASK not in kinds:
                    continue
                nodes.append(task)
                edges.append(VisEdge(duty, task, Rel.HAS_TASK))
                for _, item, k3, d in G.out_edges(task, keys=True, data=True):
                    if item in keep and k3 in (Rel.REQUIRES_KNOWLEDGE, Rel.REQUIRES_SKILL):
                        edges.append(VisEdge(task, item, str(k3), _tip("需要", [_where(d)])))
                        replaced.add((occ, item))
    return _Structure(tuple(nodes), tuple(edges), frozenset(replaced))


def _item_links(G: nx.MultiDiGraph, keep: set[str]) -> list[VisEdge]:
    """INCLUDES and SIMILAR_TO edges among the kept items (each similar pair once)."""
    out: list[VisEdge] = []
    for u in sorted(keep):
        for _, v, k, d in G.out_edges(u, keys=True, data=True):
            if v not in keep:
                continue
            if k == Rel.INCLUDES:
                out.append(VisEdge(u, v, str(k), _tip("包含", [_where(d)])))
            elif k == Rel.SIMILAR_TO and u < v:
                out.append(VisEdge(u, v, str(k), f"相似度 {d.get('score', '')}"))
    return out


def induced(G: nx.MultiDiGraph, node_ids: Iterable[str], *, cap: int = MAX_NODES) -> Subgraph:
    """The given nodes (those in ``G``, first ``cap``) and every edge among them."""
    wanted = list(dict.fromkeys(n for n in node_ids if n in G))
    kept = wanted[:cap]
    keep = set(kept)
    edges = [VisEdge(u, v, str(k)) for u, v, k in G.subgraph(kept).edges(keys=True)
             if u in keep and v in keep and not (k == Rel.SIMILAR_TO and u > v)]
    return Subgraph(tuple(_node(G, n) for n in kept), tuple(edges), len(wanted))


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
                    nodes[n] = _node(G, n, focus=n in ends)
            learn = [str(x.get("name", x)) if isinstance(x, dict) else str(x)
                     for x in step.get("learn", [])]
            edges[(a, b)] = VisEdge(a, b, "STEP", _tip(f"需補 {len(learn)} 項", learn),
                                    label=f"需補 {len(learn)}")
    kept = tuple(nodes.values())
    return Subgraph(kept, tuple(e for e in edges.values() if e.source in nodes
                                and e.target in nodes), len(kept))
