"""The push, the full-text index and the named queries against a real Neo4j 5.26.

The server is the session's test server (``neo4j_live``, ``tests/neo4j_server/``): it starts
with the first test here, so ``pytest -k 'not neo4j'`` starts no JVM. Without Java or
Maven these tests skip with one line (and fail under ``CI=true``). The CLI's one-line
errors against the same server are in ``test_neo4j_live_cli.py``; ``neo4j-admin`` import in
``test_neo4j_live_import.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import permutations
from pathlib import Path
from typing import Any

import graphs
import networkx as nx
import pytest
from neo4j_server.plugin import LiveNeo4j
from neo4j_server.snapshot import NODES, RELS, Rows, expected_snapshot

from cypher.embedded.engine import CypherEngine
from cypher.neo4j import push
from queries.communities import hubs
from queries.gap import gap
from queries.occupations import requirements
from queries.overlap import overlap
from queries.registry import NAMED_QUERIES

pytestmark = pytest.mark.neo4j

SEEDS = ["IDC3339-001v2", "IDC5294-001v2", "KMC2431-001v4", "KMC2431-008v1", "KMC2431-009v2"]
Case = tuple[str, dict[str, Any]]

#: (named query, parameters) run on both engines over the seeds; every named query with a
#: Cypher text must appear here (test_every_named_query_has_a_live_case).
SEED_CASES: list[Case] = [
    *(("overlap", {"codes": [a, b]}) for a, b in permutations(SEEDS[:3], 2)),
    # All five share nothing (KMC2431-001v4 has 媒體企劃溝通協調, not 溝通協調能力); these four
    # share 溝通協調能力 and 應對不確定性.
    ("overlap", {"codes": [SEEDS[0], SEEDS[1], SEEDS[3], SEEDS[4]]}),
    *(("gap", {"source": a, "target": b}) for a, b in permutations(SEEDS, 2)),
    *(("hubs", {"top": top}) for top in (1, 10, 50)),
    *(("requirements", {"occupation": code}) for code in SEEDS),
    ("occupations_using", {"item": "溝通協調能力"}),
    ("occupations_using", {"item": "合約締結知識"}),
    ("search", {"text": "網紅"}),
    ("search", {"text": "法"}),
]


def case_id(case: Case) -> str:
    name, params = case
    return f"{name}-" + "-".join(str(v) if not isinstance(v, list) else "+".join(v)
                                 for v in params.values())


# --- what the Python functions say -------------------------------------------------------

def _overlap(G: nx.MultiDiGraph, p: dict[str, Any], rows: list[dict[str, Any]]) -> tuple[Any, Any]:
    if len(p["codes"]) == 2:
        shared = overlap(G, p["codes"])["shared"]
        # The Cypher text is the identity part of the matching model (tests/test_named_cypher.py).
        same = {e["id"] for es in shared.values() for e in es
                if e["match"] in ("identical", "alias")}
        return sorted(same), sorted(r["id"] for r in rows)
    # The Cypher text orders by kind and name, the Python function by id.
    return sorted(overlap(G, p["codes"])["common"]), sorted(r["id"] for r in rows)


def _gap(G: nx.MultiDiGraph, p: dict[str, Any], rows: list[dict[str, Any]]) -> tuple[Any, Any]:
    # The Cypher text returns what the source lacks as the same node: the classification's
    # partly covered and missing items together, in the Cypher text's order.
    result = gap(G, p["source"], p["target"])
    kinds = {"knowledge": 0, "skill": 1, "attitude": 2}
    python = sorted(((m["id"], m["kind"], m["importance"], m["tasks"])
                     for m in result["partly"] + result["missing"]),
                    key=lambda r: (-r[2], kinds[r[1]], G.nodes[r[0]]["name"]))
    return python, [(r["id"], r["kind"], r["importance"], r["tasks"]) for r in rows]


def _hubs(G: nx.MultiDiGraph, p: dict[str, Any], rows: list[dict[str, Any]]) -> tuple[Any, Any]:
    python = [(h["id"], h["kind"], h["occupations"], h["tasks"]) for h in hubs(G, top=p["top"])]
    return python, [(r["id"], r["kind"], r["occupations"], r["tasks"]) for r in rows]


def _requirements(
    G: nx.MultiDiGraph, p: dict[str, Any], rows: list[dict[str, Any]]
) -> tuple[Any, Any]:
    python = [(r["id"], r["kind"], r["name"], r["tasks"])
              for r in requirements(G, p["occupation"])]
    return python, [(r["id"], r["kind"], r["name"], r["tasks"]) for r in rows]


#: Named query -> (Python's answer, the same projection of the Cypher rows).
PYTHON: dict[str, Callable[[nx.MultiDiGraph, dict[str, Any], list[dict[str, Any]]],
                           tuple[Any, Any]]] = {
    "overlap": _overlap, "gap": _gap, "hubs": _hubs, "requirements": _requirements,
}


def embedded_rows(engine: CypherEngine, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    result = engine.run(str(NAMED_QUERIES[name].cypher), params)
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def check_named(live: LiveNeo4j, engine: CypherEngine, G: nx.MultiDiGraph, case: Case) -> None:
    """Neo4j's rows equal the embedded engine's, in order, and agree with the Python function."""
    name, params = case
    on_neo4j = live.read(str(NAMED_QUERIES[name].cypher), **params)
    assert on_neo4j, f"{name} {params}: no rows on Neo4j"
    assert on_neo4j == embedded_rows(engine, name, params), f"{name} {params}"
    if name in PYTHON:
        python, cypher = PYTHON[name](G, params, on_neo4j)
        assert cypher == python, f"{name} {params}"


# --- the seeds ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seeds() -> nx.MultiDiGraph:
    return graphs.seeds()


@pytest.fixture(scope="module")
def seed_engine(seeds: nx.MultiDiGraph) -> Iterator[CypherEngine]:
    with CypherEngine.from_graph(seeds) as engine:
        yield engine


def snapshot(live: LiveNeo4j) -> tuple[Rows, Rows]:
    return live.read(NODES), live.read(RELS)


def test_load_pushes_a_small_graph_once_until_something_is_written(
    neo4j_live: LiveNeo4j,
) -> None:
    G = nx.MultiDiGraph()
    G.add_node("occupation:X-001v1", kind="Occupation", name="網紅經紀人", code="X-001v1")
    G.add_node("skill:溝通協調能力", kind="Skill", name="溝通協調能力")
    G.add_edge("occupation:X-001v1", "skill:溝通協調能力", key="REQUIRES_SKILL",
               rel="REQUIRES_SKILL")
    assert neo4j_live.load(G) is not None
    assert neo4j_live.load(G) is None  # already there
    assert neo4j_live.totals() == (2, 1)
    neo4j_live.write("CREATE (:Note {text: '另一筆資料'})")
    assert neo4j_live.load(G) is not None  # written since: pushed again, the note gone
    assert neo4j_live.totals() == (2, 1)
    assert neo4j_live.read(NODES) == expected_snapshot(G)[0]


def test_seed_push_holds_exactly_the_graph_and_a_second_push_changes_nothing(
    neo4j_live: LiveNeo4j, seeds: nx.MultiDiGraph
) -> None:
    neo4j_live.forget()
    first = neo4j_live.load(seeds)
    assert first is not None and not first.mismatches
    expected = expected_snapshot(seeds)
    before = snapshot(neo4j_live)
    assert before == expected
    second = push.push_graph(seeds, neo4j_live.driver, database=neo4j_live.database,
                             batch_size=37, uri=neo4j_live.uri)
    assert not second.mismatches and second.deleted == 0
    assert snapshot(neo4j_live) == before


def test_seed_counts_read_back_equal_the_graphs(
    neo4j_live: LiveNeo4j, seeds: nx.MultiDiGraph
) -> None:
    neo4j_live.load(seeds)
    assert neo4j_live.counts() == push.local_counts(seeds)
    assert neo4j_live.totals() == (seeds.number_of_nodes(), seeds.number_of_edges())
    # By hand from data/standards: five standards, one Occupation node each.
    assert neo4j_live.counts()["Occupation"] == 5


def fulltext(live: LiveNeo4j, query: str) -> list[dict[str, Any]]:
    return live.read("CALL db.index.fulltext.queryNodes('icap_names', $q) YIELD node, score "
                     "RETURN node.id AS id, node.name AS name, score ORDER BY score DESC, id",
                     q=query)


def names_containing(G: nx.MultiDiGraph, text: str) -> set[str]:
    return {n for n, d in G.nodes(data=True) if text in str(d.get("name", ""))}


def test_the_cjk_fulltext_index_finds_chinese_phrases_in_the_seeds(
    neo4j_live: LiveNeo4j, seeds: nx.MultiDiGraph
) -> None:
    neo4j_live.load(seeds)
    # 溝通協調能力 is a skill of four seed standards, 媒體企劃溝通協調 one of KMC2431-001v4 (S03).
    hits = fulltext(neo4j_live, '"溝通協調"')
    assert {"skill:溝通協調能力", "skill:媒體企劃溝通協調"} <= {h["id"] for h in hits}
    assert {h["id"] for h in hits} == names_containing(seeds, "溝通協調")
    # 個人資料保護法 is knowledge of IDC3339-001v2 and IDC5294-001v2.
    top = fulltext(neo4j_live, '"個人資料保護法"')
    assert top and top[0]["name"] == "個人資料保護法"
    assert {h["id"] for h in top} == names_containing(seeds, "個人資料保護法")


def test_every_named_query_has_a_live_case() -> None:
    with_text = {name for name, q in NAMED_QUERIES.items() if q.cypher}
    assert with_text == {name for name, _ in SEED_CASES}


@pytest.mark.parametrize("case", SEED_CASES, ids=case_id)
def test_named_query_on_neo4j_equals_the_embedded_engine_and_python_on_the_seeds(
    neo4j_live: LiveNeo4j, seeds: nx.MultiDiGraph, seed_engine: CypherEngine, case: Case
) -> None:
    neo4j_live.load(seeds)
    check_named(neo4j_live, seed_engine, seeds, case)


def test_the_top_hub_on_neo4j_by_hand(neo4j_live: LiveNeo4j, seeds: nx.MultiDiGraph) -> None:
    # 溝通協調能力: IDC3339-001v2 S05, IDC5294-001v2 S13, KMC2431-008v1 S11, KMC2431-009v2 S08.
    neo4j_live.load(seeds)
    top = neo4j_live.read(str(NAMED_QUERIES["hubs"].cypher), top=1)
    assert [(t["name"], t["kind"], t["occupations"]) for t in top] == [("溝通協調能力", "skill", 4)]


# --- the 905-standard corpus ---------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus(corpus_dir: Path) -> nx.MultiDiGraph:
    return graphs.corpus(str(corpus_dir))


@pytest.fixture(scope="module")
def corpus_engine(corpus: nx.MultiDiGraph) -> Iterator[CypherEngine]:
    with CypherEngine.from_graph(corpus) as engine:
        yield engine


def corpus_cases(G: nx.MultiDiGraph) -> list[Case]:
    """Cases over three current occupations that all require 溝通協調能力 (so that every pair
    overlaps), spread through the corpus by code, plus the ones that need no occupation."""
    users = set()
    for task, _, key in G.in_edges("skill:溝通協調能力", keys=True):
        if key == "REQUIRES_SKILL":
            users.add(G.nodes[task].get("standard") or G.nodes[task].get("code"))
    current = {d["code"] for _, d in G.nodes(data=True)
               if d["kind"] == "Occupation" and d.get("latest", True)}
    codes = sorted(users & current)
    picked = [codes[0], codes[len(codes) // 2], codes[-1]]
    return [
        *(("gap", {"source": a, "target": b}) for a, b in permutations(picked, 2)),
        *(("overlap", {"codes": [a, b]}) for a, b in permutations(picked, 2)),
        *(("requirements", {"occupation": code}) for code in picked),
        ("hubs", {"top": 20}),
        ("hubs", {"top": 200}),
        ("occupations_using", {"item": "溝通協調能力"}),
        # More than 100 occupations and items match: the other nodes are never searched.
        ("search", {"text": "溝通"}),
        # 28 matches, 17 of them duties, tasks, outputs and indicators: both searches run.
        ("search", {"text": "網紅"}),
    ]


@pytest.mark.corpus
def test_corpus_push_twice_counts_equal_the_graphs(
    neo4j_live: LiveNeo4j, corpus: nx.MultiDiGraph
) -> None:
    neo4j_live.load(corpus)
    expected = push.local_counts(corpus)
    assert neo4j_live.counts() == expected
    assert neo4j_live.totals() == (corpus.number_of_nodes(), corpus.number_of_edges())
    again = push.push_graph(corpus, neo4j_live.driver, database=neo4j_live.database,
                            batch_size=5000, uri=neo4j_live.uri)
    assert not again.mismatches
    assert neo4j_live.counts() == expected
    assert neo4j_live.totals() == (corpus.number_of_nodes(), corpus.number_of_edges())


@pytest.mark.corpus
def test_the_cjk_fulltext_index_finds_chinese_phrases_in_the_corpus(
    neo4j_live: LiveNeo4j, corpus: nx.MultiDiGraph
) -> None:
    neo4j_live.load(corpus)
    hits = fulltext(neo4j_live, '"溝通協調"')
    assert "skill:溝通協調能力" in {h["id"] for h in hits}
    assert {h["id"] for h in hits} == names_containing(corpus, "溝通協調")
    top = fulltext(neo4j_live, '"個人資料保護法"')
    assert top[0]["id"] == "knowledge:個人資料保護法"
    assert {h["id"] for h in top} == names_containing(corpus, "個人資料保護法")


@pytest.mark.corpus
def test_named_queries_on_neo4j_equal_the_embedded_engine_and_python_on_the_corpus(
    neo4j_live: LiveNeo4j, corpus: nx.MultiDiGraph, corpus_engine: CypherEngine
) -> None:
    neo4j_live.load(corpus)
    cases = corpus_cases(corpus)
    assert {name for name, _ in cases} == {name for name, _ in SEED_CASES}
    for case in cases:
        check_named(neo4j_live, corpus_engine, corpus, case)
