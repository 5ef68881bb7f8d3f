"""Each named query's Cypher text (cypher/named/<name>.cypher) returns, on the seeds and
on the embedded engine, the same rows as the Python function of the same name (the part
both express), and the Cypher-only ones agree with a direct reading of the graph."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import permutations
from pathlib import Path
from typing import Any

import graphs
import networkx as nx
import pytest

from cypher.embedded.engine import CypherEngine, CypherResult
from graph.build import build_graph
from graph.model import REQUIRES, Kind, Rel
from loaders.text import parse_standard_text
from queries.communities import hubs
from queries.gap import gap
from queries.occupations import requirements
from queries.overlap import overlap
from queries.registry import NAMED_QUERIES

ROOT = Path(__file__).resolve().parent.parent
CYPHER = ROOT / "cypher" / "named"
SEEDS = ["IDC3339-001v2", "IDC5294-001v2", "KMC2431-001v4", "KMC2431-008v1", "KMC2431-009v2"]


@pytest.fixture(scope="module")
def seeds() -> nx.MultiDiGraph:
    return graphs.seeds()


@pytest.fixture(scope="module")
def engine(seeds: nx.MultiDiGraph) -> Iterator[CypherEngine]:
    with CypherEngine.from_graph(seeds) as e:
        yield e


def named(engine: CypherEngine, name: str, **params: Any) -> list[dict[str, Any]]:
    result: CypherResult = engine.run((CYPHER / f"{name}.cypher").read_text("utf-8"), params)
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def test_every_cypher_file_is_a_registered_named_query_with_its_parameters() -> None:
    for path in CYPHER.glob("*.cypher"):
        query = NAMED_QUERIES[path.stem]
        assert query.cypher is not None and query.cypher.strip() == path.read_text("utf-8").strip()
        text_params = set(re.findall(r"\$([A-Za-z_]\w*)", query.cypher))
        required = {p.name for p in query.parameters if p.required}
        assert required <= text_params <= {p.name for p in query.parameters}, path.name


# -- overlap ----------------------------------------------------------------------------


def test_overlap_of_the_two_influencer_standards_by_hand(engine: CypherEngine) -> None:
    # Issue 4's acceptance example, read from the two source texts.
    names = {r["name"] for r in named(engine, "overlap", codes=SEEDS[:2])}
    assert {"合約締結知識", "網路安全與法規", "溝通協調能力"} <= names
    assert "網紅類型與商業模式" not in names  # only similar to 網紅類型與獲利模式, not the same


@pytest.mark.parametrize(("a", "b"), list(permutations(SEEDS[:3], 2)))
def test_overlap_cypher_equals_pythons_shared_items(
    seeds: nx.MultiDiGraph, engine: CypherEngine, a: str, b: str
) -> None:
    # The Cypher text returns the identity part of the matching model: the same node on
    # both sides (identical or alias-merged), i.e. the covered items of either direction.
    result = overlap(seeds, [a, b])
    same = {e["id"] for entries in result["shared"].values() for e in entries
            if e["match"] in ("identical", "alias")}
    covered = {i["id"] for i in result["directions"][0]["covered"]}
    rows = named(engine, "overlap", codes=[a, b])
    assert [r["id"] for r in rows] and {r["id"] for r in rows} == same == covered


def test_overlap_of_all_five_equals_pythons_common(
    seeds: nx.MultiDiGraph, engine: CypherEngine
) -> None:
    common = overlap(seeds, SEEDS)["common"]
    assert sorted(r["id"] for r in named(engine, "overlap", codes=SEEDS)) == common


# -- gap --------------------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b"), list(permutations(SEEDS, 2)))
def test_gap_cypher_equals_python_in_order(
    seeds: nx.MultiDiGraph, engine: CypherEngine, a: str, b: str
) -> None:
    # The Cypher text returns the identity part of the matching model: everything the
    # target requires that the source does not have as the same node — the Python
    # classification's partly covered and missing items together (the graded partial
    # credit of SIMILAR_TO / INCLUDES is the Python model's), in the Cypher text's order.
    result = gap(seeds, a, b)
    kinds = {"knowledge": 0, "skill": 1, "attitude": 2}
    python = sorted(((m["id"], m["kind"], m["importance"], m["tasks"])
                     for m in result["partly"] + result["missing"]),
                    key=lambda r: (-r[2], kinds[r[1]], seeds.nodes[r[0]]["name"]))
    rows = [(r["id"], r["kind"], r["importance"], r["tasks"])
            for r in named(engine, "gap", source=a, target=b)]
    assert python and rows == python


# -- hubs -------------------------------------------------------------------------------


@pytest.mark.parametrize("top", [1, 10, 50])
def test_hubs_cypher_equals_python(seeds: nx.MultiDiGraph, engine: CypherEngine, top: int) -> None:
    python = [(h["id"], h["kind"], h["occupations"], h["tasks"]) for h in hubs(seeds, top=top)]
    rows = [(r["id"], r["kind"], r["occupations"], r["tasks"])
            for r in named(engine, "hubs", top=top)]
    assert rows == python


def test_the_top_hub_by_hand(engine: CypherEngine) -> None:
    # 溝通協調能力 is a skill of IDC3339-001v2 (S05), IDC5294-001v2 (S13), KMC2431-008v1
    # (S11) and KMC2431-009v2 (S08); KMC2431-001v4 has 媒體企劃溝通協調 (S03) instead.
    top = named(engine, "hubs", top=1)[0]
    assert (top["name"], top["kind"], top["occupations"]) == ("溝通協調能力", "skill", 4)



def test_hubs_counts_a_task_listed_under_two_duties_once() -> None:
    # KMC2431-008v1 with its task T3.1 relabelled T2.1: the loader warns and keeps both, so
    # the one node task:…/T2.1 hangs under duties T2 and T3. 資料分析能力 (S02) is then used
    # by T1.2 and T2.1 (T2.1's own row and the former T3.1's), 數據統計與分析能力 (S03) by
    # T1.2 and the former T3.1, now T2.1: two tasks each, though each T2.1 use has two paths.
    path = ROOT / "data" / "standards" / "KMC2431-008v1.txt"
    text = path.read_text("utf-8").replace("T3.1 分析數據", "T2.1 分析數據")
    G = build_graph([parse_standard_text(text, str(path))])
    with CypherEngine.from_graph(G) as one:
        rows = {r["name"]: (r["occupations"], r["tasks"]) for r in named(one, "hubs", top=100)}
    assert rows["資料分析能力"] == rows["數據統計與分析能力"] == (1, 2)
    python = {h["name"]: (h["occupations"], h["tasks"]) for h in hubs(G, top=100)}
    assert rows == python


# -- requirements -----------------------------------------------------------------------


@pytest.mark.parametrize("code", SEEDS)
def test_requirements_cypher_equals_python(
    seeds: nx.MultiDiGraph, engine: CypherEngine, code: str
) -> None:
    python = [(r["id"], r["kind"], r["name"], r["tasks"]) for r in requirements(seeds, code)]
    rows = [(r["id"], r["kind"], r["name"], r["tasks"])
            for r in named(engine, "requirements", occupation=code)]
    assert python and rows == python


def test_requirements_by_hand(engine: CypherEngine) -> None:
    # IDC3339-001v2.txt lines 19-25: S05 in T1.1, T1.2, T2.1, T2.2; K08 in T1.1 and T2.1.
    rows = {r["name"]: r for r in named(engine, "requirements", occupation="IDC3339-001v2")}
    assert {"T1.1", "T1.2", "T2.1", "T2.2"} <= set(rows["溝通協調能力"]["tasks"])
    assert {"T1.1", "T2.1"} <= set(rows["合約締結知識"]["tasks"])
    assert rows["溝通協調能力"]["kind"] == "skill"


# -- Cypher-only queries ----------------------------------------------------------------


def _users(G: nx.MultiDiGraph, item: str) -> dict[str, list[str]]:
    """Occupation code → sorted task codes using ``item``, read straight off the graph."""
    out: dict[str, set[str]] = {}
    rels = {r.value for r in REQUIRES.values()}
    for u, _, key in G.in_edges(item, keys=True):
        if key not in rels:
            continue
        node = G.nodes[u]
        if node["kind"] == Kind.OCCUPATION:
            out.setdefault(node["code"], set())
        else:
            out.setdefault(node["standard"], set()).add(node["code"])
    return {code: sorted(tasks) for code, tasks in out.items()}


@pytest.mark.parametrize("item", ["skill:溝通協調能力", "knowledge:合約締結知識"])
def test_occupations_using_agrees_with_the_graph(
    seeds: nx.MultiDiGraph, engine: CypherEngine, item: str
) -> None:
    rows = named(engine, "occupations_using", item=seeds.nodes[item]["name"])
    assert {r["code"]: r["tasks"] for r in rows if r["item_id"] == item} == _users(seeds, item)


def test_search_agrees_with_the_graph(seeds: nx.MultiDiGraph, engine: CypherEngine) -> None:
    expected = {n for n, d in seeds.nodes(data=True) if "網紅" in str(d.get("name", ""))}
    rows = named(engine, "search", text="網紅")
    assert {r["id"] for r in rows} == expected
    assert rows[0]["kind"] == "Occupation"  # 網紅經紀人 first
    assert Rel.REQUIRES_SKILL.value not in {r["kind"] for r in rows}
