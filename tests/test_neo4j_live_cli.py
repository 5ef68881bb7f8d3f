"""``icapgraph neo4j push|query`` (the real command, in a subprocess) against the live server:
``--replace`` deletes only this product's labels, and the one-line errors for a wrong
password and an unknown database. (A stopped server: ``test_neo4j_live_import.py``.)

The password reaches the CLI through ``NEO4J_PASSWORD`` only, as the README says.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import graphs
import networkx as nx
import pytest
from neo4j_server.plugin import LiveNeo4j, icapgraph

from cypher.neo4j import push

pytestmark = pytest.mark.neo4j
STANDARDS = str(Path(__file__).resolve().parent.parent / "data" / "standards")


@pytest.fixture(scope="module")
def seeds() -> nx.MultiDiGraph:
    return graphs.seeds()


def clean_env() -> dict[str, str]:
    """The environment without any NEO4J_* variable of the person running the tests."""
    return {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}


def test_replace_deletes_only_this_products_labels(
    neo4j_live: LiveNeo4j, seeds: nx.MultiDiGraph
) -> None:
    neo4j_live.load(seeds)
    # Someone else's data in the same database, and a node of ours the seeds no longer have.
    neo4j_live.write("CREATE (:Customer {name: '甲'})-[:KNOWS {since: 2020}]->"
                     "(:Customer {name: '乙'})")
    neo4j_live.write("CREATE (:Skill {id: 'skill:過時技能', name: '過時技能', kind: 'Skill'})")
    env = {**clean_env(), **neo4j_live.env()}

    stale = icapgraph("--data", STANDARDS, "neo4j", "push", env=env)
    assert stale.returncode == 1
    assert stale.stderr.splitlines()[-1] == (
        "icapgraph: error: counts on Neo4j differ from the local graph for Skill "
        "(stale data from an earlier push? re-run with --replace)")

    done = icapgraph("--data", STANDARDS, "--json", "neo4j", "push", "--replace", env=env)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] is True
    assert report["deleted"] == seeds.number_of_nodes() + 1  # every node of ours, the stale one too
    assert neo4j_live.counts() == push.local_counts(seeds)
    others = neo4j_live.read("MATCH (a:Customer)-[k:KNOWS]->(b:Customer) "
                             "RETURN a.name AS a, k.since AS since, b.name AS b")
    assert others == [{"a": "甲", "since": 2020, "b": "乙"}]
    assert neo4j_live.read("MATCH (s:Skill {id: 'skill:過時技能'}) RETURN s") == []
    assert neo4j_live.totals() == (seeds.number_of_nodes() + 2, seeds.number_of_edges() + 1)
    assert neo4j_live.password not in done.stdout + done.stderr
    neo4j_live.forget()


def test_query_runs_a_named_query_on_the_server(
    neo4j_live: LiveNeo4j, seeds: nx.MultiDiGraph
) -> None:
    neo4j_live.load(seeds)
    env = {**clean_env(), **neo4j_live.env()}
    done = icapgraph("--json", "neo4j", "query", "hubs", "--param", "top=1", env=env)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    # 溝通協調能力: a skill of four of the five seed standards (see test_named_cypher.py).
    assert out["engine"] == "neo4j"
    assert [(r["name"], r["occupations"]) for r in out["rows"]] == [("溝通協調能力", 4)]
    # An array parameter, as the README writes it: IDC3339-001v2.txt and IDC5294-001v2.txt
    # both list 合約締結知識, 網路安全與法規 and 溝通協調能力.
    done = icapgraph("--json", "neo4j", "query", "overlap",
                     "--param", "codes=IDC3339-001v2,IDC5294-001v2", env=env)
    assert done.returncode == 0, done.stderr
    names = {r["name"] for r in json.loads(done.stdout)["rows"]}
    assert {"合約締結知識", "網路安全與法規", "溝通協調能力"} <= names


@pytest.fixture(scope="module")
def other_user(neo4j_live: LiveNeo4j) -> str:
    """A second user, so that failed logins cannot lock out ``neo4j`` (Neo4j blocks a user
    for a few seconds after three failures)."""
    neo4j_live.driver.execute_query(
        "CREATE USER analyst IF NOT EXISTS SET PASSWORD $pw CHANGE NOT REQUIRED",
        pw="analyst-" + neo4j_live.password, database_="system")
    return "analyst"


@pytest.mark.parametrize("action", [["push"], ["query", "hubs"]], ids=["push", "query"])
def test_a_wrong_password_is_one_line(
    neo4j_live: LiveNeo4j, other_user: str, action: list[str]
) -> None:
    wrong = "not-the-password-1"
    env = {**clean_env(), "NEO4J_URI": neo4j_live.uri, "NEO4J_USER": other_user,
           "NEO4J_PASSWORD": wrong}
    done = icapgraph("--data", STANDARDS, "neo4j", *action, env=env)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"icapgraph: error: Neo4j at {neo4j_live.uri} refused the credentials of user "
        f"'{other_user}' (wrong password? it is read from NEO4J_PASSWORD or the prompt)"]
    assert wrong not in done.stderr + done.stdout


@pytest.mark.parametrize("action", [["push"], ["query", "hubs"]], ids=["push", "query"])
def test_an_unknown_database_is_one_line(neo4j_live: LiveNeo4j, action: list[str]) -> None:
    # Community has the databases neo4j and system only.
    env = {**clean_env(), **neo4j_live.env()}
    done = icapgraph("--data", STANDARDS, "neo4j", *action, "--database", "analytics", env=env)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"icapgraph: error: database 'analytics' does not exist on the Neo4j server at "
        f"{neo4j_live.uri}"]

