"""Routes a counsellor can explain: each step of a ``queries.paths`` route with its
direction (升遷 / 平行 / 降階) and what it costs in words (需補強 N 項, 約 X 個任務); a
route is *recommended* only when it is no costlier than the direct move, and a route
that goes up and later back down is set aside unless asked for. Pure functions.

>>> from queries.sample import sample_graph
>>> from queries.paths import paths
>>> G = sample_graph()
>>> views = evaluate(G, paths(G, "AAA1111-001v2", "CCC3333-001v1", k=2))
>>> [(v.direct, v.recommended) for v in views]
[(True, True), (False, False)]
>>> views[0].steps[0].direction
'upward'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from app_pages.naming import occupation_text
from queries.occupations import profile
from queries.transitions import direction

#: How a step's direction is written in a route.
STEP_MARK = {"upward": "↑升遷", "lateral": "平行", "downward": "↓降階"}


@dataclass(frozen=True, slots=True)
class StepView:
    source: str
    target: str
    direction: str
    learn: tuple[str, ...]
    tasks: int

    @property
    def words(self) -> str:
        """The step's cost in words.

        >>> StepView("A", "B", "lateral", ("x", "y"), 3).words
        '需補強 2 項，約 3 個任務'
        """
        if not self.learn:
            return "不需補強新項目"
        return f"需補強 {len(self.learn)} 項，約 {self.tasks} 個任務"


@dataclass(frozen=True, slots=True)
class RouteView:
    cost: float
    steps: tuple[StepView, ...]
    recommended: bool
    bounces: bool

    @property
    def direct(self) -> bool:
        return len(self.steps) == 1

    @property
    def learn(self) -> int:
        """Distinct items to learn over the whole route."""
        return len({x for s in self.steps for x in s.learn})

    @property
    def tasks(self) -> int:
        return sum(s.tasks for s in self.steps)

    @property
    def words(self) -> str:
        return (f"共需補強 {self.learn} 項，約 {self.tasks} 個任務"
                if self.learn else "不需補強新項目")

    def line(self, G: nx.MultiDiGraph) -> str:
        """``A →（↑升遷）B →（平行）C`` with names."""
        if not self.steps:
            return ""
        parts = [occupation_text(G, self.steps[0].source)]
        for s in self.steps:
            parts.append(f"（{STEP_MARK.get(s.direction, s.direction)}）"
                         f"{occupation_text(G, s.target)}")
        return " → ".join(parts)


def bounces(directions: Sequence[str]) -> bool:
    """Whether a route goes up and later back down.

    >>> bounces(["upward", "lateral", "downward"]), bounces(["downward", "upward"])
    (True, False)
    """
    seen_up = False
    for d in directions:
        if d == "upward":
            seen_up = True
        elif d == "downward" and seen_up:
            return True
    return False


def _tasks(G: nx.MultiDiGraph, target: str, learn: Iterable[Mapping[str, Any]]) -> int:
    uses = profile(G, target).uses
    return len({t for x in learn for t in (uses[x["id"]].tasks if x.get("id") in uses else ())})


def evaluate(G: nx.MultiDiGraph, result: Mapping[str, Any]) -> list[RouteView]:
    """Every route of a ``queries.paths.paths`` result as a :class:`RouteView`, cheapest
    first. Recommended: no costlier than the direct move (every route, when the direct
    move is not among them: ``paths`` then found them all cheaper)."""
    views = []
    for route in result.get("paths", []):
        steps = tuple(
            StepView(str(s["from"]), str(s["to"]),
                     direction(profile(G, str(s["from"])), profile(G, str(s["to"]))),
                     tuple(str(x["name"]) for x in s["learn"]),
                     _tasks(G, str(s["to"]), s["learn"]))
            for s in route["steps"])
        views.append((float(route["cost"]), steps))
    direct = next((cost for cost, steps in views if len(steps) == 1), None)
    return [RouteView(cost, steps, direct is None or cost <= direct + 1e-9,
                      bounces([s.direction for s in steps]))
            for cost, steps in views]


def shown(views: Sequence[RouteView], *, with_bounces: bool = False) -> list[RouteView]:
    """The routes to list: those going up and back down only when asked for."""
    return [v for v in views if with_bounces or not v.bounces]
