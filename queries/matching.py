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
  by occupations that share their work); attitudes count :data:`ATTITUDE_FACTOR` of that;
  and an item is no more specific than its ``similar``-tier SIMILAR_TO twins (醫材業務團隊合作
  weighs what 團隊合作 weighs: the same generic skill, written with a domain prefix).

**Credit** (:mod:`queries.credit`). ``b`` is *covered* (credit 1) when the source has the
same item (identity key or curated alias: the same node); else *partly covered* by the
source's single best match — a ``similar``-tier SIMILAR_TO item at its score, a
``review``-tier one at :data:`REVIEW_CREDIT` × its score, a term the source requires whose
note lists ``b`` (INCLUDES) at :data:`INCLUDES_CREDIT`, or, when ``b`` is such a term, one of
its listed members at :data:`INCLUDES_CREDIT` / (length of the list), or an item of the same
kind whose name reads like ``b``'s (:mod:`queries.name_similarity`: character n-gram cosine
over the whole corpus, at least :data:`~queries.name_similarity.NGRAM_MIN`) at
:data:`NGRAM_CREDIT` × that cosine — never summed past 1; else *missing* (0). Every relation
gives credit both ways, so an item shown as a partial match in one direction is never
missing in the other.

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

The scores of a source against every occupation are in :mod:`queries.scores`.

>>> from queries.sample import sample_graph
>>> m = model(sample_graph())
>>> float(m.spec[m.col["skill:溝通協調能力"]])  # every current occupation requires it
0.0
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from graph.kinds import INFO, ITEM_KINDS, Kind
from queries.credit import (
    INCLUDES_CREDIT,
    NGRAM_CREDIT,
    REVIEW_CREDIT,
    Partner,
    credit_matrix,
    find_partners,
    max_product,
)
from queries.index import Index, ItemUse, Profile, index
from queries.task_text import TaskText, task_text

if TYPE_CHECKING:
    import networkx as nx
    from scipy import sparse as sp

    from queries.name_similarity import NamePairs

__all__ = ["ATTITUDE_FACTOR", "BLEND", "FIELD_FLOOR", "FIELD_SPAN", "IMPORTANCE_POWER",
           "INCLUDES_CREDIT", "NGRAM_CREDIT", "PRIOR", "REVIEW_CREDIT", "Model", "Need", "Partner",
           "importance", "max_product", "model", "needs", "partner_ids", "partners",
           "task_cosine_all"]

#: Share of the score that comes from requirement coverage (the rest: task text).
BLEND = 0.6
#: Weight of an attitude relative to a knowledge or skill item of the same specificity.
ATTITUDE_FACTOR = 0.3
#: Field coherence above the all-pairs mean that counts as a fully specific item.
FIELD_SPAN = 0.1
#: The least an item keeps of its IDF when its users' work has nothing in common.
FIELD_FLOOR = 0.15
#: Exponent of importance in a requirement's weight (1/2: a square root).
IMPORTANCE_POWER = 0.5
#: The prior weight, as a share of the median requirement weight of current occupations.
PRIOR = 0.5

_Floats = np.ndarray[Any, np.dtype[np.float64]]
_Bools = np.ndarray[Any, np.dtype[np.bool_]]
_DERIVED = "matching"


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
    names: NamePairs | None = None
    """The n-gram name pairs the credits were built with."""
    partners: dict[str, tuple[Partner, ...]] = field(default_factory=dict)
    partner_ids: dict[str, frozenset[str]] = field(default_factory=dict)
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


def _field(M: sp.csr_matrix, current: _Bools, cosine: _Floats) -> _Floats:
    """Each item's field factor (module docstring): from the mean task-text cosine among
    the current occupations requiring it; 1 for an item fewer than two of them require."""
    from scipy import sparse as sp

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


def _twins(idx: Index, col: dict[str, int], spec: _Floats) -> _Floats:
    """An item is no more specific than its ``similar``-tier twins: 醫材業務團隊合作 is
    團隊合作 written with a domain prefix, and weighs what 團隊合作 weighs."""
    out = spec.copy()
    for item, others in idx.similar.items():
        j = col[item]
        out[j] = min(out[j], min(spec[col[o]] for o in others))
    return out


def _build(G: nx.MultiDiGraph, idx: Index) -> Model:
    from scipy import sparse as sp

    from queries.name_similarity import name_pairs

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
    spec = _twins(idx, col, np.log((1.0 + n) / (1.0 + df)) * field_
                  * np.where(attitude, ATTITUDE_FACTOR, 1.0))
    R = sp.csr_matrix((spec[cols] * np.asarray(imp), (rows, cols)), shape=shape)
    W = np.asarray(R.sum(axis=1)).ravel()
    ranked = W[current & has_ks]
    prior = PRIOR * float(np.median(ranked)) if len(ranked) else 0.0
    names = name_pairs(G)
    S = credit_matrix(idx, col, names)
    C = sp.csr_matrix(M.maximum(max_product(M, S)))
    return Model(nodes, text.row, items, col, M, R, sp.csr_matrix(R.T), C, S, W, spec, prior,
                 has_ks, current, text, names)


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
    (:func:`queries.credit.find_partners`; cached per model)."""
    m = m if m is not None else model(G)
    found = m.partners.get(item)
    if found is None:
        found = m.partners[item] = find_partners(index(G), item, m.names)
    return found


def partner_ids(G: nx.MultiDiGraph, item: str, m: Model | None = None) -> frozenset[str]:
    """The ids of :func:`partners` as a set (cached per model): one C-level intersection
    tells whether a source has any of them, instead of a loop over them."""
    m = m if m is not None else model(G)
    found = m.partner_ids.get(item)
    if found is None:
        found = m.partner_ids[item] = frozenset(p.item for p in partners(G, item, m))
    return found
