"""overlap and pairwise: the hand-made sample, the seed acceptance test, the sparse matrix."""

from __future__ import annotations

from typing import Any

import pytest
from graphs import sample, seeds

from loaders.errors import QueryError, UnknownOccupation
from queries.index import index
from queries.matrix import pairwise
from queries.overlap import overlap

A, B, C = "AAA1111-001v2", "BBB2222-001v2", "CCC3333-001v1"


def _by_name(result: dict[str, Any], key: str) -> dict[str, dict[str, Any]]:
    return {e["name"]: e for e in result["shared"][key]}


def test_sample_identical_and_similar_items_with_evidence() -> None:
    r = overlap(sample(), [A, B])
    knowledge = _by_name(r, "knowledge")
    assert knowledge["合約締結知識"]["match"] == "identical"
    assert knowledge["合約締結知識"]["evidence"] == {A: ["T1.1"], B: ["T1.1"]}
    assert knowledge["網路安全與法規"]["evidence"] == {A: ["T1.2"], B: ["T2.1"]}
    similar = knowledge["網紅類型與商業模式"]
    assert (similar["match"], similar["other"], similar["score"]) == (
        "similar", "網紅類型與獲利模式", 0.8)
    assert similar["other_id"] == "knowledge:網紅類型與獲利模式"
    assert similar["evidence"] == {A: ["T1.1"], B: ["T1.1"]}
    assert set(_by_name(r, "skills")) == {"溝通協調能力"}
    assert _by_name(r, "attitudes")["自信心"]["evidence"] == {A: [], B: []}


def test_sample_scores_by_hand() -> None:
    r = overlap(sample(), [A, B])
    # A: 6 items, B: 8 items, 4 identical (合約, 網路安全, 溝通, 自信心) → union 10.
    assert r["jaccard"] == 0.4
    # The weighted score is both directions' covered weight over both total weights,
    # read off the classified lists (weights and credits as the lists give them).
    num = den = 0.0
    for d in r["directions"]:
        for key in ("covered", "partly", "missing"):
            for i in d[key]:  # type: ignore[literal-required]
                num += i["weight"] * i["credit"]
                den += i["weight"]
    assert r["weighted"] == pytest.approx(num / den, abs=1e-3)
    # 溝通協調能力 is required by all three current occupations: IDF ln(4 / 4) = 0.
    skills = {i["name"]: i for i in r["directions"][0]["covered"]}
    assert skills["溝通協調能力"]["weight"] == 0.0
    # 商業模式 / 獲利模式 are each required by one current occupation (ln 2), the contract
    # knowledge by two (ln 4/3): the rarer item weighs more in the same task (T1.1, level 4).
    partly = r["directions"][0]["partly"][0]
    assert partly["name"] == "網紅類型與獲利模式"
    assert partly["weight"] > skills["合約締結知識"]["weight"]


def test_shared_is_the_classification_both_ways() -> None:
    r = overlap(sample(), [A, B])
    same = {e["id"] for entries in r["shared"].values() for e in entries
            if e["match"] in ("identical", "alias")}
    partial = {(e["id"], e["other_id"]) for entries in r["shared"].values() for e in entries
               if e["match"] in ("similar", "includes")}
    ab, ba = r["directions"]
    assert (ab["source"], ab["target"]) == (A, B)
    assert same == {i["id"] for i in ab["covered"]} == {i["id"] for i in ba["covered"]}
    assert partial == ({(i["match"]["id"], i["id"]) for i in ab["partly"]}
                       | {(i["id"], i["match"]["id"]) for i in ba["partly"]})


def test_three_occupations_common_and_matrix() -> None:
    r = overlap(sample(), [A, B, C])
    assert r["common"] == ["skill:溝通協調能力"]
    assert r["matrix"][0][1] == r["matrix"][1][0] == overlap(sample(), [A, B])["weighted"]
    assert [r["matrix"][i][i] for i in range(3)] == [1.0, 1.0, 1.0]
    # Items shared by two of the three also count, with every user's evidence.
    assert _by_name(r, "skills")["數位平台應用能力"]["evidence"] == {
        B: ["T2.1", "T2.2"], C: ["T1.1"]}


def test_pairwise_sparse_matches_the_python_score() -> None:
    G = sample()
    codes = [A, B, C, "AAA1111-001v1"]
    matrix = pairwise(G, codes)["matrix"]
    for i, a in enumerate(codes):
        for j, b in enumerate(codes):
            if i != j:
                assert matrix[i][j] == overlap(G, [a, b])["weighted"]


def test_pairwise_default_is_every_current_occupation() -> None:
    assert pairwise(sample())["codes"] == [A, B, C]


def test_same_occupation_twice_and_too_few_are_errors() -> None:
    with pytest.raises(QueryError, match="same occupation"):
        overlap(sample(), [A, "aaa1111-001v2"])
    with pytest.raises(QueryError, match="at least two"):
        overlap(sample(), [A])


def test_unknown_code_suggests_the_closest() -> None:
    with pytest.raises(UnknownOccupation) as err:
        overlap(sample(), [A, "BBB2222-01v2"])
    assert err.value.suggestions[0] == (B, "直播人員")


def test_cache_follows_the_graph_version() -> None:
    G = sample().copy()
    before = index(G)
    assert index(G) is before
    G.graph["version"] = 1
    assert index(G) is not before


# --- acceptance on the seeds (worked out by hand from data/standards/*.txt) ---

def test_seed_overlap_of_influencer_agent_and_streamer() -> None:
    r = overlap(seeds(), ["IDC3339-001v2", "IDC5294-001v2"])
    knowledge, skills = _by_name(r, "knowledge"), _by_name(r, "skills")
    assert knowledge["合約締結知識"]["match"] == "identical"
    assert knowledge["網路安全與法規"]["match"] == "identical"
    assert skills["溝通協調能力"]["match"] == "identical"
    # K08 合約締結知識: IDC3339 T1.1 (continued row) and T2.1; IDC5294 T1.2 (continued row).
    assert knowledge["合約締結知識"]["evidence"] == {
        "IDC3339-001v2": ["T1.1", "T2.1"], "IDC5294-001v2": ["T1.2"]}
    # S05 in IDC3339 T1.1, T1.2, T2.1, T2.2; S13 in IDC5294 T2.1 only.
    assert skills["溝通協調能力"]["evidence"] == {
        "IDC3339-001v2": ["T1.1", "T1.2", "T2.1", "T2.2"], "IDC5294-001v2": ["T2.1"]}
    assert set(_by_name(r, "attitudes")) == {"自信心", "應對不確定性", "彈性"}


def test_seed_overlap_similar_business_models() -> None:
    r = overlap(seeds(), ["IDC3339-001v2", "IDC5294-001v2"])
    entry = _by_name(r, "knowledge").get("網紅類型與商業模式")
    assert entry is not None and entry["match"] == "similar"
    assert entry["other"] == "網紅類型與獲利模式"
    assert 0 < entry["score"] < 1


def test_alias_when_the_standards_wrote_the_item_differently() -> None:
    # An alias-merged node: BBB wrote 客戶關係管理, AAA 顧客關係管理 (one node, surface
    # form on each REQUIRES edge).
    G = sample().copy()
    item = "knowledge:顧客關係管理"
    G.add_node(item, kind="Knowledge", name="顧客關係管理", aliases="客戶關係管理")
    for code, task, surface in ((A, "T1.1", "顧客關係管理"), (B, "T2.1", "客戶關係管理")):
        G.add_edge(f"task:{code}/{task}", item, key="REQUIRES_KNOWLEDGE",
                   rel="REQUIRES_KNOWLEDGE", standard=code, task=task, name=surface)
    G.graph["version"] = 7
    entry = _by_name(overlap(G, [A, B]), "knowledge")["顧客關係管理"]
    assert (entry["match"], entry["evidence"]) == ("alias", {A: ["T1.1"], B: ["T2.1"]})


def test_seed_sparse_matrix_equals_the_pair_function() -> None:
    # The (max, ×) product over the real SIMILAR_TO edges gives the same coverage as the
    # per-pair Python loop, for every ordered pair of the five seeds.
    G = seeds()
    result = pairwise(G)
    assert len(result["codes"]) == 5
    for i, a in enumerate(result["codes"]):
        for j, b in enumerate(result["codes"]):
            if i != j:
                assert result["matrix"][i][j] == overlap(G, [a, b])["weighted"]
