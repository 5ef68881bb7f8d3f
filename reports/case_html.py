"""The client's report as one printable HTML page (A4, Traditional Chinese, self-contained:
no script, no external resource). Names everywhere; codes only in small print. Every text
from the data, the case or the counsellor goes through :func:`reports.page.escape`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reports.case_data import CONFIDENCE_TEXT, CaseReport, TargetReport
from reports.page import A4_STYLE, document, escape


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], empty: str,
           css: str = "") -> str:
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>"
                   for row in rows)
    if not body:
        return f'<p class="muted">{escape(empty)}</p>'
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    cls = f' class="{css}"' if css else ""
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _code(code: str) -> str:
    return f'<small class="code">{escape(code)}</small>'


def _target(t: TargetReport) -> str:
    strengths = _table(("職能", "類別", "來自"), (
        (escape(s.name), escape(s.kind), escape("；".join(s.sources))) for s in t.strengths),
        "沒有完全相同的項目。")
    transferable = _table(("目標職業需要", "個案具備的相近項目", "計入比例"), (
        (f"{escape(x.name)}（{escape(x.kind)}）", escape(x.client_item), f"{x.score:.0%}")
        for x in t.transferable), "沒有相近可轉移的項目。")
    to_learn = _table(("順序", "職能", "類別", "重要度", "需要它的工作任務"), (
        (str(i), escape(x.name), escape(x.kind), str(x.importance),
         escape("、".join(x.tasks)) + (" " + _code("、".join(x.task_codes))
                                      if x.task_codes else ""))
        for i, x in enumerate(t.to_learn, 1)), "沒有需要補強的項目。", "learn")
    route = "".join(
        f"<li>{escape(s.source)} → {escape(s.target)} "
        f"{_code(s.source_code + ' → ' + s.target_code)}"
        f"：需補強 {len(s.learn)} 項"
        + (f"（{escape('、'.join(s.learn[:12]))}{'…' if len(s.learn) > 12 else ''}）"
           if s.learn else "") + "</li>"
        for s in t.route)
    return (
        f'<section class="target"><h2>{escape(t.name)} {_code(t.code)}</h2>'
        f'<div class="explain"><p>{escape(t.explanation)}</p>'
        f"<p><strong>{escape(CONFIDENCE_TEXT.get(t.confidence, t.confidence))}</strong></p></div>"
        f"<h3>已具備（{len(t.strengths)} 項）</h3>{strengths}"
        f"<h3>相近可轉移（{len(t.transferable)} 項）</h3>{transferable}"
        f"<h3>需補強（{len(t.to_learn)} 項，依重要度）</h3>{to_learn}"
        f"<h3>建議路徑</h3><p>{escape(t.route_note)}</p>"
        + (f"<ol>{route}</ol>" if route else "") + "</section>")


def case_html(report: CaseReport) -> str:
    """The whole report page.

    >>> from reports.case_data import CaseReport
    >>> page = case_html(CaseReport("<b>王</b>", "", "2026-01-01", (), (), 0, False, ()))
    >>> "&lt;b&gt;王&lt;/b&gt;" in page and "<b>" not in page
    True
    """
    jobs = "、".join(f"{escape(name)} {_code(code)}" for code, name in report.occupations)
    typed = "".join(
        f"<li>「{escape(t.text)}」→ {escape('、'.join(t.matched) or '（未採用）')}"
        f'<span class="muted">（{escape(t.status)}）</span></li>' for t in report.typed)
    chosen = "個案選擇的目標職業" if report.chosen else "最符合的職業（個案尚未選擇目標）"
    facts = [("個案", escape(report.name)), ("日期", escape(report.date)),
             ("過去職業", jobs or "—"), ("職能項目", f"{report.items} 項")]
    body = (
        f"<h1>職能分析報告：{escape(report.name)}</h1>"
        "<table>" + "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in facts) + "</table>"
        + (f"<h2>諮詢紀錄</h2><p>{escape(report.note)}</p>" if report.note else "")
        + (f"<h2>自行輸入的項目</h2><ul>{typed}</ul>" if typed else "")
        + f"<h2>{chosen}</h2><ol>"
        + "".join(f"<li>{escape(t.name)}：分數 {t.score:.2f}，可信度{escape(t.confidence)}</li>"
                  for t in report.targets) + "</ol>"
        + "".join(_target(t) for t in report.targets)
        + '<p class="noprint muted">以瀏覽器的「列印」即可存成 PDF（A4）。</p>')
    return document(f"職能分析報告：{report.name}", body, A4_STYLE)
