"""Build the competency graph from loaded standards (pure: no I/O).

One knowledge / skill / attitude is ONE node whatever standard names it: items
are keyed by kind + :func:`graph.identity.item_key` of the name (after curated
aliases), never by their local code, since K01 of one standard is unrelated to
K01 of another. The node / edge attributes follow the contract in
:mod:`graph.model`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.aliases import Alias, resolve
from graph.includes import expansions
from graph.item_nodes import ItemNodes, ItemRef
from graph.kinds import CLASS_KINDS, INFO, ITEM_KINDS, REQUIRES, Kind, Rel, by_word
from graph.model import class_id, occupation_id, part_id
from graph.serialize import no_gc
from loaders.records import CodeName, Item, Standard

#: Classification kinds with their relationship and record field (from the kind table).
_CLASSIFICATION: tuple[tuple[Kind, str, str], ...] = tuple(
    (kind, rel.value, field_name) for kind in CLASS_KINDS
    if (rel := INFO[kind].member_of) is not None
    and (field_name := INFO[kind].record_field) is not None
)
#: Item kinds required task by task, with the Task field listing their local codes.
_BY_TASK: tuple[tuple[Kind, str], ...] = tuple(
    (kind, field_name) for kind in ITEM_KINDS
    if (field_name := INFO[kind].task_field) is not None
)


_REQUIRES: dict[Kind, str] = {kind: rel.value for kind, rel in REQUIRES.items()}


def _item_kind(item: Item) -> Kind:
    return by_word(item.kind).kind


def _collect(standards: Sequence[Standard], items: ItemNodes) -> None:
    for std in standards:
        for item in std.items():
            ref = items.record(_item_kind(item), item.name)
            if item.description:
                items.descriptions[ref].append(item.description)
        for exp in expansions(std):
            items.record(Kind.KNOWLEDGE, exp.parent, from_note=True)
            items.record(Kind.KNOWLEDGE, exp.child, from_note=True)


_OCC = Kind.OCCUPATION.value
_DUTY, _TASK = Kind.DUTY.value, Kind.TASK.value
_OUTPUT, _INDICATOR = Kind.OUTPUT.value, Kind.INDICATOR.value
_HAS_DUTY, _HAS_TASK = Rel.HAS_DUTY.value, Rel.HAS_TASK.value
_PRODUCES, _MEASURED_BY = Rel.PRODUCES.value, Rel.MEASURED_BY.value
_INCLUDES = Rel.INCLUDES.value


@dataclass
class _Parts:
    """The graph's node, successor and predecessor dicts (networkx's own shapes), filled
    directly: ``add_node`` / ``add_edge`` cost several times more on 200 000 edges."""

    nodes: dict[str, dict[str, Any]] = field(default_factory=dict)
    succ: dict[str, dict[str, dict[str, dict[str, Any]]]] = field(default_factory=dict)
    pred: dict[str, dict[str, dict[str, dict[str, Any]]]] = field(default_factory=dict)

    def node(self, n: str, attrs: dict[str, Any]) -> None:
        """Add node ``n`` or replace its attributes."""
        if n not in self.nodes:
            self.succ[n] = {}
            self.pred[n] = {}
        self.nodes[n] = attrs

    def edge(self, u: str, v: str, rel: str, attrs: dict[str, Any] | None = None) -> None:
        """Add the edge ``u -[rel]-> v`` between existing nodes; ``attrs`` must hold ``rel``."""
        nbrs = self.succ[u]
        keyed = nbrs.get(v)
        if keyed is None:
            keyed = nbrs[v] = self.pred[v][u] = {}
        keyed[rel] = attrs if attrs is not None else {"rel": rel}

    def graph(self) -> nx.MultiDiGraph:
        G = nx.MultiDiGraph()
        G._node = self.nodes
        G._adj = self.succ  # also sets _succ
        G._pred = self.pred
        return G


def _occupation(std: Standard) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "kind": _OCC,
        "name": std.name,
        "code": std.code,
        "description": std.description,
        "requirements": std.requirements,
        "latest": std.latest,
        "historical": std.historical,
        "path": std.source.path,
        "versions": json.dumps(
            [
                {"version": v.version, "code": v.code, "name": v.name, "status": v.status,
                 "note": v.note, "date": v.date}
                for v in std.versions
            ],
            ensure_ascii=False,
        ),
        "notes": json.dumps(
            [{"mark": n.mark, "term": n.term, "text": n.text} for n in std.notes],
            ensure_ascii=False,
        ),
    }
    if std.level is not None:
        attrs["level"] = std.level
    return attrs


def _classification(parts: _Parts, std: Standard, occ: str) -> None:
    for kind, rel, field_name in _CLASSIFICATION:
        entries: tuple[CodeName, ...] = getattr(std, field_name)
        for entry in entries:
            code = entry.code or entry.name
            if not code:
                continue
            node = class_id(kind, code)
            if node not in parts.nodes:
                parts.node(node, {"kind": kind.value, "name": entry.name, "code": entry.code})
            parts.edge(occ, node, rel)


def _structure(parts: _Parts, std: Standard, occ: str) -> None:
    code = std.code
    node = parts.node
    for duty in std.duties:
        d = part_id(Kind.DUTY, code, duty.code)
        node(d, {"kind": _DUTY, "name": duty.name, "code": duty.code, "standard": code})
        parts.edge(occ, d, _HAS_DUTY)
        for task in duty.tasks:
            t = part_id(Kind.TASK, code, task.code)
            attrs: dict[str, Any] = {"kind": _TASK, "name": task.name, "code": task.code,
                                     "standard": code}
            if task.level is not None:
                attrs["level"] = task.level
            node(t, attrs)
            parts.edge(d, t, _HAS_TASK)
            for out in task.outputs:
                o = part_id(Kind.OUTPUT, code, out.code)
                node(o, {"kind": _OUTPUT, "name": out.name, "code": out.code, "standard": code})
                parts.edge(t, o, _PRODUCES)
            for ind in task.indicators:
                p = part_id(Kind.INDICATOR, code, ind.code)
                node(p, {"kind": _INDICATOR, "name": ind.text, "code": ind.code,
                         "standard": code})
                parts.edge(t, p, _MEASURED_BY)


def _requires(
    parts: _Parts, std: Standard, occ: str, items: ItemNodes, ids: dict[ItemRef, str]
) -> None:
    path = std.source.path
    local: dict[tuple[Kind, str], Item] = {(_item_kind(i), i.code): i for i in std.items()}

    edge = parts.edge
    targets: dict[tuple[Kind, str], str | None] = {}

    def link(source: str, item: Item, task_code: str, line: int) -> None:
        kind = _item_kind(item)
        rel = _REQUIRES[kind]
        local_key = (kind, item.code)
        target = targets.get(local_key, "")
        if target == "":
            target = targets[local_key] = ids.get(items.lookup(kind, item.name))
        if target is None:  # an item with an empty name has no node
            return
        edge(source, target, rel, {
            "rel": rel, "standard": std.code, "task": task_code, "local_code": item.code,
            # the name as this standard writes it: lets queries tell an alias match from
            # an identical one after both surface forms became one node
            "name": item.name,
            "path": path, "line": line or item.source.line,
        })

    used: set[tuple[Kind, str]] = set()
    for task in std.tasks:
        t = part_id(Kind.TASK, std.code, task.code)
        for kind, field_name in _BY_TASK:
            for local_code in getattr(task, field_name):
                item = local.get((kind, local_code))
                if item is not None:  # an undefined code was already reported by the loader
                    used.add((kind, local_code))
                    link(t, item, task.code, task.source.line)
    # Items required by the occupation as a whole (attitudes), and a K/S item no task
    # refers to (a standard whose task table was lost in extraction), are linked from the
    # occupation with no task, rather than dropping what the standard says.
    for item in std.items():
        if (_item_kind(item), item.code) not in used:
            link(occ, item, "", item.source.line)


def _includes(parts: _Parts, std: Standard, items: ItemNodes, ids: dict[ItemRef, str]) -> None:
    for exp in expansions(std):
        parent = ids[items.lookup(Kind.KNOWLEDGE, exp.parent)]
        child = ids[items.lookup(Kind.KNOWLEDGE, exp.child)]
        if parent != child:
            parts.edge(parent, child, _INCLUDES, {
                "rel": _INCLUDES, "standard": std.code,
                "note": exp.note.mark or exp.note.term or exp.parent,
                "path": std.source.path, "line": exp.note.source.line,
            })


def build_graph(
    standards: Sequence[Standard], aliases: Sequence[Alias] = (), *, similar: bool = True
) -> nx.MultiDiGraph:
    """Build the competency graph.

    Parameters
    ----------
    standards : loaded standards (:func:`loaders.corpus.load_corpus`). A code seen
        twice keeps its first standard (the loader reports duplicates).
    aliases : curated aliases (:func:`graph.aliases.load_aliases`); each merges the
        alias's item into its canonical's node.
    similar : add SIMILAR_TO edges (:mod:`graph.similar`) between different items.

    Returns
    -------
    networkx.MultiDiGraph : nodes and edges as described in :mod:`graph.model`.

    >>> from loaders.records import SourceInfo, Task, Duty
    >>> def std(code, k_name):
    ...     task = Task("T1.1", "任務", 3, knowledge=("K01",))
    ...     return Standard(code, code, 3, "", (), (), (), (), (Duty("T1", "職責", (task,)),),
    ...                     (Item("knowledge", "K01", k_name),), (), (), "", (),
    ...                     SourceInfo(code + ".txt", "", "text"))
    >>> G = build_graph([std("A-001v1", "著作權法"), std("B-001v1", "著作 權法")], similar=False)
    >>> sorted(u for u, v in G.in_edges("knowledge:著作權法"))
    ['task:A-001v1/T1.1', 'task:B-001v1/T1.1']
    """
    with no_gc():
        unique: list[Standard] = []
        seen: set[str] = set()
        for std in standards:
            if std.code not in seen:
                seen.add(std.code)
                unique.append(std)

        items = ItemNodes(resolve(tuple(aliases)))
        _collect(unique, items)
        ids = items.node_ids()

        parts = _Parts()
        for ref, node in ids.items():
            parts.node(node, items.attrs(ref, node))
        for std in unique:
            occ = occupation_id(std.code)
            parts.node(occ, _occupation(std))
            _classification(parts, std, occ)
            _structure(parts, std, occ)
            _requires(parts, std, occ, items, ids)
            _includes(parts, std, items, ids)
        G = parts.graph()
    if similar:
        _add_similar(G)
    return G


def _add_similar(G: nx.MultiDiGraph) -> None:
    try:
        from graph import similar as similar_module
    except ModuleNotFoundError as exc:  # scoring is another module; the graph stands without it
        if exc.name != "graph.similar":
            raise
        return
    similar_module.add_similar_edges(G)
