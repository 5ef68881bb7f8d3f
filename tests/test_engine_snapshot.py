"""Engine snapshots: written after a bulk load, reused on the next start with the same
key, never trusted when corrupt, truncated, for another graph or writable by others."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from cypher.embedded import engine as engine_module
from cypher.embedded import load as engine_load
from cypher.embedded import server as engine_falkor
from cypher.embedded import snapshot as engine_snapshot
from cypher.embedded import snapshot_file
from cypher.embedded.engine import CypherEngine
from cypher.embedded.snapshot import KEEP_SNAPSHOTS, Snapshot, edge_count, node_order, prune
from graph.store import load_graph

ROOT = Path(__file__).resolve().parent.parent
RELS = "MATCH (a)-[r]->(b) RETURN a.id, type(r), b.id, r ORDER BY a.id, type(r), b.id LIMIT 50"


def _children() -> set[int]:
    """Live processes whose parent is this test process (the engines' watchdogs)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> nx.MultiDiGraph:
    folder = tmp_path_factory.mktemp("graph-cache")
    G = load_graph([str(ROOT / "data" / "standards")], cache_dir=folder).graph
    assert isinstance(G.graph.get("content_key"), str)  # set by load_graph
    return G


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private cache folder per test, and a check that no server outlives the test."""
    monkeypatch.setenv("ICAPGRAPH_CACHE", str(tmp_path))
    before = _children()
    yield tmp_path
    deadline = time.monotonic() + 5
    while _children() - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _children() - before == set(), "a server process was left behind"


@pytest.fixture
def bulk_loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts bulk loads (one entry per call of engine_load.load)."""
    calls: list[int] = []
    real = engine_load.load

    def counting(G: nx.MultiDiGraph, *args: Any, **kwargs: Any) -> dict[int, str]:
        calls.append(G.number_of_nodes())
        return real(G, *args, **kwargs)

    monkeypatch.setattr(engine_load, "load", counting)
    return calls


@pytest.fixture
def starts(monkeypatch: pytest.MonkeyPatch) -> list[bytes | None]:
    """Records the snapshot each server start is given (None: an empty server)."""
    calls: list[bytes | None] = []
    real = engine_falkor.start_server

    def spy(threads: int = 2, snapshot: bytes | None = None) -> engine_falkor.Server:
        calls.append(snapshot)
        return real(threads, snapshot)

    monkeypatch.setattr(engine_module, "start_server", spy)
    return calls


def _snapshots(folder: Path) -> list[Path]:
    return sorted(folder.glob("engine-*.rdb"))


def _summary(e: CypherEngine) -> tuple[Any, ...]:
    return (
        e.run("MATCH (n) RETURN labels(n)[0], count(n) ORDER BY labels(n)[0]").rows,
        e.run("MATCH ()-[r]->() RETURN type(r), count(r) ORDER BY type(r)").rows,
        e.run(RELS).rows,
        e.run("MATCH p = (:Occupation)-[:HAS_DUTY]->()-[:HAS_TASK]->() RETURN p "
              "ORDER BY p LIMIT 3").rows,
    )


def test_a_snapshot_is_written_then_reused_without_a_bulk_load(
    seeds: nx.MultiDiGraph, cache: Path, bulk_loads: list[int]
) -> None:
    with CypherEngine.from_graph(seeds) as cold:
        assert not cold.started_from_snapshot
        expected = _summary(cold)
        workdir = cold._server.workdir if cold._server else None
        assert workdir is not None and not (workdir / "dump.rdb").exists()
    assert bulk_loads == [seeds.number_of_nodes()]
    [snap] = _snapshots(cache)
    assert snap.stat().st_mode & 0o777 == 0o600
    with CypherEngine.from_graph(seeds) as warm:
        assert warm.started_from_snapshot
        assert bulk_loads == [seeds.number_of_nodes()]  # no second bulk load
        assert _summary(warm) == expected  # relationship ends map to the same node ids
        # The indexes came back too: an id lookup is an index scan.
        plan = warm._client(None).connection.command(
            "GRAPH.EXPLAIN", "icapgraph", "MATCH (n:Occupation {code: 'x'}) RETURN n"
        )
        assert isinstance(plan, list) and any("Index Scan" in str(step) for step in plan)
    assert _snapshots(cache) == [snap]


def _indexed(engine: CypherEngine) -> list[tuple[str, str]]:
    """(label, property) of every index the engine's server holds, sorted."""
    rows = engine.run("CALL db.indexes() YIELD label, properties RETURN label, properties").rows
    return sorted((str(label), str(p)) for label, props in rows for p in props)


def test_the_snapshot_keeps_occupation_indexes_and_an_engine_adds_the_id_ones(
    seeds: nx.MultiDiGraph, cache: Path, bulk_loads: list[int]
) -> None:
    """The seeds have every kind: Occupation's id and code indexes are in the snapshot
    (the named queries look occupations up by code); a lasting engine builds the other
    labels' id indexes after it starts, a one-shot engine (``icapgraph cypher``) does not,
    and both answer the same."""
    kinds = sorted({str(d["kind"]) for _n, d in seeds.nodes(data=True)})
    every = sorted([("Occupation", "code"), *((k, "id") for k in kinds)])
    query = ("MATCH (s:Skill)<-[:REQUIRES_SKILL]-(t:Task) WHERE s.id STARTS WITH 'skill:溝' "
             "RETURN s.id, t.id ORDER BY s.id, t.id")
    with CypherEngine.from_graph(seeds) as cold:  # bulk load, then the snapshot
        assert _indexed(cold) == every
        expected = cold.run(query).rows
    [snap] = _snapshots(cache)
    with CypherEngine.from_graph(seeds, one_shot=True) as once:
        assert once.started_from_snapshot
        assert _indexed(once) == [("Occupation", "code"), ("Occupation", "id")]
        assert once.run(query).rows == expected and expected
    with CypherEngine.from_graph(seeds) as lasting:
        assert lasting.started_from_snapshot and _indexed(lasting) == every
        assert lasting.run(query).rows == expected
    assert _snapshots(cache) == [snap] and bulk_loads == [seeds.number_of_nodes()]


def test_a_snapshot_server_keeps_persistence_off_and_users_read_only(
    seeds: nx.MultiDiGraph, cache: Path
) -> None:
    CypherEngine.from_graph(seeds).close()
    with CypherEngine.from_graph(seeds) as e:
        assert e.started_from_snapshot
        connection = e._client(None).connection
        assert connection.command("CONFIG", "GET", "save") == ["save", ""]
        assert connection.command("CONFIG", "GET", "appendonly") == ["appendonly", "no"]
        assert connection.command("CONFIG", "GET", "port") == ["port", "0"]
        workdir = e._server.workdir if e._server else None
        assert workdir is not None and workdir.stat().st_mode & 0o777 == 0o700
        with pytest.raises(Exception, match="read-only"):
            e.run("MATCH (n) DETACH DELETE n")
        with pytest.raises(Exception, match="read-only"):
            e.run("MATCH (n) SET n.x = 1 RETURN n", timeout=5)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "flipped", "empty", "no digest"])
def test_a_damaged_snapshot_falls_back_to_a_bulk_load_and_is_rewritten(
    seeds: nx.MultiDiGraph, cache: Path, bulk_loads: list[int], starts: list[bytes | None],
    damage: str,
) -> None:  # fmt: skip
    CypherEngine.from_graph(seeds).close()
    [snap] = _snapshots(cache)
    data = snap.read_bytes()
    middle = len(data) // 2
    if damage == "garbage":
        data = b"REDIS0012" + os.urandom(len(data) - 9)
    elif damage == "truncated":
        data = data[:middle]
    elif damage == "flipped":
        data = data[:middle] + bytes([data[middle] ^ 0x40]) + data[middle + 1 :]
    elif damage == "empty":
        data = b""
    else:
        data = data[: -len(snapshot_file.TRAILER) - 32]  # a bare RDB file
    snap.write_bytes(data)
    del starts[:]
    with CypherEngine.from_graph(seeds) as e:
        assert not e.started_from_snapshot
        assert e.run("MATCH (n) RETURN count(n)").rows == [[seeds.number_of_nodes()]]
        assert e.run("MATCH ()-[r]->() RETURN count(r)").rows == [[seeds.number_of_edges()]]
    assert starts == [None]  # the damage was seen before any server parsed the file
    assert len(bulk_loads) == 2
    assert snap.read_bytes() != data  # rewritten by the bulk load
    with CypherEngine.from_graph(seeds) as again:
        assert again.started_from_snapshot
    assert len(bulk_loads) == 2


def test_a_snapshot_the_server_refuses_falls_back_to_a_bulk_load(
    seeds: nx.MultiDiGraph, cache: Path, bulk_loads: list[int], starts: list[bytes | None]
) -> None:
    CypherEngine.from_graph(seeds).close()
    [snap] = _snapshots(cache)
    slot = Snapshot.of(seeds)
    assert slot is not None
    rdb = slot.read()
    assert rdb is not None
    for bad in (rdb[: len(rdb) // 2], rdb[:100] + bytes([rdb[100] ^ 0x40]) + rdb[101:]):
        # Damaged RDB data under a matching digest: only the server can tell.
        snap.write_bytes(bad + snapshot_file.TRAILER + hashlib.sha256(bad).digest())
        started = time.monotonic()
        del starts[:]
        with CypherEngine.from_graph(seeds) as e:
            assert not e.started_from_snapshot
            assert e.run("MATCH ()-[r]->() RETURN count(r)").rows == [[seeds.number_of_edges()]]
        assert starts == [bad, None]  # the server was given the file, refused it
        assert time.monotonic() - started < 8  # the dead server is noticed, not waited for
    assert len(bulk_loads) == 3
    assert slot.read() is not None


def test_a_valid_snapshot_of_another_graph_is_not_trusted(
    seeds: nx.MultiDiGraph, cache: Path, bulk_loads: list[int]
) -> None:
    small = nx.MultiDiGraph(content_key="other")
    small.add_node("skill:x", kind="Skill", name="x")
    CypherEngine.from_graph(small).close()
    slot = Snapshot.of(seeds)
    assert slot is not None and not slot.path.exists()
    [other] = _snapshots(cache)
    shutil.copyfile(other, slot.path)  # a well-formed file in the wrong slot
    with CypherEngine.from_graph(seeds) as e:
        assert not e.started_from_snapshot
        assert e.run("MATCH (n) RETURN count(n)").rows == [[seeds.number_of_nodes()]]
    assert len(bulk_loads) == 2
    assert Snapshot.of(seeds) == slot and slot.find() is not None  # rewritten


def test_another_content_key_or_version_does_not_reuse_the_snapshot(
    seeds: nx.MultiDiGraph, cache: Path, bulk_loads: list[int]
) -> None:
    CypherEngine.from_graph(seeds).close()
    other = seeds.copy()
    other.graph["content_key"] = "another-input-set"
    with CypherEngine.from_graph(other) as e:
        assert not e.started_from_snapshot
    bumped = seeds.copy()
    bumped.graph["version"] = bumped.graph.get("version", 0) + 1
    with CypherEngine.from_graph(bumped) as e:
        assert not e.started_from_snapshot
    assert len(bulk_loads) == 3
    assert len(_snapshots(cache)) == 3


def test_a_graph_without_content_key_is_never_snapshotted(
    seeds: nx.MultiDiGraph, cache: Path, bulk_loads: list[int]
) -> None:
    G = seeds.copy()
    del G.graph["content_key"]
    assert Snapshot.of(G) is None
    for _ in range(2):
        with CypherEngine.from_graph(G) as e:
            assert not e.started_from_snapshot
    assert len(bulk_loads) == 2
    assert list(cache.iterdir()) == []


def test_a_snapshot_others_can_write_is_ignored(seeds: nx.MultiDiGraph, cache: Path) -> None:
    CypherEngine.from_graph(seeds).close()
    [snap] = _snapshots(cache)
    snap.chmod(0o666)
    with CypherEngine.from_graph(seeds) as e:
        assert not e.started_from_snapshot
    assert snap.stat().st_mode & 0o777 == 0o600  # replaced by a private one
    with CypherEngine.from_graph(seeds) as e:
        assert e.started_from_snapshot
    link = cache / "elsewhere.rdb"
    snap.rename(link)
    snap.symlink_to(link)  # a link is not followed either
    assert Snapshot.of(seeds) is not None and Snapshot.of(seeds).find() is None  # type: ignore[union-attr]


def test_a_restart_after_a_stuck_query_uses_the_snapshot(seeds: nx.MultiDiGraph) -> None:
    CypherEngine.from_graph(seeds).close()
    with CypherEngine.from_graph(seeds) as e:
        old = e.pid
        e._recover()  # what a timed-out or crashed query does
        assert e.pid != old and e.started_from_snapshot
        assert e.run("MATCH (n) RETURN count(n)").rows == [[seeds.number_of_nodes()]]


def test_an_unwritable_cache_folder_only_costs_the_snapshot(
    seeds: nx.MultiDiGraph, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = cache / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("ICAPGRAPH_CACHE", str(blocker / "cache"))
    with CypherEngine.from_graph(seeds) as e:
        assert e.run("MATCH (n) RETURN count(n)").rows == [[seeds.number_of_nodes()]]


def test_only_the_newest_snapshots_are_kept(cache: Path) -> None:
    paths = []
    for i in range(KEEP_SNAPSHOTS + 3):
        path = cache / f"engine-{i:040d}.rdb"
        path.write_bytes(b"x")
        os.utime(path, (1000 + i, 1000 + i))
        paths.append(path)
    stale_tmp = cache / ".engine-abc.tmp"
    stale_tmp.write_bytes(b"x")
    os.utime(stale_tmp, (1000, 1000))
    fresh_tmp = cache / ".engine-def.tmp"
    fresh_tmp.write_bytes(b"x")  # maybe another process writing right now
    prune(cache, keep=paths[0])
    kept = {paths[0], *paths[-(KEEP_SNAPSHOTS - 1) :]}
    assert set(_snapshots(cache)) == kept
    assert not stale_tmp.exists() and fresh_tmp.exists()


def test_node_order_and_edge_count_are_the_bulk_loads(seeds: nx.MultiDiGraph) -> None:
    plan = engine_load.plan(seeds)
    assert node_order(seeds) == plan.node_ids
    assert edge_count(seeds) == plan.relationships == seeds.number_of_edges()


def test_the_key_covers_the_engine_build(
    seeds: nx.MultiDiGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Snapshot.of(seeds)
    monkeypatch.setattr(engine_snapshot, "engine_build", lambda: "another build")
    second = Snapshot.of(seeds)
    assert first is not None and second is not None and first.path != second.path


_COUNT = "MATCH (o:Occupation) RETURN count(o) AS n"


def _cli_count(data: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    from cli.main import main

    assert main(["--data", str(data), "cypher", _COUNT]) == 0
    return capsys.readouterr().out.splitlines()


@pytest.fixture
def launches(monkeypatch: pytest.MonkeyPatch) -> list[Path | None]:
    """Records the snapshot file of each server ``icapgraph cypher`` starts before reading
    the graph (cypher/embedded/prestart.py)."""
    from cypher.embedded import prestart

    calls: list[Path | None] = []
    real = prestart.launch

    def spy(threads: int = 2, snapshot: bytes | None = None,
            origin: Path | None = None) -> engine_falkor.Server:  # fmt: skip
        calls.append(origin)
        return real(threads, snapshot, origin)

    monkeypatch.setattr(prestart, "launch", spy)
    return calls


def test_the_cli_starts_the_last_snapshot_early_and_the_engine_adopts_it(
    cache: Path, bulk_loads: list[int], starts: list[bytes | None],
    launches: list[Path | None], capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    seeds_dir = ROOT / "data" / "standards"
    assert _cli_count(seeds_dir, capsys) == ["n", "─", "5", "(1 row)"]  # five standards
    assert launches == [] and starts == [None] and len(bulk_loads) == 1  # no snapshot yet
    [snap] = _snapshots(cache)
    del starts[:]
    assert _cli_count(seeds_dir, capsys) == ["n", "─", "5", "(1 row)"]
    assert launches == [snap]  # started before the graph was read …
    assert starts == [] and len(bulk_loads) == 1  # … and used: no other start, no load


def test_an_early_start_from_another_graphs_snapshot_is_stopped_and_replaced(
    cache: Path, tmp_path_factory: pytest.TempPathFactory, starts: list[bytes | None],
    launches: list[Path | None], capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    one = tmp_path_factory.mktemp("one-standard")
    shutil.copy(ROOT / "data" / "standards" / "IDC3339-001v2.txt", one)
    assert _cli_count(ROOT / "data" / "standards", capsys)[2] == "5"
    [seeds_snap] = _snapshots(cache)
    assert _cli_count(one, capsys)[2] == "1"  # the early server held the seeds: replaced
    assert launches == [seeds_snap] and starts[-1] is None  # then a bulk load
    [one_snap] = [p for p in _snapshots(cache) if p != seeds_snap]
    os.utime(seeds_snap)  # the seeds' snapshot is the last used again
    del starts[:], launches[:]
    assert _cli_count(one, capsys) == ["n", "─", "1", "(1 row)"]
    assert launches == [seeds_snap]
    assert len(starts) == 1 and starts[0] is not None  # the right snapshot, after all
    assert one_snap.read_bytes().startswith(starts[0])
