"""Against a real Neo4j 5 server, only when ``NEO4J_URI`` is set:

    NEO4J_URI=bolt://localhost:7687 NEO4J_PASSWORD=… [NEO4J_USER=neo4j] [NEO4J_DATABASE=…] \\
        .venv/bin/pytest tests/test_neo4j_live.py

It replaces this product's labels in that database (other labels are left alone).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import neo4j
import networkx as nx
import pytest

from cypher.neo4j import connect as conn
from cypher.neo4j import push
from graph.build import build_graph
from loaders.text import parse_standard_text

URI = os.environ.get("NEO4J_URI", "")
pytestmark = pytest.mark.skipif(not URI, reason="NEO4J_URI is not set (no Neo4j server to test)")
DATABASE = os.environ.get("NEO4J_DATABASE") or None
#: Example parameters for the named queries on the seed graph.
EXAMPLES = {"source": "IDC3339-001v2", "target": "IDC5294-001v2", "occupation": "IDC3339-001v2",
            "codes": ["KMC2431-001v4", "KMC2431-009v2"], "text": "網紅", "item": "溝通協調能力"}


@pytest.fixture(scope="module")
def seed(standards_dir: Path) -> nx.MultiDiGraph:
    paths = sorted(standards_dir.glob("*.txt"))
    return build_graph([parse_standard_text(p.read_text(encoding="utf-8"), str(p)) for p in paths])


@pytest.fixture(scope="module")
def driver() -> Iterator[neo4j.Driver]:
    d = conn.connect(URI, os.environ.get("NEO4J_USER", "neo4j"),
                     os.environ.get("NEO4J_PASSWORD", ""))
    yield d
    d.close()


def test_push_twice_counts_equal(seed: nx.MultiDiGraph, driver: neo4j.Driver) -> None:
    first = push.push_graph(seed, driver, database=DATABASE, replace=True, uri=URI)
    assert not first.mismatches, push.format_checks(first.mismatches)
    second = push.push_graph(seed, driver, database=DATABASE, batch_size=37, uri=URI)
    assert not second.mismatches
    assert [c.remote for c in second.counts] == [c.remote for c in first.counts]


def test_each_named_query_returns_rows(seed: nx.MultiDiGraph, driver: neo4j.Driver) -> None:
    from queries.registry import NAMED_QUERIES

    push.push_graph(seed, driver, database=DATABASE, uri=URI)
    for query in NAMED_QUERIES.values():
        if not query.cypher:
            continue
        params = {p.name: EXAMPLES.get(p.name, p.default) for p in query.parameters}
        result = conn.run_read(driver, query.cypher, params, database=DATABASE, uri=URI)
        assert result.rows, f"{query.name} returned no rows on Neo4j with {params}"
