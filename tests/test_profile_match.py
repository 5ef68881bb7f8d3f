"""A client profile (queries/profile.py) matched against every occupation (queries/match.py).

Hand-worked facts from data/standards: IDC3339-001v2 (網紅經紀人) requires 9 knowledge, 15
skill and 6 attitude items (30); IDC5294-001v2 (數位平台直播人員) shares with it
溝通協調能力, 合約締結知識 and 網路安全與法規 among others. Every seed has 基準級別 4;
職類別 IDC holds IDC3339-001v2 and IDC5294-001v2, KMC the three KMC2431 standards; 行業別
M7310 holds KMC2431-001v4 and KMC2431-009v2.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from graph.aliases import default_aliases_path, read_aliases
from loaders.errors import ProfileError, QueryError, UnknownItem
from queries.index import index
from queries.match import MatchOptions, explain_target, match, scores
from queries.matrix import matrices, move_row
from queries.profile import (
    PastJob,
    ProfileSpec,
    TypedItem,
    build_profile,
    profile_json,
    require_items,
)
from queries.transitions import is_candidate
from tests.graphs import corpus, sample, seeds

ALIASES = read_aliases(default_aliases_path())
SEED_CODES = ("IDC3339-001v2", "IDC5294-001v2", "KMC2431-001v4", "KMC2431-008v1",
              "KMC2431-009v2")


def test_a_past_job_brings_all_its_items_with_their_source() -> None:
    p = build_profile(seeds(), ProfileSpec(jobs=(PastJob("網紅經紀人"),)))
    assert [j.code for j in p.occupations] == ["IDC3339-001v2"]
    assert len(p.items) == 30
    assert p.items["skill:溝通協調能力"] == (
        {"kind": "occupation", "ref": "IDC3339-001v2", "label": "網紅經紀人"},)


def test_only_confirmed_items_of_a_job() -> None:
    spec = ProfileSpec(jobs=(PastJob("IDC3339-001v2", ("skill:溝通協調能力",
                                                        "knowledge:合約締結知識")),))
    assert sorted(build_profile(seeds(), spec).items) == ["knowledge:合約締結知識",
                                                          "skill:溝通協調能力"]


def test_union_of_jobs_ticked_and_typed_keeps_every_source() -> None:
    spec = ProfileSpec(jobs=(PastJob("IDC3339-001v2"), PastJob("IDC5294-001v2")),
                       ticked=("skill:溝通協調能力",),
                       typed=(TypedItem("溝通 協調"), TypedItem("客戶關係管理")))
    p = build_profile(seeds(), spec, aliases=ALIASES)
    kinds = [s["kind"] for s in p.items["skill:溝通協調能力"]]
    assert kinds == ["occupation", "occupation", "ticked", "typed"]
    assert [s["ref"] for s in p.items["knowledge:顧客關係管理"]] == ["IDC3339-001v2",
                                                                "客戶關係管理"]
    assert [r["status"] for r in p.resolutions] == ["exact", "alias"]
    data = profile_json(seeds(), p)
    assert [o["code"] for o in data["occupations"]] == ["IDC3339-001v2", "IDC5294-001v2"]
    assert [i["input"] for i in data["items"]] == ["溝通 協調", "客戶關係管理"]


def test_a_confirmed_choice_replaces_the_resolvers() -> None:
    spec = ProfileSpec(typed=(TypedItem("網紅類型", ("knowledge:網紅類型與獲利模式",)),
                              TypedItem("溝通協調", ())))
    p = build_profile(seeds(), spec)
    assert list(p.items) == ["knowledge:網紅類型與獲利模式"]


def test_unknown_ids_and_empty_profiles_are_errors() -> None:
    with pytest.raises(UnknownItem):
        build_profile(seeds(), ProfileSpec(ticked=("skill:不存在的能力",)))
    with pytest.raises(UnknownItem):
        build_profile(seeds(), ProfileSpec(ticked=("occupation:IDC3339-001v2",)))
    nothing = build_profile(seeds(), ProfileSpec(typed=(TypedItem("量子力學"),)))
    with pytest.raises(ProfileError) as err:
        require_items(nothing)
    assert "量子力學" in str(err.value) and "找不到" in str(err.value)
    with pytest.raises(ProfileError):
        match(seeds(), nothing)


def test_spec_round_trips_and_bad_shapes_are_one_error() -> None:
    spec = ProfileSpec((PastJob("IDC3339-001v2", ("skill:溝通協調能力",)),), ("skill:x",),
                       (TypedItem("溝通", ("skill:溝通協調能力",)), TypedItem("y")))
    assert ProfileSpec.from_json(spec.to_json()) == spec
    with pytest.raises(ProfileError):
        ProfileSpec.from_json({"jobs": [{"name": "x"}]})
    with pytest.raises(ProfileError):
        ProfileSpec.from_json({"ticked": "skill:x"})


def test_one_past_job_scores_exactly_as_transitions() -> None:
    # The same model: a profile of one whole occupation is that occupation's move row.
    G = seeds()
    m = matrices(G)
    for code in SEED_CODES:
        p = build_profile(G, ProfileSpec(jobs=(PastJob(code),)))
        node = f"occupation:{code}"
        assert np.array_equal(scores(G, p), move_row(G, node))
        src = index(G).profiles[node]
        expected = [c for c in (index(G).profiles[n] for n in m.nodes)
                    if is_candidate(src, c) and move_row(G, node)[m.row[c.node]] > 0]
        got = match(G, p, MatchOptions(top=50))["results"]
        assert {r["code"] for r in got} == {c.code for c in expected}
        assert [r["score"] for r in got] == sorted((r["score"] for r in got), reverse=True)


def test_classification_is_a_partition_of_the_targets_requirements() -> None:
    G = seeds()
    p = build_profile(G, ProfileSpec(jobs=(PastJob("IDC3339-001v2"),)))
    r = explain_target(G, p, "IDC5294-001v2")
    covered = {c["id"] for c in r["covered"]}
    partly = {c["id"] for c in r["partly"]}
    missing = {c["id"] for c in r["missing"]}
    uses = set(index(G).profiles["occupation:IDC5294-001v2"].uses)
    assert covered | partly | missing == uses
    assert not (covered & partly or covered & missing or partly & missing)
    assert {"skill:溝通協調能力", "knowledge:合約締結知識", "knowledge:網路安全與法規"} <= covered
    # 網紅類型與獲利模式 is partly covered by the client's 網紅類型與商業模式
    [similar] = [c for c in r["partly"] if c["id"] == "knowledge:網紅類型與獲利模式"]
    assert similar["client_item"]["name"] == "網紅類型與商業模式"
    assert [m["importance"] for m in r["missing"]] == sorted(
        (m["importance"] for m in r["missing"]), reverse=True)
    for m in r["missing"]:  # task names beside the codes (none for an attitude)
        assert len(m["task_names"]) == len(m["tasks"]) and all(m["task_names"])
        assert bool(m["tasks"]) == (m["kind"] != "attitude")


def test_past_occupations_and_their_other_versions_are_never_results() -> None:
    G = sample()
    p = build_profile(G, ProfileSpec(jobs=(PastJob("AAA1111-001v1"),)))
    codes = {r["code"] for r in match(G, p)["results"]}
    assert codes and not {"AAA1111-001v1", "AAA1111-001v2"} & codes
    # typed items alone: the same occupation may be a result (談判協商能力: only v2 has it;
    # 溝通協調能力, which every current occupation requires, would weigh nothing)
    q = build_profile(G, ProfileSpec(typed=(TypedItem("談判協商能力"),)))
    assert "AAA1111-001v2" in {r["code"] for r in match(G, q)["results"]}


def test_filters_by_category_industry_and_level() -> None:
    G = seeds()
    p = build_profile(G, ProfileSpec(typed=(TypedItem("溝通協調能力"),)))
    def codes(**kw: object) -> set[str]:
        return {r["code"] for r in match(G, p, MatchOptions(top=50, **kw))["results"]}  # type: ignore[arg-type]
    assert codes() == set(SEED_CODES)
    assert codes(category="KMC") == {"KMC2431-001v4", "KMC2431-008v1", "KMC2431-009v2"}
    assert codes(category="行銷與銷售") == codes(category="KMC")
    assert codes(industry="M7310") == {"KMC2431-001v4", "KMC2431-009v2"}
    assert codes(industry="m") == {"IDC3339-001v2", "KMC2431-001v4", "KMC2431-009v2"}
    assert codes(level=4) == set(SEED_CODES) and codes(level=5) == set()
    with pytest.raises(QueryError) as err:
        codes(category="烹飪")
    assert "烹飪" in str(err.value)
    with pytest.raises(QueryError):
        match(G, p, MatchOptions(top=0))


@pytest.mark.corpus
def test_corpus_match_of_a_sixty_item_profile(corpus_dir: Path) -> None:
    G = corpus(str(corpus_dir))
    spec = ProfileSpec(jobs=(PastJob("零售業倉儲管理人員"),),
                       typed=(TypedItem("倉庫管理"), TypedItem("Excel")))
    p = build_profile(G, spec, aliases=ALIASES)
    results = match(G, p, MatchOptions(top=20))["results"]
    assert len(results) == 20
    stems = {j.stem for j in p.occupations}
    assert all(r["code"].rsplit("v", 1)[0] not in stems for r in results)
    for r in results:
        assert r["confidence"] in {"高", "中", "低"}
        assert len(r["covered"]) + len(r["partly"]) > 0
