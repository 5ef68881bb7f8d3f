"""One classification of a target occupation's requirements against what a source has —
*covered*, *partly covered* or *missing* — and the explained score of the move built from it.

:func:`classify` is the one function every front end uses for a pair (transitions, gap,
overlap, paths, the app's 比較 / 轉職 pages and the reports), so an item is never both shared
and a gap, and every count shown for a pair agrees. The source is any set of item ids: an
occupation's requirements or a client's profile. Weights, credits and the score formula are
:mod:`queries.matching`'s.

**Confidence** (高 / 中 / 低), from the score distributions over all pairs of current
occupations of the 905-standard corpus (``benchmarks/bench_transition_quality.py`` prints
them; see the README): 低 when either side has no knowledge or skill item (the score is
task text only), when the score is below :data:`LOW_SCORE` (what 1 random pair in 100
reaches), or when coverage or task text is no higher than 1 random pair in 10 has
(:data:`SOME_COVERAGE`, :data:`SOME_TASKS`: only one kind of evidence); 高 when the score
is at least :data:`HIGH_SCORE` (reached by 0.2 % of random pairs, 9 in 10 of them within
one 職類別, and by 4 of 5 career-ladder moves) *and* coverage and task text each reach what
only 1 random pair in 100 reaches (:data:`HIGH_COVERAGE`, :data:`HIGH_TASKS`); else 中.
Without a task text (a client's item set) the task conditions are left out.

>>> from queries.occupations import profile
>>> from queries.sample import sample_graph
>>> G = sample_graph()
>>> a, b = profile(G, "AAA1111-001v2"), profile(G, "BBB2222-001v2")
>>> covered, partly, missing = classify(G, a.uses, b)
>>> [i["name"] for i in partly], partly[0]["match"]["name"]
(['網紅類型與獲利模式'], '網紅類型與商業模式')
>>> len(covered) + len(partly) + len(missing) == len(b.uses)
True
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, NotRequired, TypedDict, cast

from graph.kinds import Kind
from queries.index import Profile
from queries.matching import BLEND, Partner, model, needs, partner_ids, partners, task_cosine_all

if TYPE_CHECKING:
    import networkx as nx
    from scipy import sparse as sp

#: Below this score a move is 低 (p99 of random pairs on the corpus: 0.102).
LOW_SCORE = 0.10
#: Coverage and task text at least these, or 低 (p90 of random pairs: 0.033 and 0.106).
SOME_COVERAGE = 0.03
SOME_TASKS = 0.10
#: From this score, with coverage and task text at least HIGH_COVERAGE and HIGH_TASKS
#: (p99 of random pairs: 0.149 and 0.170), a move is 高.
HIGH_SCORE = 0.25
HIGH_COVERAGE = 0.15
HIGH_TASKS = 0.17
CONFIDENCE_LABELS = ("高", "中", "低")


class PartlyBy(TypedDict):
    """A source item that partly covers a target item: ``via`` ``similar`` (SIMILAR_TO,
    either tier, or a name that reads alike below it, :mod:`queries.name_similarity`) or
    ``includes`` (a term the source requires whose note lists the item, ``score`` None)."""

    id: str
    name: str
    score: float | None
    via: str


class Match(TypedDict):
    """The source's best single match for a partly covered item and the credit it gives;
    ``via`` says how it was found: ``similar`` / ``review`` (the SIMILAR_TO tier),
    ``ngram`` (names that read alike below SIMILAR_TO, ``score`` their n-gram cosine) or
    ``includes`` (``score`` None)."""

    id: str
    name: str
    score: float | None
    credit: float
    via: str


class Item(TypedDict):
    """One requirement of the target, classified. ``weight`` is its weight in the target
    (:meth:`queries.matching.Model.weight`), ``credit`` 1 / in (0, 1) / 0; ``match`` only on
    partly covered items; ``partly_covered_by`` (every source item giving partial credit,
    best first) on partly covered and missing items (always empty on a missing one)."""

    id: str
    name: str
    kind: str
    weight: float
    importance: int
    tasks: list[str]
    credit: float
    match: NotRequired[Match]
    partly_covered_by: NotRequired[list[PartlyBy]]


class SimilarPair(TypedDict):
    """A partial match as the components show it: the source's item, the target's, score."""

    source: str
    target: str
    score: float | None
    via: str


class Components(TypedDict):
    """What the score of a move is made of: ``exact`` (names of the target's items the
    source has), ``similar`` (partial matches), ``tasks`` (task-text cosine), ``coverage``
    (Σ weight × credit / Σ weight), ``evidence`` (Σ weight / (Σ weight + prior))."""

    exact: list[str]
    similar: list[SimilarPair]
    tasks: float
    coverage: float
    evidence: float


class Assessment(TypedDict):
    """A move's score, its components, its confidence and the classified requirements."""

    score: float
    components: Components
    confidence: str
    covered: list[Item]
    partly: list[Item]
    missing: list[Item]


def _via(p: Partner) -> str:
    # Both SIMILAR_TO tiers and the n-gram name pairs read as "similar" (the gap list's
    # historical word); the match's own ``via`` keeps the distinction.
    return "includes" if p.via == "includes" else "similar"


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def classify(G: nx.MultiDiGraph, have: Collection[str],
             target: Profile) -> tuple[list[Item], list[Item], list[Item]]:
    """``(covered, partly, missing)``: each requirement of ``target`` against the item ids
    in ``have`` (an occupation's ``uses`` or any set), each list by importance in the
    target (then knowledge, skill, attitude, then name).

    Covered: ``have`` holds the same item node (identical, or merged through a curated
    alias). Partly: it holds an item giving partial credit (:func:`queries.matching.partners`;
    the best single one is the ``match``). Missing: neither.
    """
    covered, partly, missing, _got, _total = _classified(G, have, target)
    return covered, partly, missing


def _classified(G: nx.MultiDiGraph, have: Collection[str], target: Profile
                ) -> tuple[list[Item], list[Item], list[Item], float, float]:
    """:func:`classify`'s lists and, at full precision, the covered and total weight."""
    m = model(G)
    covered: list[Item] = []
    partly: list[Item] = []
    missing: list[Item] = []
    got = total = 0.0
    names = G._node
    owned = have if isinstance(have, set | frozenset) else set(have)
    for need in needs(G, target, m):
        item, w = need.item, need.weight
        total += w
        # A copy of the cached fields (the task list too: callers may change what they get).
        entry = cast(Item, dict(need.entry))
        entry["tasks"] = list(need.tasks)
        if item in owned:
            got += w
            covered.append(entry)
            continue
        # Most requirements have no partner in the source: a set intersection says so
        # without walking the partner list (generic names have a hundred partners).
        found = ([p for p in partners(G, item, m) if p.item in owned]
                 if partner_ids(G, item, m) & owned else [])
        if not found:
            entry["credit"] = 0.0
            entry["partly_covered_by"] = []
            missing.append(entry)
            continue
        best = found[0]
        got += w * best.credit
        entry["credit"] = round(best.credit, 4)
        entry["match"] = Match(id=best.item, name=str(names[best.item].get("name", best.item)),
                               score=_round(best.score), credit=round(best.credit, 4),
                               via=best.via)
        entry["partly_covered_by"] = [
            PartlyBy(id=p.item, name=str(names[p.item].get("name", p.item)),
                     score=_round(p.score), via=_via(p)) for p in found]
        partly.append(entry)
    return covered, partly, missing, got, total


def confidence(score: float, coverage: float, tasks: float | None, paired: bool) -> str:
    """高 / 中 / 低 for a move (module docstring); ``tasks`` None: no task text to judge.

    >>> confidence(0.4, 0.5, 0.3, True), confidence(0.4, 0.05, 0.6, True)
    ('高', '中')
    >>> confidence(0.08, 0.1, 0.1, True), confidence(0.6, 0.0, 0.6, False)
    ('低', '低')
    >>> confidence(0.2, 0.6, 0.05, True), confidence(0.4, 0.5, None, True)
    ('低', '高')
    """
    if not paired or score < LOW_SCORE or coverage < SOME_COVERAGE:
        return "低"
    if tasks is not None and tasks < SOME_TASKS:
        return "低"
    if score >= HIGH_SCORE and coverage >= HIGH_COVERAGE and (tasks is None
                                                              or tasks >= HIGH_TASKS):
        return "高"
    return "中"


def assess(G: nx.MultiDiGraph, have: Collection[str], target: Profile, *, tasks: float | None,
           paired: bool) -> Assessment:
    """The explained score of a move from ``have`` to ``target``.

    Parameters
    ----------
    G : the competency graph.
    have : the source's item ids.
    target : the target's profile.
    tasks : the task-text cosine of source and target, or None when the source has no
        text (a client profile): then the score is the coverage part alone.
    paired : whether both sides have a knowledge or skill item; if not, the score is
        ``tasks`` alone and the confidence 低.

    Returns
    -------
    Assessment : score (4 places), components, confidence, covered / partly / missing.
    """
    m = model(G)
    covered, partly, missing, got, total = _classified(G, have, target)
    coverage = min(1.0, got / total) if total > 0 else 0.0
    evidence = total / (total + m.prior) if total + m.prior > 0 else 0.0
    t = 0.0 if tasks is None else min(1.0, tasks)
    if not paired:
        score = t
    elif tasks is None:
        score = coverage * evidence
    else:
        score = BLEND * coverage * evidence + (1 - BLEND) * t
    components = Components(
        exact=[r["name"] for r in covered],
        similar=[SimilarPair(source=r["match"]["name"], target=r["name"],
                             score=r["match"]["score"], via=r["match"]["via"])
                 for r in partly if "match" in r],
        tasks=round(t, 4), coverage=round(coverage, 4), evidence=round(evidence, 4))
    return Assessment(score=round(score, 4), components=components,
                      confidence=confidence(score, coverage, tasks, paired),
                      covered=covered, partly=partly, missing=missing)


def assess_pair(G: nx.MultiDiGraph, source: Profile, target: Profile) -> Assessment:
    """:func:`assess` for two occupations (task text from :mod:`queries.task_text`)."""
    m = model(G)
    # The all-pairs cosine the model is built from (kept in the lookup cache): each cell
    # is the row product cosine_row would compute, to the bit.
    tasks = float(task_cosine_all(G, m.text)[m.row[source.node], m.row[target.node]])
    return assess(G, source.uses, target, tasks=tasks,
                  paired=source.has_competencies and target.has_competencies)


def assess_items(G: nx.MultiDiGraph, items: Collection[str], target: Profile,
                 text: sp.csr_matrix | None = None) -> Assessment:
    """:func:`assess` for any set of item ids (a client's profile) and an optional task-text
    row (:meth:`queries.task_text.TaskText.vector`); unknown ids are kept but match nothing.

    >>> from queries.occupations import profile
    >>> from queries.sample import sample_graph
    >>> G = sample_graph()
    >>> r = assess_items(G, {"knowledge:網紅類型與商業模式"}, profile(G, "BBB2222-001v2"))
    >>> [p["name"] for p in r["partly"]], r["components"]["tasks"]
    (['網紅類型與獲利模式'], 0.0)
    """
    m = model(G)
    have = set(items)
    ks = any(G._node[i].get("kind") != Kind.ATTITUDE.value for i in have if i in G._node)
    tasks = (None if text is None
             else float(m.text.cosine_vector(text)[m.row[target.node]]))
    return assess(G, have, target, tasks=tasks, paired=ks and target.has_competencies)
