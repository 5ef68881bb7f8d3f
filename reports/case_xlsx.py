"""The client's report as an .xlsx workbook (openpyxl): a 摘要 sheet, then one sheet per
target with 已具備, 相近可轉移, 需補強, the route and the explanation.

Every cell is written as text (never a formula: a name starting with ``=`` stays a
name), with characters XML cannot hold removed. Codes sit in their own, narrow column.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from reports.case_data import CONFIDENCE_TEXT, CaseReport, TargetReport

_BOLD = Font(bold=True)
_HEAD = PatternFill("solid", fgColor="DDDDDD")
_TITLE = Font(bold=True, size=14)
_SMALL = Font(size=8, color="666666")
# What XML 1.0 cannot carry (openpyxl refuses it); also what sheet titles may not hold.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


class _Sheet:
    """Appends rows to a worksheet, every value as a string cell."""

    def __init__(self, ws: Worksheet, widths: Sequence[int]) -> None:
        self.ws = ws
        self.row = 1
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[chr(64 + i)].width = width

    def line(self, *values: object, font: Font | None = None, head: bool = False,
             small_last: bool = False) -> None:
        for col, value in enumerate(values, start=1):
            cell = self.ws.cell(self.row, col)
            cell.value = _ILLEGAL.sub("", str(value))
            cell.data_type = "s"  # text, never a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if font is not None:
                cell.font = font
            if head:
                cell.font, cell.fill = _BOLD, _HEAD
            if small_last and col == len(values):
                cell.font = _SMALL
        self.row += 1

    def gap(self) -> None:
        self.row += 1


def _title(name: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub("", _ILLEGAL.sub("", name)).strip("'") or "目標"
    base = base[:28]
    title, n = base, 2
    while title in used:
        title, n = f"{base[:26]}_{n}", n + 1
    used.add(title)
    return title


def _target(s: _Sheet, t: TargetReport) -> None:
    s.line(t.name, font=_TITLE)
    s.line(f"代碼 {t.code}", font=_SMALL)
    s.line(t.explanation)
    s.line(CONFIDENCE_TEXT.get(t.confidence, t.confidence), font=_BOLD)
    s.gap()
    s.line(f"已具備（{len(t.strengths)} 項）", font=_BOLD)
    s.line("職能", "類別", "來自", head=True)
    for x in t.strengths:
        s.line(x.name, x.kind, "；".join(x.sources))
    s.gap()
    s.line(f"相近可轉移（{len(t.transferable)} 項）", font=_BOLD)
    s.line("目標職業需要", "類別", "個案具備的相近項目", "計入比例", head=True)
    for p in t.transferable:
        s.line(p.name, p.kind, p.client_item, f"{p.score:.0%}")
    s.gap()
    s.line(f"需補強（{len(t.to_learn)} 項，依重要度）", font=_BOLD)
    s.line("職能", "類別", "重要度", "需要它的工作任務", "任務代碼", head=True)
    for m in t.to_learn:
        s.line(m.name, m.kind, m.importance, "、".join(m.tasks), "、".join(m.task_codes),
               small_last=True)
    s.gap()
    s.line("建議路徑", font=_BOLD)
    s.line(t.route_note)
    for step in t.route:
        s.line(f"{step.source} → {step.target}", "需補強 " + str(len(step.learn)) + " 項",
               "、".join(step.learn), "", f"{step.source_code} → {step.target_code}",
               small_last=True)


def case_xlsx(report: CaseReport) -> bytes:
    """The workbook's bytes.

    >>> from reports.case_data import CaseReport
    >>> data = case_xlsx(CaseReport("=1+1", "", "2026-01-01", (), (), 0, False, ()))
    >>> data[:2]
    b'PK'
    """
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = "摘要"
    s = _Sheet(summary, (26, 40, 14, 14, 18))
    s.line(f"職能分析報告：{report.name}", font=_TITLE)
    s.line("日期", report.date)
    s.line("過去職業", "、".join(name for _code, name in report.occupations) or "—",
           "、".join(code for code, _name in report.occupations), small_last=True)
    s.line("職能項目", f"{report.items} 項")
    if report.note:
        s.line("諮詢紀錄", report.note)
    if report.typed:
        s.gap()
        s.line("自行輸入", "對應到的職能", "比對", head=True)
        for typed in report.typed:
            s.line(typed.text, "、".join(typed.matched) or "（未採用）", typed.status)
    s.gap()
    s.line("個案選擇的目標職業" if report.chosen else "最符合的職業", font=_BOLD)
    s.line("職業", "分數", "可信度", "代碼", head=True)
    for t in report.targets:
        s.line(t.name, f"{t.score:.2f}", t.confidence, t.code, small_last=True)
    used = {"摘要"}
    for t in report.targets:
        _target(_Sheet(wb.create_sheet(_title(t.name, used)), (30, 10, 30, 40, 18)), t)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
