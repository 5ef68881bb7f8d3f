"""paths: k cheapest connected routes whose costs add up; no route; corpus sanity."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from graphs import corpus, sample, seeds

from graph.model import Kind, occupation_id
from loaders.errors import QueryError
from queries.paths import STEP_COST, paths
from queries.sample import sample_graph
from queries.transitions import transitions

A, B, C = "AAA1111-001v2", "BBB2222-001v2", "CCC3333-001v1"


def _check(result: dict[str, Any], source: str, target: str) -> None:
    costs = [p["cost"] for p in result["paths"]]
    assert costs == sorted(costs)
    for route in result["paths"]:
        steps = route["steps"]
        assert steps[0]["from"] == source and steps[-1]["to"] == target
        for before, after in pairwise(steps):
            assert before["to"] == after["from"]
        assert route["cost"] == pytest.approx(sum(s["cost"] for s in steps), abs=1e-9)
        visited = [s["from"] for s in steps] + [target]
        assert len(set(visited)) == len(visited)


def test_sample_direct_and_via_routes() -> None:
    r = paths(sample(), A, C, k=3)
    _check(r, A, C)
    assert [[s["to"] for s in p["steps"]] for p in r["paths"]] == [[C], [B, C]]
    direct = r["paths"][0]["steps"][0]
    score = next(t["score"] for t in transitions(sample(), A)["targets"] if t["code"] == C)
    assert direct["cost"] == pytest.approx(STEP_COST + 1 - score, abs=1e-4)
    assert [e["name"] for e in direct["learn"]] == ["市場調查概念", "數位平台應用能力", "彈性"]


def test_no_route_gives_empty_paths() -> None:
    G = sample_graph()
    lonely = occupation_id("ZZZ9999-001v1")
    G.add_node(lonely, kind=Kind.OCCUPATION.value, name="孤島", code="ZZZ9999-001v1", level=3,
               latest=True, historical=False)
    assert paths(G, A, "ZZZ9999-001v1")["paths"] == []


def test_same_and_bad_k() -> None:
    with pytest.raises(QueryError, match="same occupation"):
        paths(sample(), A, A)
    with pytest.raises(QueryError):
        paths(sample(), A, B, k=0)


def test_seed_paths_are_connected() -> None:
    r = paths(seeds(), "IDC3339-001v2", "KMC2431-008v1", k=3)
    assert len(r["paths"]) == 3
    _check(r, "IDC3339-001v2", "KMC2431-008v1")


@pytest.mark.corpus
def test_corpus_paths_connected_and_costs_add_up(corpus_dir: Path) -> None:
    G = corpus(str(corpus_dir))
    current = sorted(n for n, d in G.nodes(data=True)
                     if d.get("kind") == Kind.OCCUPATION.value and d.get("latest")
                     and not d.get("historical"))
    pairs = [(current[i], current[-1 - i]) for i in range(0, 200, 20)]
    found = 0
    for a, b in pairs:
        sa, sb = G.nodes[a]["code"], G.nodes[b]["code"]
        r = paths(G, sa, sb, k=3)
        _check(r, sa, sb)
        found += bool(r["paths"])
        for route in r["paths"]:
            for step in route["steps"]:
                assert G.nodes[occupation_id(step["to"])]["latest"] or step["to"] == sb
    assert found > 0
    assert nx.__version__
