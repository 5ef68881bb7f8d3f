"""The lookup cache (queries/lookup_cache.py, graph/lite.py): lookups answered from it print
exactly what the built graph prints, it is never trusted when damaged or outdated, and the
CLI reads it without building the graph."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph.aliases import default_aliases_path, read_aliases
from graph.lite import LiteGraph
from graph.lookup import graph_stats, item_info
from graph.sections import SectionFile
from graph.store import cache_slot, load_graph
from graph.tempfiles import temp_files
from loaders.errors import CacheError, QueryError
from queries.gap import gap
from queries.index import index
from queries.lookup_cache import lookup_path, open_lookup_cache, write_lookup_cache
from queries.occupations import requirements
from queries.overlap import overlap
from queries.search import closest, find_item, search
from queries.transitions import transitions

ROOT = Path(__file__).resolve().parent.parent
Answer = Callable[[Any], Any]


@pytest.fixture()
def cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv("ICAPGRAPH_ALIASES", raising=False)
    monkeypatch.setenv("ICAPGRAPH_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _lite(data: Path, cache: Path) -> tuple[nx.MultiDiGraph, LiteGraph]:
    """The graph as a warm start reads it, and the lookup cache written from another copy."""
    loaded = load_graph([str(data)], cache_dir=cache)
    folder, key = cache_slot([str(data)], cache)
    path = lookup_path(folder, key)
    write_lookup_cache(loaded.graph, path, aliases=read_aliases(default_aliases_path()),
                       files=loaded.files, failures=loaded.failures)
    fresh = load_graph([str(data)], cache_dir=cache)  # nothing derived yet, from the cache
    assert fresh.from_cache
    lite = open_lookup_cache(path, key)  # no way to the full graph: it must not be needed
    assert lite is not None
    return fresh.graph, lite


def _same(full: nx.MultiDiGraph, lite: LiteGraph, calls: list[tuple[str, Answer]]) -> None:
    """Every call prints the same JSON on both (an error is compared by type and text)."""
    def run(G: Any, answer: Answer) -> str:
        try:
            return json.dumps(answer(G), ensure_ascii=False)
        except Exception as exc:
            return f"{type(exc).__name__}: {exc}"

    differ = [label for label, answer in calls if run(full, answer) != run(lite, answer)]
    assert differ == []


def _calls(G: nx.MultiDiGraph, *, pairs: int, items: int, texts: list[str],
           sources: int) -> list[tuple[str, Answer]]:
    aliases = read_aliases(default_aliases_path())
    rng = random.Random(16)
    idx = index(G)
    codes = sorted(p.code for p in idx.profiles.values())
    current = sorted(p.code for p in idx.profiles.values() if p.latest and not p.historical)
    names = sorted(str(d["name"]) for _n, d in G.nodes(data=True)
                   if d.get("kind") in ("Knowledge", "Skill", "Attitude"))
    calls: list[tuple[str, Answer]] = [("stats", graph_stats)]
    calls += [(f"transitions {c}", lambda G, c=c: transitions(G, c, top=10))
              for c in current[:sources]]
    chosen = [tuple(rng.sample(codes, 2)) for _ in range(pairs)]
    calls += [(f"gap {a} {b}", lambda G, a=a, b=b: gap(G, a, b)) for a, b in chosen]
    calls += [(f"overlap {a} {b}", lambda G, a=a, b=b: overlap(G, [a, b])) for a, b in chosen]
    calls += [("overlap of three", lambda G: overlap(G, codes[:3]))]
    calls += [(f"requirements {c}", lambda G, c=c: requirements(G, c)) for c in codes[:items]]
    for name in rng.sample(names, min(items, len(names))):
        # As typed: the name, with extraction spaces, and a part of it (suggestions).
        for typed in (name, " ".join(name), name[: max(1, len(name) // 2)]):
            calls.append((f"item {typed}", lambda G, t=typed: item_info(
                G, find_item(G, t, aliases=aliases))))
    for text in texts:
        calls.append((f"search {text}", lambda G, t=text: (
            search(G, t, aliases=aliases), closest(G, t, aliases=aliases))))
    calls += [("unknown occupation", lambda G: gap(G, "XYZ9999-001v1", codes[0])),
              ("unknown item", lambda G: item_info(G, find_item(G, "量子力學", aliases=aliases)))]
    return calls


_TEXTS = ["溝通", "溝通 協調", "資料分析", "數位平臺", "行銷企劃", "IDC3339", "合約", "能力",
          "Excel", "網紅類型與商業", "倉庫管理", "臺灣勞動法規", "量子力學", "的", "", "   "]


def test_every_lookup_on_the_seeds_prints_what_the_graph_prints(
        cache: Path, standards_dir: Path) -> None:
    full, lite = _lite(standards_dir, cache)
    idx = index(full)
    codes = sorted(p.code for p in idx.profiles.values())
    calls = _calls(full, pairs=0, items=200, texts=_TEXTS, sources=100)
    # Every ordered pair, every occupation's transitions at every length.
    calls += [(f"gap {a} {b}", lambda G, a=a, b=b: gap(G, a, b)) for a in codes for b in codes]
    calls += [(f"overlap {a} {b}", lambda G, a=a, b=b: overlap(G, [a, b]))
              for a in codes for b in codes]
    calls += [(f"transitions {c} {n}", lambda G, c=c, n=n: transitions(G, c, top=n))
              for c in codes for n in (1, 1000)]
    _same(full, lite, calls)


@pytest.mark.corpus
def test_lookups_on_the_corpus_print_what_the_graph_prints(cache: Path,
                                                           corpus_dir: Path) -> None:
    """Transitions of every current occupation, 200 gap / overlap pairs, 200 items (three
    ways of typing each), 50 search texts, the statistics."""
    full, lite = _lite(corpus_dir, cache)
    rng = random.Random(7)
    names = sorted(str(d["name"]) for _n, d in full.nodes(data=True)
                   if d.get("kind") in ("Knowledge", "Skill", "Task", "Occupation"))
    texts = _TEXTS + [name[: rng.randint(2, 4)] for name in rng.sample(names, 34)]
    _same(full, lite, _calls(full, pairs=200, items=200, texts=texts, sources=10_000))


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


# The lookup commands of the CLI: (arguments, stdout must be the same every way).
_COMMANDS = [["stats"], ["item", "溝通協調"], ["search", "溝通"], ["search", "量子力學"],
             ["overlap", "IDC3339-001v2", "IDC5294-001v2"], ["gap", "IDC3339-001v2", "直播"],
             ["transitions", "IDC3339-001v2", "KMC2431-001v4", "--top", "3"],
             ["requirements", "KMC2431-009v2"], ["run", "gap", "--param", "source=IDC3339-001v2",
                                                  "--param", "target=IDC5294-001v2"]]


def test_the_cli_prints_the_same_from_the_lookup_cache(tmp_path: Path) -> None:
    env = {**os.environ, "ICAPGRAPH_CACHE": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop("ICAPGRAPH_ALIASES", None)
    for args in _COMMANDS:
        for json_flag in ([], ["--json"]):
            bypass = _cli("--no-cache", *json_flag, *args, env=env)
            first = _cli(*json_flag, *args, env=env)  # writes the lookup cache when missing
            assert list(tmp_path.glob("lookup-*.bin")), "no lookup cache was written"
            second = _cli(*json_flag, *args, env=env)  # answered from it
            assert bypass.returncode == first.returncode == second.returncode == 0, second.stderr
            assert bypass.stdout == first.stdout == second.stdout
            assert bypass.stderr == first.stderr == second.stderr == ""


def test_build_writes_the_lookup_cache(cache: Path, standards_dir: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    from cli.main import main

    assert main(["--data", str(standards_dir), "build"]) == 0
    (written,) = cache.glob("lookup-*.bin")
    stamp = written.stat().st_mtime_ns
    assert main(["--data", str(standards_dir), "build"]) == 0  # up to date: nothing written
    assert written.stat().st_mtime_ns == stamp
    assert "up to date" in capsys.readouterr().out


_PROBE = textwrap.dedent("""
    import sys
    from cli.main import main
    code = main(sys.argv[1:])
    heavy = sorted(m for m in ("networkx", "scipy", "falkordb") if m in sys.modules)
    print("imported:", ",".join(heavy) or "-", file=sys.stderr)
    sys.exit(code)
""")


def test_lookups_from_the_cache_import_neither_networkx_nor_scipy(tmp_path: Path,
                                                                 standards_dir: Path) -> None:
    env = {**os.environ, "ICAPGRAPH_CACHE": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop("ICAPGRAPH_ALIASES", None)
    run = [sys.executable, "-c", _PROBE, "--data", str(standards_dir)]
    subprocess.run([*run, "build"], cwd=ROOT, env=env, check=True, capture_output=True)
    for args in _COMMANDS:
        done = subprocess.run([*run, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0 and done.stderr.endswith("imported: -\n"), (args, done.stderr)


def _section_bytes(path: Path, name: str) -> tuple[int, int]:
    with SectionFile(path) as f:
        offset, size, _digest = f._toc[name]
        return f._base + offset, size


def test_a_damaged_lookup_cache_is_never_trusted(tmp_path: Path, standards_dir: Path) -> None:
    """A damaged part, a cut file, another key or version: the answer comes from the graph,
    the same as ever, and the file is written anew."""
    env = {**os.environ, "ICAPGRAPH_CACHE": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop("ICAPGRAPH_ALIASES", None)
    data = ["--data", str(standards_dir), "--json"]
    expected = {tuple(args): _cli(*data, *args, env=env).stdout for args in _COMMANDS[:6]}
    (path,) = tmp_path.glob("lookup-*.bin")
    sound = path.read_bytes()

    def damaged(content: bytes) -> None:
        path.write_bytes(content)
        for args in _COMMANDS[:6]:
            done = _cli(*data, *args, env=env)
            assert done.returncode == 0 and done.stderr == ""
            assert done.stdout == expected[tuple(args)]
        assert path.read_bytes() == sound or SectionFile(path).meta  # rewritten, readable

    start, size = _section_bytes(path, "lookup:stats")
    damaged(sound[:start] + bytes([sound[start] ^ 0xFF]) + sound[start + 1:])
    start, size = _section_bytes(path, "query:index")
    damaged(sound[:start + size // 2] + b"\0\0\0" + sound[start + size // 2 + 3:])
    damaged(sound[: len(sound) // 3])
    damaged(b"")
    other = sound.replace(b"icapgraph-lookup", b"icapgraph-lookuq", 1)
    damaged(other)


def test_a_part_found_damaged_while_answering_falls_back(cache: Path,
                                                        standards_dir: Path) -> None:
    from cli.context import Context

    ctx = Context([str(standards_dir)], as_json=True)
    expected = ctx.lookup(graph_stats)  # builds the graph, writes the lookup cache
    (path,) = cache.glob("lookup-*.bin")
    start, _size = _section_bytes(path, "lookup:stats")
    content = bytearray(path.read_bytes())
    content[start] ^= 0xFF
    path.write_bytes(bytes(content))
    fresh = Context([str(standards_dir)], as_json=True)
    opened: list[Any] = []
    assert fresh.lookup(lambda G: opened.append(type(G).__name__) or graph_stats(G)) == expected
    assert opened == ["LiteGraph", "MultiDiGraph"]  # tried the cache, then the graph
    with SectionFile(next(cache.glob("lookup-*.bin"))) as f:
        f.read("lookup:stats")  # written anew, sound


def test_what_the_lookup_cache_does_not_keep_is_answered_from_the_graph(
        cache: Path, standards_dir: Path) -> None:
    """The resolver for other aliases than the curated ones, a query walking the edges:
    the lookup cache holds neither, so the command answers from the built graph."""
    from cli.context import Context
    from queries.paths import paths

    full, lite = _lite(standards_dir, cache)
    kept = lite.file.path.stat()
    for answer, want in ((lambda G: search(G, "溝通", aliases=()), search(full, "溝通")),
                         (lambda G: paths(G, "IDC3339-001v2", "KMC2431-001v4"),
                          paths(full, "IDC3339-001v2", "KMC2431-001v4"))):
        seen: list[str] = []

        def seeing(G: Any, a: Answer = answer, seen: list[str] = seen) -> Any:
            seen.append(type(G).__name__)
            return a(G)

        got = Context([str(standards_dir)], as_json=True).lookup(seeing)
        assert json.dumps(got, ensure_ascii=False) == json.dumps(want, ensure_ascii=False)
        assert seen[0] == "LiteGraph"
    # What it does not keep is no damage: the file stays as it was (not removed, rewritten).
    now = lite.file.path.stat()
    assert (now.st_ino, now.st_mtime_ns) == (kept.st_ino, kept.st_mtime_ns)


def test_no_cache_bypasses_the_lookup_cache(cache: Path, standards_dir: Path) -> None:
    from cli.context import Context

    Context([str(standards_dir)], as_json=True).lookup(graph_stats)
    (path,) = cache.glob("lookup-*.bin")
    path.write_bytes(b"not read")
    seen: list[str] = []
    Context([str(standards_dir)], as_json=True, use_cache=False).lookup(
        lambda G: seen.append(type(G).__name__))
    assert seen == ["MultiDiGraph"] and path.read_bytes() == b"not read"


def test_a_lookup_cache_of_other_inputs_is_not_read(cache: Path, tmp_path: Path,
                                                   standards_dir: Path) -> None:
    one = tmp_path / "one"
    one.mkdir()
    (one / "IDC3339-001v2.txt").write_bytes((standards_dir / "IDC3339-001v2.txt").read_bytes())
    loaded = load_graph([str(one)], cache_dir=cache)
    folder, key = cache_slot([str(one)], cache)
    path = lookup_path(folder, key)
    write_lookup_cache(loaded.graph, path, aliases=(), files=loaded.files,
                       failures=loaded.failures)
    assert open_lookup_cache(path, key) is not None
    assert open_lookup_cache(path, "0" * 64) is None  # another graph's key
    # The same inputs changed: another key, so another file; this one is not read.
    with (one / "IDC3339-001v2.txt").open("ab") as handle:
        handle.write(b"\n")
    _folder, changed = cache_slot([str(one)], cache)
    assert changed != key and lookup_path(folder, changed) != path


def test_a_lookup_cache_write_killed_midway_is_removed(cache: Path,
                                                      standards_dir: Path) -> None:
    from cli.context import Context

    cache.mkdir(parents=True)
    stale = cache / ".lookup-x.bin.icapgraph-999999999-1-0123abcd.tmp"  # no such process
    stale.write_bytes(b"icapgraph-sections")
    assert temp_files().fullmatch(stale.name)
    Context([str(standards_dir)], as_json=True).lookup(graph_stats)
    assert not stale.exists()


def test_concurrent_lookups_print_the_same(tmp_path: Path, standards_dir: Path) -> None:
    """Two commands at once, both writing the missing lookup cache, then both reading it."""
    env = {**os.environ, "ICAPGRAPH_CACHE": str(tmp_path), "PYTHONPATH": str(ROOT)}
    env.pop("ICAPGRAPH_ALIASES", None)
    args = [sys.executable, "-m", "cli.main", "--data", str(standards_dir), "--json",
            "transitions", "IDC3339-001v2", "--top", "4"]
    for _round in range(2):
        children = [subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True) for _ in range(3)]
        outs = [child.communicate(timeout=300) for child in children]
        assert all(child.returncode == 0 for child in children)
        assert len({out for out, _err in outs}) == 1 and all(err == "" for _o, err in outs)
    assert len(list(tmp_path.glob("lookup-*.bin"))) == 1
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_cypher_on_a_warm_snapshot_starts_without_the_graph(cache: Path,
                                                           standards_dir: Path) -> None:
    from cypher.embedded.engine import CypherEngine

    full, lite = _lite(standards_dir, cache)
    query = ("MATCH (o:Occupation)-[:HAS_DUTY]->(:Duty)-[:HAS_TASK]->(t:Task) "
             "RETURN o.code, count(t) ORDER BY o.code")
    # Variable-length patterns read the graph's cycles: from the lookup cache's edges.
    walks = ["MATCH (o:Occupation)-[:HAS_DUTY|HAS_TASK*1..2]->(t) RETURN count(*)",
             "MATCH (a:Skill)-[:SIMILAR_TO*1..3]->(b) RETURN count(*)"]  # cycles: refused

    def answers(engine: CypherEngine) -> list[object]:
        out: list[object] = []
        for q in (query, *walks):
            try:
                out.append(engine.run(q).rows)
            except QueryError as exc:
                out.append(str(exc))
        return out

    with CypherEngine.from_graph(full) as engine:  # bulk load; writes the snapshot
        expected = answers(engine)
    assert "refuses this variable-length pattern" in str(expected[2])
    with CypherEngine.from_graph(lite) as engine:  # lite.full() would raise: not called
        assert engine.started_from_snapshot
        assert answers(engine) == expected
    with pytest.raises(CacheError, match="no way to the full graph"):
        lite.full()


def test_cypher_without_a_snapshot_builds_the_graph_from_a_lookup_cache(
        cache: Path, standards_dir: Path) -> None:
    from cypher.embedded.engine import CypherEngine

    full, lite = _lite(standards_dir, cache)
    built: list[int] = []
    with_full = open_lookup_cache(lite.file.path, str(full.graph["content_key"]),
                                  full=lambda: built.append(1) or full)
    assert with_full is not None
    with CypherEngine.from_graph(with_full) as engine:
        assert not engine.started_from_snapshot and built == [1]
        assert engine.run("MATCH (o:Occupation) RETURN count(o)").rows == [[5]]


#: Lookup commands as an analyst types them (text and --json), per data set; the corpus
#: codes and item are ones the README's examples use.
_TYPED: dict[str, list[list[str]]] = {
    "seeds": [["stats"], ["item", "溝通協調能力"], ["item", "談判 能力"], ["item", "量子力學"],
              ["search", "溝通"], ["search", "IDC"],
              ["overlap", "IDC3339-001v2", "IDC5294-001v2"],
              ["gap", "IDC3339-001v2", "IDC5294-001v2"], ["gap", "XYZ9999-001v1", "IDC3339-001v2"],
              ["transitions", "IDC3339-001v2"], ["transitions", "KMC2431-001v4", "--top", "2"],
              ["requirements", "IDC3339-001v2"],
              ["cypher", "MATCH (o:Occupation)-[:HAS_DUTY]->(d:Duty) RETURN o.code, count(d) "
                         "ORDER BY o.code"]],
    "corpus": [["stats"], ["item", "溝通協調能力"], ["search", "資料分析"],
               ["overlap", "SMS2529-001v3", "SMS2521-001v3"],
               ["gap", "SMS2529-001v3", "SMS2521-001v3"], ["transitions", "SMS2529-001v3"],
               ["requirements", "SMS2529-001v3"],
               ["cypher", "MATCH (o:Occupation)-[:IN_CATEGORY]->(c:Category) "
                          "RETURN c.name, count(o) AS n ORDER BY n DESC, c.name LIMIT 5"]],
}


def _cli_outputs(data: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                 *, lite: bool) -> list[tuple[int, str, str]]:
    """(exit status, stdout, stderr) of every command of ``_TYPED``, text then --json:
    from the lookup cache (the graph may not be built: building it fails the test), or
    through the built graph (the lookup cache not opened)."""
    from cli.context import Context
    from cli.main import main

    with monkeypatch.context() as patch:
        if lite:
            def no_graph(self: Context) -> None:
                raise AssertionError("a lookup built the graph")

            patch.setattr(Context, "graph", no_graph)
        else:
            patch.setattr(Context, "_open_lookup", lambda self: None)
        out = []
        name = "corpus" if data.name != "standards" else "seeds"
        for args in _TYPED[name]:
            for mode in ([], ["--json"]):
                code = main(["--data", str(data), *mode, *args])
                got = capsys.readouterr()
                out.append((code, got.out, got.err))
        return out


def _cli_same(data: Path, monkeypatch: pytest.MonkeyPatch,
              capsys: pytest.CaptureFixture[str]) -> None:
    full = _cli_outputs(data, monkeypatch, capsys, lite=False)  # writes the lookup cache
    assert [code for code, _o, _e in full].count(0) >= len(full) - 4  # the unknown ones fail
    lite = _cli_outputs(data, monkeypatch, capsys, lite=True)
    differ = [" ".join(args) for args, a, b in zip(
        [a for a in _TYPED["corpus" if data.name != "standards" else "seeds"]
         for _mode in (0, 1)], full, lite, strict=True) if a != b]
    assert differ == []


def test_the_cli_prints_the_same_bytes_from_the_lookup_cache_on_the_seeds(
        cache: Path, standards_dir: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    _cli_same(standards_dir, monkeypatch, capsys)


@pytest.mark.corpus
def test_the_cli_prints_the_same_bytes_from_the_lookup_cache_on_the_corpus(
        cache: Path, corpus_dir: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    _cli_same(corpus_dir, monkeypatch, capsys)
