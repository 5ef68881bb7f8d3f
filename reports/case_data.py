"""What a client's report says, as plain records: built once from the graph, written as
HTML (:mod:`reports.case_html`) or .xlsx (:mod:`reports.case_xlsx`).

Per target: 已具備 (the target's items the client has, with where each came from),
相近可轉移 (partly covered: the client's item beside the target's), 需補強 (missing, by
importance, with the tasks that need them), a suggested route (the cheapest chain of
occupations from the client's closest past job, :func:`queries.paths.paths`), and the
score and its confidence explained in plain Chinese. Targets are the ones the client
chose, else the best three matches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graph.kinds import zh
from loaders.errors import QueryError
from queries.index import index
from queries.match import MatchOptions, Result, explain, explain_target, match
from queries.matrix import matrices, move_row
from queries.paths import Step, paths
from queries.profile import SOURCE_LABEL, ClientProfile, Source
from queries.resolve import STATUS_LABEL

if TYPE_CHECKING:
    import networkx as nx

#: Targets a report shows when the client chose none.
DEFAULT_TARGETS = 3

#: What each confidence label means, for the client (thresholds: queries/classify.py).
CONFIDENCE_TEXT: dict[str, str] = {
    "高": ("可信度高：分數高，且相符的職能項目（有過去職業時，還有工作內容）"
           "都遠多於隨意兩個職業之間常見的程度。"),
    "中": "可信度中：有相符的證據，但不算強，值得和諮詢師一起確認。",
    "低": "可信度低：相符的職能項目很少（或只有一種證據），分數只能當作參考。",
}


@dataclass(frozen=True, slots=True)
class Strength:
    name: str
    kind: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Transferable:
    name: str
    kind: str
    client_item: str
    score: float


@dataclass(frozen=True, slots=True)
class ToLearn:
    name: str
    kind: str
    importance: int
    tasks: tuple[str, ...]
    task_codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RouteStep:
    source: str
    source_code: str
    target: str
    target_code: str
    learn: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TargetReport:
    code: str
    name: str
    score: float
    confidence: str
    explanation: str
    strengths: tuple[Strength, ...]
    transferable: tuple[Transferable, ...]
    to_learn: tuple[ToLearn, ...]
    route: tuple[RouteStep, ...]
    route_note: str


@dataclass(frozen=True, slots=True)
class TypedLine:
    text: str
    status: str
    matched: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CaseReport:
    name: str
    note: str
    date: str
    occupations: tuple[tuple[str, str], ...]
    typed: tuple[TypedLine, ...]
    items: int
    chosen: bool
    targets: tuple[TargetReport, ...]


def source_text(source: Source) -> str:
    """Where an item came from, for the client: 過去職業：倉儲人員 / 自行輸入：「倉庫管理」.

    >>> source_text({"kind": "typed", "ref": "倉庫管理", "label": "倉庫管理"})
    '自行輸入：「倉庫管理」'
    """
    label = SOURCE_LABEL[source["kind"]]
    if source["kind"] == "typed":
        return f"{label}：「{source['label']}」"
    return f"{label}：{source['label']}"


def explanation(result: Result) -> str:
    """The score in plain Chinese: what it counts, what lowers it, what it is made of."""
    c = result["components"]
    text = (f"分數 {result['score']:.2f}（0 到 1 之間）表示「{result['name']}」所需的職能中，"
            f"個案已具備的程度：完全具備 {len(result['covered'])} 項、"
            f"相近 {len(result['partly'])} 項（依相似程度計部分分數）、"
            f"尚缺 {len(result['missing'])} 項，加權後涵蓋約 {c['coverage']:.0%}。"
            "越少職業要求、越專門的職能權重越高，溝通、態度這類幾乎每個職業都有的項目權重很低；"
            "要求項目很少的職業會略為調低分數，避免只靠一兩個共同項目就排在前面。")
    if c["tasks"] > 0:
        text += (f"分數也計入個案過去工作的任務內容與這個職業的相似程度（{c['tasks']:.0%}），"
                 "佔四成。")
    return text


def _route(G: nx.MultiDiGraph, profile: ClientProfile, code: str
           ) -> tuple[tuple[RouteStep, ...], str]:
    if not profile.occupations:
        return (), ("個案沒有選擇過去的職業，因此不規劃經由其他職業的路徑；"
                    "需補強的項目即是學習清單。")
    m = matrices(G)
    row = m.row[f"occupation:{code}"]
    # Start from the past job that covers the most of the target on its own.
    best = max(profile.occupations, key=lambda j: (float(move_row(G, j.node)[row]), j.code))
    try:
        found = paths(G, best.code, code, k=1)["paths"]
    except QueryError:
        found = []
    if not found:
        return (), f"從「{best.name}」找不到經由其他職業的路徑。"
    return _steps(G, profile, found[0]["steps"]), f"自過去職業「{best.name}」出發，成本最低的路徑。"


def _steps(G: nx.MultiDiGraph, profile: ClientProfile,
           steps: Sequence[Step]) -> tuple[RouteStep, ...]:
    """The route's steps, each with what is still missing on arrival: what the next
    occupation requires that neither the client's profile nor the occupations passed
    through cover, even partly — so a direct route lists exactly the 需補強 table."""
    idx = index(G)
    held = dict(profile.items)
    out = []
    for s in steps:
        target = idx.profiles[f"occupation:{s['to']}"]
        # The one classification the match uses, for what is held on arrival.
        arrived = ClientProfile(profile.occupations, held, ())
        learn = tuple(m["name"] for m in explain(G, arrived, target)["missing"])
        out.append(RouteStep(_name(G, s["from"]), s["from"], target.name, s["to"], learn))
        held = {**held, **{item: () for item in target.uses if item not in held}}
    return tuple(out)


def _name(G: nx.MultiDiGraph, code: str) -> str:
    return str(G.nodes.get(f"occupation:{code}", {}).get("name", code))


def target_report(G: nx.MultiDiGraph, profile: ClientProfile, result: Result) -> TargetReport:
    """The report's section for one target."""
    route, note = _route(G, profile, result["code"])
    return TargetReport(
        result["code"], result["name"], result["score"], result["confidence"],
        explanation(result),
        tuple(Strength(c["name"], zh(c["kind"]),
                       tuple(source_text(s) for s in c.get("sources", [])))
              for c in result["covered"]),
        tuple(Transferable(p["name"], zh(p["kind"]), p.get("client_item", {}).get("name", ""),
                           float(p["credit"]))
              for p in result["partly"]),
        tuple(ToLearn(x["name"], zh(x["kind"]), x["importance"],
                      tuple(x.get("task_names", x["tasks"])), tuple(x["tasks"]))
              for x in result["missing"]),
        route, note)


def case_report(G: nx.MultiDiGraph, name: str, note: str, profile: ClientProfile,
                targets: Sequence[str], options: MatchOptions, date: str) -> CaseReport:
    """Everything the client's report shows.

    Parameters
    ----------
    G : the competency graph.
    name, note : the case's name and the counsellor's notes.
    profile : the built profile (at least one item).
    targets : the client's chosen occupations (codes or names); none = the best
        :data:`DEFAULT_TARGETS` matches under ``options``.
    options : the case's match options.
    date : the date printed on the report.

    Raises
    ------
    UnknownOccupation
        A chosen target is not loaded.
    ProfileError
        The profile holds nothing.
    """
    if targets:
        results = [explain_target(G, profile, t) for t in targets]
    else:
        top = MatchOptions(options.category, options.industry, options.level, DEFAULT_TARGETS)
        results = match(G, profile, top)["results"]
    typed = tuple(TypedLine(r["input"], STATUS_LABEL[r["status"]],
                            tuple(m["name"] for m in r["matched"]))
                  for r in profile.resolutions)
    return CaseReport(name, note, date, tuple((j.code, j.name) for j in profile.occupations),
                      typed, len(profile.items), bool(targets),
                      tuple(target_report(G, profile, r) for r in results))
