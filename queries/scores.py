"""What one source scores against every occupation, and all sources against all, under the
matching model (:mod:`queries.matching`): arrays indexed like :attr:`Model.nodes`.

A source is an occupation (:func:`occupation_scores`) or any set of item ids with an optional
task-text row (:func:`item_scores`: a client's profile). Dense item vectors times the sparse
requirement-weight matrix give every target's covered weight in one mat-vec.

>>> from queries.sample import sample_graph
>>> G = sample_graph()
>>> s = occupation_scores(G, "occupation:AAA1111-001v2")
>>> b = model(G).row["occupation:BBB2222-001v2"]
>>> 0 < float(s.coverage[b]) < 1, float(s.score[b]) == round(
...     BLEND * float(s.coverage[b] * s.evidence[b]) + (1 - BLEND) * float(s.tasks[b]), 12)
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from graph.csr import matvec
from graph.kinds import Kind
from queries.index import index
from queries.matching import BLEND, Model, max_product, model, task_cosine_all

if TYPE_CHECKING:
    import networkx as nx
    from scipy import sparse as sp

_Floats = np.ndarray[Any, np.dtype[np.float64]]
_Bools = np.ndarray[Any, np.dtype[np.bool_]]
_ALL = "matching_all"


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
    # Dense item vectors times the sparse requirement matrix: one fast mat-vec each (numpy
    # only, the same bits as scipy's: see graph.csr).
    covered = matvec(m.R, credit)
    exact = matvec(m.R, have)
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
    from scipy import sparse as sp

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
