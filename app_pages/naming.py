"""How the app names things a person reads: the one place that decides how an occupation,
an item, a task or a route is labelled — in tables, pickers, routes, chart axes, graph
labels and the downloadable reports.

The rule is *name first*: a counsellor reads 網紅經紀人, not IDC3339-001v2. The code stays
available, small (Markdown), in its own last column (tables) or in brackets after the
name (pickers, where typing a code must still find the occupation). Functions taking
``G`` read the graph's attribute contract (graph/model.py) and fall back to the code
when a node is missing, so a stale code never raises here.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("occupation:X-001v1", kind="Occupation", name="網紅經紀人", code="X-001v1",
...            latest=True, historical=False)
>>> G.add_node("task:X-001v1/T1.1", kind="Task", name="發掘網紅人才", code="T1.1")
>>> occupation_text(G, "X-001v1"), occupation_option(G, "X-001v1")
('網紅經紀人', '網紅經紀人（X-001v1）')
>>> task_text(G, "X-001v1", "T1.1"), task_text(G, "X-001v1", "T9")
('發掘網紅人才（T1.1）', 'T9')
>>> route_text(G, ["X-001v1", "Y-002v1"])
'網紅經紀人 → Y-002v1'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from app_pages.labels import md
from graph.kinds import zh
from graph.model import occupation_id

#: The separator of a route's steps, in every place a route is written.
ARROW = " → "


def version_mark(attrs: Mapping[str, Any]) -> str:
    """（歷史資料）for a historical standard,（舊版）for an outranked version, else empty.

    >>> version_mark({"historical": True}), version_mark({"latest": False}), version_mark({})
    ('（歷史資料）', '（舊版）', '')
    """
    if _flag(attrs.get("historical", False)):
        return "（歷史資料）"
    return "" if _flag(attrs.get("latest", True)) else "（舊版）"


def _flag(value: object) -> bool:
    # Graphs read back from GraphML / the cache may hold "True" / "False" strings.
    return value.lower() == "true" if isinstance(value, str) else bool(value)


def _occ(G: nx.MultiDiGraph, code: str) -> Mapping[str, Any] | None:
    node: Mapping[str, Any] | None = G.nodes.get(occupation_id(code))
    return node


def occupation_name(G: nx.MultiDiGraph, code: str) -> str:
    """The occupation's name as the standard writes it (its code when unknown)."""
    node = _occ(G, code)
    return str(node.get("name") or code) if node else code


def occupation_text(G: nx.MultiDiGraph, code: str) -> str:
    """Plain text for tables, routes, axes and reports: the name and its version mark."""
    node = _occ(G, code)
    return f"{node.get('name') or code}{version_mark(node)}" if node else code


def occupation_option(G: nx.MultiDiGraph, code: str) -> str:
    """A picker option: name, version mark and the code in brackets (so typing a code
    still finds it)."""
    node = _occ(G, code)
    return option_text(str(node.get("name") or code), version_mark(node), code) if node else code


def option_text(name: str, mark: str, code: str) -> str:
    """The picker text of an occupation from its parts (see :func:`occupation_option`)."""
    return f"{name}{mark}（{code}）"


def occupation_md(G: nx.MultiDiGraph, code: str, *, bold: bool = False) -> str:
    """Markdown: the name (inert), then the code small and grey."""
    name = md(occupation_text(G, code))
    return f"{'**' + name + '**' if bold else name} {code_md(code)}"


def code_md(code: str) -> str:
    """A code shown small and grey in Markdown (empty for an empty code).

    >>> code_md("T1.1")
    ':gray[:small[T1\\\\.1]]'
    """
    return f":gray[:small[{md(code)}]]" if code else ""


def codes_text(G: nx.MultiDiGraph, codes: Iterable[str]) -> str:
    """Occupations as a 、-joined list of names."""
    return "、".join(occupation_text(G, c) for c in codes)


def route_text(G: nx.MultiDiGraph, codes: Iterable[str]) -> str:
    """A route as names joined by arrows."""
    return ARROW.join(occupation_text(G, c) for c in codes)


def item_text(G: nx.MultiDiGraph, item_id: str) -> str:
    """An item's display name (the id's name part when the node is missing)."""
    node = G.nodes.get(item_id)
    return str(node.get("name", "")) if node else item_id.split(":", 1)[-1]


def item_option(G: nx.MultiDiGraph, item_id: str) -> str:
    """A picker option for an item: its name and, in brackets, its kind in Chinese."""
    node = G.nodes.get(item_id)
    kind = zh(str(node.get("kind", ""))) if node else ""
    return f"{item_text(G, item_id)}（{kind}）" if kind else item_text(G, item_id)


def task_text(G: nx.MultiDiGraph, standard: str, code: str) -> str:
    """A task of a standard: its name, then its code in brackets (the code alone when the
    task is not in ``G``)."""
    node = G.nodes.get(f"task:{standard}/{code}")
    name = str(node.get("name", "")) if node else ""
    return f"{name}（{code}）" if name else code


def tasks_text(G: nx.MultiDiGraph, standard: str, codes: Iterable[str]) -> str:
    """Tasks of one standard as a 、-joined list (see :func:`task_text`); 整體要求 when none:
    an attitude, or an item the standard requires without naming a task."""
    shown = [task_text(G, standard, c) for c in codes if c]
    return "、".join(shown) if shown else "（整體要求）"


def kind_text(kind: str) -> str:
    """A kind (label, record word or group key) in Chinese."""
    return zh(kind)


def file_stem(text: str) -> str:
    """``text`` usable as a file name: characters file systems refuse become ＿.

    >>> file_stem('轉職計畫_A/B:"C"')
    '轉職計畫_A＿B＿＿C＿'
    """
    return "".join("＿" if ch in '\\/:*?"<>|' or ord(ch) < 32 else ch for ch in text)
