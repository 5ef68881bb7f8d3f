"""SIMILAR_TO scoring (graph.similar) on the five seed standards and on hand-built graphs.

The seed item names below were copied by hand from the K / S / A columns of
data/standards/*.txt (each distinct name once, as printed); they are the
population the IDF is taken over, as in a graph built from the seeds.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from graph.build import build_graph
from graph.identity import item_key
from graph.model import Kind, Rel, item_id, occupation_id
from graph.similar import SimilarPair, add_similar_edges, profile_for, score_pairs
from loaders.clean import clean_name
from loaders.corpus import load_corpus
from loaders.errors import UnknownKey

SEED_KNOWLEDGE = (
    # IDC3339-001v2
    "社群生態圈與影音行銷趨勢", "網紅類型與商業模式", "網紅品牌經營要素", "網紅活動屬性",
    "網路安全與法規", "個人資料保護法", "IP 智財保護工具", "合約締結知識", "顧客關係管理",
    # IDC5294-001v2
    "網紅生態圈與影音行銷趨勢", "網紅類型與獲利模式", "數位平台特性與族群", "市場調查概念",
    "網路數位媒體工具", "數位影音平台經營策略", "個人品牌經營要素", "智慧財產權",
    "美術設計課程", "品牌管理與粉絲關係", "影片上架流程", "美學概念", "色彩學",
    "消費者心理學", "影片製作流程", "影片拍攝方法與製作流程", "人物構圖", "擺拍技巧",
    "後製格式差異及剪輯重點", "攝影設備操作知識", "影音串流", "直播技巧",
    # KMC2431-001v4
    "媒體及平台應用趨勢", "媒體型態", "媒體應用工具", "財務報表概念", "消費者媒體接觸行為",
    "成效管理", "媒體企劃提案書", "廣電相關法規", "採購規範", "採購程序", "契約書規範",
    "品質管理概念", "回饋意見蒐集方法", "資料建檔", "客戶關係管理",
    # KMC2431-008v1
    "產業現況與發展趨勢", "組織政策與流程", "市場分析範疇與架構", "市場分析方法",
    "網路行銷相關法規", "網路行銷概論", "統計方法", "組織產品與競品分析", "消費者行為模式",
    "成本概念", "策略分析方法", "網路行銷平台 (工具)", "流量分析工具使用知識", "大數據資訊概念",
    # KMC2431-009v2
    "廣電三法", "著作權法", "社群平台相關知識", "社群媒體心理學概論", "統計分析概論",
    "產業趨勢", "數位行銷概論",
)  # fmt: skip

SEED_SKILLS = (
    # IDC3339-001v2
    "資料蒐集與判別能力", "市場分析能力", "網紅個人特色觀察能力", "網紅發掘能力",
    "溝通協調能力", "談判協商能力", "合約擬定能力", "計算能力", "IP 規劃及管理能力",
    "品牌經營能力", "網紅活動行銷企劃能力", "個人品質特色定位能力", "網紅活動行銷管理能力",
    "簡易報表製作能力", "異常問題解決能力",
    # IDC5294-001v2
    "資料蒐集能力", "分析與解讀能力", "網路流量計算能力", "客戶開發能力", "談判能力",
    "專案管理能力", "個人形象塑造能力", "數位平台後台數據分析能力", "數位平台應用能力",
    "文案編輯能力", "點擊率行銷操作能力", "話題創造能力", "腳本分鏡製作能力", "創新能力",
    "影音軟體操作能力", "網路數位媒體工具應用", "平面與動態影音拍攝能力", "影音剪輯與配樂能力",
    "時間管理能力", "授權素材採購能力", "說服能力", "直播進度掌握能力", "直播狀況應變能力",
    "網路直播拍攝能力",
    # KMC2431-001v4
    "媒體企劃資料蒐集與判斷", "媒體企劃資料分析", "媒體企劃溝通協調", "媒體企劃書提案",
    "媒體企劃資源盤點與分析", "媒體企劃預算規劃", "媒體企劃視覺化簡報製作",
    "媒體型態及應用工具選擇", "媒體企劃問題判別及處理", "媒體企劃採購", "媒體企劃文書處理",
    "資訊系統應用", "媒體企劃資料建檔",
    # KMC2431-008v1
    "資料蒐集與判斷能力", "資料分析能力", "數據統計與分析能力", "市場定位能力", "客群分析能力",
    "計畫撰寫能力", "資源盤點與分析能力", "預算規劃能力", "策略規劃能力", "方案規劃能力",
    "流量分析工具應用能力", "報告撰寫能力", "視覺化簡報製作能力", "簡報技巧", "問題解決能力",
    # KMC2431-009v2
    "網路社群敏感力", "資料收集能力", "觀察分析能力", "調查統整數據能力", "製作報表能力",
    "文書處理能力", "網路跨平台行銷能力", "協同合作能力", "邏輯推理能力", "文案撰寫企畫能力",
    "公關能力", "社群對話應對能力", "社群平台操作能力",
)  # fmt: skip

SEED_ATTITUDES = (
    "自我管理", "親和力", "自信心", "應對不確定性", "彈性", "追求卓越", "持續學習", "好奇開放",
    "壓力容忍", "冒險挑戰", "主動積極", "謹慎細心", "正直誠實", "團隊意識",
)  # fmt: skip

SEEDS: dict[Kind, tuple[str, ...]] = {
    Kind.KNOWLEDGE: SEED_KNOWLEDGE,
    Kind.SKILL: SEED_SKILLS,
    Kind.ATTITUDE: SEED_ATTITUDES,
}

REQUIRED_SIMILAR = [
    (Kind.SKILL, "溝通協調能力", "媒體企劃溝通協調"),
    (Kind.KNOWLEDGE, "網紅類型與商業模式", "網紅類型與獲利模式"),
    (Kind.SKILL, "資料蒐集與判別能力", "資料蒐集與判斷能力"),
]
REQUIRED_UNRELATED = [
    (Kind.SKILL, "溝通協調能力", "專案管理能力"),
    (Kind.KNOWLEDGE, "著作權法", "個人資料保護法"),
]


def _pair(names: tuple[str, ...] | list[str], kind: Kind, a: str, b: str) -> SimilarPair | None:
    i, j = sorted((names.index(a), names.index(b)))
    found = [p for p in score_pairs(names, kind=kind.value) if (p.i, p.j) == (i, j)]
    return found[0] if found else None


def test_seed_lists_are_distinct_items() -> None:
    for names in SEEDS.values():
        assert len({item_key(n) for n in names}) == len(names)


@pytest.mark.parametrize(("kind", "a", "b"), REQUIRED_SIMILAR)
def test_required_pairs_are_similar_on_the_seeds(kind: Kind, a: str, b: str) -> None:
    pair = _pair(SEEDS[kind], kind, a, b)
    assert pair is not None
    assert pair.tier == "similar"
    assert pair.method == "lexical"
    assert pair.score >= profile_for(kind.value).similar


@pytest.mark.parametrize(("kind", "a", "b"), REQUIRED_UNRELATED)
def test_unrelated_pairs_have_no_pair_at_all(kind: Kind, a: str, b: str) -> None:
    assert _pair(SEEDS[kind], kind, a, b) is None


def test_domain_prefix_is_discounted_for_every_media_planning_skill() -> None:
    # KMC2431-001v4 writes 媒體企劃 in front of most of its skills; each of them is
    # the same skill as the plain one of KMC2431-008v1.
    for plain, prefixed in [
        ("資料分析能力", "媒體企劃資料分析"),
        ("預算規劃能力", "媒體企劃預算規劃"),
        ("文書處理能力", "媒體企劃文書處理"),
    ]:
        pair = _pair(SEED_SKILLS, Kind.SKILL, plain, prefixed)
        assert pair is not None and pair.tier == "similar"


def test_a_longer_head_is_a_review_not_a_similar_item() -> None:
    # 網路行銷相關法規 (laws) is narrower than 網路行銷概論 (an introduction).
    pair = _pair(SEED_KNOWLEDGE, Kind.KNOWLEDGE, "網路行銷概論", "網路行銷相關法規")
    assert pair is not None and pair.tier == "review"


def test_two_different_domain_prefixes_are_not_similar() -> None:
    # Real skill names of two conservation standards: the same operation on
    # paintings and on metal objects is not the same competency.
    names = [f"{p}{s}" for p in ("架上繪畫", "金屬文物")
             for s in ("清潔技術", "全色技術", "填補技術", "工法辨識", "劣損判別")]  # fmt: skip
    pair = _pair(names, Kind.SKILL, "架上繪畫清潔技術", "金屬文物清潔技術")
    assert pair is None or pair.tier == "review"


def test_two_different_laws_are_not_similar() -> None:
    # The note of KMC2431-001v4 defines 廣電三法 as these three laws; build_graph
    # adds them as Knowledge items. Laws are proper names, never near-twins.
    laws = ("廣播電視法", "有線廣播電視法", "衛星廣播電視法")
    names = (*SEED_KNOWLEDGE, *laws)
    for a, b in [(laws[0], laws[1]), (laws[0], laws[2]), (laws[1], laws[2])]:
        pair = _pair(names, Kind.KNOWLEDGE, a, b)
        assert pair is None or pair.tier == "review"


def test_bracketed_wording_is_read_inline() -> None:
    # 夾(治)具 is one word; the brackets must not split it away from 夾治具.
    names = ["夾(治)具操作能力", "夾治具的操作", "專案管理能力"]
    pair = _pair(names, Kind.SKILL, "夾(治)具操作能力", "夾治具的操作")
    assert pair is not None and pair.tier == "similar"


@pytest.mark.parametrize("kind", list(SEEDS))
def test_scores_are_bounded_ordered_and_never_self(kind: Kind) -> None:
    profile = profile_for(kind.value)
    for p in score_pairs(SEEDS[kind], kind=kind.value):
        assert 0 <= p.i < p.j < len(SEEDS[kind])
        assert profile.review <= p.score <= 1.0
        assert p.tier in {"similar", "review"}
        assert p.tier == "review" or p.score >= profile.similar


@pytest.mark.parametrize("kind", list(SEEDS))
def test_scores_do_not_depend_on_the_order_of_names(kind: Kind) -> None:
    names = list(SEEDS[kind])
    shuffled = names[:]
    random.Random(3339).shuffle(shuffled)

    def by_names(ns: list[str]) -> dict[frozenset[str], tuple[float, str]]:
        return {
            frozenset((ns[p.i], ns[p.j])): (p.score, p.tier)
            for p in score_pairs(ns, kind=kind.value)
        }

    assert by_names(names) == by_names(shuffled)


def test_unknown_kind_lists_the_valid_ones() -> None:
    with pytest.raises(UnknownKey, match="Attitude, Knowledge, Skill"):
        score_pairs(["溝通協調能力", "溝通能力"], kind="Occupation")


def test_fewer_than_two_names_have_no_pairs() -> None:
    assert score_pairs([]) == []
    assert score_pairs(["溝通協調能力"]) == []


_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
_NAME = st.text(_CJK, min_size=1, max_size=10)


@given(_NAME, st.lists(_NAME, max_size=6))
def test_identical_wordings_score_one(name: str, others: list[str]) -> None:
    names = [name, *others, name]
    pairs = [p for p in score_pairs(names) if (p.i, p.j) == (0, len(names) - 1)]
    assert len(pairs) == 1 and pairs[0].score == 1.0


@given(_NAME, _NAME, st.lists(_NAME, max_size=8))
def test_adding_names_never_links_names_without_a_common_character(
    a: str, b: str, extra: list[str]
) -> None:
    assume(not set(item_key(a)) & set(item_key(b)))
    pairs = score_pairs([a, b, *extra])
    assert all((p.i, p.j) != (0, 1) for p in pairs)


@given(st.lists(_NAME, min_size=2, max_size=10, unique=True))
def test_score_is_symmetric_under_reversal(names: list[str]) -> None:
    forward = {(names[p.i], names[p.j]): p.score for p in score_pairs(names)}
    back = names[::-1]
    backward = {(back[p.j], back[p.i]): p.score for p in score_pairs(back)}
    assert forward == backward


def _seed_graph() -> nx.MultiDiGraph:
    """A small graph as build_graph shapes it: one occupation, items of each kind."""
    G = nx.MultiDiGraph()
    occ = occupation_id("KMC2431-001v4")
    G.add_node(occ, kind=Kind.OCCUPATION.value, name="媒體企劃人員", code="KMC2431-001v4")
    for kind, names in SEEDS.items():
        for name in names:
            G.add_node(item_id(kind, name), kind=kind.value, name=name, key=item_key(name))
    # A Knowledge node spelled like a skill: kinds are never compared with each other.
    G.add_node(item_id(Kind.KNOWLEDGE, "溝通協調"), kind=Kind.KNOWLEDGE.value, name="溝通協調")
    G.add_edge(occ, item_id(Kind.ATTITUDE, "彈性"), key=Rel.REQUIRES_ATTITUDE.value,
               rel=Rel.REQUIRES_ATTITUDE.value, standard="KMC2431-001v4")  # fmt: skip
    return G


def test_add_similar_edges_links_both_ways_with_attributes() -> None:
    G = _seed_graph()
    nodes_before = dict(G.nodes(data=True))
    edges_before = G.number_of_edges()

    n = add_similar_edges(G)

    similar = [
        (u, v, d) for u, v, k, d in G.edges(keys=True, data=True) if k == Rel.SIMILAR_TO.value
    ]
    assert n > 0 and len(similar) == 2 * n
    assert G.number_of_edges() == edges_before + 2 * n
    assert dict(G.nodes(data=True)) == nodes_before  # nothing merged, added or changed
    for u, v, d in similar:
        assert u != v
        assert G.nodes[u]["kind"] == G.nodes[v]["kind"]
        assert set(d) == {"rel", "score", "method", "tier"}
        assert d["rel"] == Rel.SIMILAR_TO.value and d["method"] == "lexical"
        assert d["tier"] in {"similar", "review"} and 0.0 < d["score"] <= 1.0
        assert d["score"] == round(d["score"], 3)
        assert G.get_edge_data(v, u, key=Rel.SIMILAR_TO.value) == d

    a, b = item_id(Kind.SKILL, "溝通協調能力"), item_id(Kind.SKILL, "媒體企劃溝通協調")
    assert G.get_edge_data(a, b, key=Rel.SIMILAR_TO.value)["tier"] == "similar"
    assert G.get_edge_data(b, a, key=Rel.SIMILAR_TO.value)["tier"] == "similar"
    assert not G.has_edge(item_id(Kind.SKILL, "溝通協調能力"), item_id(Kind.SKILL, "專案管理能力"))
    assert not G.has_edge(
        item_id(Kind.KNOWLEDGE, "著作權法"), item_id(Kind.KNOWLEDGE, "個人資料保護法")
    )
    assert not G.has_edge(item_id(Kind.KNOWLEDGE, "溝通協調"), item_id(Kind.SKILL, "溝通協調能力"))


def test_graph_built_from_the_seed_files_links_the_required_pairs(standards_dir: Path) -> None:
    G = build_graph(load_corpus([standards_dir]).standards)
    for kind, a, b in REQUIRED_SIMILAR:
        edge = G.get_edge_data(item_id(kind, a), item_id(kind, b), key=Rel.SIMILAR_TO.value)
        assert edge is not None and edge["tier"] == "similar", (a, b, edge)
    for kind, a, b in REQUIRED_UNRELATED:
        assert not G.has_edge(item_id(kind, a), item_id(kind, b))


def test_add_similar_edges_on_a_graph_without_items() -> None:
    G = nx.MultiDiGraph()
    G.add_node(occupation_id("IDC3339-001v2"), kind=Kind.OCCUPATION.value, name="網紅經紀人")
    assert add_similar_edges(G) == 0
    assert G.number_of_edges() == 0


_FIELDS = {
    Kind.KNOWLEDGE: "competency_knowledge",
    Kind.SKILL: "competency_skills",
    Kind.ATTITUDE: "competency_attitudes",
}


@pytest.mark.corpus
def test_required_pairs_hold_with_the_idf_of_the_whole_corpus(corpus_dir: Path) -> None:
    names: dict[Kind, dict[str, str]] = {k: {item_key(n): n for n in v} for k, v in SEEDS.items()}
    for path in sorted(corpus_dir.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for kind, field in _FIELDS.items():
            for entry in doc.get(field) or []:
                name, _marks = clean_name(str(entry.get("name") or ""))
                if name:
                    names[kind].setdefault(item_key(name), name)
    for kind in (Kind.KNOWLEDGE, Kind.SKILL):
        ns = sorted(names[kind].values())
        found = {frozenset((ns[p.i], ns[p.j])): p for p in score_pairs(ns, kind=kind.value)}
        for k, a, b in REQUIRED_SIMILAR:
            if k == kind:
                pair = found.get(frozenset((a, b)))
                assert pair is not None and pair.tier == "similar", (a, b, pair)
        for k, a, b in REQUIRED_UNRELATED:
            if k == kind:
                assert frozenset((a, b)) not in found
