"""The kind table is the one source of truth: adding a kind is one row (plus its loader
mapping), shown by adding a fake kind, 證照 Certificate, to a copy of the code."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph.kinds import INFO, ITEM_KINDS, KINDS, REQUIRES, Kind, Rel, find, info
from graph.model import kind_of
from loaders.errors import UnknownKey

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("graph", "loaders", "queries", "cypher", "exports", "cli", "app_pages")

# The whole change that adds a kind: an enum member and a row in graph/kinds.py, and the
# record field a loader fills (loaders/records.py). Nothing else in the tree is edited.
KIND_PATCH = (
    ('    INDUSTRY = "Industry"\n',
     '    INDUSTRY = "Industry"\n    CERTIFICATE = "Certificate"\n'),
    ('    SIMILAR_TO = "SIMILAR_TO"\n',
     '    SIMILAR_TO = "SIMILAR_TO"\n    REQUIRES_CERTIFICATE = "REQUIRES_CERTIFICATE"\n'),
    ('             "#17becf", record_field="industry", member_of=Rel.IN_INDUSTRY),\n',
     '             "#17becf", record_field="industry", member_of=Rel.IN_INDUSTRY),\n'
     '    KindInfo(Kind.CERTIFICATE, "certificate", "certificate", "certificates", "證照",\n'
     '             "Certificate", "#ff9896", item=True, letter="C",\n'
     '             requires=Rel.REQUIRES_CERTIFICATE, record_field="certificates"),\n'),
)
LOADER_PATCH = (
    ('ItemKind = Literal["knowledge", "skill", "attitude"]',
     'ItemKind = Literal["knowledge", "skill", "attitude", "certificate"]'),
    ("    latest: bool = True\n",
     "    latest: bool = True\n    certificates: tuple[Item, ...] = ()\n"),
    ("        return self.knowledge + self.skills + self.attitudes\n",
     "        return self.knowledge + self.skills + self.attitudes + self.certificates\n"),
)

# Run inside the patched copy: two seeds require one certificate; every layer must know it.
PROBE = r'''
import dataclasses, json, tempfile
from pathlib import Path
from graph.build import build_graph
from loaders.corpus import load_corpus
from loaders.records import Item, SourceRef
cert = "丙級電腦軟體應用技術士"
stds = list(load_corpus(["data/standards"]).standards)
for i in (0, 1):
    stds[i] = dataclasses.replace(stds[i], certificates=(
        Item("certificate", "C01", cert, source=SourceRef(stds[i].source.path, 1)),))
G = build_graph(stds)
out = {}
node = "certificate:" + cert
out["node"] = G.nodes[node]["kind"]
out["required_by"] = sorted(u for u, _, k in G.in_edges(node, keys=True))
from queries.overlap import overlap
shared = overlap(G, [stds[0].code, stds[1].code])["shared"]
out["shared"] = [e["name"] for e in shared["certificates"]]
from queries.occupations import requirements
out["requirements"] = [r["kind"] for r in requirements(G, stds[0].code) if r["name"] == cert]
from graph.lookup import graph_stats as stats
out["stats"] = stats(G)["shared"].get("Certificate")
from cypher.write import schema_statements, write_plan
out["cypher"] = [g.statement for g in write_plan(G) if "Certificate" in g.statement]
out["schema"] = [s for s in schema_statements() if "Certificate" in s]
from exports.registry import export_graph
folder = Path(tempfile.mkdtemp())
out["admin"] = sorted(p.name for p in export_graph(G, "neo4j-admin", folder / "a")
                      if "certificate" in p.name.lower())
from app_pages.labels import KIND_LABEL
from app_pages.pyvis_view import KIND_COLOUR
out["app"] = [KIND_LABEL["Certificate"], KIND_COLOUR["Certificate"]]
from cli.views import _KIND_TITLE
out["cli"] = _KIND_TITLE["certificates"]
print(json.dumps(out, ensure_ascii=False))
'''


def test_table_rows_are_consistent() -> None:
    assert [row.kind for row in KINDS] == list(Kind)  # every kind has exactly one row
    assert len({row.prefix for row in KINDS}) == len(KINDS)
    for row in KINDS:
        assert kind_of(f"{row.prefix}:x") is row.kind
        assert (row.requires is not None) == row.item
    assert set(REQUIRES.values()) == {r for r in Rel if r.value.startswith("REQUIRES_")}
    assert ITEM_KINDS == (Kind.KNOWLEDGE, Kind.SKILL, Kind.ATTITUDE)
    assert INFO[Kind.ATTITUDE].task_field is None  # required by the occupation as a whole
    assert find("skills") is INFO[Kind.SKILL] and find("nope") is None
    with pytest.raises(UnknownKey, match="Occupation"):
        info("nope")


def _patch(path: Path, pairs: tuple[tuple[str, str], ...]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert text.count(old) == 1, f"{path.name}: the patch no longer applies: {old!r}"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def test_adding_a_kind_is_one_row_plus_its_loader_mapping(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tree / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "data", tree / "data")
    _patch(tree / "graph" / "kinds.py", KIND_PATCH)
    _patch(tree / "loaders" / "records.py", LOADER_PATCH)
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=tree, capture_output=True,
                          text=True, timeout=300, check=False,
                          env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin",
                               "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["node"] == "Certificate"
    assert out["required_by"] == ["occupation:IDC3339-001v2", "occupation:IDC5294-001v2"]
    assert out["shared"] == ["丙級電腦軟體應用技術士"]
    assert out["requirements"] == ["certificate"]
    assert out["stats"] == 1
    assert out["cypher"] == [
        "UNWIND $rows AS row MERGE (n:Certificate {id: row.id}) SET n += row.props",
        "UNWIND $rows AS row MATCH (a:Occupation {id: row.src}) "
        "MATCH (b:Certificate {id: row.dst}) "
        "MERGE (a)-[r:REQUIRES_CERTIFICATE]->(b) SET r += row.props"]
    assert [s.split()[1] for s in out["schema"]] == ["CONSTRAINT", "FULLTEXT"]  # id, names
    assert out["admin"] == ["nodes_Certificate.csv", "rels_REQUIRES_CERTIFICATE.csv"]
    assert out["app"] == ["證照", "#ff9896"]
    assert out["cli"] == "證照 Certificate"
