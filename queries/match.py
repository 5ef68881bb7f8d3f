"""Which current occupations a client's profile fits, best first, and why.

A profile (:mod:`queries.profile`) is scored with the matching model every front end uses
(:mod:`queries.matching`, issue 13): the profile's items are a source like any occupation's
requirements (:func:`queries.scores.item_scores`), and each target's requirements are
classified covered / partly / missing by the one classification
(:func:`queries.classify.assess_items`), with its components and a confidence 高 / 中 / 低.

The task-text component needs a description of the work the client did: the work text of
their past jobs (:func:`profile_text`: every task, output and indicator of a job kept
whole, or only the tasks that need an item the client confirmed). A profile of typed and
ticked items alone has no work text and is scored by coverage only. So a profile that is
exactly one past job scores every occupation as transitions does from that job.

Only current occupations (newest version, not 歷史資料, with some knowledge or skill) are
results, and never a past occupation of the profile or another version of one. Results can
be filtered by 職類別, 行業別 and level (:mod:`queries.filters`).

>>> from queries.profile import PastJob, ProfileSpec, build_profile
>>> from queries.sample import sample_graph
>>> G = sample_graph()
>>> p = build_profile(G, ProfileSpec(jobs=(PastJob("AAA1111-001v2"),)))
>>> [(r["code"], len(r["covered"]), len(r["partly"]), len(r["missing"]))
...  for r in match(G, p)["results"]]
[('BBB2222-001v2', 4, 1, 3), ('CCC3333-001v1', 1, 0, 3)]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict, cast

import numpy as np

from graph.kinds import Kind, Rel
from loaders.errors import QueryError
from queries.classify import Components, Item, assess_items
from queries.filters import level_of, occupations_in
from queries.index import Index, Profile, index
from queries.matching import model
from queries.occupations import resolve_id
from queries.profile import ClientProfile, Source, require_items
from queries.scores import item_scores
from queries.task_text import documents, task_text

if TYPE_CHECKING:
    import networkx as nx
    from scipy import sparse as sp

#: Confidence labels, from most to least sure (those of :mod:`queries.classify`).
CONFIDENCE = ("高", "中", "低")
_WORK = {Rel.PRODUCES.value, Rel.MEASURED_BY.value}


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


class Requirement(Item):
    """A classified requirement of the target (:class:`queries.classify.Item`) with what
    the client side adds: where a covered item came from, the client's item beside a
    partly covered one, the names of the tasks needing a missing one."""

    sources: NotRequired[list[Source]]
    client_item: NotRequired[dict[str, str]]
    task_names: NotRequired[list[str]]


class Result(TypedDict):
    """One ranked occupation."""

    code: str
    name: str
    score: float
    confidence: str
    components: Components
    covered: list[Requirement]
    partly: list[Requirement]
    missing: list[Requirement]


class MatchResult(TypedDict):
    results: list[Result]


def _task_work(G: nx.MultiDiGraph, task: str) -> list[tuple[str, str]]:
    """A task's own text and its outputs' and indicators' (node id, name) pairs."""
    names = [(task, str(G.nodes[task].get("name", "")))]
    names += [(v, str(G.nodes[v].get("name", ""))) for _u, v, key in G.out_edges(task, keys=True)
              if key in _WORK]
    return names


def _work_docs(G: nx.MultiDiGraph) -> dict[str, str]:
    """Every occupation's work text (cached per graph: one pass over the nodes)."""
    nodes = task_text(G).nodes
    return index(G).derived("profile_work_docs", lambda: dict(zip(nodes, documents(G, nodes),
                                                                  strict=True)))


def profile_text(G: nx.MultiDiGraph, profile: ClientProfile) -> sp.csr_matrix | None:
    """The task-text row of the work the client did (None without past jobs): each whole
    past job's text as :func:`queries.task_text.documents` gives it; for a job kept only in
    part, the tasks (with their outputs and indicators) needing an item the client kept."""
    from scipy import sparse as sp

    if not profile.occupations:
        return None
    idx = index(G)
    tt = task_text(G)
    texts: list[str] = []
    for job in profile.occupations:
        uses = idx.profiles[job.node].uses
        if all(item in profile.items for item in uses):
            texts.append(_work_docs(G)[job.node])
            continue
        tasks = {f"task:{job.code}/{t}" for item, use in uses.items() if item in profile.items
                 for t in use.tasks}
        work = sorted(pair for t in tasks if t in G for pair in _task_work(G, t))
        texts.append("\n".join(name for _node, name in work if name))
    if len(texts) == 1 and texts[0] == _work_docs(G)[profile.occupations[0].node]:
        return sp.csr_matrix(tt.X[tt.row[profile.occupations[0].node]])  # that job's own row
    return tt.vector(texts)


def _explain(G: nx.MultiDiGraph, profile: ClientProfile, target: Profile,
             text: sp.csr_matrix | None) -> Result:
    why = assess_items(G, profile.items, target, text)
    names = G._node
    covered: list[Requirement] = []
    for item in why["covered"]:
        entry = cast(Requirement, dict(item))
        entry["sources"] = list(profile.items.get(item["id"], ()))
        covered.append(entry)
    partly: list[Requirement] = []
    for item in why["partly"]:
        entry = cast(Requirement, dict(item))
        match = item.get("match")
        entry["client_item"] = ({"id": match["id"], "name": match["name"]} if match
                                else {"id": "", "name": ""})
        partly.append(entry)
    missing: list[Requirement] = []
    for item in why["missing"]:
        entry = cast(Requirement, dict(item))
        entry["task_names"] = [str(names.get(f"task:{target.code}/{t}", {}).get("name", ""))
                               or t for t in item["tasks"]]
        missing.append(entry)
    return Result(code=target.code, name=target.name, score=why["score"],
                  confidence=why["confidence"], components=why["components"],
                  covered=covered, partly=partly, missing=missing)


def explain(G: nx.MultiDiGraph, profile: ClientProfile, target: Profile) -> Result:
    """One target's result: its score, components and confidence, and its requirements
    classified (by importance in the target): ``covered`` (each with its ``sources`` in the
    profile), ``partly`` (each with the client's ``client_item`` and the ``match``),
    ``missing`` (each with the ``task_names`` of the target's tasks needing it)."""
    return _explain(G, profile, target, profile_text(G, profile))


def _current(G: nx.MultiDiGraph) -> dict[str, str]:
    """Occupations that can be results, with their code stems (cached per graph): as
    transitions' candidates, current and with some knowledge or skill."""
    idx = index(G)
    return idx.derived("profile_candidates", lambda: {
        n: p.stem for n, p in idx.profiles.items()
        if p.latest and not p.historical and p.has_competencies})


def _allowed(G: nx.MultiDiGraph, idx: Index, profile: ClientProfile,
             options: MatchOptions) -> set[str]:
    # Never a version of an occupation the client already held.
    stems = profile.stems
    nodes = {n for n, stem in _current(G).items() if stem not in stems}
    if options.category:
        nodes &= occupations_in(G, Kind.CATEGORY, options.category)
    if options.industry:
        nodes &= occupations_in(G, Kind.INDUSTRY, options.industry)
    if options.level is not None:
        nodes = {n for n in nodes if level_of(idx.profiles[n]) == options.level}
    return nodes


def scores(G: nx.MultiDiGraph, profile: ClientProfile) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The profile's score against every occupation, indexed like
    :attr:`queries.matching.Model.nodes`."""
    return item_scores(G, profile.items, profile_text(G, profile)).score


def match(G: nx.MultiDiGraph, profile: ClientProfile,
          options: MatchOptions = MatchOptions()) -> MatchResult:
    """Rank every current occupation by how much of its requirements ``profile`` covers.

    Parameters
    ----------
    G : the competency graph.
    profile : a built profile with at least one item.
    options : filters (職類別, 行業別, level) and how many results.

    Returns
    -------
    MatchResult : ``{"results": [Result]}``, best first (ties by code); a target scoring 0
    is not listed. Each result is ``{"code", "name", "score", "confidence", "components",
    "covered", "partly", "missing"}`` (see :func:`explain`).

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
    m = model(G)
    allowed = _allowed(G, idx, profile, options)
    text = profile_text(G, profile)
    row = item_scores(G, profile.items, text).score
    order = np.lexsort((np.arange(len(m.nodes)), -row))
    results: list[Result] = []
    for i in order:
        if row[i] <= 0 or len(results) == options.top:
            break
        if m.nodes[i] in allowed:
            results.append(_explain(G, profile, idx.profiles[m.nodes[i]], text))
    return {"results": results}


def explain_target(G: nx.MultiDiGraph, profile: ClientProfile, occupation: str) -> Result:
    """:func:`explain` for any occupation (code or name), e.g. a target the client chose
    that is not in the ranked list.

    Raises
    ------
    UnknownOccupation
        ``occupation`` is not loaded.
    """
    return explain(G, profile, index(G).profiles[resolve_id(G, occupation)])
