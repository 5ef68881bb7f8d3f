"""``icapgraph build / stats / item / search / export`` on the seed standards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main


@pytest.fixture(autouse=True)
def private_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv("ICAPGRAPH_ALIASES", raising=False)
    monkeypatch.setenv("ICAPGRAPH_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def run(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data", str(data), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_build_writes_the_cache(
    capsys: pytest.CaptureFixture[str], standards_dir: Path, private_cache: Path
) -> None:
    code, out, _err = run(capsys, standards_dir, "build")
    assert code == 0
    assert "5 standards" in out and "cache written" in out
    assert len(list(private_cache.glob("graph-*.json"))) == 1
    code, out, _err = run(capsys, standards_dir, "build", "--json")
    data = json.loads(out)
    assert (data["files"], data["standards"], data["failures"]) == (5, 5, 0)
    assert data["nodes"] > 0 and data["edges"] > 0


def test_stats_json(capsys: pytest.CaptureFixture[str], standards_dir: Path) -> None:
    code, out, _err = run(capsys, standards_dir, "stats", "--json")
    assert code == 0
    stats = json.loads(out)
    assert set(stats) == {"nodes", "edges", "shared"}
    assert stats["nodes"]["Occupation"] == 5
    # Counted by hand (see tests/test_build.py), with the shipped aliases applied:
    # 顧客關係管理 = 客戶關係管理 and 資料蒐集能力 = 資料收集能力.
    assert stats["nodes"]["Knowledge"] == 83
    assert stats["nodes"]["Skill"] == 79
    assert stats["nodes"]["Attitude"] == 14
    assert stats["edges"]["REQUIRES_ATTITUDE"] == 33
    assert stats["edges"]["INCLUDES"] == 23
    # K: 網路安全與法規, 合約締結知識, 財務報表概念, 個人資料保護法, 消費者心理學, 顧客關係管理;
    # S: 溝通協調能力, 專案管理能力, 問題解決能力, 資料蒐集能力; A: 10 of the 14.
    assert stats["shared"] == {"Knowledge": 6, "Skill": 4, "Attitude": 10}


def test_item_json(capsys: pytest.CaptureFixture[str], standards_dir: Path) -> None:
    code, out, _err = run(capsys, standards_dir, "item", "個人資料 保護法", "--json")
    assert code == 0
    info = json.loads(out)
    assert list(info) == ["id", "kind", "name", "aliases", "occupations", "via", "similar"]
    assert info["id"] == "knowledge:個人資料保護法"
    assert info["occupations"] == ["IDC3339-001v2", "KMC2431-009v2"]
    assert info["via"] == ["KMC2431-001v4", "KMC2431-008v1"]


def test_item_by_alias_and_similar(capsys: pytest.CaptureFixture[str], standards_dir: Path) -> None:
    _code, out, _err = run(capsys, standards_dir, "item", "客戶關係管理", "--json")
    info = json.loads(out)
    assert (info["name"], info["aliases"]) == ("顧客關係管理", ["客戶關係管理"])
    assert info["occupations"] == ["IDC3339-001v2", "KMC2431-001v4"]
    _code, out, _err = run(capsys, standards_dir, "item", "溝通協調能力", "--json")
    info = json.loads(out)
    assert len(info["occupations"]) == 4
    similar = {s["id"]: s for s in info["similar"]}
    assert "skill:媒體企劃溝通協調" in similar
    assert set(similar["skill:媒體企劃溝通協調"]) == {"id", "name", "score", "tier", "method"}
    assert "skill:專案管理能力" not in similar


def test_item_text(capsys: pytest.CaptureFixture[str], standards_dir: Path) -> None:
    code, out, _err = run(capsys, standards_dir, "item", "廣電三法")
    assert code == 0
    assert "廣電三法" in out and "KMC2431-009v2" in out


def test_item_without_its_generic_suffix_is_found(
    capsys: pytest.CaptureFixture[str], standards_dir: Path
) -> None:
    # 溝通協調 is 溝通協調能力 less the generic suffix 能力: S05 / S13 / S11 / S08 of the
    # four standards that list it.
    code, out, _err = run(capsys, standards_dir, "item", "溝通協調", "--json")
    assert code == 0
    info = json.loads(out)
    assert info["id"] == "skill:溝通協調能力" and len(info["occupations"]) == 4


def test_unknown_item_exits_1_with_suggestions(
    capsys: pytest.CaptureFixture[str], standards_dir: Path
) -> None:
    # 溝通協調技術 only reads like 溝通協調能力 (技術 is not a generic suffix): never
    # taken for it, only suggested.
    code, out, err = run(capsys, standards_dir, "item", "溝通協調技術", "--json")
    assert code == 1 and out == ""
    assert err.startswith("icapgraph: error: unknown item '溝通協調技術'")
    assert "溝通協調能力" in err
    assert err.count("\n") == 1


def test_search_json(capsys: pytest.CaptureFixture[str], standards_dir: Path) -> None:
    code, out, _err = run(capsys, standards_dir, "search", "網紅", "--json")
    assert code == 0
    hits = json.loads(out)
    assert hits[0] == {"id": "occupation:IDC3339-001v2", "kind": "Occupation",
                       "name": "網紅經紀人", "code": "IDC3339-001v2",
                       "standard": "IDC3339-001v2"}
    assert {"id", "kind", "name", "code", "standard"} == set(hits[-1])
    code, out, _err = run(capsys, standards_dir, "search", "網紅", "--kind", "skill",
                          "--limit", "3", "--json")
    hits = json.loads(out)
    assert len(hits) == 3 and {h["kind"] for h in hits} == {"Skill"}


def test_search_by_code_and_variant(capsys: pytest.CaptureFixture[str],
                                    standards_dir: Path) -> None:
    _code, out, _err = run(capsys, standards_dir, "search", "kmc2431-008", "--json")
    assert json.loads(out)[0]["id"] == "occupation:KMC2431-008v1"
    _code, out, _err = run(capsys, standards_dir, "search", "資料搜集", "--kind", "skill",
                          "--json")
    assert "skill:資料蒐集能力" in {h["id"] for h in json.loads(out)}


def test_export(capsys: pytest.CaptureFixture[str], standards_dir: Path, tmp_path: Path) -> None:
    code, out, _err = run(capsys, standards_dir, "export", "graphml", "-o",
                          str(tmp_path / "g.graphml"))
    assert code == 0 and (tmp_path / "g.graphml").is_file()
    assert "g.graphml" in out


def test_export_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], standards_dir: Path, tmp_path: Path
) -> None:
    code, _out, err = run(capsys, standards_dir, "export", "pdf", "-o", str(tmp_path / "x"))
    assert code == 1 and "unknown exporter 'pdf'" in err and err.count("\n") == 1
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, _out, err = run(capsys, standards_dir, "export", "json", "-o", str(blocker / "g.json"))
    assert code == 1 and err.startswith("icapgraph: error: ") and err.count("\n") == 1
    assert not (blocker / "g.json").exists()


def test_bad_aliases_file_is_one_line(
    capsys: pytest.CaptureFixture[str], standards_dir: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("kind,name,canonical,reason\nfeeling,甲,乙,r\n", encoding="utf-8")
    monkeypatch.setenv("ICAPGRAPH_ALIASES", str(aliases))
    code, _out, err = run(capsys, standards_dir, "stats")
    assert code == 1
    assert err == f"icapgraph: error: {aliases}:2: unknown kind 'feeling'; " \
                  "choose one of: attitude, knowledge, skill\n"
