"""The text loader against the five seed standards (hand-written goldens) and bad input."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from loaders.errors import ParseError
from loaders.records import Standard
from loaders.text import parse_standard_text

FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = FIXTURES / "golden"
CODES = ["IDC3339-001v2", "IDC5294-001v2", "KMC2431-001v4", "KMC2431-008v1", "KMC2431-009v2"]


def _read(standards_dir: Path, code: str) -> tuple[str, str]:
    path = standards_dir / f"{code}.txt"
    return path.read_text(encoding="utf-8"), str(path)


def _parse(standards_dir: Path, code: str) -> Standard:
    return parse_standard_text(*_read(standards_dir, code))


def _lines(standards_dir: Path, code: str) -> list[str]:
    return _read(standards_dir, code)[0].split("\n")


def _messages(std: Standard) -> list[str]:
    return [str(w) for w in std.warnings]


# --- golden files -------------------------------------------------------------------------


@pytest.fixture(params=CODES)
def golden(request: pytest.FixtureRequest, standards_dir: Path) -> tuple[Standard, dict[str, Any]]:
    expected = json.loads((GOLDEN / f"{request.param}.json").read_text(encoding="utf-8"))
    return _parse(standards_dir, request.param), expected


def test_golden_metadata(golden: tuple[Standard, dict[str, Any]]) -> None:
    std, exp = golden
    assert (std.code, std.name, std.level, std.description) == (
        exp["code"], exp["name"], exp["level"], exp["description"])
    for field in ("category", "occupation", "industry"):
        assert [[c.name, c.code] for c in getattr(std, field)] == exp[field], field
    assert [[v.version, v.code, v.name, v.status, v.note, v.date] for v in std.versions] == (
        exp["versions"])
    assert std.requirements == exp["requirements"]


def test_golden_table(golden: tuple[Standard, dict[str, Any]]) -> None:
    std, exp = golden
    assert [(d.code, d.name) for d in std.duties] == [(d["code"], d["name"]) for d in exp["duties"]]
    for duty, exp_duty in zip(std.duties, exp["duties"], strict=True):
        got = [
            {"code": t.code, "name": t.name, "level": t.level, "line": t.source.line,
             "outputs": [[o.code, o.name] for o in t.outputs],
             "indicators": len(t.indicators),
             "knowledge": list(t.knowledge), "skills": list(t.skills)}
            for t in duty.tasks
        ]
        assert got == exp_duty["tasks"]


def test_golden_indicator_codes_follow_their_task(golden: tuple[Standard, dict[str, Any]]) -> None:
    std, _ = golden
    for task in std.tasks:
        n = len(task.indicators)
        expected = [f"P{task.code[1:]}.{i}" for i in range(1, n + 1)]
        assert [p.code for p in task.indicators] == expected
        assert all(p.text and "P" not in p.text[:2] for p in task.indicators)


def test_golden_items(golden: tuple[Standard, dict[str, Any]]) -> None:
    std, exp = golden
    assert {i.code: i.name for i in std.knowledge} == exp["knowledge"]
    assert {i.code: i.name for i in std.skills} == exp["skills"]
    assert {i.code: i.name for i in std.attitudes} == exp["attitudes"]
    assert {i.code: list(i.notes) for i in std.items() if i.notes} == exp["item_notes"]
    assert all(a.description for a in std.attitudes)


def test_golden_notes(golden: tuple[Standard, dict[str, Any]]) -> None:
    std, exp = golden
    assert [[n.mark, n.term] for n in std.notes] == exp["notes"]
    assert all(n.text for n in std.notes)


def test_seed_standards_have_no_warnings(golden: tuple[Standard, dict[str, Any]]) -> None:
    std, _ = golden
    assert _messages(std) == []


# --- particular readings ------------------------------------------------------------------


def test_indicator_split_over_a_page_break_is_one_indicator(standards_dir: Path) -> None:
    task = _parse(standards_dir, "KMC2431-001v4").tasks[3]
    assert task.code == "T2.2"
    assert task.indicators[2].text == "依媒體企劃執行情形及回饋意見，分析媒體企劃成效。"
    assert task.indicators[3].text.startswith("依分析結果，檢視媒體企劃成效")
    assert task.indicators[2].source.line == 26


def test_indicator_continued_without_code_on_next_page(standards_dir: Path) -> None:
    p = _parse(standards_dir, "KMC2431-009v2").tasks[0].indicators[2]
    assert p.code == "P1.1.3"
    assert p.text.endswith("發想經營策略並產出經營社群媒體企畫書。")


def test_markup_and_marks_removed_from_indicators(standards_dir: Path) -> None:
    std = _parse(standards_dir, "KMC2431-008v1")
    texts = {p.code: p.text for t in std.tasks for p in t.indicators}
    assert texts["P2.1.2"] == (
        "依年度行銷目標，盤點與分析組織內外部可用的資源，確認資源分配的優先順序。")
    assert texts["P3.1.2"] == (
        "分析流量來源特點、訪客的人群屬性、時空屬性與興趣屬性，並完成流量分析報告。")
    assert texts["P1.1.2"].startswith(
        "依組織產品定位與分析需求，蒐集市場資訊與符合網路行銷相關法規，並判別")


def test_note_text_and_terms(standards_dir: Path) -> None:
    notes = {n.term: n for n in _parse(standards_dir, "KMC2431-009v2").notes}
    assert notes["廣電三法"].text == "廣播電視法、有線廣播電視法、衛星廣播電視法。"
    assert notes["社群平台"].text == "Facebook、Instagram、YouTube、Line@官方帳號等。"
    assert notes["廣電三法"].source.line == 48
    kmc = _parse(standards_dir, "KMC2431-001v4").notes[0]
    assert (kmc.mark, kmc.term) == ("註1", "廣電相關法規")
    assert kmc.text == "廣電法規、個人資料保護法、智慧財產權、公平交易法與消費者保護法等。"


def test_attitude_with_and_without_space(standards_dir: Path) -> None:
    a = _parse(standards_dir, "IDC3339-001v2").attitudes
    assert (a[0].code, a[0].name) == ("A01", "自我管理")
    assert a[0].description.startswith("設立定義明確且實際可行的個人目標；")
    assert (a[5].code, a[5].name) == ("A06", "追求卓越")


def test_source_info(standards_dir: Path) -> None:
    text, path = _read(standards_dir, "IDC3339-001v2")
    src = parse_standard_text(text, path).source
    assert (src.path, src.format) == (path, "text")
    assert src.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.mark.parametrize("code", CODES)
def test_crlf_reads_the_same(standards_dir: Path, code: str) -> None:
    text, path = _read(standards_dir, code)
    lf = parse_standard_text(text, path)
    crlf = parse_standard_text(text.replace("\n", "\r\n"), path)
    assert crlf.duties == lf.duties and crlf.items() == lf.items() and crlf.notes == lf.notes
    assert [t.source.line for t in crlf.tasks] == [t.source.line for t in lf.tasks]
    assert crlf.warnings == ()


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n\n\t\n", "\r\n"])
def test_empty_text_raises(text: str) -> None:
    with pytest.raises(ParseError, match="empty"):
        parse_standard_text(text, "empty.txt")


def test_not_a_standard_raises() -> None:
    path = FIXTURES / "text" / "not_a_standard.txt"
    with pytest.raises(ParseError, match="not a competency standard") as info:
        parse_standard_text(path.read_text(encoding="utf-8"), str(path))
    assert str(info.value).startswith(str(path))


def test_truncated_mid_table_warns_with_line() -> None:
    path = FIXTURES / "text" / "truncated_mid_table.txt"
    std = parse_standard_text(path.read_text(encoding="utf-8"), str(path))
    messages = _messages(std)
    assert f"{path}:25: the text ends inside the task table" in "\n".join(messages)
    assert any(m.startswith(f"{path}:25: table row has 3 cells") for m in messages)
    assert any("no attitude section" in m for m in messages)
    assert [t.code for t in std.tasks] == ["T1.1", "T1.2", "T2.1", "T2.2"]
    assert std.tasks[1].name == "承接專案"


def test_undefined_knowledge_code_warns() -> None:
    path = FIXTURES / "text" / "undefined_k_code.txt"
    std = parse_standard_text(path.read_text(encoding="utf-8"), str(path))
    assert _messages(std) == [
        f"{path}:20: task T1.2 uses K99, which the standard does not define (no name anywhere)"
    ]
    assert "K99" in std.tasks[1].knowledge
    assert "K99" not in {k.code for k in std.knowledge}


def test_one_code_with_two_names_warns(standards_dir: Path) -> None:
    lines = _lines(standards_dir, "IDC3339-001v2")
    lines[22] = lines[22].replace("K02 網紅類型與商業模式", "K02 網紅類型")
    std = parse_standard_text("\n".join(lines), "two.txt")
    assert _messages(std) == [
        "two.txt:23: K02 has two names: '網紅類型與商業模式' (line 19) and '網紅類型'; "
        "keeping the first"
    ]
    assert {k.code: k.name for k in std.knowledge}["K02"] == "網紅類型與商業模式"


def test_task_code_not_matching_its_duty_warns(standards_dir: Path) -> None:
    lines = _lines(standards_dir, "IDC3339-001v2")
    lines[23] = lines[23].replace("T2.1 管理", "T1.9 管理")
    std = parse_standard_text("\n".join(lines), "dm.txt")
    assert "dm.txt:24: task T1.9 does not match its duty T2" in _messages(std)


def test_unplaced_line_warns(standards_dir: Path) -> None:
    lines = _lines(standards_dir, "IDC5294-001v2")
    lines.insert(33, "這一行不屬於任何地方")
    std = parse_standard_text("\n".join(lines), "u.txt")
    assert _messages(std) == [
        "u.txt:34: line could not be placed (attitudes): '這一行不屬於任何地方'"
    ]


def test_mark_without_note_warns(standards_dir: Path) -> None:
    lines = _lines(standards_dir, "IDC5294-001v2")
    std = parse_standard_text("\n".join(lines[:48]), "m.txt")
    assert _messages(std) == ["m.txt:23: footnote mark 【註1】 has no note under 其他補充說明"]
    assert {s.code: s.notes for s in std.skills}["S08"] == ("註1",)


def test_missing_code_row_falls_back_to_versions_table(standards_dir: Path) -> None:
    lines = _lines(standards_dir, "IDC3339-001v2")
    del lines[8]
    std = parse_standard_text("\n".join(lines), "c.txt")
    assert std.code == "IDC3339-001v2"
    assert _messages(std) == [
        "c.txt: no 職能基準代碼 row; using 'IDC3339-001v2' from the versions table"
    ]


def test_missing_occupation_row_falls_back_to_title(standards_dir: Path) -> None:
    lines = _lines(standards_dir, "KMC2431-008v1")
    del lines[6]
    std = parse_standard_text("\n".join(lines), "t.txt")
    assert std.name == "網路行銷企劃主管"
    assert _messages(std) == [
        "t.txt:1: no 職業 name in the basic information; using the title '網路行銷企劃主管'"
    ]


def test_level_that_is_not_a_number_warns(standards_dir: Path) -> None:
    lines = _lines(standards_dir, "KMC2431-009v2")
    lines[22] = lines[22].replace("\t3\t", "\t三\t")
    std = parse_standard_text("\n".join(lines), "l.txt")
    assert std.tasks[1].level is None
    assert _messages(std) == ["l.txt:23: 職能級別 '三' is not a number",
                              "l.txt:23: task T1.2 has no 職能級別"]


def test_table_without_header_row_is_still_read(standards_dir: Path) -> None:
    lines = _lines(standards_dir, "IDC3339-001v2")
    del lines[17]
    std = parse_standard_text("\n".join(lines), "h.txt")
    assert _messages(std) == [
        "h.txt:18: task table row without a header row before it; read as the table"
    ]
    assert [t.code for t in std.tasks] == ["T1.1", "T1.2", "T2.1", "T2.2"]
    assert std.tasks[0].knowledge[-2:] == ("K08", "K09")


def test_task_before_any_duty_is_not_placed(standards_dir: Path) -> None:
    lines = _lines(standards_dir, "IDC3339-001v2")
    lines[18] = "\t" + lines[18].split("\t", 1)[1]
    std = parse_standard_text("\n".join(lines), "d.txt")
    messages = _messages(std)
    assert messages[0] == "d.txt:19: task T1.1 comes before any duty; not placed"
    assert "d.txt:19: output text 'O1.1.1 工作合約' has no task; not placed" in messages
    assert "d.txt:23: task T1.2 comes before any duty; not placed" in messages
    assert [t.code for t in std.tasks] == ["T2.1", "T2.2"]
    # nothing of T1.1 leaks into the tasks that were placed
    assert std.tasks[0].knowledge == ("K02", "K03", "K04", "K06", "K07", "K08", "K09")
    assert "K01" not in {k.code for k in std.knowledge}


def test_duty_without_task_warns(standards_dir: Path) -> None:
    lines = _lines(standards_dir, "KMC2431-009v2")
    lines.insert(30, "T4 空的職責\t\t\t\t\t\t")
    std = parse_standard_text("\n".join(lines), "e.txt")
    assert _messages(std) == ["e.txt:31: duty T4 has no task"]
    assert [d.code for d in std.duties] == ["T1", "T2", "T3", "T4"]


def test_columns_follow_the_header(standards_dir: Path) -> None:
    text, _ = _read(standards_dir, "IDC3339-001v2")
    lines = text.split("\n")
    for i in range(17, 28):  # the table, headers included: K and S columns swapped
        cells = lines[i].split("\t")
        if len(cells) == 7:
            cells[5], cells[6] = cells[6], cells[5]
            lines[i] = "\t".join(cells)
    swapped = parse_standard_text("\n".join(lines), "s.txt")
    original = parse_standard_text(text, "s.txt")
    assert swapped.duties == original.duties and swapped.items() == original.items()
    assert swapped.warnings == ()


def test_unknown_header_warns_and_reads_the_usual_columns(standards_dir: Path) -> None:
    lines = _lines(standards_dir, "IDC3339-001v2")
    lines[17] = lines[17].replace("行為指標", "備註")
    std = parse_standard_text("\n".join(lines), "x.txt")
    assert [m.split(": ", 1)[0] for m in _messages(std)] == ["x.txt:18"]
    assert "is not the usual one" in _messages(std)[0]
    assert len(std.tasks[0].indicators) == 3
