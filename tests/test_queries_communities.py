"""hubs and clusters on the sample and the seeds."""

from __future__ import annotations

import pytest
from graphs import sample, seeds

from loaders.errors import QueryError
from queries.communities import clusters, hubs


def test_sample_hubs_count_current_occupations_only() -> None:
    top = hubs(sample(), top=3)
    # 溝通協調能力: AAA v2 (T1.1, T1.2), BBB (T1.1), CCC (T1.1); AAA v1 is not current.
    assert top[0] == {"id": "skill:溝通協調能力", "kind": "skill", "name": "溝通協調能力",
                      "occupations": 3, "tasks": 4}
    assert [h["name"] for h in top[1:]] == ["數位平台應用能力", "合約締結知識"]
    with pytest.raises(QueryError):
        hubs(sample(), top=0)


def test_seed_hubs() -> None:
    top = hubs(seeds(), top=3)
    # 溝通協調能力 in 4 standards and 8 tasks (IDC3339 T1.1 T1.2 T2.1 T2.2, IDC5294 T2.1,
    # KMC2431-008v1 T2.2, KMC2431-009v2 T1.2 T2.2); 彈性 and 應對不確定性 in 4 as attitudes.
    assert [(h["name"], h["occupations"], h["tasks"]) for h in top] == [
        ("溝通協調能力", 4, 8), ("彈性", 4, 0), ("應對不確定性", 4, 0)]


def test_clusters_cover_every_current_occupation_once_and_are_stable() -> None:
    result = clusters(seeds())
    codes = [o["code"] for c in result for o in c["occupations"]]
    assert sorted(codes) == ["IDC3339-001v2", "IDC5294-001v2", "KMC2431-001v4",
                             "KMC2431-008v1", "KMC2431-009v2"]
    assert result == clusters(seeds())
    for c in result:
        assert c["size"] == len(c["occupations"])
        if c["size"] > 1:
            assert all(item["occupations"] >= 2 for item in c["items"])
            assert c["label"].split("、")[0] == c["items"][0]["name"]
