"""Exports: files Gephi, Excel, cypher-shell and networkx read back."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest

from exports.registry import EXPORTERS, export_graph
from graph.build import build_graph
from loaders.corpus import load_corpus
from loaders.errors import ExportError, UnknownKey

FILE_FORMATS = ("graphml", "gexf", "json", "cypher")


@pytest.fixture(scope="module")
def G(standards_dir: Path) -> nx.MultiDiGraph:
    graph = build_graph(load_corpus([str(standards_dir)]).standards)
    # A name with every character a script or an XML file must escape.
    graph.add_node("skill:怪's \"名\" \\ <x>&", kind="Skill", name="怪's \"名\" \\ <x>&\n換行",
                   key="怪", aliases="", from_note=False, applied_aliases="[]")
    return graph


def _csv_rows(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


def _admin_counts(paths: list[Path]) -> tuple[int, int]:
    nodes = sum(_csv_rows(p) for p in paths if p.name.startswith("nodes_"))
    rels = sum(_csv_rows(p) for p in paths if p.name.startswith("rels_"))
    return nodes, rels


def _script_counts(paths: list[Path]) -> tuple[int, int]:
    # Node rows are written `{`id`: '…`, relationship rows `{`src`: '…` (cypher/write.py).
    text = paths[0].read_text(encoding="utf-8")
    return text.count("{`id`: '"), text.count("{`src`: '")


def _graph_counts(reader: object) -> object:
    def counts(paths: list[Path]) -> tuple[int, int]:
        H = reader(paths[0])  # type: ignore[operator]
        return H.number_of_nodes(), H.number_of_edges()
    return counts


#: How each format's files are read back to node and edge counts: a format registered
#: without a reader here fails the test below, so every exporter is checked end to end.
READ_BACK = {
    "graphml": _graph_counts(lambda p: nx.read_graphml(p, force_multigraph=True)),
    "gexf": _graph_counts(nx.read_gexf),
    "json": _graph_counts(lambda p: nx.node_link_graph(
        json.loads(p.read_text(encoding="utf-8")), edges="edges")),
    "csv": lambda paths: (_csv_rows(paths[0]), _csv_rows(paths[1])),
    "cypher": _script_counts,
    "neo4j-admin": _admin_counts,
}


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_every_format_reads_back_every_node_and_edge(
    G: nx.MultiDiGraph, tmp_path: Path, fmt: str
) -> None:
    assert fmt in READ_BACK, f"no read-back check for the exporter {fmt!r}"
    written = export_graph(G, fmt, tmp_path / f"out-{fmt}")
    assert written and all(p.is_file() and p.stat().st_size > 0 for p in written)
    assert READ_BACK[fmt](written) == (G.number_of_nodes(), G.number_of_edges())


def test_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(UnknownKey) as info:
        export_graph(nx.MultiDiGraph(), "pdf", tmp_path / "x.pdf")
    assert "graphml" in str(info.value)
    assert not (tmp_path / "x.pdf").exists()


def test_graphml_reads_back(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    (path,) = export_graph(G, "graphml", tmp_path / "g.graphml")
    H = nx.read_graphml(path, force_multigraph=True)
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()
    node = H.nodes["skill:溝通協調能力"]
    assert (node["kind"], node["label"]) == ("Skill", "溝通協調能力")
    assert H.nodes["occupation:KMC2431-008v1"]["level"] == 4
    # Edge ids are unique (Gephi drops repeated ones); the type stays in ``rel``.
    ids = [k for _u, _v, k in H.edges(keys=True)]
    assert len(ids) == len(set(ids))
    rels = {d["rel"] for _u, _v, d in H.edges(data=True)}
    assert {"REQUIRES_SKILL", "INCLUDES", "SIMILAR_TO"} <= rels
    assert H.nodes["skill:怪's \"名\" \\ <x>&"]["name"] == "怪's \"名\" \\ <x>&\n換行"


def test_gexf_reads_back(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    (path,) = export_graph(G, "gexf", tmp_path / "g.gexf")
    H = nx.read_gexf(path)
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()
    assert H.nodes["knowledge:個人資料保護法"]["label"] == "個人資料保護法"


def test_json_is_node_link(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    (path,) = export_graph(G, "json", tmp_path / "g.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    H = nx.node_link_graph(data, edges="edges")
    assert nx.utils.graphs_equal(G, H)


def test_csv_has_bom_and_reads_in_chinese(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    written = export_graph(G, "csv", tmp_path / "out")
    assert [p.name for p in written] == ["nodes.csv", "edges.csv"]
    raw = (tmp_path / "out" / "nodes.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    nodes = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(nodes) == G.number_of_nodes()
    by_id = {row["id"]: row for row in nodes}
    assert by_id["skill:溝通協調能力"]["name"] == "溝通協調能力"
    assert by_id["skill:怪's \"名\" \\ <x>&"]["name"] == "怪's \"名\" \\ <x>&\n換行"
    edges = list(csv.DictReader(io.StringIO(
        (tmp_path / "out" / "edges.csv").read_text(encoding="utf-8-sig"))))
    assert len(edges) == G.number_of_edges()
    assert list(edges[0])[:3] == ["source", "target", "rel"]
    personal = [e for e in edges if e["target"] == "knowledge:個人資料保護法"
                and e["rel"] == "REQUIRES_KNOWLEDGE"]
    assert {e["standard"] for e in personal} == {"IDC3339-001v2", "KMC2431-009v2"}


def test_csv_target_that_is_a_file(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.write_text("keep", encoding="utf-8")
    with pytest.raises(ExportError):
        export_graph(G, "csv", target)
    assert target.read_text(encoding="utf-8") == "keep"


def test_cypher_script_escapes_strings(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    (path,) = export_graph(G, "cypher", tmp_path / "g.cypher")
    text = path.read_text(encoding="utf-8")
    assert "MERGE" in text
    assert "'怪\\'s \"名\" \\\\ <x>&\\n換行'" in text
    assert "溝通協調能力" in text


@pytest.mark.parametrize("fmt", FILE_FORMATS)
def test_unwritable_path_is_an_export_error(
    G: nx.MultiDiGraph, tmp_path: Path, fmt: str
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(ExportError) as info:
        export_graph(G, fmt, blocker / "out")
    assert str(blocker / "out") in str(info.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


@pytest.mark.parametrize("fmt", ("graphml", "gexf"))
def test_failure_midway_leaves_no_partial_file(
    G: nx.MultiDiGraph, tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(graph: nx.MultiDiGraph, handle: io.BufferedWriter, **kw: object) -> None:
        handle.write(b"<?xml half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(nx, f"write_{fmt}", broken)
    target = tmp_path / f"g.{fmt}"
    with pytest.raises(ExportError) as info:
        export_graph(G, fmt, target)
    assert "No space left on device" in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_failure_keeps_the_previous_export(G: nx.MultiDiGraph, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "g.graphml"
    export_graph(G, "graphml", target)
    before = target.read_bytes()

    def broken(graph: nx.MultiDiGraph, handle: io.BufferedWriter, **kw: object) -> None:
        handle.write(b"<?xml half")
        raise OSError(5, "I/O error")

    monkeypatch.setattr(nx, "write_graphml", broken)
    with pytest.raises(ExportError):
        export_graph(G, "graphml", target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["g.graphml"]


def test_neo4j_admin_writes_its_folder(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    written = export_graph(G, "neo4j-admin", tmp_path / "admin")
    assert written and all(p.is_file() and p.parent == tmp_path / "admin" for p in written)
    assert any("溝通協調能力" in p.read_text(encoding="utf-8") for p in written
               if p.suffix == ".csv")
