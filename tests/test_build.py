"""The competency graph built from the five seed standards.

Expected values were worked out by reading data/standards/*.txt by hand (see the
comments next to each number).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from graph.aliases import load_aliases
from graph.build import build_graph
from graph.lookup import occupations_using
from graph.model import Kind, Rel, item_id, occupation_id, part_id
from loaders.corpus import load_corpus
from loaders.records import Duty, Item, SourceInfo, SourceRef, Standard, Task

ALIASES = load_aliases(
    "kind,name,canonical,reason\n"
    "knowledge,客戶關係管理,顧客關係管理,CRM 的兩種譯名\n"
    "skill,資料收集能力,資料蒐集能力,收集與蒐集同義\n",
    "aliases.csv",
)
SEEDS = ("IDC3339-001v2", "IDC5294-001v2", "KMC2431-001v4", "KMC2431-008v1", "KMC2431-009v2")


def load_seeds(folder: Path) -> tuple[Standard, ...]:
    corpus = load_corpus([str(folder)])
    assert corpus.failures == ()
    return corpus.standards


@pytest.fixture(scope="module")
def seeds(standards_dir: Path) -> tuple[Standard, ...]:
    return load_seeds(standards_dir)


@pytest.fixture(scope="module")
def G(seeds: tuple[Standard, ...]) -> nx.MultiDiGraph:
    return build_graph(seeds, similar=False)


@pytest.fixture(scope="module")
def GA(seeds: tuple[Standard, ...]) -> nx.MultiDiGraph:
    return build_graph(seeds, ALIASES, similar=False)


def kinds(G: nx.MultiDiGraph) -> Counter[str]:
    return Counter(kind for _n, kind in G.nodes(data="kind"))


def rels(G: nx.MultiDiGraph) -> Counter[str]:
    return Counter(key for _u, _v, key in G.edges(keys=True))


def test_communication_skill_is_one_node_used_by_four(G: nx.MultiDiGraph) -> None:
    # S05 (IDC3339), S13 (IDC5294), S11 (KMC2431-008v1), S08 (KMC2431-009v2).
    named = [n for n, d in G.nodes(data=True) if d.get("name") == "溝通協調能力"]
    assert named == ["skill:溝通協調能力"]
    assert occupations_using(G, "skill:溝通協調能力") == [
        "IDC3339-001v2", "IDC5294-001v2", "KMC2431-008v1", "KMC2431-009v2"
    ]


def test_personal_data_law_direct_and_through_notes(G: nx.MultiDiGraph) -> None:
    node = "knowledge:個人資料保護法"
    assert G.nodes[node]["kind"] == "Knowledge" and G.nodes[node]["from_note"] is False
    # K06 of IDC3339-001v2, K02 of KMC2431-009v2.
    assert occupations_using(G, node) == ["IDC3339-001v2", "KMC2431-009v2"]
    includers = {u: d for u, _v, k, d in G.in_edges(node, keys=True, data=True)
                 if k == Rel.INCLUDES}
    assert set(includers) == {"knowledge:網路行銷相關法規", "knowledge:廣電相關法規"}
    assert includers["knowledge:網路行銷相關法規"]["standard"] == "KMC2431-008v1"
    assert includers["knowledge:網路行銷相關法規"]["note"] == "註1"
    assert includers["knowledge:網路行銷相關法規"]["line"] == 43
    assert includers["knowledge:廣電相關法規"]["standard"] == "KMC2431-001v4"
    assert includers["knowledge:廣電相關法規"]["path"].endswith("KMC2431-001v4.txt")
    # The umbrella terms themselves are K05 of 008v1 and K08 of 001v4.
    assert occupations_using(G, "knowledge:網路行銷相關法規") == ["KMC2431-008v1"]
    assert occupations_using(G, "knowledge:廣電相關法規") == ["KMC2431-001v4"]


def test_k01_is_never_merged_across_standards(G: nx.MultiDiGraph) -> None:
    k01 = {
        d["standard"]: v
        for _u, v, k, d in G.edges(keys=True, data=True)
        if k == Rel.REQUIRES_KNOWLEDGE and d["local_code"] == "K01"
    }
    assert k01 == {
        "IDC3339-001v2": item_id(Kind.KNOWLEDGE, "社群生態圈與影音行銷趨勢"),
        "IDC5294-001v2": item_id(Kind.KNOWLEDGE, "網紅生態圈與影音行銷趨勢"),
        "KMC2431-001v4": item_id(Kind.KNOWLEDGE, "媒體及平台應用趨勢"),
        "KMC2431-008v1": item_id(Kind.KNOWLEDGE, "產業現況與發展趨勢"),
        "KMC2431-009v2": item_id(Kind.KNOWLEDGE, "廣電三法"),
    }


def test_node_counts(G: nx.MultiDiGraph) -> None:
    counts = kinds(G)
    assert counts["Occupation"] == 5
    assert counts["Duty"] == 12  # 2 + 2 + 2 + 3 + 3
    assert counts["Task"] == 27  # 4 + 5 + 5 + 6 + 7
    # 72 K entries, 5 shared by two standards (網路安全與法規, 合約締結知識, 財務報表概念,
    # 個人資料保護法, 消費者心理學) = 67, plus 17 only named in notes.
    assert counts["Knowledge"] == 84
    # 85 S entries; 溝通協調能力 x4, 專案管理能力 x2, 問題解決能力 x2 = 80.
    assert counts["Skill"] == 80
    assert counts["Attitude"] == 14
    assert (counts["Category"], counts["OccupationGroup"], counts["Industry"]) == (2, 3, 4)


def test_edge_counts(G: nx.MultiDiGraph) -> None:
    counts = rels(G)
    assert counts["HAS_DUTY"] == 12
    assert counts["HAS_TASK"] == 27
    assert counts["REQUIRES_ATTITUDE"] == 33  # 6 + 7 + 7 + 6 + 7
    # 009v2: 3 (廣電三法); 008v1 註1: 6 members + 1 + 4 examples, 註3: 4; 001v4 註1: 5.
    assert counts["INCLUDES"] == 23
    assert counts["IN_CATEGORY"] == counts["IN_GROUP"] == counts["IN_INDUSTRY"] == 5
    assert counts["SIMILAR_TO"] == 0


def test_requires_edges_carry_provenance(G: nx.MultiDiGraph) -> None:
    task = part_id(Kind.TASK, "IDC3339-001v2", "T1.1")
    data = G.get_edge_data(task, "knowledge:個人資料保護法", key=Rel.REQUIRES_KNOWLEDGE.value)
    assert data["rel"] == "REQUIRES_KNOWLEDGE"
    assert (data["standard"], data["task"], data["local_code"]) == ("IDC3339-001v2", "T1.1", "K06")
    assert data["path"].endswith("IDC3339-001v2.txt")
    assert data["line"] == 19
    att = G.get_edge_data(occupation_id("KMC2431-008v1"), "attitude:團隊意識",
                          key=Rel.REQUIRES_ATTITUDE.value)
    assert (att["task"], att["local_code"]) == ("", "A04")


def test_every_edge_key_is_its_rel(G: nx.MultiDiGraph) -> None:
    valid = {r.value for r in Rel}
    for u, v, key, data in G.edges(keys=True, data=True):
        assert key == data["rel"] and key in valid, (u, v, key)


def test_node_attributes_are_plain(G: nx.MultiDiGraph) -> None:
    for node, data in G.nodes(data=True):
        assert data["kind"] in {k.value for k in Kind}, node
        for value in data.values():
            assert isinstance(value, str | int | float | bool), (node, value)


def test_occupation_node(G: nx.MultiDiGraph) -> None:
    occ = G.nodes[occupation_id("KMC2431-008v1")]
    assert (occ["name"], occ["code"], occ["level"]) == ("網路行銷企劃主管", "KMC2431-008v1", 4)
    assert occ["latest"] is True and occ["historical"] is False
    assert json.loads(occ["versions"]) == []  # 008v1 has no version table
    notes = json.loads(occ["notes"])
    assert notes[0]["mark"] == "註1" and notes[0]["term"] == "網路行銷相關法規"
    assert len(notes) == 9
    targets = {v for _u, v, k in G.out_edges(occupation_id("KMC2431-008v1"), keys=True)
               if k in ("IN_CATEGORY", "IN_GROUP", "IN_INDUSTRY")}
    assert targets == {"category:KMC", "group:2431", "industry:G4871"}
    assert G.nodes["industry:G4871"]["name"] == "批發及零售業 / 零售業"
    v4 = json.loads(G.nodes[occupation_id("KMC2431-001v4")]["versions"])
    assert [v["version"] for v in v4] == ["V4", "V3", "V2", "V1"]


def test_structure_of_a_task(G: nx.MultiDiGraph) -> None:
    task = part_id(Kind.TASK, "IDC5294-001v2", "T1.2")
    assert G.nodes[task]["name"] == "承接專案"  # 'T1.2 承接' + '專案' across a page break
    assert G.nodes[task]["level"] == 4
    assert G.nodes[task]["standard"] == "IDC5294-001v2"
    outputs = [v for _u, v, k in G.out_edges(task, keys=True) if k == Rel.PRODUCES]
    assert outputs == [part_id(Kind.OUTPUT, "IDC5294-001v2", "O1.2.1")]
    assert G.nodes[outputs[0]]["name"] == "專案合約"
    duty = part_id(Kind.DUTY, "IDC5294-001v2", "T1")
    assert G.has_edge(duty, task, key=Rel.HAS_TASK.value)
    assert G.has_edge(occupation_id("IDC5294-001v2"), duty, key=Rel.HAS_DUTY.value)


def test_term_expansion_nodes_are_marked(G: nx.MultiDiGraph) -> None:
    three = {v for _u, v, k in G.out_edges("knowledge:廣電三法", keys=True) if k == Rel.INCLUDES}
    assert three == {"knowledge:廣播電視法", "knowledge:有線廣播電視法", "knowledge:衛星廣播電視法"}
    assert all(G.nodes[n]["from_note"] for n in three)
    # 智慧財產權 is K09 of IDC5294-001v2 and a member of 廣電相關法規: one node, not from a note.
    assert G.nodes["knowledge:智慧財產權"]["from_note"] is False
    assert G.has_edge("knowledge:廣電相關法規", "knowledge:智慧財產權", key="INCLUDES")
    # Examples in parentheses hang under their member.
    assert G.has_edge("knowledge:智慧財產權相關法規", "knowledge:著作權法", key="INCLUDES")
    # 策略分析方法 (註4) is a list of phrases, not items: not expanded.
    assert not [v for _u, v, k in G.out_edges("knowledge:策略分析方法", keys=True)
                if k == Rel.INCLUDES]


def test_aliases_merge_and_are_recorded(G: nx.MultiDiGraph, GA: nx.MultiDiGraph) -> None:
    assert "knowledge:客戶關係管理" in G and "knowledge:客戶關係管理" not in GA
    node = GA.nodes["knowledge:顧客關係管理"]
    assert node["aliases"] == "客戶關係管理"
    applied = json.loads(node["applied_aliases"])
    assert [(a["name"], a["canonical"], a["line"]) for a in applied] == [
        ("客戶關係管理", "顧客關係管理", 2)
    ]
    # K09 of IDC3339-001v2 and K15 of KMC2431-001v4.
    assert occupations_using(GA, "knowledge:顧客關係管理") == ["IDC3339-001v2", "KMC2431-001v4"]
    # S01 of IDC5294-001v2 (資料蒐集能力) and S02 of KMC2431-009v2 (資料收集能力).
    assert occupations_using(GA, "skill:資料蒐集能力") == ["IDC5294-001v2", "KMC2431-009v2"]
    assert kinds(GA)["Knowledge"] == kinds(G)["Knowledge"] - 1


def test_build_is_pure_and_deterministic(seeds: tuple[Standard, ...]) -> None:
    a = build_graph(seeds, ALIASES, similar=False)
    b = build_graph(seeds, ALIASES, similar=False)
    assert nx.utils.graphs_equal(a, b)
    assert list(a.nodes) == list(b.nodes)


def test_similar_edges_when_scoring_is_on(seeds: tuple[Standard, ...]) -> None:
    G = build_graph(seeds, similar=True)
    similar = {(u, v) for u, v, k in G.edges(keys=True) if k == Rel.SIMILAR_TO}
    assert ("skill:溝通協調能力", "skill:媒體企劃溝通協調") in similar
    assert ("skill:媒體企劃溝通協調", "skill:溝通協調能力") in similar


def _std(code: str, items: tuple[Item, ...], tasks: tuple[Task, ...]) -> Standard:
    return Standard(code, code, None, "", (), (), (), (), (Duty("T1", "職責", tasks),),
                    tuple(i for i in items if i.kind == "knowledge"),
                    tuple(i for i in items if i.kind == "skill"), (), "", (),
                    SourceInfo(f"{code}.txt", "", "text"))


def test_undefined_code_is_skipped_and_display_name_is_most_frequent() -> None:
    ref = SourceRef("a.txt", 3)
    a = _std("A-001v1", (Item("skill", "S01", "資料搜集能力", source=ref),),
             (Task("T1.1", "甲", None, skills=("S01", "S99")),))
    b = _std("B-001v1", (Item("skill", "S01", "資料蒐集能力"),),
             (Task("T1.1", "乙", None, skills=("S01",)),))
    c = _std("C-001v1", (Item("skill", "S07", "資料 蒐集能力"),),
             (Task("T1.1", "丙", None, skills=("S07",)),))
    G = build_graph([a, b, c], similar=False)
    items = [n for n, k in G.nodes(data="kind") if k == "Skill"]
    assert items == ["skill:資料蒐集能力"]
    assert G.nodes["skill:資料蒐集能力"]["aliases"] == "資料搜集能力"
    assert rels(G)["REQUIRES_SKILL"] == 3
    assert "level" not in G.nodes["task:A-001v1/T1.1"]
    assert "level" not in G.nodes["occupation:A-001v1"]


def test_duplicate_standard_code_keeps_the_first() -> None:
    a = _std("A-001v1", (Item("skill", "S01", "甲能力"),),
             (Task("T1.1", "甲", 2, skills=("S01",)),))
    b = _std("A-001v1", (Item("skill", "S01", "乙能力"),),
             (Task("T1.1", "乙", 2, skills=("S01",)),))
    G = build_graph([a, b], similar=False)
    assert G.nodes["task:A-001v1/T1.1"]["name"] == "甲"
    assert "skill:乙能力" not in G


def test_item_with_an_empty_name_gets_no_node() -> None:
    std = _std("A-001v1", (Item("skill", "S01", " <p></p> "), Item("skill", "S02", "談判能力")),
               (Task("T1.1", "甲", 2, skills=("S01", "S02")),))
    G = build_graph([std], similar=False)
    assert [n for n, k in G.nodes(data="kind") if k == "Skill"] == ["skill:談判能力"]
    assert rels(G)["REQUIRES_SKILL"] == 1


@pytest.mark.corpus
def test_corpus_items_are_keyed_by_name_never_by_code(corpus_dir: Path) -> None:
    from graph.identity import item_key

    standards = load_corpus([str(corpus_dir)]).standards
    G = build_graph(standards, similar=False)
    by_code = {s.code: s for s in standards}
    checked = 0
    for _u, v, key, d in G.edges(keys=True, data=True):
        if key not in ("REQUIRES_KNOWLEDGE", "REQUIRES_SKILL", "REQUIRES_ATTITUDE"):
            continue
        std = by_code[d["standard"]]
        (item,) = [i for i in std.items() if i.code == d["local_code"]
                   and key.endswith(i.kind.upper())]
        assert G.nodes[v]["key"] == item_key(item.name), (d, item)
        checked += 1
    assert checked > 80_000
    # Local codes are reused by every standard; the nodes they point to are not one.
    k01 = {v for _u, v, k, d in G.edges(keys=True, data=True)
           if k == "REQUIRES_KNOWLEDGE" and d["local_code"] == "K01"}
    assert len(k01) > 500


def test_alias_to_a_canonical_the_data_never_spells() -> None:
    aliases = load_aliases("kind,name,canonical,reason\nskill,談判 能力,議價能力,r\n"
                           "skill,議價能力,協商談判能力,r\n", "a.csv")
    std = _std("A-001v1", (Item("skill", "S01", "談判能力"),),
               (Task("T1.1", "甲", 2, skills=("S01",)),))
    G = build_graph([std], aliases, similar=False)
    # The chain 談判能力 → 議價能力 → 協商談判能力 is followed to its end.
    assert [n for n, k in G.nodes(data="kind") if k == "Skill"] == ["skill:協商談判能力"]
    node = G.nodes["skill:協商談判能力"]
    assert node["aliases"] == "談判能力" and node["from_note"] is False
    assert [a["name"] for a in json.loads(node["applied_aliases"])] == ["談判 能力"]
    assert occupations_using(G, "skill:協商談判能力") == ["A-001v1"]


def test_alias_of_another_kind_does_not_apply() -> None:
    aliases = load_aliases("kind,name,canonical,reason\nknowledge,談判能力,議價,r\n", "a.csv")
    std = _std("A-001v1", (Item("skill", "S01", "談判能力"),),
               (Task("T1.1", "甲", 2, skills=("S01",)),))
    assert "skill:談判能力" in build_graph([std], aliases, similar=False)


def test_alias_applied_to_a_note_member_keeps_from_note() -> None:
    from loaders.records import Note

    aliases = load_aliases("kind,name,canonical,reason\nknowledge,個資法,個人資料保護法,r\n",
                           "a.csv")
    std = Standard("A-001v1", "甲", None, "", (), (), (), (),
                   (Duty("T1", "職責", (Task("T1.1", "甲", 2, knowledge=("K01",)),)),),
                   (Item("knowledge", "K01", "相關法規"),), (), (), "",
                   (Note("註1", "個資法、著作權法", term="相關法規"),),
                   SourceInfo("a.txt", "", "text"))
    G = build_graph([std], aliases, similar=False)
    assert G.has_edge("knowledge:相關法規", "knowledge:個人資料保護法", key="INCLUDES")
    assert G.nodes["knowledge:個人資料保護法"]["from_note"] is True
    assert G.nodes["knowledge:個人資料保護法"]["aliases"] == "個資法"
    assert G.nodes["knowledge:相關法規"]["from_note"] is False
