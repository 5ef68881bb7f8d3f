"""Benchmark: the 908-standard corpus going out to Neo4j in batches of 1,000 rows.

Prints what the push would send (statements, batches, rows, bytes of JSON-serialised
parameters: a dry run, no server) and how long the same statements take replayed
on the embedded engine, plus the cypher-shell script and neo4j-admin export sizes.

With ``--live`` it also starts the test suite's Neo4j 5.26 (tests/neo4j_server: needs
Java 17+ and Maven) and times, on that real server: the push into an empty database
right after the server started (cold JVM), the same push again into the emptied
database (warm), a re-push over the same data (idempotent MERGE), and every named
query warm, beside the embedded engine's time for the same query, in one run
(budgets: push <= 60 s, each named query <= 50 ms warm).

    .venv/bin/python benchmarks/bench_neo4j.py [CORPUS_DIR] [--batch-size N] [--live]
        [--quick-jit] [--repeat N] [--warmup N]

The server compiles with the JVM's full (C2) compiler, as a production server does;
``--quick-jit`` runs it as the test suite does (C1 only: quicker to start and to warm up,
slower once warm). ``--warmup N`` runs each named query N times before timing it (default 30):
the budget is for a warm server, and with C2 a 40 ms query is still being compiled over its
first 20-30 runs (on the corpus, hubs took 80 -> 60 -> 40 ms over runs 5-25 of a fresh
server), so fewer warm-up runs time the JIT's warm-up instead of the steady state a
long-running server is in. ``--warmup 3`` gives the figures of a server just started.
The corpus defaults to ../shared/icap-corpus; without it the seed standards are used.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cypher import write as cypher  # noqa: E402
from cypher.embedded.engine import CypherEngine  # noqa: E402
from cypher.embedded.load import index_statements  # noqa: E402
from cypher.neo4j.admin import write_neo4j_admin  # noqa: E402
from cypher.neo4j.push import dry_run_plan, local_counts  # noqa: E402
from graph.build import build_graph  # noqa: E402
from graph.model import Kind, Rel  # noqa: E402
from loaders.corpus import load_corpus  # noqa: E402

NAMED_BUDGET_MS = 50.0
PUSH_BUDGET_S = 60.0


def named_cases(G: Any) -> list[tuple[str, dict[str, Any]]]:
    """One case per named query with a Cypher text, on occupations that all require
    溝通協調能力 (so that overlap and gap have rows), else on the first occupations."""
    from queries.registry import NAMED_QUERIES

    codes = sorted(d["code"] for _, d in G.nodes(data=True)
                   if d.get("kind") == "Occupation" and d.get("latest", True))
    users = sorted({G.nodes[t].get("standard") for t, _, k in G.in_edges(
        "skill:溝通協調能力", keys=True) if k == "REQUIRES_SKILL"} & set(codes))
    a, b = (users[0], users[-1]) if len(users) > 1 else (codes[0], codes[-1])
    examples: dict[str, Any] = {"codes": [a, b], "source": a, "target": b, "occupation": a,
                                "item": "溝通協調能力", "text": "溝通", "top": 20}
    return [(name, {p.name: examples.get(p.name, p.default) for p in q.parameters})
            for name, q in NAMED_QUERIES.items() if q.cypher]


def timed_ms(fn: Any, repeat: int, warmup: int = 3) -> float:
    """Median wall time of ``fn()`` in ms over ``repeat`` runs, after ``warmup`` runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def live(G: Any, batch_size: int, full_jit: bool, repeat: int, warmup: int = 3) -> bool:
    """The live part: pushes and named queries on a real Neo4j; True when within budget."""
    sys.path.insert(0, str(ROOT / "tests"))
    from neo4j_server.server import FULL_JIT, QUICK_JIT, Neo4jProcess, ServerUnavailable

    from cypher.neo4j import connect as conn
    from cypher.neo4j import push
    from queries.registry import NAMED_QUERIES

    try:
        server = Neo4jProcess.start(jit=FULL_JIT if full_jit else QUICK_JIT)
    except ServerUnavailable as exc:
        print(f"live: no Neo4j test server: {exc}", file=sys.stderr)
        return False
    ok = True
    with server:
        print(f"live: Neo4j 5.26 test server ({'C2' if full_jit else 'C1-only'} JIT) "
              f"started in {server.started_in:.1f} s")
        driver = conn.connect(server.uri, server.user, server.password)
        try:
            def run_push() -> tuple[float, Any]:
                t0 = time.perf_counter()
                report = push.push_graph(G, driver, database="neo4j", batch_size=batch_size)
                return time.perf_counter() - t0, report

            def wipe() -> float:
                t0 = time.perf_counter()
                with driver.session(database="neo4j") as session:
                    session.run("MATCH (n) CALL (n) { DETACH DELETE n } "
                                "IN TRANSACTIONS OF 10000 ROWS").consume()
                return time.perf_counter() - t0

            cold, report = run_push()
            t_wipe = wipe()
            warm, _ = run_push()
            again, report2 = run_push()
            rows = report.rows
            ok &= not report.mismatches and not report2.mismatches
            print(f"live push, {rows:,} rows in {report.batches} batches of {batch_size}: "
                  f"cold {cold:.1f} s ({rows / cold:,.0f} rows/s), warm into an emptied "
                  f"database {warm:.1f} s, re-push over the same data {again:.1f} s "
                  f"(wipe {t_wipe:.1f} s); counts equal the graph: {not report.mismatches} "
                  f"(budget {PUSH_BUDGET_S:.0f} s)")
            ok &= max(cold, warm) <= PUSH_BUDGET_S
            print(f"{f'named query (median of {repeat} after {warmup})':<40} "
                  f"{'Neo4j':>9} {'embedded':>9} {'rows':>6}")
            with CypherEngine.from_graph(G) as engine:
                for name, params in named_cases(G):
                    text = str(NAMED_QUERIES[name].cypher)
                    n_rows = len(conn.run_read(driver, text, params, database="neo4j").rows)
                    on_neo4j = timed_ms(
                        lambda t=text, p=params: conn.run_read(driver, t, p, database="neo4j"),
                        repeat, warmup)
                    embedded = timed_ms(lambda t=text, p=params: engine.run(t, p), repeat, warmup)
                    ok &= on_neo4j <= NAMED_BUDGET_MS
                    print(f"  {name:<38} {on_neo4j:7.1f} ms {embedded:6.1f} ms {n_rows:>6}")
        finally:
            driver.close()
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "icap-corpus"))
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--live", action="store_true",
                        help="also push to and query a real Neo4j (the test server)")
    parser.add_argument("--quick-jit", action="store_true",
                        help="run that server with C1 only, as the tests do (default: C2)")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per named query")
    parser.add_argument("--warmup", type=int, default=30,
                        help="untimed runs per named query before the timed ones")
    args = parser.parse_args()
    source = Path(args.corpus)
    if not source.is_dir():
        print(f"{source} is absent; using the seed standards", file=sys.stderr)
        source = ROOT / "data" / "standards"

    t0 = time.perf_counter()
    corpus = load_corpus([str(source)])
    G = build_graph(corpus.standards)
    t_build = time.perf_counter() - t0
    print(f"corpus: {source} — {len(corpus.standards)} standards, "
          f"{G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges "
          f"(load + build {t_build:.1f} s)")

    t0 = time.perf_counter()
    plan = cypher.write_plan(G)
    t_plan = time.perf_counter() - t0
    batches = [b for g in plan for b in g.batches(args.batch_size)]
    sent = sum(len(json.dumps({"rows": list(b)}, ensure_ascii=False).encode("utf-8"))
               for b in batches)
    ddl = len(cypher.schema_statements())
    rows = sum(len(g.rows) for g in plan)
    print(f"push (dry run, batch size {args.batch_size}): {ddl} DDL + {len(plan)} MERGE "
          f"statements, {len(batches)} batches/transactions, {rows:,} rows, "
          f"{sent / 1e6:.2f} MB of JSON parameters (plan built in {t_plan:.2f} s)")
    dry = dry_run_plan(G, args.batch_size)
    dry_bytes = len(json.dumps([p.as_json() for p in dry], ensure_ascii=False).encode("utf-8"))
    print(f"--dry-run --json output: {len(dry)} entries, {dry_bytes / 1e6:.2f} MB")

    with CypherEngine.empty() as engine:
        # The engine's counterpart of the Neo4j id constraints: without an index on id
        # every MERGE scans its label.
        for statement in index_statements(set(Kind)):
            engine.run_write(statement)
        t0 = time.perf_counter()
        for group in plan:
            for batch in group.batches(args.batch_size):
                engine.run_write(group.statement, {"rows": list(batch)})
        t_replay = time.perf_counter() - t0
        t0 = time.perf_counter()
        for group in plan:
            for batch in group.batches(args.batch_size):
                engine.run_write(group.statement, {"rows": list(batch)})
        t_again = time.perf_counter() - t0
        remote = {k.value: engine.run(cypher.count_nodes(k)).rows[0][0] for k in Kind}
        remote |= {r.value: engine.run(cypher.count_rels(r)).rows[0][0] for r in Rel}
    same = remote == local_counts(G)
    print(f"replay on the embedded engine: {t_replay:.1f} s "
          f"({rows / t_replay:,.0f} rows/s); second, idempotent run {t_again:.1f} s; "
          f"counts equal the graph: {same}")

    t0 = time.perf_counter()
    script = cypher.cypher_script(G, args.batch_size)
    t_script = time.perf_counter() - t0
    print(f"cypher-shell script: {script.count(chr(10)) - 1} statements, "
          f"{len(script.encode('utf-8')) / 1e6:.2f} MB ({t_script:.2f} s)")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        out = write_neo4j_admin(G, Path(tmp) / "import")
        t_admin = time.perf_counter() - t0
        size = sum((out.directory / f).stat().st_size for f in out.files)
    print(f"neo4j-admin export: {len(out.files)} files, {size / 1e6:.2f} MB ({t_admin:.2f} s)")
    if args.live and not live(G, args.batch_size, not args.quick_jit, args.repeat, args.warmup):
        return 1
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
