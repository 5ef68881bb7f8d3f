"""gap: the target's requirements classified as covered / partly covered / missing, ordered
by importance; errors."""

from __future__ import annotations

import pytest
from graphs import sample, seeds

from loaders.errors import QueryError, UnknownOccupation
from queries.gap import gap

A, B = "AAA1111-001v2", "BBB2222-001v2"


def test_sample_missing_items_in_order() -> None:
    r = gap(sample(), A, B)
    assert (r["source"], r["target"]) == (A, B)
    # B's items A lacks outright: 數位平台應用能力 (T2.1 lvl 4 + T2.2 lvl 3 = 7), 彈性
    # (attitude: once at B's level 4), 影音剪輯能力 (T2.2, 3). 網紅類型與獲利模式 (4) is not
    # missing: A has its SIMILAR_TO twin 網紅類型與商業模式.
    assert [(m["name"], m["importance"]) for m in r["missing"]] == [
        ("數位平台應用能力", 7), ("彈性", 4), ("影音剪輯能力", 3)]
    assert r["missing"][0]["tasks"] == ["T2.1", "T2.2"]
    assert r["missing"][1]["tasks"] == []
    assert all(m["credit"] == 0.0 and m["partly_covered_by"] == [] for m in r["missing"])


def test_sample_covered_items_by_importance_then_kind() -> None:
    r = gap(sample(), A, B)
    # 合約締結知識 (B's T1.1, 4), 網路安全與法規 (T2.1, 4), 溝通協調能力 (T1.1, 4), 自信心
    # (attitude at B's level 4): a tie at 4, so knowledge by name, then skill, then attitude.
    assert [(c["name"], c["kind"], c["importance"]) for c in r["covered"]] == [
        ("合約締結知識", "knowledge", 4), ("網路安全與法規", "knowledge", 4),
        ("溝通協調能力", "skill", 4), ("自信心", "attitude", 4)]
    assert all(c["credit"] == 1.0 for c in r["covered"])


def test_sample_similar_item_is_partly_covered_with_its_match() -> None:
    (partly,) = gap(sample(), A, B)["partly"]
    assert (partly["name"], partly["importance"], partly["tasks"]) == (
        "網紅類型與獲利模式", 4, ["T1.1"])
    # The sample's SIMILAR_TO edge has score 0.8, tier similar: credit 0.8.
    assert partly["match"] == {"id": "knowledge:網紅類型與商業模式", "name": "網紅類型與商業模式",
                               "score": 0.8, "credit": 0.8, "via": "similar"}
    assert partly["credit"] == 0.8
    assert partly["partly_covered_by"] == [
        {"id": "knowledge:網紅類型與商業模式", "name": "網紅類型與商業模式", "score": 0.8,
         "via": "similar"}]


def test_gap_is_directional() -> None:
    r = gap(sample(), B, A)
    assert {m["name"] for m in r["missing"]} == {"談判協商能力"}
    assert {p["name"] for p in r["partly"]} == {"網紅類型與商業模式"}


def test_components_explain_the_score() -> None:
    r = gap(sample(), A, B)
    c = r["components"]
    assert c["exact"] == ["合約締結知識", "網路安全與法規", "溝通協調能力", "自信心"]
    assert c["similar"] == [{"source": "網紅類型與商業模式", "target": "網紅類型與獲利模式",
                             "score": 0.8, "via": "similar"}]
    # coverage = Σ weight × credit / Σ weight over the three lists.
    items = r["covered"] + r["partly"] + r["missing"]
    total = sum(i["weight"] for i in items)
    expected = sum(i["weight"] * i["credit"] for i in items) / total
    assert c["coverage"] == pytest.approx(expected, abs=2e-4)
    assert r["confidence"] in ("高", "中", "低")


def test_same_occupation_and_unknown_code() -> None:
    with pytest.raises(QueryError, match="same occupation"):
        gap(sample(), A, "網紅經紀人")
    with pytest.raises(UnknownOccupation):
        gap(sample(), A, "ZZZ")


# --- seeds, by hand from data/standards ---

def test_seed_gap_influencer_agent_to_streamer() -> None:
    r = gap(seeds(), "IDC3339-001v2", "IDC5294-001v2")
    first = r["missing"][0]
    # K09 智慧財產權 is used by all four level-4 tasks T1.2 (continued row), T2.1, T2.2, T2.3;
    # IDC3339-001v2 has nothing like it.
    assert (first["name"], first["importance"]) == ("智慧財產權", 16)
    assert first["tasks"] == ["T1.2", "T2.1", "T2.2", "T2.3"]
    # Then the three skills used by three level-4 tasks each, by name.
    assert [(m["name"], m["importance"]) for m in r["missing"][1:4]] == [
        ("數位平台後台數據分析能力", 12), ("數位平台應用能力", 12), ("文案編輯能力", 12)]
    # The six items both standards name the same way.
    assert {c["name"] for c in r["covered"]} == {
        "合約締結知識", "網路安全與法規", "溝通協調能力", "自信心", "應對不確定性", "彈性"}
    # IDC3339 K03 網紅類型與商業模式 ~ IDC5294 網紅類型與獲利模式: partly, not missing.
    partly = {p["name"]: p for p in r["partly"]}
    assert partly["網紅類型與獲利模式"]["match"]["name"] == "網紅類型與商業模式"
    # IDC5294 requires 24 K + 25 S + 7 A = 56 items, each in exactly one list.
    ids = [i["id"] for key in ("covered", "partly", "missing") for i in r[key]]  # type: ignore[literal-required]
    assert len(ids) == len(set(ids)) == 56


def test_seed_term_in_a_note_partly_covers() -> None:
    # KMC2431-008v1 requires 網路行銷相關法規, whose note 【註1】 lists 個人資料保護法,
    # which IDC3339-001v2 requires directly (K06).
    r = gap(seeds(), "KMC2431-008v1", "IDC3339-001v2")
    partly = {p["name"]: p for p in r["partly"]}
    match = partly["個人資料保護法"]["match"]
    assert (match["name"], match["via"], match["score"]) == ("網路行銷相關法規", "includes", None)
    assert "個人資料保護法" not in {m["name"] for m in r["missing"]}


def test_issue_13_a_similar_item_is_never_also_a_gap() -> None:
    # KMC2431-001v4 (媒體企劃人員) writes 媒體企劃溝通協調 (S03) where IDC3339-001v2 has
    # 溝通協調能力 (S05): one partial match, the same on every page.
    r = gap(seeds(), "IDC3339-001v2", "KMC2431-001v4")
    partly = {p["name"]: p for p in r["partly"]}
    assert partly["媒體企劃溝通協調"]["match"]["name"] == "溝通協調能力"
    assert "媒體企劃溝通協調" not in {m["name"] for m in r["missing"]}
