"""Resolving what a user typed, and requirement profiles, on the sample and the seeds."""

from __future__ import annotations

import pytest
from graphs import sample, seeds

from loaders.errors import AmbiguousOccupation, UnknownOccupation
from queries.index import code_stem
from queries.occupations import profile, requirements, resolve


def test_resolve_codes_stems_names_and_variants() -> None:
    G = seeds()
    assert resolve(G, "IDC3339-001v2") == "IDC3339-001v2"
    assert resolve(G, " idc3339-001V2 ") == "IDC3339-001v2"
    assert resolve(G, "occupation:IDC3339-001v2") == "IDC3339-001v2"
    assert resolve(G, "IDC3339-001") == "IDC3339-001v2"
    assert resolve(G, "網紅經紀人") == "IDC3339-001v2"
    # 臺 / 台 variants and a unique part of a name.
    assert resolve(G, "數位平臺直播人員") == "IDC5294-001v2"
    assert resolve(G, "直播") == "IDC5294-001v2"


def test_resolve_prefers_the_newest_version() -> None:
    assert resolve(sample(), "網紅經紀人") == "AAA1111-001v2"
    assert resolve(sample(), "AAA1111-001v1") == "AAA1111-001v1"


def test_unknown_lists_closest_codes_and_names() -> None:
    with pytest.raises(UnknownOccupation) as err:
        resolve(seeds(), "KMC2431-010v2")
    codes = [c for c, _ in err.value.suggestions]
    assert "KMC2431-001v4" in codes or "KMC2431-009v2" in codes
    with pytest.raises(AmbiguousOccupation) as amb:
        resolve(seeds(), "企劃")  # two occupations: 媒體企劃人員, 網路行銷企劃主管
    assert amb.value.candidates == [("KMC2431-001v4", "媒體企劃人員"),
                                    ("KMC2431-008v1", "網路行銷企劃主管")]
    assert amb.value.suggestions == amb.value.candidates  # still an UnknownOccupation


def test_seed_profile_by_hand() -> None:
    p = profile(seeds(), "IDC3339-001v2")
    # 9 knowledge + 15 skills + 6 attitudes in the text.
    assert len(p.uses) == 30
    use = p.uses["knowledge:合約締結知識"]
    assert (use.tasks, use.levels) == (("T1.1", "T2.1"), (4, 4))
    assert p.level == 4 and p.task_levels == (4, 4, 4, 4)


def test_requirements_rows() -> None:
    rows = requirements(seeds(), "IDC5294-001v2")
    assert len(rows) == 56
    assert [r["kind"] for r in rows[:1]] == ["knowledge"] and rows[-1]["kind"] == "attitude"
    row = next(r for r in rows if r["name"] == "溝通協調能力")
    assert row == {"id": "skill:溝通協調能力", "kind": "skill", "name": "溝通協調能力",
                   "tasks": ["T2.1"]}


def test_code_stem() -> None:
    assert code_stem("KMC2431-001v4") == "KMC2431-001"
