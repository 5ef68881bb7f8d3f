"""The matching model: how far what one side has (an occupation, or any set of items) meets
what an occupation requires. Every front end scores through it: transitions, gap, overlap,
paths, the pairwise matrix and clusters, the app's pages and reports.

**Requirements and their weights.** Each knowledge / skill / attitude item ``b`` that
occupation B requires weighs ``w_B(b) = specificity(b) × √importance_B(b)``:

* *importance* is :func:`importance` — Σ of the 職能級別 of B's tasks needing ``b`` (an
  attitude, required of the whole occupation, counts once at B's 基準級別);
* *specificity* is ``ln((1 + N) / (1 + df)) × field(b) × kind(b)``: an IDF over the ``N``
  current occupations that goes to 0 for an item every occupation has; ``field(b)`` discounts
  an item whose users do unrelated work — the mean task-text cosine among them, above the
  all-pairs mean, over :data:`FIELD_SPAN`, clipped to [:data:`FIELD_FLOOR`, 1] (溝通能力 or
  有效連結 are required by dozens of occupations whose tasks have nothing in common; 金融商品
  by occupations that share their work); attitudes count :data:`ATTITUDE_FACTOR` of that.

**Credit.** ``b`` is *covered* (credit 1) when the source has the same item (identity key or
curated alias: the same node); else *partly covered* by the source's single best match —
a ``similar``-tier SIMILAR_TO item at its score, a ``review``-tier one at
:data:`REVIEW_CREDIT` × its score, or a term the source requires whose note lists ``b``
(INCLUDES) at :data:`INCLUDES_CREDIT` — never summed past 1; else *missing* (0).

**Score of A → B.** ``coverage = Σ w·credit / Σ w`` (asymmetric: about B's needs);
``tasks`` = the cosine of the two occupations' task texts (:mod:`queries.task_text`);
``evidence = Σ w / (Σ w + prior)``, the prior being :data:`PRIOR` × the median requirement
weight, so that an occupation asking for little does not top every list on two items.
Then ``score = BLEND × coverage × evidence + (1 − BLEND) × tasks``; when either side has
no knowledge or skill item, ``score = tasks`` (and the confidence is 低). Titles, codes and
classification codes never enter it.

The matrices: ``M`` (occupation × item, 0/1), ``R`` (occupation × item, ``w_B``), ``S``
(item × item credit, source item → target item), ``C = max(M, M ⊗ S)`` (the best credit each
occupation gives each item, a (max, ×) product), so ``C · Rᵀ`` holds every pair's covered
weight in one sparse product.

>>> from queries.sample import sample_graph
>>> G = sample_graph()
>>> s = occupation_scores(G, "occupation:AAA1111-001v2")
>>> m = model(G)
>>> b = m.row["occupation:BBB2222-001v2"]
>>> 0 < float(s.coverage[b]) < 1, float(s.score[b]) == round(
...     BLEND * float(s.coverage[b] * s.evidence[b]) + (1 - BLEND) * float(s.tasks[b]), 12)
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
from scipy import sparse as sp

from graph.kinds import INFO, ITEM_KINDS, Kind
from queries.occupations import Index, ItemUse, Profile, index
from queries.task_text import TaskText, task_text

#: Share of the score that comes from requirement coverage (the rest: task text).
BLEND = 0.6
#: Credit of a ``review``-tier SIMILAR_TO match, per unit of its score.
REVIEW_CREDIT = 0.8
#: Credit of an item the source reaches through a term its note defines (INCLUDES).
INCLUDES_CREDIT = 0.75
#: Weight of an attitude relative to a knowledge or skill item of the same specificity.
ATTITUDE_FACTOR = 0.3
#: Field coherence above the all-pairs mean that counts as a fully specific item.
FIELD_SPAN = 0.1
#: The least an item keeps of its IDF when its users' work has nothing in common.
FIELD_FLOOR = 0.3
#: Exponent of importance in a requirement's weight (1/2: a square root).
IMPORTANCE_POWER = 0.5
#: The prior weight, as a share of the median requirement weight of current occupations.
PRIOR = 0.5
#: How a partial match was found (the ``via`` of a match), best credit first on ties.
VIA_ORDER = {"similar": 0, "review": 1, "includes": 2}

_Floats = np.ndarray[Any, np.dtype[np.float64]]
_Bools = np.ndarray[Any, np.dtype[np.bool_]]
_DERIVED = "matching"
_ALL = "matching_all"


@dataclass(frozen=True)
class Partner:
    """A source-side item that partly covers a target item."""

    item: str
    credit: float
    score: float | None
    via: str


@dataclass(frozen=True)
class Need:
    """One requirement of an occupation as the classification reads it (cached per model)."""

    item: str
    word: str
    name: str
    weight: float
    importance: int
    tasks: tuple[str, ...]
    entry: dict[str, Any] = field(default_factory=dict, compare=False)
    """The JSON fields every classified copy starts from (copied, never handed out)."""


@dataclass(frozen=True)
class Model:
    """The matrices and weights of one graph (see the module docstring)."""

    nodes: tuple[str, ...]
    row: dict[str, int]
    items: tuple[str, ...]
    col: dict[str, int]
    M: sp.csr_matrix
    R: sp.csr_matrix
    RT: sp.csr_matrix
    C: sp.csr_matrix
    S: sp.csr_matrix
    W: _Floats
    spec: _Floats
    prior: float
    has_ks: _Bools
    current: _Bools
    text: TaskText
    partners: dict[str, tuple[Partner, ...]] = field(default_factory=dict)
    needs: dict[str, tuple[Need, ...]] = field(default_factory=dict)

    def weight(self, item: str, use: ItemUse, owner: Profile) -> float:
        """``w_B(b)``: the weight of ``item`` among ``owner``'s requirements."""
        scale: float = float(importance(use, owner)) ** IMPORTANCE_POWER
        return float(self.spec[self.col[item]]) * scale


def importance(use: ItemUse, owner: Profile) -> int:
    """How much ``owner`` relies on an item: Σ of its tasks' levels; an attitude (no task)
    counts once at the occupation's 基準級別; a task without a level counts at that level
    too; a missing 基準級別 counts 1.

    >>> from queries.occupations import profile
    >>> from queries.sample import sample_graph
    >>> p = profile(sample_graph(), "AAA1111-001v2")
    >>> importance(p.uses["skill:溝通協調能力"], p), importance(p.uses["attitude:自信心"], p)
    (7, 4)
    """
    fallback = owner.level or 1
    if not use.tasks:
        return fallback
    return sum(use.levels) + (len(use.tasks) - len(use.levels)) * fallback


def model(G: nx.MultiDiGraph) -> Model:
    """The cached matching model of ``G`` (built once per graph version)."""
    idx = index(G)
    return idx.derived(_DERIVED, lambda: _build(G, idx))


def _credits(idx: Index, col: dict[str, int]) -> sp.csr_matrix:
    """``S[a, b]``: the credit source item ``a`` gives target item ``b`` (the best of its
    relations), zero on the diagonal."""
    best: dict[tuple[int, int], float] = {}
    sources = ((idx.similar, 1.0), (idx.review, REVIEW_CREDIT))
    for pairs, factor in sources:
        for a, others in pairs.items():
            for b, score in others.items():
                key = (col[a], col[b])
                best[key] = max(best.get(key, 0.0), factor * score)
    for term, members in idx.includes.items():
        for b in members:
            key = (col[term], col[b])
            if key[0] != key[1]:
                best[key] = max(best.get(key, 0.0), INCLUDES_CREDIT)
    n = len(col)
    if not best:
        return sp.csr_matrix((n, n))
    keys = np.array(list(best), dtype=np.int64)
    return sp.csr_matrix((np.fromiter(best.values(), float), (keys[:, 0], keys[:, 1])),
                         shape=(n, n))


def max_product(M: sp.csr_matrix, S: sp.csr_matrix) -> sp.csr_matrix:
    """The (max, ×) product ``out[o, j] = max_i M[o, i] · S[i, j]``, which scipy lacks:
    every (row, item) is expanded through the item's row of ``S``, then the largest value
    per cell is kept.

    >>> M = sp.csr_matrix(np.array([[1.0, 0.0, 0.0]]))
    >>> S = sp.csr_matrix(np.array([[0, 0.5, 0.9], [0, 0, 0], [0, 0, 0]]))
    >>> max_product(M, S).toarray().tolist()
    [[0.0, 0.5, 0.9]]
    """
    coo = M.tocoo()
    counts = np.diff(S.indptr)[coo.col]
    total = int(counts.sum())
    if total == 0:
        return sp.csr_matrix((M.shape[0], S.shape[1]))
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    pos = np.repeat(S.indptr[coo.col], counts) + offsets
    r, c = np.repeat(coo.row, counts), S.indices[pos]
    v = np.repeat(coo.data, counts) * S.data[pos]
    key = r.astype(np.int64) * S.shape[1] + c
    order = np.lexsort((-v, key))
    first = np.ones(total, dtype=bool)
    first[1:] = key[order][1:] != key[order][:-1]
    keep = order[first]
    return sp.csr_matrix((v[keep], (r[keep], c[keep])), shape=(M.shape[0], S.shape[1]))


def _field(M: sp.csr_matrix, current: _Bools, cosine: _Floats) -> _Floats:
    """Each item's field factor (module docstring): from the mean task-text cosine among
    the current occupations requiring it; 1 for an item fewer than two of them require."""
    rows = np.flatnonzero(current)
    out = np.ones(M.shape[1])
    if len(rows) < 2:
        return out
    T = cosine[np.ix_(rows, rows)].copy()
    np.fill_diagonal(T, 0.0)
    base = float(T.sum()) / (len(rows) * (len(rows) - 1))
    users = sp.csc_matrix(M[rows])
    for j in np.flatnonzero(np.diff(users.indptr) >= 2):
        u = users.indices[users.indptr[j]:users.indptr[j + 1]]
        coherence = float(T[np.ix_(u, u)].sum()) / (len(u) * (len(u) - 1))
        out[j] = min(1.0, max(FIELD_FLOOR, (coherence - base) / FIELD_SPAN))
    return out


def _build(G: nx.MultiDiGraph, idx: Index) -> Model:
    text = task_text(G)
    nodes = text.nodes
    profiles = [idx.profiles[n] for n in nodes]
    terms = {t for t in idx.includes} | {m for ms in idx.includes.values() for m in ms}
    items = tuple(sorted(set(idx.idf) | set(idx.similar) | set(idx.review) | terms))
    col = {it: j for j, it in enumerate(items)}
    rows = [i for i, p in enumerate(profiles) for _ in p.uses]
    cols = [col[it] for p in profiles for it in p.uses]
    imp = [importance(use, p) ** IMPORTANCE_POWER for p in profiles for use in p.uses.values()]
    shape = (len(nodes), len(items))
    M = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
    current = np.array([p.latest and not p.historical for p in profiles], dtype=bool)
    has_ks = np.array([p.has_competencies for p in profiles], dtype=bool)
    df = np.asarray(M[np.flatnonzero(current)].sum(axis=0)).ravel()
    n = float(current.sum())
    attitude = np.array([G._node[it].get("kind") == Kind.ATTITUDE.value for it in items])
    field_ = _field(M, current, task_cosine_all(G, text))
    spec = np.log((1.0 + n) / (1.0 + df)) * field_ * np.where(attitude, ATTITUDE_FACTOR, 1.0)
    R = sp.csr_matrix((spec[cols] * np.asarray(imp), (rows, cols)), shape=shape)
    W = np.asarray(R.sum(axis=1)).ravel()
    ranked = W[current & has_ks]
    prior = PRIOR * float(np.median(ranked)) if len(ranked) else 0.0
    S = _credits(idx, col)
    C = sp.csr_matrix(M.maximum(max_product(M, S)))
    return Model(nodes, text.row, items, col, M, R, sp.csr_matrix(R.T), C, S, W, spec, prior,
                 has_ks, current, text)


def task_cosine_all(G: nx.MultiDiGraph, text: TaskText | None = None) -> _Floats:
    """The all-pairs task-text cosine of ``G``'s occupations (cached per graph)."""
    tt = text if text is not None else task_text(G)
    return index(G).derived("task_cosine", tt.cosine_all)


_KIND_ORDER = {kind: i for i, kind in enumerate(ITEM_KINDS)}


def needs(G: nx.MultiDiGraph, target: Profile, m: Model | None = None) -> tuple[Need, ...]:
    """``target``'s requirements with their weights, by importance (then knowledge, skill,
    attitude, then name): the order every classified list keeps."""
    m = m if m is not None else model(G)
    found = m.needs.get(target.node)
    if found is not None:
        return found
    rows = []
    for item, use in target.uses.items():
        need = Need(item, INFO[use.kind].word, str(G._node[item].get("name", item)),
                    m.weight(item, use, target), importance(use, target), use.tasks)
        need.entry.update(id=item, name=need.name, kind=need.word, weight=round(need.weight, 4),
                          importance=need.importance, tasks=list(use.tasks), credit=1.0)
        rows.append(need)
    rows.sort(key=lambda r: (-r.importance, _KIND_ORDER[target.uses[r.item].kind], r.name,
                             r.item))
    m.needs[target.node] = out = tuple(rows)
    return out


def partners(G: nx.MultiDiGraph, item: str, m: Model | None = None) -> tuple[Partner, ...]:
    """The items that partly cover ``item`` when a source has them, best credit first
    (then by relation and id), each with its credit, SIMILAR_TO score and relation."""
    m = m if m is not None else model(G)
    found = m.partners.get(item)
    if found is not None:
        return found
    idx = index(G)
    out: dict[str, Partner] = {}
    for pairs, via, factor in ((idx.similar, "similar", 1.0),
                               (idx.review, "review", REVIEW_CREDIT)):
        for other, score in pairs.get(item, {}).items():
            out[other] = max(out.get(other, Partner(other, 0.0, None, via)),
                             Partner(other, factor * score, score, via),
                             key=lambda p: p.credit)
    for term, members in idx.includes.items():
        if item in members and term != item:
            out[term] = max(out.get(term, Partner(term, 0.0, None, "includes")),
                            Partner(term, INCLUDES_CREDIT, None, "includes"),
                            key=lambda p: p.credit)
    ranked = tuple(sorted(out.values(), key=lambda p: (-p.credit, VIA_ORDER[p.via], p.item)))
    m.partners[item] = ranked
    return ranked


@dataclass(frozen=True)
class Scores:
    """One source against every occupation (arrays indexed like :attr:`Model.nodes`)."""

    score: _Floats
    coverage: _Floats
    exact: _Floats
    tasks: _Floats
    evidence: _Floats
    paired: _Bools
    """Whether both sides have knowledge or skill items (else the score is tasks only)."""


def _ratio(num: _Floats, denom: _Floats) -> _Floats:
    out: _Floats = np.divide(num, denom, out=np.zeros_like(num, dtype=np.float64),
                             where=denom > 0)
    return out


def _dense(m: Model, row: sp.csr_matrix) -> _Floats:
    out = np.zeros(len(m.items))
    out[row.indices] = row.data
    return out


def _scores(m: Model, credit: _Floats, have: _Floats, tasks: _Floats | None,
            has_ks: bool) -> Scores:
    # Dense item vectors times the sparse requirement matrix: one fast mat-vec each.
    covered = np.asarray(m.R @ credit, dtype=np.float64)
    exact = np.asarray(m.R @ have, dtype=np.float64)
    coverage = np.minimum(_ratio(covered, m.W), 1.0)
    evidence = _ratio(m.W, m.W + m.prior)
    paired = m.has_ks & has_ks
    score: _Floats
    if tasks is None:
        score = np.where(paired, coverage * evidence, 0.0)
        tasks = np.zeros(len(m.nodes))
    else:
        score = np.where(paired, BLEND * coverage * evidence + (1 - BLEND) * tasks, tasks)
    return Scores(np.round(score, 12).astype(np.float64), coverage,
                  np.minimum(_ratio(exact, m.W), 1.0), tasks, evidence, paired)


def occupation_scores(G: nx.MultiDiGraph, node: str) -> Scores:
    """How well occupation ``node`` (a node id) meets every occupation's requirements."""
    m = model(G)
    i = m.row[node]
    lo, hi = m.C.indptr[i], m.C.indptr[i + 1]
    credit = np.zeros(len(m.items))
    credit[m.C.indices[lo:hi]] = m.C.data[lo:hi]
    have = np.zeros(len(m.items))
    have[m.M.indices[m.M.indptr[i]:m.M.indptr[i + 1]]] = 1.0
    return _scores(m, credit, have, task_cosine_all(G, m.text)[i], bool(m.has_ks[i]))


def item_scores(G: nx.MultiDiGraph, items: Iterable[str],
                text: sp.csr_matrix | None = None) -> Scores:
    """How well any set of item ids (a client's profile, not an occupation) meets every
    occupation's requirements; ``text`` is an optional task-text row
    (:meth:`queries.task_text.TaskText.vector`): without it the score is coverage only.
    Unknown ids are ignored.

    >>> from queries.sample import sample_graph
    >>> G = sample_graph()
    >>> s = item_scores(G, ["skill:溝通協調能力", "knowledge:網紅類型與商業模式"])
    >>> c = model(G).row["occupation:BBB2222-001v2"]
    >>> float(s.exact[c]) < float(s.coverage[c]) <= 1  # 獲利模式 partly, by 商業模式
    True
    """
    m = model(G)
    cols = sorted({m.col[i] for i in items if i in m.col})
    have = sp.csr_matrix((np.ones(len(cols)), (np.zeros(len(cols), dtype=np.int64), cols)),
                         shape=(1, len(m.items)))
    credit = sp.csr_matrix(have.maximum(max_product(have, m.S)))
    ks = any(G._node[m.items[j]].get("kind") != Kind.ATTITUDE.value for j in cols)
    tasks = m.text.cosine_vector(text) if text is not None else None
    return _scores(m, _dense(m, credit), _dense(m, have), tasks, ks)


def score_all(G: nx.MultiDiGraph) -> _Floats:
    """The dense all-pairs score ``score[A, B]`` (rows and columns like :attr:`Model.nodes`;
    cached per graph)."""
    def build() -> _Floats:
        m = model(G)
        covered = np.asarray((m.C @ m.RT).todense(), dtype=np.float64)
        coverage = np.minimum(_ratio(covered, np.broadcast_to(m.W[None, :], covered.shape)),
                              1.0)
        evidence = _ratio(m.W, m.W + m.prior)[None, :]
        tasks = task_cosine_all(G, m.text)
        paired = m.has_ks[:, None] & m.has_ks[None, :]
        blend = np.where(paired, BLEND * coverage * evidence + (1 - BLEND) * tasks, tasks)
        out: _Floats = np.round(blend, 12).astype(np.float64)
        return out

    return index(G).derived(_ALL, build)


def covered_all(G: nx.MultiDiGraph) -> _Floats:
    """The dense all-pairs covered weight ``Σ_b w_B(b)·credit_A(b)`` (cached per graph)."""
    m = model(G)
    return index(G).derived("matching_covered", lambda: np.asarray(
        (m.C @ m.RT).todense(), dtype=np.float64))
