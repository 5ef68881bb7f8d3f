"""Benchmark the embedded Cypher engine: warm start, 2-hop latency, named queries.

Usage: ``.venv/bin/python benchmarks/bench_engine.py [--synthetic] [--repeat N]``

The graph is the 908-standard corpus (``../shared/icap-corpus``) loaded with
``graph.store.load_graph`` (so that it carries the ``content_key`` engine snapshots are
keyed on) when that corpus and the loaders are present, else a synthetic graph of the
same size following ``graph.model``'s contract. With the graph already built:

* bulk load: server start + bulk load, no snapshot (a graph without ``content_key``);
* cold start: no snapshot yet: server start + bulk load + writing the snapshot;
* warm start: server start from the snapshot + checks (budget: 2 s).

Each named query that Cypher expresses is timed beside D's Python function on the
same input.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import networkx as nx  # noqa: E402

from graph.model import (  # noqa: E402
    REQUIRES,
    Kind,
    Rel,
    item_id,
    occupation_id,
    part_id,
)

CORPUS = ROOT.parent / "shared" / "icap-corpus"


def synthetic_graph(occupations: int = 908, seed: int = 7) -> nx.MultiDiGraph:
    """A graph shaped like the corpus: ~9 tasks per occupation, Zipf-shared items."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    pools = {Kind.KNOWLEDGE: 11000, Kind.SKILL: 9000, Kind.ATTITUDE: 140}

    def pick(kind: Kind) -> str:
        n = int(pools[kind] * rng.random() ** 2.5)  # a few items are used everywhere
        return item_id(kind, f"{kind.value}項目{n}")

    def edge(u: str, v: str, rel: Rel, **attrs: Any) -> None:
        G.add_edge(u, v, key=rel.value, rel=rel.value, **attrs)

    for o in range(occupations):
        code = f"SYN{o:04d}-001v1"
        occ = occupation_id(code)
        G.add_node(occ, kind=Kind.OCCUPATION.value, name=f"職業{o}", code=code, level=3,
                   latest=True, historical=False, description="說明" * 20, path=f"{code}.json")
        for d in range(1, 5):
            duty = part_id(Kind.DUTY, code, f"T{d}")
            G.add_node(duty, kind=Kind.DUTY.value, name=f"職責{d}", code=f"T{d}", standard=code)
            edge(occ, duty, Rel.HAS_DUTY)
            for t in range(1, 3):
                tc = f"T{d}.{t}"
                task = part_id(Kind.TASK, code, tc)
                G.add_node(task, kind=Kind.TASK.value, name=f"任務{tc}", code=tc, standard=code,
                           level=rng.randint(2, 5))
                edge(duty, task, Rel.HAS_TASK)
                for j in range(1, 3):
                    out = part_id(Kind.OUTPUT, code, f"O{d}.{t}.{j}")
                    G.add_node(out, kind=Kind.OUTPUT.value, name="產出", code=f"O{d}.{t}.{j}",
                               standard=code)
                    edge(task, out, Rel.PRODUCES)
                for j in range(1, 4):
                    ind = part_id(Kind.INDICATOR, code, f"P{d}.{t}.{j}")
                    G.add_node(ind, kind=Kind.INDICATOR.value, name="行為指標" * 5,
                               code=f"P{d}.{t}.{j}", standard=code)
                    edge(task, ind, Rel.MEASURED_BY)
                for kind in (Kind.KNOWLEDGE, Kind.SKILL):
                    for j in range(5):
                        item = pick(kind)
                        G.add_node(item, kind=kind.value, name=item.split(":", 1)[1], key=item)
                        edge(task, item, REQUIRES[kind], standard=code, task=tc,
                             local_code=f"{kind.value[0]}{j:02d}", path=f"{code}.json", line=0)
        for j in range(5):
            item = pick(Kind.ATTITUDE)
            G.add_node(item, kind=Kind.ATTITUDE.value, name=item.split(":", 1)[1], key=item)
            edge(occ, item, Rel.REQUIRES_ATTITUDE, standard=code, task="", local_code=f"A{j:02d}",
                 path=f"{code}.json", line=0)
    return G


def corpus_graph() -> nx.MultiDiGraph | None:
    """The corpus graph (from the graph cache when fresh), or None when the corpus or the
    loaders are not there."""
    if not CORPUS.is_dir():
        return None
    try:
        from graph.store import load_graph
    except ImportError as exc:
        print(f"(corpus loaders unavailable: {exc}; using a synthetic graph)")
        return None
    graph: nx.MultiDiGraph = load_graph([str(CORPUS)]).graph
    return graph


def _cpu_seconds(pid: int | None) -> float:
    """User + system CPU seconds a process has used so far (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_starts(
    G: nx.MultiDiGraph, runs: int, before: Callable[[], None], label: str, snapshot: bool
) -> None:
    """Start (and close) an engine on ``G`` ``runs`` times, ``before`` each, and print the
    median wall time with client and server CPU seconds."""
    from cypher.embedded.engine import CypherEngine

    wall, py_cpu, server_cpu = [], [], []
    for _ in range(runs):
        before()
        gc.collect()
        t0, c0 = time.perf_counter(), time.process_time()
        engine = CypherEngine.from_graph(G)
        wall.append(time.perf_counter() - t0)
        py_cpu.append(time.process_time() - c0)
        server_cpu.append(_cpu_seconds(engine.pid))
        if engine.started_from_snapshot != snapshot:
            print(f"  ! {label}: expected started_from_snapshot={snapshot}")
        engine.close()
    # Wall time depends on what else runs on the machine; CPU seconds do not. The
    # client encodes while the server inserts, so on two idle cores wall ≈ the larger.
    print(f"{label}: median {statistics.median(wall):.2f} s wall (min {min(wall):.2f}, "
          f"max {max(wall):.2f}, {runs} runs); CPU client {statistics.median(py_cpu):.2f} s, "
          f"server {statistics.median(server_cpu):.2f} s; load average {os.getloadavg()[0]:.2f}")


def median_ms(fn: Callable[[], Any], repeat: int) -> float:
    """Median wall time of ``fn`` in milliseconds (after one warm-up call)."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def named_inputs(G: nx.MultiDiGraph) -> dict[str, tuple[dict[str, Any], Callable[[], Any] | None]]:
    """Parameters for each named Cypher query and D's Python function on the same input."""
    occs = sorted(d["code"] for _, d in G.nodes(data=True) if d.get("kind") == "Occupation")
    a, b = occs[0], occs[1]
    hub = max((n for n, d in G.nodes(data=True) if d.get("kind") == "Skill"), key=G.in_degree)
    out: dict[str, tuple[dict[str, Any], Callable[[], Any] | None]] = {
        "search": ({"text": "溝通"}, None),
        "occupations_using": ({"item": G.nodes[hub]["name"]}, None),
    }
    try:
        from queries.communities import hubs
        from queries.gap import gap
        from queries.occupations import requirements
        from queries.overlap import overlap
    except ImportError as exc:
        print(f"(python queries unavailable: {exc})")
        return out
    out["overlap"] = ({"codes": [a, b]}, lambda: overlap(G, [a, b]))
    out["gap"] = ({"source": a, "target": b}, lambda: gap(G, a, b))
    out["hubs"] = ({"top": 20}, lambda: hubs(G, top=20))
    out["requirements"] = ({"occupation": a}, lambda: requirements(G, a))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", action="store_true", help="skip the corpus")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--starts", type=int, default=3, help="engine starts per kind")
    args = parser.parse_args()

    from cypher.embedded.engine import CypherEngine
    from cypher.embedded.server import start_server
    from cypher.embedded.snapshot import Snapshot

    G = None if args.synthetic else corpus_graph()
    label = "corpus"
    if G is None:
        G, label = synthetic_graph(), "synthetic"
        G.graph["content_key"] = "synthetic-908-7"  # stands in for load_graph's input key
    print(f"graph ({label}): {G.number_of_nodes()} nodes, {G.number_of_edges()} edges")

    starts = []
    for _ in range(3):
        t0 = time.perf_counter()
        start_server().stop()
        starts.append((time.perf_counter() - t0) * 1000)
    print(f"server start+stop: median {statistics.median(starts):.0f} ms")

    slot = Snapshot.of(G)
    assert slot is not None  # G carries a content_key
    key = G.graph.pop("content_key")
    time_starts(G, args.starts, lambda: None, "bulk load (no snapshot)", snapshot=False)
    G.graph["content_key"] = key
    time_starts(G, args.starts, slot.discard, "cold start (bulk load + save snapshot)", False)
    print(f"  snapshot: {slot.path} ({slot.path.stat().st_size / 1e6:.1f} MB)")
    time_starts(G, args.starts * 2, lambda: None, "warm start (from snapshot; budget 2 s)", True)

    with CypherEngine.from_graph(G) as engine:
        occ = next(d["code"] for _, d in G.nodes(data=True) if d.get("kind") == "Occupation")
        two_hop = ("MATCH (:Occupation {code: $c})-[:HAS_DUTY]->(:Duty)-[:HAS_TASK]->(t:Task) "
                   "RETURN t.code")
        ms = median_ms(lambda: engine.run(two_hop, {"c": occ}), args.repeat * 4)
        print(f"2-hop (occupation → duties → tasks): median {ms:.3f} ms")
        hop_items = ("MATCH (:Occupation {code: $c})-[:HAS_DUTY]->()-[:HAS_TASK]->()"
                     "-[:REQUIRES_SKILL]->(s) RETURN DISTINCT s.name")
        ms = median_ms(lambda: engine.run(hop_items, {"c": occ}), args.repeat * 4)
        print(f"3-hop (occupation → skills): median {ms:.3f} ms")

        print(f"{'named query':<20}{'cypher ms':>12}{'python ms':>12}{'rows':>8}")
        for name, (params, python) in named_inputs(G).items():
            text = (ROOT / "cypher" / "named" / f"{name}.cypher").read_text(encoding="utf-8")
            rows = len(engine.run(text, params).rows)
            cy = median_ms(partial(engine.run, text, params), args.repeat)
            py = f"{median_ms(python, args.repeat):12.3f}" if python else f"{'-':>12}"
            print(f"{name:<20}{cy:12.3f}{py}{rows:8d}")
        rewrite_overhead(engine, occ, args.repeat)
    if label == "corpus":
        bounded_query()
    return 0


def rewrite_overhead(engine: Any, occ: str, repeat: int) -> None:
    """What the console's rewrites cost: the rewrite alone, and a query run through the
    console (rewritten) beside the same text sent to the engine as written."""
    from cypher.embedded.rewrite import rewrite

    three_hop = ("MATCH (o:Occupation)-[:HAS_DUTY]->()-[:HAS_TASK]->()"
                 "-[:REQUIRES_SKILL]->(s:Skill) WHERE o.code = $c RETURN count(*)")
    overlap = (ROOT / "cypher" / "named" / "overlap.cypher").read_text("utf-8")
    # name: (console text, the text sent to the engine as written — for EXISTS {}, which the
    # engine lacks, the pattern predicate an analyst would write for it)
    shapes = {
        "3-hop count(*)": (three_hop, three_hop),
        "EXISTS {}": ("MATCH (s:Skill) WHERE EXISTS { (s)<-[:REQUIRES_SKILL]-(:Task) } "
                      "RETURN count(s)",
                      "MATCH (s:Skill) WHERE (s)<-[:REQUIRES_SKILL]-(:Task) RETURN count(s)"),
        "named overlap": (overlap, overlap),
    }
    params = {"c": occ, "codes": [occ, occ]}
    for name, (text, written) in shapes.items():
        us = median_ms(partial(rewrite, text), repeat) * 1000
        console = median_ms(partial(engine.run, text, params), repeat)
        raw = median_ms(partial(engine._execute, "GRAPH.RO_QUERY", written, params, 10.0), repeat)
        print(f"{name:<20}{us:12.1f}{console:12.3f}{raw:12.3f}")


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def bounded_query() -> None:
    """The 5,000,000-row query of issue 16 through ``icapgraph cypher`` (budget: 60 s,
    1.5 GB peak for the CLI and its engine server together)."""
    import subprocess

    query = "MATCH (a:Indicator), (b:Indicator) RETURN a.name, b.name LIMIT 5000000"
    cli = [str(ROOT / ".venv" / "bin" / "icapgraph"), "--data", str(CORPUS), "cypher", query]
    import tempfile

    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cli, stdout=out, stderr=err, text=True)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.05)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        last = (out.read().strip().splitlines() or [err.read().strip()])[-1]
    print(f"5,000,000-row query via the CLI: {wall:.1f} s wall, peak {peak / 1e6:.0f} MB "
          f"(CLI + engine; budget 60 s, 1,500 MB), exit {proc.returncode}: {last}")


if __name__ == "__main__":
    sys.exit(main())
