"""``icapgraph resolve``, ``match`` and ``case …`` on the seed standards.

Hand-worked from data/standards: 溝通協調能力 is a skill of all five seeds but
KMC2431-001v4 (four standards); IDC3339-001v2 (網紅經紀人) has 30 items; a profile of
IDC3339-001v2 never lists IDC3339-001v2 itself.
"""

from __future__ import annotations

import io
import json
import re
import stat
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cli.main import main

HOSTILE = ("<script>alert(1)</script>", "\"'><b>", "=HYPERLINK(\"http://x\")")


@pytest.fixture(autouse=True)
def private_dirs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv("ICAPGRAPH_ALIASES", raising=False)
    monkeypatch.setenv("ICAPGRAPH_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("ICAPGRAPH_HOME", str(tmp_path / "home"))
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--data", str(data), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_resolve_json_shape(capsys: pytest.CaptureFixture[str], standards_dir: Path) -> None:
    code, out, _err = run(capsys, standards_dir, "resolve", "溝通 協調", "客戶關係管理",
                          "量子力學", "--json")
    assert code == 0
    data = json.loads(out)
    assert [r["input"] for r in data] == ["溝通 協調", "客戶關係管理", "量子力學"]
    assert [r["status"] for r in data] == ["exact", "alias", "unmatched"]
    assert set(data[0]) == {"input", "status", "matched", "suggestions"}
    assert {"name", "kind", "score"} <= set(data[0]["matched"][0])
    assert data[0]["matched"][0]["name"] == "溝通協調能力"
    assert data[0]["matched"][0]["kind"] == "skill"
    assert data[2]["matched"] == [] and 0 < len(data[2]["suggestions"]) <= 5


def test_resolve_text(capsys: pytest.CaptureFixture[str], standards_dir: Path) -> None:
    code, out, _err = run(capsys, standards_dir, "resolve", "溝通協調")
    assert code == 0 and "「溝通協調」 [相同] → 溝通協調能力（技能 0.95）" in out


def test_match_json_shape(capsys: pytest.CaptureFixture[str], standards_dir: Path) -> None:
    code, out, _err = run(capsys, standards_dir, "match", "--occupation", "IDC3339-001v2",
                          "--item", "直播技巧", "--top", "3", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["profile"]["occupations"] == [{"code": "IDC3339-001v2", "name": "網紅經紀人"}]
    [item] = data["profile"]["items"]
    assert (item["input"], item["status"]) == ("直播技巧", "exact")
    assert len(data["results"]) == 3
    first = data["results"][0]
    assert {"code", "name", "score", "confidence", "covered", "partly", "missing"} <= set(first)
    assert "IDC3339-001v2" not in {r["code"] for r in data["results"]}
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)


def test_match_filters(capsys: pytest.CaptureFixture[str], standards_dir: Path) -> None:
    _code, out, _err = run(capsys, standards_dir, "match", "--item", "溝通協調能力",
                           "--category", "KMC", "--industry", "M7310", "--json")
    assert {r["code"] for r in json.loads(out)["results"]} == {"KMC2431-001v4", "KMC2431-009v2"}
    code, out, err = run(capsys, standards_dir, "match", "--item", "溝通協調能力",
                         "--category", "烹飪")
    assert code == 1 and "烹飪" in err and err.count("\n") == 1


def test_match_text_table(capsys: pytest.CaptureFixture[str], standards_dir: Path) -> None:
    code, out, _err = run(capsys, standards_dir, "match", "--occupation", "網紅經紀人")
    assert code == 0
    assert "個案的職能：30 項（過去職業：網紅經紀人）" in out
    assert "數位平台直播人員" in out and "可信度" in out


def test_nothing_resolved_is_a_chinese_message_and_exit_1(
    capsys: pytest.CaptureFixture[str], standards_dir: Path
) -> None:
    code, out, err = run(capsys, standards_dir, "match", "--item", "量子力學")
    assert code == 1 and out == ""
    assert err.startswith("icapgraph: error: 輸入的項目都找不到對應的職能")
    assert "量子力學" in err and err.count("\n") == 1
    code, _out, err = run(capsys, standards_dir, "match")
    assert code == 1 and "個案沒有任何職能" in err


@pytest.mark.parametrize(("content", "words"), [
    (b"", "empty"),
    (b"# only a comment\n\n", "only comments"),
    ("溝通協調\n".encode("big5"), "not UTF-8"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    (b"x" * (1024 * 1024 + 1), "larger than 1 MB"),
])
def test_bad_items_files_are_one_line_naming_the_file(
    capsys: pytest.CaptureFixture[str], standards_dir: Path, tmp_path: Path,
    content: bytes, words: str
) -> None:
    path = tmp_path / "items.txt"
    path.write_bytes(content)
    code, out, err = run(capsys, standards_dir, "match", "--items-file", str(path))
    assert code == 1 and out == ""
    assert str(path) in err and words in err and err.count("\n") == 1


def test_items_file_with_comments(capsys: pytest.CaptureFixture[str], standards_dir: Path,
                                  tmp_path: Path) -> None:
    path = tmp_path / "items.txt"
    path.write_text("# 個案自述\n溝通 協調\n\n直播技巧\n", encoding="utf-8")
    code, out, _err = run(capsys, standards_dir, "match", "--items-file", str(path), "--json")
    assert code == 0
    assert [i["input"] for i in json.loads(out)["profile"]["items"]] == ["溝通 協調", "直播技巧"]
    missing = tmp_path / "none.txt"
    code, _out, err = run(capsys, standards_dir, "match", "--items-file", str(missing))
    assert code == 1 and str(missing) in err


def test_case_lifecycle(capsys: pytest.CaptureFixture[str], standards_dir: Path,
                        private_dirs: Path) -> None:
    code, out, _err = run(capsys, standards_dir, "case", "list")
    assert code == 0 and "沒有個案" in out
    code, _out, _err = run(capsys, standards_dir, "case", "save", "王小明", "--occupation",
                           "IDC3339-001v2", "--item", "直播技巧", "--target", "直播人員",
                           "--note", "想轉直播", "--level", "4")
    assert code == 0
    db = private_dirs / "home" / "cases.sqlite3"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    code, _out, err = run(capsys, standards_dir, "case", "save", "王小明", "--item", "溝通協調")
    assert code == 1 and "exists" in err and "--replace" in err
    code, out, _err = run(capsys, standards_dir, "case", "show", "王小明", "--json")
    shown = json.loads(out)
    assert shown["case"]["note"] == "想轉直播"
    assert shown["case"]["targets"] == ["IDC5294-001v2"]
    assert shown["case"]["options"]["level"] == 4
    [target] = shown["targets"]
    assert target["code"] == "IDC5294-001v2" and target["covered"]
    code, out, _err = run(capsys, standards_dir, "case", "list", "--json")
    assert [c["name"] for c in json.loads(out)] == ["王小明"]
    assert run(capsys, standards_dir, "case", "rename", "王小明", "王大明")[0] == 0
    code, _out, err = run(capsys, standards_dir, "case", "show", "王小明")
    assert code == 1 and "no case named '王小明'" in err and "王大明" in err
    assert run(capsys, standards_dir, "case", "delete", "王大明")[0] == 0
    assert "想轉直播".encode() not in db.read_bytes()
    code, out, _err = run(capsys, standards_dir, "case", "list", "--json")
    assert json.loads(out) == []


def test_corrupt_case_database_is_one_line(capsys: pytest.CaptureFixture[str],
                                           standards_dir: Path, private_dirs: Path) -> None:
    home = private_dirs / "home"
    home.mkdir()
    (home / "cases.sqlite3").write_bytes(b"garbage" * 500)
    code, _out, err = run(capsys, standards_dir, "case", "list")
    assert code == 1 and "left untouched" in err and err.count("\n") == 1
    assert (home / "cases.sqlite3").read_bytes() == b"garbage" * 500


def _hostile_case(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, _out, err = run(capsys, data, "case", "save", "客戶" + HOSTILE[1],
                          "--occupation", "IDC3339-001v2", "--item", HOSTILE[0],
                          "--item", HOSTILE[2], "--note", " ".join(HOSTILE))
    assert code == 0, err


def test_html_report_is_self_contained_and_escapes_everything(
    capsys: pytest.CaptureFixture[str], standards_dir: Path, tmp_path: Path
) -> None:
    _hostile_case(capsys, standards_dir)
    out = tmp_path / "r.html"
    code, _o, err = run(capsys, standards_dir, "case", "report", "客戶" + HOSTILE[1],
                        "-o", str(out))
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    assert "@page{size:A4" in page and 'lang="zh-Hant"' in page
    assert not re.search(r"<(script|link|img|iframe)\b", page, re.I)
    assert not re.search(r"\b(src|href)\s*=", page, re.I)
    assert "<b>" not in page and "&lt;script&gt;" in page and "&quot;&#x27;&gt;&lt;b&gt;" in page
    # the three best matches (no target chosen), each with the three lists
    assert page.count('<section class="target">') == 3
    for title in ("已具備", "相近可轉移", "需補強", "建議路徑"):
        assert page.count(f"<h3>{title}") == 3
    assert "可信度" in page and "small class=\"code\"" in page


def test_xlsx_report_keeps_text_as_text(capsys: pytest.CaptureFixture[str],
                                        standards_dir: Path, tmp_path: Path) -> None:
    _hostile_case(capsys, standards_dir)
    out = tmp_path / "r.xlsx"
    code, _o, err = run(capsys, standards_dir, "case", "report", "客戶" + HOSTILE[1],
                        "-o", str(out))
    assert code == 0, err
    wb = load_workbook(io.BytesIO(out.read_bytes()))
    assert wb.sheetnames[0] == "摘要" and len(wb.sheetnames) == 4
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type == "s" for c in cells)  # never a formula
    values = {str(c.value) for c in cells}
    assert any(HOSTILE[2] in v for v in values) and any(HOSTILE[0] in v for v in values)
    rows = {row[0].value: [c.value for c in row[1:]] for row in wb["摘要"].iter_rows()}
    assert rows["過去職業"][:2] == ["網紅經紀人", "IDC3339-001v2"]


def test_report_to_an_unknown_format(capsys: pytest.CaptureFixture[str],
                                     standards_dir: Path, tmp_path: Path) -> None:
    _hostile_case(capsys, standards_dir)
    code, _o, err = run(capsys, standards_dir, "case", "report", "客戶" + HOSTILE[1], "-o",
                        str(tmp_path / "r.pdf"))
    assert code == 1 and ".html" in err and ".xlsx" in err
    assert not (tmp_path / "r.pdf").exists()
