"""Which current occupations a client's profile fits, best first, and why.

A profile (:mod:`queries.profile`) is scored like a synthetic occupation that requires
exactly the profile's items, with the transitions model (:mod:`queries.matrix`): for a
target B, each of B's requirements is *covered* (the profile has it), *partly* covered
(the profile has a SIMILAR_TO item, credited at its score) or *missing*; the score is
B's covered IDF weight over B's total weight plus the prior (:func:`queries.matrix.move_row`),
so a target that asks for little cannot top the list on two generic items. Only current
occupations (newest version, not 歷史資料, with some knowledge or skill) are results, and
never a past occupation of the profile or another version of one.

Results can be filtered by 職類別, 行業別 and level (:mod:`queries.filters`).

>>> from queries.profile import PastJob, ProfileSpec, build_profile
>>> from queries.sample import sample_graph
>>> G = sample_graph()
>>> p = build_profile(G, ProfileSpec(jobs=(PastJob("AAA1111-001v2"),)))
>>> [(r["code"], r["confidence"], len(r["covered"]), len(r["missing"]))
...  for r in match(G, p)["results"]]
[('BBB2222-001v2', '中', 4, 3), ('CCC3333-001v1', '低', 1, 3)]
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, TypedDict

import networkx as nx
import numpy as np

from graph.kinds import INFO, Kind
from loaders.errors import QueryError
from queries.filters import level_of, occupations_in
from queries.gap import importance
from queries.matrix import matrices
from queries.occupations import Index, Profile, index, resolve_id
from queries.profile import ClientProfile, Source, require_items

#: Confidence labels, from most to least sure.
CONFIDENCE = ("高", "中", "低")


@dataclass(frozen=True, slots=True)
class MatchOptions:
    """Filters and size of a match (what ``icapgraph match`` takes besides the profile)."""

    category: str | None = None
    industry: str | None = None
    level: int | None = None
    top: int = 10

    def to_json(self) -> dict[str, Any]:
        """JSON-ready options (stored with a case).

        >>> MatchOptions.from_json(MatchOptions(level=4).to_json()) == MatchOptions(level=4)
        True
        """
        return {"category": self.category, "industry": self.industry, "level": self.level,
                "top": self.top}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> MatchOptions:
        """The options :meth:`to_json` wrote (missing keys take their defaults)."""
        level = data.get("level")
        return cls(data.get("category") or None, data.get("industry") or None,
                   None if level is None else int(level), int(data.get("top") or 10))


class Covered(TypedDict):
    id: str
    name: str
    kind: str
    weight: float
    sources: list[Source]


class Partly(TypedDict):
    id: str
    name: str
    kind: str
    weight: float
    score: float
    client_item: dict[str, str]


class Missing(TypedDict):
    id: str
    name: str
    kind: str
    weight: float
    importance: int
    tasks: list[dict[str, str]]


class Result(TypedDict):
    code: str
    name: str
    score: float
    confidence: str
    covered: list[Covered]
    partly: list[Partly]
    missing: list[Missing]


# --- the scoring model: the one place that knows how a set of items meets an occupation --


def coverage(G: nx.MultiDiGraph, items: Collection[str]) -> dict[str, tuple[float, str]]:
    """Item → (how far ``items`` cover it, the profile item that does): 1 for an item of
    the set, else the best SIMILAR_TO score from one of them.

    >>> from queries.sample import sample_graph
    >>> coverage(sample_graph(), ["knowledge:網紅類型與商業模式"])["knowledge:網紅類型與獲利模式"]
    (0.8, 'knowledge:網紅類型與商業模式')
    """
    similar = index(G).similar
    out: dict[str, tuple[float, str]] = {item: (1.0, item) for item in items}
    for item in sorted(items):  # sorted: on equal scores the same client item every time
        for other, score in similar.get(item, {}).items():
            if score > out.get(other, (0.0, ""))[0]:
                out[other] = (float(score), item)
    return out


def scores(G: nx.MultiDiGraph, items: Collection[str]) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The score of the item set against every occupation, indexed like
    :attr:`queries.matrix.Matrices.nodes`: covered weight / (total weight + prior)."""
    m = matrices(G)
    c = np.zeros(len(m.items), dtype=np.float64)
    for item, (score, _by) in coverage(G, items).items():
        col = m.col.get(item)
        if col is not None:
            c[col] = score
    covered = np.asarray(m.M @ (c * m.w)).ravel()
    denom = m.W + m.prior
    out: np.ndarray[Any, np.dtype[np.float64]] = np.divide(
        covered, denom, out=np.zeros_like(covered), where=denom > 0)
    return out


def confidence(score: float, covered: list[Covered]) -> str:
    """高 / 中 / 低: how far a counsellor can lean on a score. A high score resting on
    one or two items (often generic ones, or attitudes) is not evidence.

    >>> skill = {"id": "s", "name": "s", "kind": "skill", "weight": 1.0, "sources": []}
    >>> confidence(0.9, [skill]), confidence(0.3, [skill] * 3), confidence(0.6, [skill] * 5)
    ('低', '中', '高')
    """
    competencies = sum(1 for c in covered if c["kind"] != INFO[Kind.ATTITUDE].word)
    if score >= 0.5 and competencies >= 5:
        return "高"
    if score >= 0.25 and competencies >= 2:
        return "中"
    return "低"


# --- results ---------------------------------------------------------------------------


def _tasks(G: nx.MultiDiGraph, code: str, tasks: Collection[str]) -> list[dict[str, str]]:
    return [{"code": t, "name": str(G.nodes.get(f"task:{code}/{t}", {}).get("name", ""))}
            for t in tasks]


def explain(G: nx.MultiDiGraph, profile: ClientProfile, target: Profile,
            score: float) -> Result:
    """One target's result: its requirements split into covered / partly / missing.

    ``covered`` by weight (rarer first); ``partly`` by similarity, each with the client's
    item beside the target's; ``missing`` by importance in the target (Σ of the levels of
    its tasks that need the item), with those tasks.
    """
    idx = index(G)
    cover = coverage(G, profile.items)
    covered: list[Covered] = []
    partly: list[Partly] = []
    missing: list[Missing] = []
    for item, use in target.uses.items():
        name, kind = str(G.nodes[item].get("name", item)), INFO[use.kind].word
        weight = round(idx.idf.get(item, 1.0), 4)
        how, by = cover.get(item, (0.0, ""))
        if item in profile.items:
            covered.append({"id": item, "name": name, "kind": kind, "weight": weight,
                            "sources": list(profile.items[item])})
        elif how > 0:
            partly.append({"id": item, "name": name, "kind": kind, "weight": weight,
                           "score": round(how, 4),
                           "client_item": {"id": by, "name": str(G.nodes[by].get("name", by))}})
        else:
            missing.append({"id": item, "name": name, "kind": kind, "weight": weight,
                            "importance": importance(use, target),
                            "tasks": _tasks(G, target.code, use.tasks)})
    covered.sort(key=lambda r: (-r["weight"], r["name"]))
    partly.sort(key=lambda r: (-r["score"], -r["weight"], r["name"]))
    missing.sort(key=lambda r: (-r["importance"], -r["weight"], r["name"]))
    return {"code": target.code, "name": target.name, "score": round(score, 4),
            "confidence": confidence(score, covered), "covered": covered, "partly": partly,
            "missing": missing}


def _allowed(G: nx.MultiDiGraph, idx: Index, profile: ClientProfile,
             options: MatchOptions) -> set[str]:
    # As transitions' candidates: current, with some knowledge or skill, and never a
    # version of an occupation the client already held.
    nodes = {n for n, p in idx.profiles.items() if p.latest and not p.historical
             and p.has_competencies and p.stem not in profile.stems}
    if options.category:
        nodes &= occupations_in(G, Kind.CATEGORY, options.category)
    if options.industry:
        nodes &= occupations_in(G, Kind.INDUSTRY, options.industry)
    if options.level is not None:
        nodes = {n for n in nodes if level_of(idx.profiles[n]) == options.level}
    return nodes


def match(G: nx.MultiDiGraph, profile: ClientProfile,
          options: MatchOptions = MatchOptions()) -> dict[str, list[Result]]:
    """Rank every current occupation by how much of its requirements ``profile`` covers.

    Parameters
    ----------
    G : the competency graph.
    profile : a built profile with at least one item.
    options : filters (職類別, 行業別, level) and how many results.

    Returns
    -------
    dict : ``{"results": [Result]}``, best first (ties by code); a target the profile
    covers nothing of is not listed. Each result is ``{"code", "name", "score",
    "confidence", "covered", "partly", "missing"}`` (see :func:`explain`).

    Raises
    ------
    ProfileError
        The profile holds no item.
    QueryError
        ``top`` < 1, or a filter value matches no classification.
    """
    if options.top < 1:
        raise QueryError(f"top must be at least 1, not {options.top}")
    require_items(profile)
    idx = index(G)
    m = matrices(G)
    allowed = _allowed(G, idx, profile, options)
    row = scores(G, profile.items)
    order = np.lexsort((np.arange(len(m.nodes)), -np.round(row, 12)))
    results: list[Result] = []
    for i in order:
        if row[i] <= 0 or len(results) == options.top:
            break
        if m.nodes[i] in allowed:
            results.append(explain(G, profile, idx.profiles[m.nodes[i]], float(row[i])))
    return {"results": results}


def explain_target(G: nx.MultiDiGraph, profile: ClientProfile, occupation: str) -> Result:
    """:func:`explain` for any occupation (code or name), e.g. a target the client chose
    that is not in the ranked list.

    Raises
    ------
    UnknownOccupation
        ``occupation`` is not loaded.
    """
    node = resolve_id(G, occupation)
    m = matrices(G)
    score = float(scores(G, profile.items)[m.row[node]])
    return explain(G, profile, index(G).profiles[node], score)
