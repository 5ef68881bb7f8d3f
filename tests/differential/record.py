"""Record the differential corpus's answers from a real Neo4j 5.26 (run by hand, not by pytest).

    .venv/bin/python tests/differential/record.py [--corpus]

Starts the test Neo4j of ``tests/neo4j_server`` (Maven Central's ``neo4j-harness``, Bolt on
127.0.0.1), pushes the seed graph (and with ``--corpus`` the 905-standard corpus) with the
product's own push, runs every query of ``queries.cypher`` in a read transaction and writes
``expected-neo4j.json``: the Neo4j version and, per query, its text, parameters, columns
and rows. The test then needs no Java; ``test_cypher_differential.py``'s live test re-checks
the recordings against Neo4j whenever the ``neo4j_live`` fixture is there.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from differential.corpus import EXPECTED, cases, fingerprint  # noqa: E402


def neo4j_answers(driver: Any, graph: str, database: str = "neo4j",
                  only: str | None = None) -> dict[str, Any]:
    """Every case of ``graph`` (or just case ``only``) run on the server behind ``driver``
    (the graph already loaded)."""
    out: dict[str, Any] = {}
    for case in cases():
        if case.graph != graph or (only is not None and case.name != only):
            continue
        import neo4j

        entry: dict[str, Any] = {"query": case.query, "params": case.params}
        try:
            with driver.session(database=database, default_access_mode="READ") as session:
                result = session.run(case.query, case.params)
                columns = list(result.keys())
                entry |= {"columns": columns,
                          "rows": [[record[c] for c in columns] for record in result]}
        except neo4j.exceptions.Neo4jError as exc:  # Neo4j refuses it too: keep its code
            entry["error"] = exc.code
        out[case.name] = entry
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", action="store_true", help="also record the corpus queries")
    ap.add_argument("--neo4j-tests", type=Path, default=ROOT / "tests",
                    help="folder holding the neo4j_server package (default: tests/)")
    args = ap.parse_args()
    sys.path.insert(0, str(args.neo4j_tests))
    import neo4j
    from neo4j_server.server import Neo4jProcess

    from cypher.neo4j import push
    from graph.store import load_graph

    server = Neo4jProcess.start()
    try:
        driver = neo4j.GraphDatabase.driver(server.uri, auth=(server.user, server.password))
        version = driver.get_server_info().agent
        answers: dict[str, Any] = {}
        prints: dict[str, list[int]] = {}
        graphs = [("seeds", ROOT / "data" / "standards")]
        if args.corpus:
            graphs.append(("corpus", ROOT.parent / "shared" / "icap-corpus"))
        for name, folder in graphs:
            with driver.session(database="neo4j") as session:
                session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS").consume()
            G = load_graph([str(folder)]).graph
            push.push_graph(G, driver, database="neo4j", uri=server.uri)
            answers.update(neo4j_answers(driver, name))
            prints[name] = fingerprint(G)
        driver.close()
    finally:
        server.stop()
    previous = json.loads(EXPECTED.read_text("utf-8")) if EXPECTED.exists() else {}
    kept = {k: v for k, v in previous.get("queries", {}).items() if k not in answers}
    graphs_seen = {**previous.get("graphs", {}), **prints}
    data = {"neo4j_version": version, "graphs": graphs_seen, "queries": {**kept, **answers}}
    EXPECTED.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                        encoding="utf-8")
    print(f"recorded {len(answers)} answers from {version} into {EXPECTED}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
