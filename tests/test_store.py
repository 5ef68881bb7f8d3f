"""Saving, reading and caching the graph."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import networkx as nx
import pytest

from graph import content_key, store
from graph.store import load_graph, read_graph, save_graph
from loaders.errors import AliasError, CacheError


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A private cache folder and the repository's aliases file."""
    monkeypatch.delenv("ICAPGRAPH_ALIASES", raising=False)
    monkeypatch.setenv("ICAPGRAPH_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def data(tmp_path: Path, standards_dir: Path) -> Path:
    """A copy of the seeds that a test may change."""
    folder = tmp_path / "standards"
    shutil.copytree(standards_dir, folder)
    return folder


def small_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_node("skill:溝通協調能力", kind="Skill", name="溝通協調能力", from_note=False)
    G.add_node("task:X-001v1/T1.1", kind="Task", name="任務", level=3, standard="X-001v1")
    G.add_edge("task:X-001v1/T1.1", "skill:溝通協調能力", key="REQUIRES_SKILL",
               rel="REQUIRES_SKILL", line=12, path="x.txt")
    G.add_node("lonely", kind="Skill", name="孤")
    return G


def test_save_and_read_round_trip(tmp_path: Path) -> None:
    G = small_graph()
    save_graph(G, tmp_path / "g.json")
    H = read_graph(tmp_path / "g.json")
    assert nx.utils.graphs_equal(G, H)
    assert list(H.nodes) == list(G.nodes)
    assert H.nodes["task:X-001v1/T1.1"]["level"] == 3
    saved = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    assert saved["format"] == "icapgraph-graph" and saved["version"] == store.FORMAT_VERSION
    assert "溝通協調能力" in (tmp_path / "g.json").read_text(encoding="utf-8")  # not \\u-escaped


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"[]",
        b'{"format": "icapgraph-graph", "version": 999, "graph": {}}',
        b'{"format": "something-else", "version": 1}',
        b'{"format": "icapgraph-graph", "version": 1, "graph": {"nodes": [{"name": "no id"}]}}',
        b'{"format": "icapgraph-graph", "version": 1, "graph": {"nodes": [], '
        b'"edges": [{"source": "a", "target": "b", "key": "R"}]}}',
    ],
)
def test_corrupt_file_is_a_cache_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "g.json"
    path.write_bytes(content)
    with pytest.raises(CacheError):
        read_graph(path)


def test_missing_file_is_a_cache_error(tmp_path: Path) -> None:
    with pytest.raises(CacheError):
        read_graph(tmp_path / "none.json")


def test_failed_save_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    save_graph(small_graph(), path)
    before = path.read_bytes()
    G = small_graph()
    G.add_node("bad", kind="Skill", name=object())  # not JSON: the write fails midway
    with pytest.raises(TypeError):
        save_graph(G, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.json"]


def test_load_builds_then_reads_the_cache(env: Path, data: Path) -> None:
    cold = load_graph([str(data)])
    assert not cold.from_cache
    assert [Path(f).name for f in cold.files] == sorted(p.name for p in data.glob("*.txt"))
    assert len(list(env.glob("graph-*.json"))) == 1
    warm = load_graph([str(data)])
    assert warm.from_cache
    assert nx.utils.graphs_equal(cold.graph, warm.graph)
    assert warm.warnings == cold.warnings and warm.failures == cold.failures
    assert warm.files == cold.files
    # The aliases of the repository file were applied.
    assert "knowledge:客戶關係管理" not in warm.graph
    assert "knowledge:顧客關係管理" in warm.graph


def test_no_cache_rebuilds(env: Path, data: Path) -> None:
    load_graph([str(data)])
    assert not load_graph([str(data)], use_cache=False).from_cache


def test_changed_input_is_not_served_from_cache(env: Path, data: Path) -> None:
    load_graph([str(data)])
    path = data / "KMC2431-008v1.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("網路行銷企劃主管職能基準",
                                                              "網路行銷主管職能基準"),
                    encoding="utf-8")
    again = load_graph([str(data)])
    assert not again.from_cache


def test_corrupt_cache_is_rebuilt(env: Path, data: Path) -> None:
    first = load_graph([str(data)])
    (cache,) = env.glob("graph-*.json")
    cache.write_text('{"format": "icapgraph-graph", "version": 1, "key": "', encoding="utf-8")
    again = load_graph([str(data)])
    assert not again.from_cache
    assert nx.utils.graphs_equal(first.graph, again.graph)
    assert load_graph([str(data)]).from_cache  # rewritten


def test_cache_with_another_key_is_not_trusted(env: Path, data: Path) -> None:
    load_graph([str(data)])
    (cache,) = env.glob("graph-*.json")
    payload = json.loads(cache.read_text(encoding="utf-8"))
    payload["key"] = "0" * 64
    cache.write_text(json.dumps(payload), encoding="utf-8")
    assert not load_graph([str(data)]).from_cache


def test_aliases_change_the_key_and_bad_aliases_fail(
    env: Path, data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("kind,name,canonical,reason\n", encoding="utf-8")
    monkeypatch.setenv("ICAPGRAPH_ALIASES", str(aliases))
    plain = load_graph([str(data)])
    assert "knowledge:客戶關係管理" in plain.graph
    aliases.write_text("kind,name,canonical,reason\nskill,甲,乙,r\nskill,乙,甲,r\n",
                       encoding="utf-8")
    with pytest.raises(AliasError) as info:
        load_graph([str(data)])
    assert info.value.line == 3


def test_unwritable_cache_still_loads(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    loaded = load_graph([str(data)], cache_dir=blocker / "cache")
    assert not loaded.from_cache
    assert loaded.graph.number_of_nodes() > 0
    # A problem of the cache, not of a standard: one notice, the warnings untouched.
    assert len(loaded.notices) == 1 and "cannot write the cache" in loaded.notices[0]
    assert loaded.warnings == load_graph([str(data)], use_cache=False).warnings


def test_failures_are_reported_and_cached(env: Path, data: Path) -> None:
    (data / "broken.txt").write_bytes(b"")
    cold = load_graph([str(data)])
    assert [Path(f.path).name for f in cold.failures] == ["broken.txt"]
    warm = load_graph([str(data)])
    assert warm.from_cache and warm.failures == cold.failures


@pytest.mark.corpus
def test_corpus_round_trip(env: Path, corpus_dir: Path) -> None:
    cold = load_graph([str(corpus_dir)])
    warm = load_graph([str(corpus_dir)])
    assert warm.from_cache
    assert nx.utils.graphs_equal(cold.graph, warm.graph)
    assert len(warm.files) == 908


def test_cache_of_another_code_version_is_rebuilt(
    env: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_graph([str(data)])
    assert load_graph([str(data)]).from_cache
    monkeypatch.setattr(content_key, "code_hash", lambda: "another version of the code")
    assert not load_graph([str(data)]).from_cache


def test_code_hash_follows_graph_and_loader_sources_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy of the tree: editing what builds the graph changes the hash, editing a
    front end does not (so a CLI change keeps the cache warm)."""
    root = tmp_path / "tree"
    for package in ("graph", "loaders", "cli"):
        shutil.copytree(content_key._ROOT / package, root / package)
    monkeypatch.setattr(content_key, "_ROOT", root)

    def fresh() -> str:
        content_key.code_hash.cache_clear()
        return content_key.code_hash()

    try:
        before = fresh()
        (root / "cli" / "main.py").write_text("# edited\n", encoding="utf-8")
        assert fresh() == before
        build = root / "graph" / "build.py"
        build.write_bytes(build.read_bytes() + b"\n# edited\n")
        after = fresh()
        assert after != before
        (root / "loaders" / "clean.py").write_bytes(b"")
        assert fresh() not in (before, after)
    finally:
        content_key.code_hash.cache_clear()
