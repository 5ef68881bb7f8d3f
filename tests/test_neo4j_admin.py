"""cypher.neo4j.admin: the import folder for ``neo4j-admin database import full``."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx
import pytest

from cypher.neo4j import admin as neo4j_admin
from cypher.neo4j.push import local_counts
from graph.build import build_graph
from loaders.errors import ExportError
from loaders.text import parse_standard_text

TRICKY = "名稱 'single' \"double\", comma back\\slash\nnew line\ttab"


@pytest.fixture(scope="module")
def seed(standards_dir: Path) -> nx.MultiDiGraph:
    paths = sorted(standards_dir.glob("*.txt"))
    return build_graph([parse_standard_text(p.read_text(encoding="utf-8"), str(p)) for p in paths])


def read(path: Path) -> list[list[str]]:
    # RFC 4180 with doubled quotes and multi-line fields: what the importer reads
    # with --multiline-fields=true.
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def test_seed_export_has_one_file_per_label_and_type(seed: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = neo4j_admin.write_neo4j_admin(seed, tmp_path / "import")
    counts = {k: v for k, v in local_counts(seed).items() if v}
    expected = {f"nodes_{k}.csv" for k in counts if k[0].isupper() and not k.isupper()}
    expected |= {f"rels_{k}.csv" for k in counts if k.isupper()}
    assert set(out.files) == expected | {"README.txt"}
    for name in expected:
        rows = read(out.directory / name)
        assert len(rows) - 1 == counts[name.split("_", 1)[1].removesuffix(".csv")], name


def test_headers_are_what_the_importer_expects(seed: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = neo4j_admin.write_neo4j_admin(seed, tmp_path / "import")
    occ = read(out.directory / "nodes_Occupation.csv")
    header = occ[0]
    assert header[:2] == ["id:ID", ":LABEL"]
    assert "level:int" in header and "latest:boolean" in header and "name" in header
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in occ[1:]}
    # IDC3339-001v2.txt: 職業 網紅經紀人, 基準級別 4.
    idc = rows["occupation:IDC3339-001v2"]
    assert (idc[":LABEL"], idc["name"], idc["level:int"]) == ("Occupation", "網紅經紀人", "4")
    similar = read(out.directory / "rels_SIMILAR_TO.csv")
    assert similar[0][:3] == [":START_ID", ":END_ID", ":TYPE"]
    assert "score:float" in similar[0]
    duties = read(out.directory / "rels_HAS_DUTY.csv")
    assert ["occupation:IDC3339-001v2", "duty:IDC3339-001v2/T1", "HAS_DUTY"] in [
        r[:3] for r in duties[1:]
    ]


def test_readme_holds_the_exact_command(seed: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = neo4j_admin.write_neo4j_admin(seed, tmp_path / "import")
    readme = (out.directory / "README.txt").read_text(encoding="utf-8")
    assert out.command in readme
    # The database name before the file options (Neo4j 5.19+ reads a trailing one as a file).
    assert out.command.startswith("neo4j-admin database import full neo4j ")
    for name in out.files:
        if name != "README.txt":
            flag = "--nodes=" if name.startswith("nodes_") else "--relationships="
            assert f"{flag}{name}" in out.command.split()


def test_tricky_values_round_trip(tmp_path: Path) -> None:
    G = nx.MultiDiGraph()
    G.add_node("skill:" + TRICKY, kind="Skill", name=TRICKY)
    G.add_node("skill:b", kind="Skill", name="", aliases="x")
    out = neo4j_admin.write_neo4j_admin(G, tmp_path / "import")
    rows = read(out.directory / "nodes_Skill.csv")
    header = rows[0]
    got = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert got["skill:" + TRICKY]["name"] == TRICKY
    text = (out.directory / "nodes_Skill.csv").read_text(encoding="utf-8")
    # An absent value is an empty unquoted field; an empty string stays a quoted "".
    assert '"skill:b",Skill,"x","Skill",""' in text
    assert f'"skill:{TRICKY.replace(chr(34), chr(34) * 2)}",Skill,,' in text


def test_export_replaces_its_own_folder_atomically(seed: nx.MultiDiGraph, tmp_path: Path) -> None:
    target = tmp_path / "import"
    neo4j_admin.write_neo4j_admin(seed, target)
    small = nx.MultiDiGraph()
    small.add_node("skill:a", kind="Skill", name="a")
    out = neo4j_admin.write_neo4j_admin(small, target)
    assert sorted(p.name for p in target.iterdir()) == ["README.txt", "nodes_Skill.csv"]
    assert out.files == ("README.txt", "nodes_Skill.csv")
    assert [p.name for p in tmp_path.iterdir()] == ["import"]  # no temp folders left


def test_a_folder_with_other_files_is_refused(seed: nx.MultiDiGraph, tmp_path: Path) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ExportError, match="holds other files"):
        neo4j_admin.write_neo4j_admin(seed, target)
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


def test_a_failed_write_leaves_the_old_export(
    seed: nx.MultiDiGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "import"
    neo4j_admin.write_neo4j_admin(seed, target)
    before = sorted(p.name for p in target.iterdir())
    calls = []

    def failing(self: Path, *args: object, **kwargs: object) -> int:
        calls.append(self)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    original = Path.write_text
    monkeypatch.setattr(Path, "write_text", failing)
    with pytest.raises(ExportError, match="No space left on device"):
        neo4j_admin.write_neo4j_admin(seed, target)
    monkeypatch.undo()
    assert sorted(p.name for p in target.iterdir()) == before
    assert [p.name for p in tmp_path.iterdir()] == ["import"]


def test_the_exporter_registry_entry(seed: nx.MultiDiGraph, tmp_path: Path) -> None:
    from exports.registry import export_graph

    written = export_graph(seed, "neo4j-admin", tmp_path / "out")
    assert tmp_path / "out" / "README.txt" in written
    assert all(p.exists() for p in written)
