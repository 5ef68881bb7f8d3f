"""``icapgraph export neo4j-admin`` through the real ``neo4j-admin database import full``.

The command written to the export's ``README.txt`` is run as it stands (without the word
``neo4j-admin``) by the Neo4j 5.26 of ``tests/neo4j_server`` (its ``neo4j-import-tool`` and
``neo4j-command-line`` come from Maven Central with the harness), into a fresh home; a
second test server then serves that database, and what it holds is compared with the
networkx graph. Uses the 905-standard corpus when present, else the five seeds.

The last test stops that server and checks the CLI's one line for a stopped server.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import graphs
import neo4j
import networkx as nx
import pytest
from neo4j_server.plugin import DATABASE, icapgraph, start_server
from neo4j_server.server import Neo4jProcess
from neo4j_server.snapshot import NODES, RELS, expected_snapshot

from cypher.embedded.engine import CypherEngine
from cypher.neo4j import connect as conn
from cypher.neo4j import push
from queries.registry import NAMED_QUERIES

pytestmark = pytest.mark.neo4j
ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "icap-corpus"
SOURCE = CORPUS if CORPUS.is_dir() else ROOT / "data" / "standards"


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return graphs.corpus(str(SOURCE)) if SOURCE == CORPUS else graphs.seeds()


@pytest.fixture(scope="module")
def export_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("admin") / "import"
    done = icapgraph("--data", str(SOURCE), "export", "neo4j-admin", "-o", str(out))
    assert done.returncode == 0, done.stderr
    return out


def readme_command(export_dir: Path) -> list[str]:
    """The arguments of the ``neo4j-admin`` line of README.txt."""
    lines = (export_dir / "README.txt").read_text(encoding="utf-8").splitlines()
    line = next(ln.strip() for ln in lines if ln.strip().startswith("neo4j-admin "))
    return shlex.split(line)[1:]


@pytest.fixture(scope="module")
def imported(export_dir: Path) -> Iterator[Neo4jProcess]:
    server = start_server(readme_command(export_dir), cwd=export_dir)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def driver(imported: Neo4jProcess) -> Iterator[neo4j.Driver]:
    d = conn.connect(imported.uri, imported.user, imported.password)
    try:
        yield d
    finally:
        d.close()


def read(driver: neo4j.Driver, query: str, **params: Any) -> list[dict[str, Any]]:
    return list(conn.run_read(driver, query, params, database=DATABASE).rows)


def test_the_readme_command_names_every_file_and_the_database(export_dir: Path) -> None:
    args = readme_command(export_dir)
    assert args[:4] == ["database", "import", "full", "neo4j"]
    files = {p.name for p in export_dir.glob("*.csv")}
    named = {a.split("=", 1)[1] for a in args if a.startswith(("--nodes=", "--relationships="))}
    assert named == files


def test_imported_counts_equal_the_graphs(driver: neo4j.Driver, graph: nx.MultiDiGraph) -> None:
    assert push.read_counts(driver, DATABASE) == push.local_counts(graph)
    totals = read(driver, "CALL () { MATCH (n) RETURN count(n) AS nodes } "
                  "CALL () { MATCH ()-[r]->() RETURN count(r) AS rels } RETURN nodes, rels")
    assert (totals[0]["nodes"], totals[0]["rels"]) == (graph.number_of_nodes(),
                                                       graph.number_of_edges())


def test_imported_properties_equal_the_graphs(
    driver: neo4j.Driver, graph: nx.MultiDiGraph
) -> None:
    """Every node's labels and properties, every relationship's properties: the importer
    read the typed columns (``level:int``, ``latest:boolean``, ``score:float``) back right."""
    nodes, rels = expected_snapshot(graph)
    assert read(driver, NODES) == nodes
    assert read(driver, RELS) == rels


def test_named_queries_on_the_imported_database_equal_the_embedded_engine(
    driver: neo4j.Driver, graph: nx.MultiDiGraph
) -> None:
    hub = read(driver, str(NAMED_QUERIES["hubs"].cypher), top=1)[0]
    code = read(driver, "MATCH (o:Occupation) RETURN o.code AS code ORDER BY code LIMIT 1")[0]
    cases = [("hubs", {"top": 30}), ("requirements", {"occupation": code["code"]}),
             ("occupations_using", {"item": hub["name"]}), ("search", {"text": "溝通"})]
    with CypherEngine.from_graph(graph) as engine:
        for name, params in cases:
            text = str(NAMED_QUERIES[name].cypher)
            result = engine.run(text, params)
            embedded = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
            assert read(driver, text, **params) == embedded, name


def test_a_stopped_server_is_one_line(imported: Neo4jProcess) -> None:
    """Runs last here: it stops this module's server."""
    uri, env = imported.uri, {"NEO4J_PASSWORD": imported.password}
    imported.stop()
    for action in (["push"], ["query", "hubs"]):
        done = icapgraph("--data", str(ROOT / "data" / "standards"), "neo4j", *action,
                         "--uri", uri, env={**_base_env(), **env})
        assert done.returncode == 1
        assert done.stderr.splitlines() == [
            f"icapgraph: error: cannot reach a Neo4j server at {uri} within 5 s (connection "
            "refused, host unreachable or unknown name; is the server running?)"]
        assert imported.password not in done.stderr + done.stdout


def _base_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
