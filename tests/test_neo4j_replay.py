"""A real Cypher engine runs the push's own statements: replay them on the embedded engine.

The DDL (constraints, the full-text index) is Neo4j-only and left out; every
UNWIND/MERGE statement runs unchanged, with the same parameters the push sends.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from cypher import write as cypher
from cypher.embedded.engine import CypherEngine
from cypher.neo4j.push import local_counts
from graph.build import build_graph
from graph.model import Kind, Rel
from loaders.text import parse_standard_text

TRICKY = "名稱 'single' \"double\" back\\slash\nnew line\ttab \\' end"


@pytest.fixture(scope="module")
def seed(standards_dir: Path) -> nx.MultiDiGraph:
    paths = sorted(standards_dir.glob("*.txt"))
    return build_graph([parse_standard_text(p.read_text(encoding="utf-8"), str(p)) for p in paths])


@pytest.fixture
def engine() -> Iterator[CypherEngine]:
    with CypherEngine.empty() as e:
        yield e


def tricky_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_node("occupation:Q-001v1", kind="Occupation", name=TRICKY, code="Q-001v1", level=3)
    G.add_node("skill:" + TRICKY, kind="Skill", name=TRICKY)
    G.add_edge("occupation:Q-001v1", "skill:" + TRICKY, key="REQUIRES_SKILL",
               rel="REQUIRES_SKILL", standard="Q-001v1", path="C:\\x\\'y'.txt", line=7)
    return G


def replay(engine: CypherEngine, G: nx.MultiDiGraph, batch_size: int) -> None:
    for group in cypher.write_plan(G):
        for batch in group.batches(batch_size):
            engine.run_write(group.statement, {"rows": list(batch)})


def engine_counts(engine: CypherEngine) -> dict[str, int]:
    out = {}
    for kind in Kind:
        out[kind.value] = engine.run(cypher.count_nodes(kind)).rows[0][0]
    for rel in Rel:
        out[rel.value] = engine.run(cypher.count_rels(rel)).rows[0][0]
    return out


def test_replayed_push_gives_the_graphs_counts(seed: nx.MultiDiGraph, engine: CypherEngine) -> None:
    replay(engine, seed, batch_size=100)
    counts = engine_counts(engine)
    assert counts == local_counts(seed)
    assert counts["Occupation"] == 5  # the five seed files


def test_replaying_twice_changes_nothing(seed: nx.MultiDiGraph, engine: CypherEngine) -> None:
    replay(engine, seed, batch_size=1000)
    first = engine_counts(engine)
    replay(engine, seed, batch_size=37)
    assert engine_counts(engine) == first == local_counts(seed)


def test_replayed_properties_match_the_graph(seed: nx.MultiDiGraph, engine: CypherEngine) -> None:
    replay(engine, seed, batch_size=1000)
    rows = engine.run(
        "MATCH (o:Occupation {id: $id})-[:HAS_DUTY]->(d:Duty) RETURN o.name, o.level, d.name "
        "ORDER BY d.code", {"id": "occupation:IDC3339-001v2"}
    ).rows
    # IDC3339-001v2.txt: 網紅經紀人, 基準級別 4; duty T2 reads 執行網 紅經紀活 動 (PDF spaces).
    assert rows[0][:2] == ["網紅經紀人", 4]
    assert "執行網紅經紀活動" in [r[2] for r in rows]


def test_tricky_names_round_trip_through_parameters(engine: CypherEngine) -> None:
    G = tricky_graph()
    replay(engine, G, batch_size=1)
    assert engine.run("MATCH (n:Skill) RETURN n.name, n.id").rows == [[TRICKY, "skill:" + TRICKY]]
    assert engine.run("MATCH ()-[r:REQUIRES_SKILL]->() RETURN r.path").rows == [["C:\\x\\'y'.txt"]]


def test_the_cypher_script_replays_to_the_same_graph(engine: CypherEngine) -> None:
    G = tricky_graph()
    script = cypher.cypher_script(G, batch_size=1)
    ddl = set(cypher.schema_statements())
    for line in script.splitlines():
        if line.startswith("//") or line.rstrip(";") in ddl:
            continue
        engine.run_write(line.rstrip(";"))
    assert engine_counts(engine) == local_counts(G)
    assert engine.run("MATCH (n:Occupation) RETURN n.name").rows == [[TRICKY]]
    assert engine.run("MATCH ()-[r]->() RETURN r.path").rows == [["C:\\x\\'y'.txt"]]


def test_seed_script_replays_to_the_seed_counts(
    seed: nx.MultiDiGraph, engine: CypherEngine
) -> None:
    ddl = set(cypher.schema_statements())
    for statement in cypher.script_statements(seed, batch_size=200):
        if statement not in ddl:
            engine.run_write(statement)
    assert engine_counts(engine) == local_counts(seed)


def test_replace_deletes_only_this_products_labels(
    seed: nx.MultiDiGraph, engine: CypherEngine
) -> None:
    replay(engine, seed, batch_size=1000)
    engine.run_write("CREATE (:AnalystNote {text: 'mine'})-[:ABOUT]->(:AnalystNote {text: 'x'})")
    for kind in Kind:
        while engine.run_write(cypher.delete_batch(kind), {"limit": 50}).rows[0][0]:
            pass
    assert all(n == 0 for n in engine_counts(engine).values())
    assert engine.run("MATCH (n:AnalystNote) RETURN count(n)").rows == [[2]]


#: Example parameters for the named queries on the seed graph (codes are the file names).
EXAMPLES = {"source": "IDC3339-001v2", "target": "IDC5294-001v2", "occupation": "IDC3339-001v2",
            "codes": ["KMC2431-001v4", "KMC2431-009v2"], "text": "網紅", "item": "溝通協調能力"}


def test_named_queries_read_pushed_data_as_they_read_the_graph(
    seed: nx.MultiDiGraph, engine: CypherEngine
) -> None:
    from queries.registry import NAMED_QUERIES

    replay(engine, seed, batch_size=1000)
    with CypherEngine.from_graph(seed) as reference:
        for query in NAMED_QUERIES.values():
            if not query.cypher:
                continue
            params = {p.name: EXAMPLES.get(p.name, p.default) for p in query.parameters}
            pushed = engine.run(query.cypher, params)
            loaded = reference.run(query.cypher, params)
            assert pushed.rows, f"{query.name} found nothing with {params}"
            assert pushed == loaded, query.name
