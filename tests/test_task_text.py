"""The task-text representation: documents, a cosine worked out by hand, the on-disk cache."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from graphs import sample

from graph.model import Kind, Rel, occupation_id, part_id
from graph.store import load_graph
from queries.index import index
from queries.task_text import build, documents, task_text


def _tiny(texts: dict[str, list[str]]) -> nx.MultiDiGraph:
    """Occupations (current) whose tasks have the given names; an output per first task."""
    G = nx.MultiDiGraph()
    for code, names in texts.items():
        occ = occupation_id(code)
        G.add_node(occ, kind=Kind.OCCUPATION.value, name="職業" + code, code=code, level=3,
                   latest=True, historical=False)
        for n, name in enumerate(names, 1):
            task = part_id(Kind.TASK, code, f"T1.{n}")
            G.add_node(task, kind=Kind.TASK.value, code=f"T1.{n}", name=name, standard=code)
            G.add_edge(occ, task, key=Rel.HAS_TASK.value, rel=Rel.HAS_TASK.value)
    return G


def test_documents_hold_tasks_outputs_and_indicators_never_the_title() -> None:
    G = sample().copy()
    out = part_id(Kind.OUTPUT, "CCC3333-001v1", "O1.1.1")
    G.add_node(out, kind=Kind.OUTPUT.value, name="行銷企劃書", code="O1.1.1",
               standard="CCC3333-001v1")
    ind = part_id(Kind.INDICATOR, "CCC3333-001v1", "P1.1.1")
    G.add_node(ind, kind=Kind.INDICATOR.value, name="能擬定活動預算", code="P1.1.1",
               standard="CCC3333-001v1")
    (doc,) = documents(G, ["occupation:CCC3333-001v1"])
    # In node-id order: indicator:…, output:…, task:… ; the title 行銷企劃 is not there.
    assert doc.split("\n") == ["能擬定活動預算", "行銷企劃書", "規劃網紅行銷合作"]


def test_cosine_by_hand() -> None:
    # Three current occupations: 甲乙, 甲丙, 丁. Features: characters and adjacent pairs.
    # df: 甲 2 → idf ln(4/3) + 1; 乙, 丙, 丁, 甲乙, 甲丙 1 → ln(4/2) + 1; every tf is 1.
    G = _tiny({"A-001v1": ["甲乙"], "B-001v1": ["甲丙"], "C-001v1": ["丁"]})
    tt = build(G, index(G))
    common, rare = math.log(4 / 3) + 1, math.log(2) + 1
    # cos(甲乙, 甲丙) = idf(甲)² / (idf(甲)² + 2 idf(rare)²)
    expected = common**2 / (common**2 + 2 * rare**2)
    a, b, c = (tt.row[occupation_id(x)] for x in ("A-001v1", "B-001v1", "C-001v1"))
    cos = tt.cosine_row(a)
    assert cos[b] == pytest.approx(expected, abs=1e-12)
    assert cos[a] == pytest.approx(1.0) and cos[c] == 0.0
    assert np.allclose(tt.cosine_all(), tt.cosine_all().T)


def test_punctuation_ends_a_segment_and_a_text_vector_lands_in_the_same_space() -> None:
    # 甲，乙 has no 甲乙 pair: its cosine with 甲乙 is lower than 甲乙's own.
    G = _tiny({"A-001v1": ["甲乙"], "B-001v1": ["甲，乙"], "C-001v1": ["丁"]})
    tt = build(G, index(G))
    a, b = tt.row["occupation:A-001v1"], tt.row["occupation:B-001v1"]
    assert 0 < tt.cosine_row(a)[b] < 1
    assert tt.cosine_vector(tt.vector(["甲乙"]))[a] == pytest.approx(1.0)
    assert tt.vector(["戊己"]).nnz == 0  # characters the corpus never saw


def test_an_occupation_without_tasks_has_a_zero_row() -> None:
    G = _tiny({"A-001v1": ["甲乙"], "B-001v1": []})
    tt = build(G, index(G))
    assert not tt.cosine_row(tt.row["occupation:B-001v1"]).any()


def test_kept_beside_the_graph_cache_and_rebuilt_when_corrupt(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, standards_dir: Path) -> None:
    monkeypatch.setenv("ICAPGRAPH_CACHE", str(tmp_path / "cache"))
    data = tmp_path / "standards"
    shutil.copytree(standards_dir, data)
    G = load_graph([str(data)]).graph
    first = task_text(G)
    (saved,) = (tmp_path / "cache").glob("tasktext-*.npz")
    # A new process: the graph from the cache, the rows read from the file.
    H = load_graph([str(data)]).graph
    assert (task_text(H).X != first.X).nnz == 0
    saved.write_bytes(b"not a numpy file")
    K = load_graph([str(data)]).graph
    assert (task_text(K).X != first.X).nnz == 0
    assert saved.read_bytes() != b"not a numpy file"  # written again


def test_a_graph_built_in_memory_is_never_written(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    monkeypatch.setenv("ICAPGRAPH_CACHE", str(tmp_path))
    G = sample().copy()
    G.graph["content_key"] = "made up"  # not a graph load_graph returned
    assert task_text(G).X.shape[0] == len(index(G).profiles)
    assert list(tmp_path.iterdir()) == []


def test_old_task_text_files_are_pruned(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                        standards_dir: Path) -> None:
    import os

    from graph.store import KEEP_CACHES, derived_path

    monkeypatch.setenv("ICAPGRAPH_CACHE", str(tmp_path / "cache"))
    G = load_graph([str(standards_dir)]).graph
    folder = tmp_path / "cache"
    for n in range(KEEP_CACHES + 3):
        old = folder / f"tasktext-{n:040d}.npz"
        old.write_bytes(b"x")
        os.utime(old, (1_000_000 + n, 1_000_000 + n))
    path = derived_path(G, "tasktext", ["v"], ".npz")
    assert path is not None and path.parent == folder
    left = sorted(p.name for p in folder.glob("tasktext-*.npz"))
    # The newest KEEP_CACHES - 1 old files stay, beside the one about to be written.
    assert left == [f"tasktext-{n:040d}.npz" for n in range(4, KEEP_CACHES + 3)]
