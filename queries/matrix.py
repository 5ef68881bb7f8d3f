"""All-pairs views of the matching model (:mod:`queries.matching`), as dense matrices.

``M`` is the 0/1 occupation × item requirement matrix; ``C`` the credit matrix (``C[o, i]``
is 1 when occupation ``o`` requires ``i``, else the best partial credit one of its items
gives ``i``); ``R`` holds each requirement's weight in its occupation. Then
``N = C · Rᵀ`` holds, for every pair, how much of B's weighted requirements A covers
(one sparse product instead of a Python double loop), and the symmetric weighted overlap
of :func:`queries.overlap.overlap` is ``(N + Nᵀ) / (W_A + W_B)`` with ``W`` the row sums of
``R``. The move score of transitions and paths is :func:`queries.matching.score_all`.

>>> from queries.sample import sample_graph
>>> r = pairwise(sample_graph(), ["AAA1111-001v2", "BBB2222-001v2"])
>>> r["matrix"][0][0], r["matrix"][0][1] == r["matrix"][1][0]
(1.0, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypedDict

import numpy as np

from graph.csr import row_product_sum
from queries.index import index
from queries.matching import PRIOR, model
from queries.occupations import resolve_id
from queries.scores import covered_all, occupation_scores, score_all

if TYPE_CHECKING:
    import networkx as nx
    from scipy import sparse as sp

__all__ = ["PRIOR", "Matrices", "PairwiseResult", "cover_all", "cover_row", "matrices",
           "move_all", "move_row", "pairwise", "weighted_all", "weighted_pair"]

_Floats = np.ndarray[Any, np.dtype[np.float64]]


@dataclass(frozen=True)
class Matrices:
    """Row / column orders and the matrices of one graph (see the module docstring);
    ``w`` is each item's specificity, ``W`` each occupation's total requirement weight."""

    nodes: tuple[str, ...]
    row: dict[str, int]
    items: tuple[str, ...]
    col: dict[str, int]
    M: sp.csr_matrix
    C: sp.csr_matrix
    w: _Floats
    W: _Floats
    prior: float


def matrices(G: nx.MultiDiGraph) -> Matrices:
    """The matrices of ``G`` (those of the cached matching model).

    >>> from queries.sample import sample_graph
    >>> m = matrices(sample_graph())
    >>> m.M.shape[0], int(m.M.sum())
    (4, 21)
    """
    mm = model(G)
    return Matrices(mm.nodes, mm.row, mm.items, mm.col, mm.M, mm.C, mm.spec, mm.W, mm.prior)


def _ratio(num: _Floats, denom: _Floats) -> _Floats:
    """``num / denom`` element-wise, 0 where the denominator is 0 (an occupation with no
    weighted requirement covers and is covered by nothing)."""
    out: _Floats = np.divide(num, denom, out=np.zeros_like(num), where=denom > 0)
    return out


def cover_row(G: nx.MultiDiGraph, node: str) -> _Floats:
    """How much of each occupation's weighted requirements ``node`` covers, in [0, 1].

    Indexed like :attr:`Matrices.nodes`; asymmetric: ``cover(A → B)`` is about B's needs.

    >>> from queries.sample import sample_graph
    >>> G, node = sample_graph(), "occupation:AAA1111-001v2"
    >>> float(cover_row(G, node)[matrices(G).row[node]])
    1.0
    """
    return occupation_scores(G, node).coverage


def move_row(G: nx.MultiDiGraph, node: str) -> _Floats:
    """The move score from ``node`` to every occupation (:mod:`queries.matching`).

    >>> from queries.sample import sample_graph
    >>> G, node = sample_graph(), "occupation:AAA1111-001v2"
    >>> bool(move_row(G, node)[matrices(G).row[node]] < 1.0)
    True
    """
    return occupation_scores(G, node).score


def move_all(G: nx.MultiDiGraph) -> _Floats:
    """The dense all-pairs move score ``move[A, B]`` (as :func:`move_row`; cached)."""
    return score_all(G)


def cover_all(G: nx.MultiDiGraph) -> _Floats:
    """The dense all-pairs coverage matrix ``cover[A, B]`` (cached per graph)."""
    def build() -> _Floats:
        num = covered_all(G)
        return np.minimum(_ratio(num, np.broadcast_to(model(G).W[None, :], num.shape)), 1.0)

    return index(G).derived("pairs", build)


def weighted_all(G: nx.MultiDiGraph) -> _Floats:
    """The dense all-pairs symmetric weighted overlap ``(N + Nᵀ) / (W_A + W_B)`` (cached)."""
    def build() -> _Floats:
        W = model(G).W
        num = covered_all(G)
        return np.minimum(_ratio(num + num.T, W[:, None] + W[None, :]), 1.0)

    return index(G).derived("weighted", build)


def weighted_pair(G: nx.MultiDiGraph, a: str, b: str) -> float:
    """One cell of :func:`weighted_all` (node ids), without building the whole matrix.

    >>> from queries.sample import sample_graph
    >>> G = sample_graph()
    >>> a, b = "occupation:AAA1111-001v2", "occupation:BBB2222-001v2"
    >>> weighted_pair(G, a, b) == float(weighted_all(G)[matrices(G).row[a], matrices(G).row[b]])
    True
    """
    m = model(G)
    i, j = m.row[a], m.row[b]
    denom = float(m.W[i] + m.W[j])
    if denom <= 0:
        return 0.0
    # Row i of C against column j of R, and the other way round: two sparse dot products
    # (numpy only, the same bits as scipy's ``C[i].multiply(R[j]).sum()``: see graph.csr).
    ab = row_product_sum(m.C, i, m.R, j)
    ba = row_product_sum(m.C, j, m.R, i)
    return min(1.0, (ab + ba) / denom)


class PairwiseResult(TypedDict):
    """What :func:`pairwise` returns: the codes and the symmetric score matrix."""

    codes: list[str]
    matrix: list[list[float]]


def pairwise(G: nx.MultiDiGraph, codes: Sequence[str] | None = None) -> PairwiseResult:
    """The pairwise weighted overlap of occupations, from one sparse product.

    Parameters
    ----------
    G : the competency graph.
    codes : occupation codes or names; None means every current occupation
        (``latest`` and not historical), in code order.

    Returns
    -------
    ``{"codes": [...], "matrix": [[score, ...], ...]}``, symmetric, 1.0 on the
    diagonal for an occupation with weighted requirements, scores rounded to 4 places.

    Raises
    ------
    UnknownOccupation
        a code is not loaded.
    """
    idx = index(G)
    if codes is None:
        nodes = sorted((p.node for p in idx.profiles.values() if p.latest and not p.historical),
                       key=lambda n: idx.profiles[n].code)
    else:
        nodes = [resolve_id(G, c) for c in codes]
    m = model(G)
    rows = np.array([m.row[n] for n in nodes], dtype=np.int64)
    sub = weighted_all(G)[np.ix_(rows, rows)]
    return {"codes": [idx.profiles[n].code for n in nodes],
            "matrix": np.round(sub, 4).tolist()}
