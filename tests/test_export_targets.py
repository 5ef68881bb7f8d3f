"""Exports pointed anywhere: stdout, a FIFO, a device, a symbolic link, a regular file;
file modes; no machine path inside an export."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import networkx as nx
import pytest

from exports.registry import EXPORTERS, export_graph
from graph.build import build_graph
from loaders.corpus import load_corpus

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def G(standards_dir: Path) -> nx.MultiDiGraph:
    # Loaded through the absolute path of the seeds, the worst case for machine paths.
    return build_graph(load_corpus([str(standards_dir.resolve())]).standards)


def _umask() -> int:
    old = os.umask(0o022)
    os.umask(old)
    return old


def _cli(*argv: str, cache: Path, cwd: Path = ROOT,
         **kw: object) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "ICAPGRAPH_CACHE": str(cache), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "cli.main", "--data", str(ROOT / "data" / "standards"),
               *argv]
    return subprocess.run(command, cwd=cwd, env=env, timeout=120, check=False,
                          **kw)  # type: ignore[call-overload]


def test_no_machine_path_in_any_export(G: nx.MultiDiGraph, tmp_path: Path,
                                       standards_dir: Path) -> None:
    names = {p.name for p in standards_dir.glob("*.txt")}
    paths = {d["path"] for _n, d in G.nodes(data=True) if "path" in d}
    paths |= {d["path"] for _u, _v, d in G.edges(data=True) if "path" in d}
    assert paths == names  # each source file by its name inside the data folder
    for fmt in EXPORTERS:
        for written in export_graph(G, fmt, tmp_path / fmt):
            text = written.read_text(encoding="utf-8-sig")
            assert str(standards_dir.resolve()) not in text, (fmt, written.name)
            assert str(tmp_path) not in text, (fmt, written.name)


def test_new_files_get_the_umask_mode(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    want = 0o666 & ~_umask()
    for fmt in EXPORTERS:
        for written in export_graph(G, fmt, tmp_path / fmt):
            assert stat.S_IMODE(written.stat().st_mode) == want, (fmt, written.name)
    folder = tmp_path / "neo4j-admin"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o777 & ~_umask()


def test_a_replaced_file_keeps_its_mode(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    target = tmp_path / "g.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    export_graph(G, "json", target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert json.loads(target.read_text(encoding="utf-8"))["nodes"]


def test_a_fifo_is_written_not_replaced(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    export_graph(G, "graphml", fifo)
    reader.join(timeout=30)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert got and got[0].startswith(b"<?xml") and got[0].rstrip().endswith(b"</graphml>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_a_character_device_is_written_not_replaced(G: nx.MultiDiGraph) -> None:
    before = os.stat("/dev/null")
    assert export_graph(G, "cypher", Path("/dev/null")) == [Path("/dev/null")]
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_a_link_is_followed_like_cp(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "g.gexf"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.gexf"
    link.symlink_to(target)
    export_graph(G, "gexf", link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes().startswith(b"<?xml")
    # a link to a folder, for a folder format: the folder it names is written
    (tmp_path / "csv-real").mkdir()
    (tmp_path / "csv-link").symlink_to(tmp_path / "csv-real")
    export_graph(G, "csv", tmp_path / "csv-link")
    assert sorted(p.name for p in (tmp_path / "csv-real").iterdir()) == ["edges.csv",
                                                                         "nodes.csv"]
    (tmp_path / "adm-real").mkdir()
    (tmp_path / "adm-link").symlink_to(tmp_path / "adm-real")
    export_graph(G, "neo4j-admin", tmp_path / "adm-link")
    assert (tmp_path / "adm-link").is_symlink()
    assert (tmp_path / "adm-real" / "README.txt").is_file()


def test_dash_writes_stdout_and_nothing_else(tmp_path: Path) -> None:
    file = tmp_path / "g.json"
    done = _cli("export", "json", "-o", str(file), cache=tmp_path / "cache",
                capture_output=True)
    assert done.returncode == 0 and done.stdout.decode().strip() == f"wrote {file}"
    done = _cli("export", "json", "-o", "-", cache=tmp_path / "cache", capture_output=True)
    assert (done.returncode, done.stderr) == (0, b"")
    assert done.stdout == file.read_bytes()  # the export alone, no "wrote" line


def test_dev_stdout_keeps_the_shell_redirection(tmp_path: Path) -> None:
    out = tmp_path / "log"
    out.write_bytes(b"before\n")
    with open(out, "ab") as appending:  # as a shell's >> would
        done = _cli("export", "cypher", "-o", "/dev/stdout", cache=tmp_path / "cache",
                    stdout=appending, stderr=subprocess.PIPE)
    assert (done.returncode, done.stderr) == (0, b"")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("before\n") and "MERGE" in text
    assert stat.S_ISREG(out.lstat().st_mode)


def test_dot_slash_dash_is_a_file(tmp_path: Path) -> None:
    done = _cli("export", "json", "-o", "./-", cache=tmp_path / "cache", cwd=tmp_path,
                capture_output=True)
    assert done.returncode == 0 and done.stdout == b"wrote -\n"
    assert json.loads((tmp_path / "-").read_text(encoding="utf-8"))["nodes"]
