"""Benchmark: the 908-standard corpus going out to Neo4j in batches of 1,000 rows.

Prints what the push would send (statements, batches, rows, bytes of JSON-serialised
parameters: a dry run, no server) and how long the same statements take replayed
on the embedded engine, plus the cypher-shell script and neo4j-admin export sizes.

    .venv/bin/python benchmarks/bench_neo4j.py [CORPUS_DIR] [--batch-size N]

The corpus defaults to ../shared/icap-corpus; without it the seed standards are used.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "icap-corpus"))
    parser.add_argument("--batch-size", type=int, default=1000)
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
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
