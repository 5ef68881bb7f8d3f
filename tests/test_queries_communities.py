"""hubs and clusters on the sample and the seeds."""

from __future__ import annotations

import networkx as nx
import pytest
from graphs import sample, seeds

from loaders.errors import QueryError
from queries.communities import clusters, hubs
from queries.matrix import pairwise


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


def _partitions(items: list[str]) -> list[list[list[str]]]:
    """Every set partition of ``items`` (52 for five)."""
    if not items:
        return [[]]
    first, rest = items[0], items[1:]
    out = []
    for part in _partitions(rest):
        out.append([[first], *part])
        for i in range(len(part)):
            out.append([*part[:i], [first, *part[i]], *part[i + 1:]])
    return out


def test_seed_clusters_are_the_best_split_by_modularity() -> None:
    """Louvain's answer equals the brute-force optimum over all 52 ways to split the five
    seeds, on a graph built here from the pairwise scores (each seed's neighbours are the
    four others, as NEIGHBOURS >= 4)."""
    G = seeds()
    scores = pairwise(G)
    H = nx.Graph()
    codes = scores["codes"]
    for i, a in enumerate(codes):
        for j, b in enumerate(codes):
            if i < j and scores["matrix"][i][j] > 0:
                H.add_edge(a, b, weight=scores["matrix"][i][j])
    best = max(_partitions(codes),
               key=lambda part: nx.community.modularity(H, [set(p) for p in part]))
    got = [sorted(o["code"] for o in c["occupations"]) for c in clusters(G)]
    assert sorted(got) == sorted(sorted(p) for p in best)


def test_seed_cluster_labels_worked_by_hand() -> None:
    # Under the matching model's weights the three KMC2431 standards (媒體企劃人員,
    # 網路行銷企劃主管, 社群媒體經營人員) form one cluster, the two IDC ones (網紅經紀人,
    # 數位平台直播人員) the other (the modularity optimum, test above). Labels: items at
    # least two members require, by members x ln((1 + 5) / (1 + df)). In the KMC cluster
    # 正直誠實 (KMC2431-001v4 A07, -009v2 A01), 謹慎細心 (-001v4 A04, -009v2 A03) and
    # 財務報表概念 (-001v4 K04, -008v1 K07) are each in two members and in no other seed:
    # 2 x ln(6/3), tied and ordered by id (attitude: before knowledge:); so is 問題解決能力
    # (-008v1, -009v2; IDC3339-001v2 has 異常問題解決能力, another item), after them by id
    # (skill:). Then the ties at 2 x ln(6/4) (two members, three seeds): 壓力容忍, 持續學習,
    # 追求卓越 by id.
    big = next(c for c in clusters(seeds()) if c["size"] == 3)
    assert [o["code"] for o in big["occupations"]] == [
        "KMC2431-001v4", "KMC2431-008v1", "KMC2431-009v2"]
    assert big["label"] == "正直誠實、謹慎細心、財務報表概念"
    assert [(i["name"], i["occupations"]) for i in big["items"][:3]] == [
        ("正直誠實", 2), ("謹慎細心", 2), ("財務報表概念", 2)]
    assert [i["name"] for i in big["items"][3:5]] == ["問題解決能力", "壓力容忍"]
    for c in clusters(seeds()):
        assert c["size"] == len(c["occupations"])
