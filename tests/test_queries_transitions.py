"""transitions: asymmetric scores, directions, version filtering; corpus sanity."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphs import corpus, sample, seeds

from loaders.errors import QueryError
from queries.classify import assess_pair
from queries.index import index
from queries.matching import BLEND
from queries.transitions import transitions

A, B, C = "AAA1111-001v2", "BBB2222-001v2", "CCC3333-001v1"


def test_sample_targets_skip_own_versions_and_rank_by_coverage() -> None:
    r = transitions(sample(), "AAA1111-001v1")
    codes = [t["code"] for t in r["targets"]]
    assert A not in codes and "AAA1111-001v1" not in codes
    assert codes == [B, C]


def test_a_target_with_only_attitudes_is_not_offered() -> None:
    # A standard whose tasks did not load keeps only its attitudes: not a real target.
    G = sample().copy()
    G.add_node("occupation:DDD4444-001v1", kind="Occupation", name="只有態度", level=4,
               code="DDD4444-001v1", latest=True, historical=False)
    G.add_edge("occupation:DDD4444-001v1", "attitude:自信心", key="REQUIRES_ATTITUDE",
               rel="REQUIRES_ATTITUDE", standard="DDD4444-001v1", task="")
    assert "DDD4444-001v1" not in [t["code"] for t in transitions(G, A)["targets"]]


def test_score_is_the_blend_of_its_components() -> None:
    G = sample()
    target = next(t for t in transitions(G, A)["targets"] if t["code"] == C)
    c = target["components"]
    expected = BLEND * c["coverage"] * c["evidence"] + (1 - BLEND) * c["tasks"]
    assert target["score"] == pytest.approx(expected, abs=2e-4)
    # C requires 市場調查概念, 溝通協調能力, 數位平台應用能力, 彈性; A has only 溝通協調能力,
    # which all three current occupations require: IDF weight ln(4 / 4) = 0, so nothing of
    # C's weight is covered and only the task wording (網紅 … 合作 / 合約) scores.
    assert (target["shared"], len(target["partly"]), target["gap"]) == (1, 0, 3)
    assert c["exact"] == ["溝通協調能力"] and c["coverage"] == 0.0 and c["tasks"] > 0
    assert target["direction"] == "upward"
    assert [i["name"] for i in target["missing"]] == ["市場調查概念", "數位平台應用能力", "彈性"]


def test_counts_agree_with_the_lists_and_gap() -> None:
    from queries.gap import gap

    for t in transitions(sample(), A)["targets"]:
        assert t["shared"] == len(t["covered"]) and t["gap"] == len(t["missing"])
        g = gap(sample(), A, t["code"])
        for key in ("covered", "partly", "missing"):
            assert [i["id"] for i in t[key]] == [i["id"] for i in g[key]]  # type: ignore[literal-required]
        assert (t["score"], t["confidence"]) == (g["score"], g["confidence"])


def test_asymmetric() -> None:
    G = sample()
    ab = next(t for t in transitions(G, A)["targets"] if t["code"] == B)["score"]
    ba = next(t for t in transitions(G, B)["targets"] if t["code"] == A)["score"]
    assert ab != ba
    down = next(t for t in transitions(G, C)["targets"] if t["code"] == A)
    assert down["direction"] == "downward"


def test_top_limits_and_validates() -> None:
    assert len(transitions(sample(), A, top=1)["targets"]) == 1
    with pytest.raises(QueryError):
        transitions(sample(), A, top=0)


def test_seed_transitions_of_influencer_agent() -> None:
    r = transitions(seeds(), "IDC3339-001v2")
    targets = {t["code"]: t for t in r["targets"]}
    assert set(targets) == {"IDC5294-001v2", "KMC2431-001v4", "KMC2431-008v1", "KMC2431-009v2"}
    # Shared with IDC5294: 合約締結知識, 網路安全與法規, 溝通協調能力, 自信心, 應對不確定性, 彈性.
    streamer = targets["IDC5294-001v2"]
    assert {i["name"] for i in streamer["covered"]} == {
        "合約締結知識", "網路安全與法規", "溝通協調能力", "自信心", "應對不確定性", "彈性"}
    assert streamer["shared"] == 6
    # Its 56 requirements: 6 covered, the rest partly covered or missing.
    assert streamer["shared"] + len(streamer["partly"]) + streamer["gap"] == 56
    # Every seed is 基準級別 4.
    assert {t["direction"] for t in r["targets"]} == {"lateral"}
    scores = [t["score"] for t in r["targets"]]
    assert scores == sorted(scores, reverse=True) and all(0 < s < 1 for s in scores)
    assert all(t["confidence"] in ("高", "中", "低") for t in r["targets"])


@pytest.mark.corpus
def test_corpus_never_offers_own_older_version(corpus_dir: Path) -> None:
    G = corpus(str(corpus_dir))
    idx = index(G)
    stems: dict[str, list[str]] = {}
    for p in idx.profiles.values():
        stems.setdefault(p.stem, []).append(p.code)
    multi = sorted(codes for codes in stems.values() if len(codes) > 1)
    assert multi, "the corpus holds occupations in several versions"
    for codes in multi:
        for code in codes:
            stem = re.sub(r"v\d+$", "", code)
            for t in transitions(G, code, top=25)["targets"]:
                assert not t["code"].startswith(stem + "v"), (code, t["code"])
                assert idx.profiles["occupation:" + t["code"]].latest


def test_nothing_shared_means_no_targets() -> None:
    G = sample().copy()
    occ, task = "occupation:EEE5555-001v1", "task:EEE5555-001v1/T1.1"
    G.add_node(occ, kind="Occupation", name="獨門", code="EEE5555-001v1", level=2,
               latest=True, historical=False)
    G.add_node(task, kind="Task", code="T1.1", standard="EEE5555-001v1", level=2)
    G.add_node("skill:冷門技能", kind="Skill", name="冷門技能")
    G.add_edge(task, "skill:冷門技能", key="REQUIRES_SKILL", rel="REQUIRES_SKILL",
               standard="EEE5555-001v1", task="T1.1")
    assert transitions(G, "EEE5555-001v1")["targets"] == []


@pytest.mark.corpus
def test_corpus_sparse_scores_match_the_pair_function(corpus_dir: Path) -> None:
    G = corpus(str(corpus_dir))
    idx = index(G)
    sources = sorted(p.code for p in idx.profiles.values() if p.latest and p.uses)[::90]
    for code in sources:
        src = idx.profiles["occupation:" + code]
        for t in transitions(G, code, top=5)["targets"]:
            tgt = idx.profiles["occupation:" + t["code"]]
            why = assess_pair(G, src, tgt)
            assert t["score"] == pytest.approx(why["score"], abs=1e-4)
            assert t["components"] == why["components"]
