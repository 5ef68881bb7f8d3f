"""The client's report (reports/): what it says per target, and that it agrees with the
match it comes from. Seeds: a client who was 網紅經紀人 (IDC3339-001v2) and ticks
直播技巧 (a knowledge item of IDC5294-001v2 that IDC3339-001v2 lacks).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from loaders.errors import UnknownKey
from queries.match import MatchOptions, explain_target
from queries.profile import PastJob, ProfileSpec, TypedItem, build_profile
from reports.case_data import CaseReport, case_report, source_text
from reports.case_html import case_html
from reports.case_xlsx import case_xlsx
from reports.writers import write_report
from tests.graphs import seeds

SCRIPT = "<script>alert(1)</script>"


def report(targets: tuple[str, ...] = ("IDC5294-001v2",), note: str = "") -> CaseReport:
    G = seeds()
    spec = ProfileSpec(jobs=(PastJob("IDC3339-001v2"),), ticked=("knowledge:直播技巧",),
                       typed=(TypedItem(SCRIPT),))
    return case_report(G, "王" + SCRIPT, note, build_profile(G, spec), targets,
                       MatchOptions(), "2026-01-02")


def test_each_target_agrees_with_its_match() -> None:
    G = seeds()
    r = report()
    [t] = r.targets
    spec = ProfileSpec(jobs=(PastJob("IDC3339-001v2"),), ticked=("knowledge:直播技巧",))
    m = explain_target(G, build_profile(G, spec), "IDC5294-001v2")
    assert [s.name for s in t.strengths] == [c["name"] for c in m["covered"]]
    assert [x.name for x in t.transferable] == [p["name"] for p in m["partly"]]
    assert [x.name for x in t.to_learn] == [x["name"] for x in m["missing"]]
    ticked = next(s for s in t.strengths if s.name == "直播技巧")
    assert ticked.sources == ("勾選：直播技巧",)
    # a direct route lists exactly what the 需補強 table lists
    [step] = t.route
    assert (step.source, step.target) == ("網紅經紀人", "數位平台直播人員")
    assert list(step.learn) == [x.name for x in t.to_learn]
    assert f"完全具備 {len(t.strengths)} 項" in t.explanation
    assert f"尚缺 {len(t.to_learn)} 項" in t.explanation


def test_without_chosen_targets_the_best_three() -> None:
    r = report(targets=())
    assert not r.chosen and len(r.targets) == 3
    assert [t.score for t in r.targets] == sorted((t.score for t in r.targets), reverse=True)


def test_typed_lines_and_sources() -> None:
    [typed] = report().typed
    assert (typed.text, typed.status, typed.matched) == (SCRIPT, "找不到", ())
    assert source_text({"kind": "occupation", "ref": "X", "label": "網紅經紀人"}) == (
        "過去職業：網紅經紀人")


def test_html_is_a_printable_self_contained_page() -> None:
    page = case_html(report(note="<img src=x onerror=alert(1)>"))
    assert page.startswith("<!DOCTYPE html>") and "@page{size:A4" in page
    assert not re.search(r"<(script|img|link|iframe)\b", page, re.I)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert page.count("<h3>") == 4  # 已具備, 相近可轉移, 需補強, 建議路徑
    assert '<small class="code">IDC5294-001v2</small>' in page


def test_xlsx_sheets_and_text_cells() -> None:
    r = report(note="=cmd|' /C calc'!A0")
    wb = load_workbook(io.BytesIO(case_xlsx(r)))
    assert wb.sheetnames == ["摘要", "數位平台直播人員"]
    summary = {row[0].value: row[1].value for row in wb["摘要"].iter_rows()}
    assert summary["諮詢紀錄"] == "=cmd|' /C calc'!A0"
    assert wb["摘要"]["B5"].data_type == "s"
    target = [row[0].value for row in wb["數位平台直播人員"].iter_rows()]
    [t] = r.targets
    assert f"已具備（{len(t.strengths)} 項）" in target
    assert f"需補強（{len(t.to_learn)} 項，依重要度）" in target


def test_writer_picks_the_format_by_suffix(tmp_path: Path) -> None:
    r = report()
    assert write_report(r, tmp_path / "a.HTML").read_bytes().startswith(b"<!DOCTYPE html>")
    assert write_report(r, tmp_path / "a.xlsx").read_bytes()[:2] == b"PK"
    with pytest.raises(UnknownKey):
        write_report(r, tmp_path / "a.docx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.HTML", "a.xlsx"]
