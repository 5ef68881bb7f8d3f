"""gap: missing items ordered by importance, partly covered items, errors."""

from __future__ import annotations

import pytest
from graphs import sample, seeds

from loaders.errors import QueryError, UnknownOccupation
from queries.gap import gap

A, B = "AAA1111-001v2", "BBB2222-001v2"


def test_sample_missing_items_in_order() -> None:
    r = gap(sample(), A, B)
    assert (r["source"], r["target"]) == (A, B)
    # B's items A lacks: 數位平台應用能力 (T2.1 lvl 4 + T2.2 lvl 3 = 7), 網紅類型與獲利模式 (4),
    # 彈性 (attitude: once at B's level 4), 影音剪輯能力 (T2.2, 3). Ties: knowledge first.
    assert [(m["name"], m["importance"]) for m in r["missing"]] == [
        ("數位平台應用能力", 7), ("網紅類型與獲利模式", 4), ("彈性", 4), ("影音剪輯能力", 3)]
    assert r["missing"][0]["tasks"] == ["T2.1", "T2.2"]
    assert r["missing"][2]["tasks"] == []


def test_sample_similar_item_marks_partial_cover() -> None:
    missing = {m["name"]: m for m in gap(sample(), A, B)["missing"]}
    assert missing["網紅類型與獲利模式"]["partly_covered_by"] == [
        {"id": "knowledge:網紅類型與商業模式", "name": "網紅類型與商業模式", "score": 0.8,
         "via": "similar"}]
    assert missing["影音剪輯能力"]["partly_covered_by"] == []


def test_gap_is_directional() -> None:
    names = {m["name"] for m in gap(sample(), B, A)["missing"]}
    assert names == {"網紅類型與商業模式", "談判協商能力"}


def test_same_occupation_and_unknown_code() -> None:
    with pytest.raises(QueryError, match="same occupation"):
        gap(sample(), A, "網紅經紀人")
    with pytest.raises(UnknownOccupation):
        gap(sample(), A, "ZZZ")


# --- seeds, by hand from data/standards ---

def test_seed_gap_influencer_agent_to_streamer() -> None:
    r = gap(seeds(), "IDC3339-001v2", "IDC5294-001v2")
    first = r["missing"][0]
    # K09 智慧財產權 is used by all four level-4 tasks T1.2 (continued row), T2.1, T2.2, T2.3.
    assert (first["name"], first["importance"]) == ("智慧財產權", 16)
    assert first["tasks"] == ["T1.2", "T2.1", "T2.2", "T2.3"]
    # Then the three skills used by three level-4 tasks each, by name.
    assert [(m["name"], m["importance"]) for m in r["missing"][1:4]] == [
        ("數位平台後台數據分析能力", 12), ("數位平台應用能力", 12), ("文案編輯能力", 12)]
    missing = {m["name"] for m in r["missing"]}
    assert not missing & {"合約締結知識", "網路安全與法規", "溝通協調能力", "自信心"}
    # IDC5294 requires 24 K + 25 S + 7 A = 56 items; 6 of them IDC3339 has too.
    assert len(r["missing"]) == 50


def test_seed_term_in_a_note_partly_covers() -> None:
    # KMC2431-008v1 requires 網路行銷相關法規, whose note 【註1】 lists 個人資料保護法,
    # which IDC3339-001v2 requires directly (K06).
    missing = {m["name"]: m for m in gap(seeds(), "KMC2431-008v1", "IDC3339-001v2")["missing"]}
    via = missing["個人資料保護法"]["partly_covered_by"]
    assert {"id": "knowledge:網路行銷相關法規", "name": "網路行銷相關法規", "score": None,
            "via": "includes"} in via
