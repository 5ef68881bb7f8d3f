"""The transition plan a counsellor hands over: what to learn (ordered) and the best
routes, as Markdown, a printable Chinese HTML page, and a CSV of the gap list with a
byte-order mark so that Excel shows the Chinese. Names first (occupations and tasks are
named by :mod:`app_pages.naming`, codes in brackets); routes as
:mod:`app_pages.route_view` explains them (direction of each step, cost in words, only
routes no costlier than the direct move recommended). Pure functions; no Streamlit here.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from app_pages.naming import occupation_text, task_text
from app_pages.route_view import STEP_MARK, StepView, evaluate, shown
from graph.kinds import zh
from reports.page import document, escape

DIRECTION_WORD = {"upward": "升遷", "lateral": "平行", "downward": "降階"}
CSV_HEADER = ("順序", "名稱", "類別", "重要度", "需要的任務", "部分涵蓋")


@dataclass(frozen=True)
class GapRow:
    name: str
    kind: str
    importance: int
    tasks: tuple[str, ...]
    partly: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    source: str
    target: str
    learn: tuple[str, ...]
    direction: str = ""
    tasks: int = 0
    source_name: str = ""
    target_name: str = ""

    @property
    def words(self) -> str:
        """What the step costs, in words (需補強 N 項，約 X 個任務)."""
        return StepView(self.source, self.target, self.direction, self.learn, self.tasks).words

    @property
    def line(self) -> str:
        """``A →（↑升遷）B``, names first (codes when no name is known)."""
        mark = STEP_MARK.get(self.direction, "")
        return (f"{self.source_name or self.source} →{'（' + mark + '）' if mark else ' '}"
                f"{self.target_name or self.target}")


@dataclass(frozen=True)
class Route:
    cost: float
    steps: tuple[Step, ...]
    recommended: bool = True

    @property
    def learn(self) -> int:
        return len({x for s in self.steps for x in s.learn})

    @property
    def words(self) -> str:
        tasks = sum(s.tasks for s in self.steps)
        return f"共需補強 {self.learn} 項，約 {tasks} 個任務" if self.learn else "不需補強新項目"

    @property
    def title(self) -> str:
        kind = "直接轉換" if len(self.steps) == 1 else f"經 {len(self.steps) - 1} 個職業"
        return f"{kind}（{'建議' if self.recommended else '比直接轉換更費力'}）"


@dataclass(frozen=True)
class Plan:
    source: str
    source_name: str
    target: str
    target_name: str
    direction: str
    score: float | None
    gap: tuple[GapRow, ...]
    routes: tuple[Route, ...]
    date: str
    partly: tuple[GapRow, ...] = ()
    """The target's requirements the source has a similar item for (its match in ``partly``)."""
    shared: int = 0
    confidence: str = ""
    coverage: float | None = None


def _name(G: nx.MultiDiGraph, code: str) -> str:
    return occupation_text(G, code) if code else ""


def make_plan(G: nx.MultiDiGraph, gap: Mapping[str, Any], paths: Mapping[str, Any],
              transition: Mapping[str, Any] | None, date: str, *,
              with_bounces: bool = False) -> Plan:
    """A :class:`Plan` from the outputs of ``queries.gap.gap``, ``queries.paths.paths`` and
    (when the target was among the ranked next steps) its ``transitions`` entry. The gap
    list is the classification's missing items; the partly covered ones are kept apart,
    each with the source's matching item (the same classification every page shows).
    Tasks are named (``發掘網紅人才（T1.1）``); routes that go up and back down are left
    out unless ``with_bounces``."""
    dst = str(gap["target"])

    def tasks(codes: Sequence[str]) -> tuple[str, ...]:
        return tuple(task_text(G, dst, c) for c in codes)

    rows = tuple(
        GapRow(str(m["name"]), str(m["kind"]), int(m["importance"]), tasks(m["tasks"]),
               tuple(partly(p) for p in m.get("partly_covered_by", [])))
        for m in gap["missing"]
    )
    similar = tuple(
        GapRow(str(m["name"]), str(m["kind"]), int(m["importance"]), tasks(m["tasks"]),
               (partly(m["match"]),) if "match" in m else ())
        for m in gap.get("partly", [])
    )
    routes = tuple(
        Route(view.cost, tuple(
            Step(s.source, s.target, s.learn, s.direction, s.tasks, _name(G, s.source),
                 _name(G, s.target)) for s in view.steps), view.recommended)
        for view in shown(evaluate(G, paths), with_bounces=with_bounces)
    )
    src = str(gap["source"])
    score = transition["score"] if transition else gap.get("score")
    components = gap.get("components") or {}
    return Plan(src, _name(G, src), dst, _name(G, dst),
                str(transition["direction"]) if transition else "",
                float(score) if score is not None else None, rows, routes, date, similar,
                len(gap.get("covered", [])), str(gap.get("confidence", "")),
                float(components["coverage"]) if "coverage" in components else None)


CONFIDENCE_NOTE = {"高": "職能與任務內容都相近", "中": "部分證據支持",
                   "低": "證據有限，僅供參考"}


def _facts(plan: Plan) -> list[tuple[str, str]]:
    """The plan's score lines: match score, what is covered, confidence."""
    out: list[tuple[str, str]] = []
    if plan.score is not None:
        out.append(("適配分數", f"{plan.score:.0%}"))
    if plan.coverage is not None:
        out.append(("職能涵蓋（加權）", f"{plan.coverage:.0%}"))
    out.append(("已具備／部分具備／需補",
                f"{plan.shared}／{len(plan.partly)}／{len(plan.gap)} 項"))
    if plan.confidence:
        out.append(("信心", f"{plan.confidence}（{CONFIDENCE_NOTE.get(plan.confidence, '')}）"))
    return out


def partly(cover: Mapping[str, Any]) -> str:
    """One ``partly_covered_by`` entry as text: the name with its similarity score, or
    with 涵蓋 when it covers through a term definition (INCLUDES, no score)."""
    score = cover.get("score")
    how = f"{float(score):.2f}" if isinstance(score, int | float) else "涵蓋"
    return f"{cover.get('name', '')}（{how}）"


_MD = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>&$])")


def _m(text: str) -> str:
    return _MD.sub(r"\\\1", text)


def plan_markdown(plan: Plan) -> str:
    """The plan as Markdown (every name escaped, so it shows as written)."""
    out = [f"# 轉職計畫：{_m(plan.source_name)} → {_m(plan.target_name)}", "",
           f"- 目前職業：{_m(plan.source_name)}（{_m(plan.source)}）",
           f"- 目標職業：{_m(plan.target_name)}（{_m(plan.target)}）"]
    if plan.direction:
        out.append(f"- 方向：{DIRECTION_WORD.get(plan.direction, plan.direction)}")
    out += [f"- {k}：{_m(v)}" for k, v in _facts(plan)]
    out += [f"- 產生日期：{_m(plan.date)}", "",
            f"## 需要補強的職能（{len(plan.gap)} 項，依重要度）", ""]
    out += [f"{i}. {_m(r.name)}（{zh(r.kind)}，重要度 {r.importance}）"
            + (f"：用於 {_m('、'.join(r.tasks))}" if r.tasks else "")
            + (f"；可由 {_m('、'.join(r.partly))} 部分涵蓋" if r.partly else "")
            for i, r in enumerate(plan.gap, 1)]
    if plan.partly:
        out += ["", f"## 已部分具備（{len(plan.partly)} 項：已有相似職能，建議確認後補強）", ""]
        out += [f"{i}. {_m(r.name)}（{zh(r.kind)}，重要度 {r.importance}）"
                + (f"：相似於 {_m('、'.join(r.partly))}" if r.partly else "")
                for i, r in enumerate(plan.partly, 1)]
    out += ["", "## 轉換路徑", ""]
    if not plan.routes:
        out.append("找不到可行的路徑。")
    for i, route in enumerate(plan.routes, 1):
        out.append(f"### 路徑 {i}：{route.title}，{route.words}")
        out += [f"- {_m(s.line)}：{s.words}"
                + (f"（{_m('、'.join(s.learn[:10]))}{'…' if len(s.learn) > 10 else ''}）"
                   if s.learn else "") for s in route.steps]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


_e = escape


def plan_html(plan: Plan) -> str:
    """A printable, self-contained Traditional Chinese HTML page of the plan."""
    facts = [("目前職業", f"{plan.source_name}（{plan.source}）"),
             ("目標職業", f"{plan.target_name}（{plan.target}）")]
    if plan.direction:
        facts.append(("方向", DIRECTION_WORD.get(plan.direction, plan.direction)))
    facts += _facts(plan)
    facts.append(("產生日期", plan.date))
    rows = "".join(
        f"<tr><td>{i}</td><td>{_e(r.name)}</td><td>{_e(zh(r.kind))}</td>"
        f"<td>{r.importance}</td><td>{_e('、'.join(r.tasks))}</td>"
        f"<td>{_e('、'.join(r.partly))}</td></tr>"
        for i, r in enumerate(plan.gap, 1))
    similar = "".join(
        f"<tr><td>{i}</td><td>{_e(r.name)}</td><td>{_e(zh(r.kind))}</td>"
        f"<td>{r.importance}</td><td>{_e('、'.join(r.tasks))}</td>"
        f"<td>{_e('、'.join(r.partly))}</td></tr>"
        for i, r in enumerate(plan.partly, 1))
    routes = "".join(
        f"<h3>路徑 {i}：{_e(route.title)}，{_e(route.words)}</h3><ol>"
        + "".join(f"<li>{_e(s.line)}：{_e(s.words)}"
                  f"{('（' + _e('、'.join(s.learn)) + '）') if s.learn else ''}</li>"
                  for s in route.steps) + "</ol>"
        for i, route in enumerate(plan.routes, 1)) or "<p>找不到可行的路徑。</p>"
    return document(
        f"轉職計畫：{plan.source_name} → {plan.target_name}",
        f"<h1>轉職計畫：{_e(plan.source_name)} → {_e(plan.target_name)}</h1>"
        "<table>" + "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in facts)
        + "</table>"
        f"<h2>需要補強的職能（{len(plan.gap)} 項，依重要度）</h2>"
        f"<table><tr>{''.join(f'<th>{h}</th>' for h in CSV_HEADER)}</tr>{rows}</table>"
        + (f"<h2>已部分具備（{len(plan.partly)} 項：已有相似職能，建議確認後補強）</h2>"
           f"<table><tr>{''.join(f'<th>{h}</th>' for h in CSV_HEADER)}</tr>{similar}</table>"
           if plan.partly else "")
        +
        f"<h2>轉換路徑</h2>{routes}"
        '<p class="noprint">以瀏覽器的「列印」即可存成 PDF。</p>')


def gap_csv(plan: Plan) -> bytes:
    """The gap list as UTF-8 CSV with a BOM (Excel then reads the Chinese correctly).
    Cells starting with = + - @ are prefixed with ' so a spreadsheet never runs them."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    # Missing items first, then the partly covered ones (their 部分涵蓋 names the match).
    for i, r in enumerate(plan.gap + plan.partly, 1):
        writer.writerow([i, _cell(r.name), zh(r.kind), r.importance,
                         _cell("、".join(r.tasks)), _cell("、".join(r.partly))])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _cell(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def routes_summary(routes: Sequence[Route]) -> list[str]:
    """One line per route: ``A →（↑升遷）B →（平行）C``, names first."""
    out = []
    for r in routes:
        if not r.steps:
            out.append("")
            continue
        parts = [r.steps[0].source_name or r.steps[0].source]
        for s in r.steps:
            mark = STEP_MARK.get(s.direction, "")
            parts.append(f"{'（' + mark + '）' if mark else ''}{s.target_name or s.target}")
        out.append(" → ".join(parts))
    return out
