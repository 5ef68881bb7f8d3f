"""After a crash: what a process killed mid-write left behind is removed at the next start
(only ours, only once the owner is gone); ``build`` does nothing when nothing changed."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

import graph.content_key as content_key
from cli.main import main
from cypher.embedded.engine import CypherEngine
from graph.tempfiles import owner_tag, sweep, temp_files

ROOT = Path(__file__).resolve().parent.parent

# A child that starts an atomic write, reports the temporary file and then hangs.
_WRITER = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from graph.atomic import atomic_write

    def write(handle):
        handle.write(b'{"partial": ')
        handle.flush()
        mine = Path(sys.argv[1]).parent.glob(f".*.icapgraph-{os.getpid()}-*.tmp")
        print(*mine, flush=True)
        time.sleep(120)

    atomic_write(Path(sys.argv[1]), write)
""")

# A child that starts the embedded engine, reports its pid and then hangs.
_ENGINE = textwrap.dedent("""
    import os, time
    import networkx as nx
    from cypher.embedded.engine import CypherEngine

    G = nx.MultiDiGraph()
    G.add_node("skill:a", kind="Skill", name="a")
    engine = CypherEngine.from_graph(G)
    print(os.getpid(), flush=True)
    time.sleep(120)
""")


def _child(code: str, *args: str, env: dict[str, str] | None = None
           ) -> tuple[subprocess.Popen[str], str]:
    """Start ``code`` in a new Python; return it and the first line it prints."""
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args], cwd=ROOT, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )
    assert child.stdout is not None
    line = child.stdout.readline().strip()
    assert line, "the child died before it was ready"
    return child, line


def _kill(child: subprocess.Popen[str]) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    if child.stdout is not None:
        child.stdout.close()


@pytest.fixture()
def cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv("ICAPGRAPH_ALIASES", raising=False)
    monkeypatch.setenv("ICAPGRAPH_CACHE", str(tmp_path / "cache"))
    (tmp_path / "cache").mkdir()
    return tmp_path / "cache"


def test_a_cache_write_killed_midway_is_removed_at_the_next_start(
    cache: Path, standards_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dead, dead_tmp = _child(_WRITER, str(cache / "graph-dead.json"))
    _kill(dead)
    live, live_tmp = _child(_WRITER, str(cache / "graph-live.json"))
    # Our own pid but another start time: the pid was reused, the owner is gone.
    reused = cache / f".graph-old.json.icapgraph-{os.getpid()}-1-0123abcd.tmp"
    reused.write_bytes(b"{")
    foreign = cache / ".graph-x.json.someone-else"  # not a name we make
    foreign.write_bytes(b"{")
    # Named before owner tags (tempfile.mkstemp): removed once an hour old.
    legacy_old, legacy_new = cache / ".graph-a.json.k3j4h5g6.tmp", cache / ".graph-b.json.x1.tmp"
    for legacy in (legacy_old, legacy_new):
        legacy.write_bytes(b"{")
    two_hours_ago = legacy_old.stat().st_mtime - 7200
    os.utime(legacy_old, (two_hours_ago, two_hours_ago))
    try:
        assert Path(dead_tmp).exists() and not (cache / "graph-dead.json").exists()
        assert main(["--data", str(standards_dir), "stats", "--json"]) == 0
        capsys.readouterr()
        assert not Path(dead_tmp).exists() and not reused.exists() and not legacy_old.exists()
        assert Path(live_tmp).exists() and foreign.exists()  # a write in progress; not ours
        assert legacy_new.exists()
    finally:
        _kill(live)
    assert not (cache / "graph-live.json").exists()


def test_owner_tags_name_this_process() -> None:
    pid, start, rand = owner_tag().split("-")
    assert int(pid) == os.getpid() and len(rand) == 8
    assert int(start) > 0 or not Path("/proc/self").exists()  # the start time, from /proc
    with tempfile.TemporaryDirectory() as tmp:
        mine = Path(tmp) / f".x.icapgraph-{pid}-{start}-00000000.tmp"
        mine.write_bytes(b"")
        assert sweep(Path(tmp), temp_files()) == [] and mine.exists()


@pytest.fixture()
def short_tmp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private temporary folder with a short path (the engine's socket path is limited)."""
    base = Path(tempfile.mkdtemp(prefix="icg-", dir="/tmp"))
    monkeypatch.setattr(tempfile, "tempdir", str(base))
    try:
        yield base
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_an_engine_folder_of_a_killed_process_is_removed_at_the_next_start(
    short_tmp: Path,
) -> None:
    child, pid = _child(_ENGINE, env={"TMPDIR": str(short_tmp)})
    _kill(child)
    left = [p for p in short_tmp.iterdir() if p.name.startswith(f"icapgraph-cypher-{pid}-")]
    assert len(left) == 1 and left[0].is_dir()
    G = nx.MultiDiGraph()
    G.add_node("skill:b", kind="Skill", name="b")
    with CypherEngine.from_graph(G) as engine:
        assert engine.run("MATCH (n) RETURN n.name").rows == [["b"]]
        assert not left[0].exists()
        ours = [p for p in short_tmp.iterdir() if p.name.startswith("icapgraph-cypher-")]
        assert [p.name.split("-")[2] for p in ours] == [str(os.getpid())]
    assert list(short_tmp.iterdir()) == []


# -- build: up to date ------------------------------------------------------------------------

def _build(capsys: pytest.CaptureFixture[str], data: Path, *more: str) -> dict[str, object]:
    assert main(["--data", str(data), "build", "--json", *more]) == 0
    result: dict[str, object] = json.loads(capsys.readouterr().out)
    return result


def test_build_does_nothing_when_nothing_changed(
    cache: Path, tmp_path: Path, standards_dir: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = tmp_path / "data"
    shutil.copytree(standards_dir, data)
    assert _build(capsys, data)["up_to_date"] is False
    [cached] = cache.glob("graph-*.json")
    stamp = cached.stat().st_mtime_ns
    os.utime(cached, ns=(stamp - 10**9, stamp - 10**9))  # any rewrite would show
    stamp = cached.stat().st_mtime_ns

    assert main(["--data", str(data), "build"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("up to date: ") and "nothing rebuilt (--force rebuilds)" in out
    assert cached.stat().st_mtime_ns == stamp and list(cache.glob("graph-*.json")) == [cached]

    assert _build(capsys, data, "--force")["up_to_date"] is False  # --force rebuilds
    assert cached.stat().st_mtime_ns != stamp

    # An input changed: rebuilt (a second cache file, for the new key).
    text = (data / "IDC3339-001v2.txt").read_text(encoding="utf-8")
    (data / "IDC3339-001v2.txt").write_text(text + "\n", encoding="utf-8")
    assert _build(capsys, data)["up_to_date"] is False
    assert _build(capsys, data)["up_to_date"] is True
    # The code changed (what the key's code hash stands for): rebuilt.
    monkeypatch.setattr(content_key, "CODE_VERSION", content_key.CODE_VERSION + "-changed")
    content_key.code_hash.cache_clear()
    try:
        assert _build(capsys, data)["up_to_date"] is False
    finally:
        content_key.code_hash.cache_clear()
