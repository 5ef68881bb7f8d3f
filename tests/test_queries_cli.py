"""The query commands end to end on the seeds: JSON shapes, errors, human output."""

from __future__ import annotations

import json
from typing import Any

import pytest
from graphs import sample

from cli.context import Context
from cli.main import main
from graph.model import Kind, occupation_id

SEEDS = ["--data", "data/standards", "--no-cache"]


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main([*argv, *SEEDS, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture(autouse=True)
def _root(monkeypatch: pytest.MonkeyPatch) -> None:
    from graphs import ROOT

    monkeypatch.chdir(ROOT)


def test_overlap_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, "overlap", "IDC3339-001v2", "IDC5294-001v2")
    assert data["occupations"] == ["IDC3339-001v2", "IDC5294-001v2"]
    assert set(data["shared"]) == {"knowledge", "skills", "attitudes"}
    entry = next(e for e in data["shared"]["skills"] if e["name"] == "溝通協調能力")
    assert {"id", "name", "match", "score", "evidence"} <= set(entry)
    assert 0 < data["jaccard"] < 1 and 0 < data["weighted"] < 1


def test_overlap_of_three_has_common_and_matrix(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, "overlap", "IDC3339-001v2", "IDC5294-001v2", "KMC2431-009v2")
    assert "skill:溝通協調能力" in data["common"]
    assert len(data["matrix"]) == 3


def test_gap_transitions_path_hubs_clusters_queries(capsys: pytest.CaptureFixture[str]) -> None:
    gap = _json(capsys, "gap", "IDC3339-001v2", "IDC5294-001v2")
    assert set(gap) == {"source", "target", "missing", "covered", "partly", "score",
                        "components", "confidence"}
    assert set(gap["missing"][0]) == {"id", "kind", "name", "importance", "tasks",
                                      "partly_covered_by", "weight", "credit"}
    assert set(gap["partly"][0]) == set(gap["missing"][0]) | {"match"}
    assert set(gap["partly"][0]["match"]) == {"id", "name", "score", "credit", "via"}
    assert {"exact", "similar", "tasks", "coverage"} <= set(gap["components"])
    assert gap["confidence"] in ("高", "中", "低")
    tr = _json(capsys, "transitions", "IDC3339-001v2", "KMC2431-008v1", "--top", "2")
    assert [t["source"] for t in tr] == ["IDC3339-001v2", "KMC2431-008v1"]
    assert all(len(t["targets"]) == 2 for t in tr)
    assert set(tr[0]["targets"][0]) == {"code", "name", "score", "direction", "shared", "gap",
                                        "components", "confidence", "covered", "partly",
                                        "missing"}
    path = _json(capsys, "path", "IDC3339-001v2", "KMC2431-008v1", "--k", "2")
    assert len(path["paths"]) == 2 and set(path["paths"][0]) == {"cost", "steps"}
    assert set(path["paths"][0]["steps"][0]) >= {"from", "to", "learn"}
    assert _json(capsys, "hubs")[0]["name"] == "溝通協調能力"
    assert sum(c["size"] for c in _json(capsys, "clusters")) == 5
    queries = _json(capsys, "queries")
    assert {"name", "summary", "parameters", "cypher"} <= set(queries[0])
    assert "gap" in {q["name"] for q in queries}


def test_unknown_code_exits_1_with_suggestions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gap", "IDC3339-001v2", "IDC5294-01v2", *SEEDS]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("icapgraph: error: unknown occupation 'IDC5294-01v2'")
    assert "IDC5294-001v2 數位平台直播人員" in err
    assert "\n" not in err


def test_ambiguous_name_is_reported_as_ambiguous_with_candidates(
        capsys: pytest.CaptureFixture[str]) -> None:
    # 人員 is part of three seeds' names (line 1 of each text): 數位平台直播人員,
    # 媒體企劃人員 and 社群媒體經營人員 — ambiguous, not unknown, with all three listed.
    assert main(["gap", "IDC3339-001v2", "人員", *SEEDS]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("icapgraph: error: ambiguous occupation '人員': it matches ")
    for candidate in ("IDC5294-001v2 數位平台直播人員", "KMC2431-001v4 媒體企劃人員",
                      "KMC2431-009v2 社群媒體經營人員"):
        assert candidate in err
    assert "\n" not in err
    # A unique part of a name still resolves: 網紅 is only in 網紅經紀人.
    assert main(["gap", "網紅", "IDC5294-001v2", *SEEDS]) == 0
    capsys.readouterr()


def test_same_occupation_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["path", "IDC3339-001v2", "網紅經紀人", *SEEDS]) == 1
    assert "same occupation" in capsys.readouterr().err


def test_no_route_exits_0_with_a_message(capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    G = sample().copy()
    G.add_node(occupation_id("ZZZ9999-001v1"), kind=Kind.OCCUPATION.value, name="孤島",
               code="ZZZ9999-001v1", level=3, latest=True, historical=False)
    monkeypatch.setattr(Context, "graph", lambda self: G)
    assert main(["path", "AAA1111-001v2", "ZZZ9999-001v1"]) == 0
    assert "no route" in capsys.readouterr().out
    assert main(["path", "AAA1111-001v2", "ZZZ9999-001v1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["paths"] == []


def test_human_tables(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["overlap", "IDC3339-001v2", "IDC5294-001v2", *SEEDS]) == 0
    out = capsys.readouterr().out
    assert "合約締結知識" in out and "identical" in out and "Jaccard" in out
    assert main(["transitions", "IDC3339-001v2", *SEEDS]) == 0
    assert "平行 lateral" in capsys.readouterr().out
