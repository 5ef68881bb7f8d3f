"""cypher.write: statement texts, the write plan of the seed graph, literal escaping, the script."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cypher import write as cypher
from graph.build import build_graph
from graph.model import Kind, Rel
from loaders.errors import ExportError
from loaders.text import parse_standard_text

TRICKY = "名稱 'single' \"double\" back\\slash\nnew line\ttab \\' end"


@pytest.fixture(scope="module")
def seed(standards_dir: Path) -> nx.MultiDiGraph:
    paths = sorted(standards_dir.glob("*.txt"))
    return build_graph([parse_standard_text(p.read_text(encoding="utf-8"), str(p)) for p in paths])


def tricky_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.add_node("occupation:Q-001v1", kind="Occupation", name=TRICKY, code="Q-001v1", level=3,
               latest=True, historical=False)
    G.add_node("skill:" + TRICKY, kind="Skill", name=TRICKY, key=TRICKY, aliases="")
    G.add_edge("occupation:Q-001v1", "skill:" + TRICKY, key="REQUIRES_SKILL",
               rel="REQUIRES_SKILL", standard="Q-001v1", task="", local_code="S01",
               path="x\\y.txt", line=7)
    return G


def test_labels_and_types_in_every_statement_come_from_the_enums(seed: nx.MultiDiGraph) -> None:
    names = {k.value for k in Kind} | {r.value for r in Rel}
    texts = [*cypher.schema_statements(), *(g.statement for g in cypher.write_plan(seed))]
    texts += [cypher.delete_batch(k) for k in Kind] + [cypher.count_rels(r) for r in Rel]
    for text in texts:
        used = set(re.findall(r"[(\[]\w*:([A-Za-z_|]+)", text))
        assert used, text
        for token in used:
            assert set(token.split("|")) <= names, text


def test_no_data_value_is_spliced_into_a_statement(seed: nx.MultiDiGraph) -> None:
    for group in cypher.write_plan(seed):
        assert "$rows" in group.statement
        for row in group.rows[:5]:
            assert str(row.get("id", row.get("src"))) not in group.statement


def test_seed_plan_holds_every_node_and_edge_once(seed: nx.MultiDiGraph) -> None:
    plan = cypher.write_plan(seed)
    node_ids = [r["id"] for g in plan if isinstance(g.target, Kind) for r in g.rows]
    edge_rows = [r for g in plan if isinstance(g.target, Rel) for r in g.rows]
    assert sorted(node_ids) == sorted(seed.nodes)
    assert len(edge_rows) == seed.number_of_edges()
    # The five seed files are the five occupations (their codes are the file names).
    occupations = next(g for g in plan if g.target is Kind.OCCUPATION)
    assert [r["id"] for r in occupations.rows] == [
        "occupation:IDC3339-001v2", "occupation:IDC5294-001v2", "occupation:KMC2431-001v4",
        "occupation:KMC2431-008v1", "occupation:KMC2431-009v2",
    ]


def test_seed_rows_carry_the_values_read_by_hand(seed: nx.MultiDiGraph) -> None:
    rows = {r["id"]: r["props"] for g in cypher.write_plan(seed) for r in g.rows if "id" in r}
    # IDC3339-001v2.txt: 職業 網紅經紀人, 基準級別 4, T1.1 發掘網紅人才, T2 執行網 紅經紀活 動.
    occ = rows["occupation:IDC3339-001v2"]
    assert (occ["name"], occ["level"], occ["kind"]) == ("網紅經紀人", 4, "Occupation")
    assert rows["task:IDC3339-001v2/T1.1"]["name"] == "發掘網紅人才"
    assert rows["duty:IDC3339-001v2/T2"]["name"] == "執行網紅經紀活動"
    assert rows["output:IDC3339-001v2/O1.1.1"]["name"] == "工作合約"


def test_relationship_rows_name_their_ends_and_drop_rel(seed: nx.MultiDiGraph) -> None:
    group = next(g for g in cypher.write_plan(seed) if g.target is Rel.HAS_DUTY)
    row = next(r for r in group.rows if r["dst"] == "duty:IDC3339-001v2/T1")
    assert row["src"] == "occupation:IDC3339-001v2"
    assert "rel" not in row["props"]


def test_batches_slice_rows_in_order() -> None:
    rows = tuple({"id": str(i), "props": {}} for i in range(7))
    group = cypher.WriteGroup(Kind.SKILL, "nodes Skill", cypher.node_merge(Kind.SKILL), rows)
    assert [len(b) for b in group.batches(3)] == [3, 3, 1]
    assert [r for b in group.batches(3) for r in b] == list(rows)


def test_unknown_kind_is_one_clear_error() -> None:
    G = nx.MultiDiGraph()
    G.add_node("x", kind="Planet")
    with pytest.raises(ExportError, match="node 'x' has unknown kind 'Planet'"):
        cypher.write_plan(G)


def test_none_and_non_finite_values_are_left_out() -> None:
    G = nx.MultiDiGraph()
    G.add_node("skill:a", kind="Skill", name="a", note=None, score=float("nan"))
    assert cypher.write_plan(G)[0].rows[0]["props"] == {"kind": "Skill", "name": "a"}


# --- literals: decode them back with an independent reading of Cypher's escapes ---

_DECODE = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}


def decode_string_literal(text: str) -> str:
    """Cypher string literal -> str, following the escapes the Cypher manual lists."""
    assert text[0] == "'" and text[-1] == "'"
    body, out, i = text[1:-1], [], 0
    while i < len(body):
        ch = body[i]
        assert ch != "'", f"unescaped quote in {text!r}"
        if ch == "\\":
            nxt = body[i + 1]
            if nxt == "u":
                out.append(chr(int(body[i + 2 : i + 6], 16)))
                i += 6
                continue
            out.append(_DECODE[nxt])
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


@given(st.text())
def test_string_literals_round_trip(value: str) -> None:
    text = cypher.literal(value)
    assert "\n" not in text and "\r" not in text  # one statement per line in the script
    assert decode_string_literal(text) == value


def test_literal_of_maps_and_lists() -> None:
    assert cypher.literal({"a`b": [1, 2.5, True, None]}) == "{`a``b`: [1, 2.5, true, null]}"


def test_script_is_the_same_statements_with_literal_rows() -> None:
    G = tricky_graph()
    lines = cypher.cypher_script(G, batch_size=1).splitlines()
    assert lines[0].startswith("//")
    body = lines[1:]
    assert all(line.endswith(";") for line in body)
    ddl = len(cypher.schema_statements())
    assert body[:ddl] == [s + ";" for s in cypher.schema_statements()]
    assert len(body) == ddl + 3  # two nodes and one relationship, batches of 1
    skill = next(line for line in body if "MERGE (n:Skill" in line)
    literal = re.search(r"`name`: ('(?:\\.|[^'\\])*')", skill)
    assert literal is not None
    assert decode_string_literal(literal.group(1)) == TRICKY
    assert skill.endswith(" AS row MERGE (n:Skill {id: row.id}) SET n += row.props;")


def test_script_refuses_batch_size_zero() -> None:
    with pytest.raises(ExportError, match="at least 1"):
        cypher.cypher_script(tricky_graph(), batch_size=0)
