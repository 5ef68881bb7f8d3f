"""The occupation × item matrices behind all-pairs scores (scipy sparse).

``M`` is the 0/1 requirement matrix; ``C`` the coverage matrix (``C[o, i]`` is 1 when
occupation ``o`` requires ``i``, else the best SIMILAR_TO score between ``i`` and one of
``o``'s items); ``w`` the IDF weights. Then ``N = (C·diag(w))·Mᵀ`` holds, for every pair,
how much of B's weighted requirements A covers, and the symmetric score of
:func:`queries.overlap.weighted_score` is ``(N + Nᵀ) / (W_A + W_B)`` with ``W = M·w``:
one sparse product instead of a Python double loop.

>>> from queries.sample import sample_graph
>>> r = pairwise(sample_graph(), ["AAA1111-001v2", "BBB2222-001v2"])
>>> r["matrix"][0][0], r["matrix"][0][1] == r["matrix"][1][0]
(1.0, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

import networkx as nx
import numpy as np
from scipy import sparse as sp

from queries.occupations import Index, index, resolve_id

_SPARSE = "sparse"
_PAIRS = "pairs"
_MOVES = "moves"
#: The prior weight of a move's score, as a share of the median total weight of current
#: occupations (see :func:`move_row`).
PRIOR = 0.5


@dataclass(frozen=True)
class Matrices:
    """Row / column orders and the matrices of one graph (see the module docstring)."""

    nodes: tuple[str, ...]
    row: dict[str, int]
    items: tuple[str, ...]
    col: dict[str, int]
    M: sp.csr_matrix
    C: sp.csr_matrix
    w: np.ndarray[Any, np.dtype[np.float64]]
    W: np.ndarray[Any, np.dtype[np.float64]]
    prior: float


def matrices(G: nx.MultiDiGraph) -> Matrices:
    """The cached matrices of ``G`` (built on first use, O(requirements + similar pairs)).

    >>> from queries.sample import sample_graph
    >>> m = matrices(sample_graph())
    >>> m.M.shape[0], int(m.M.sum())
    (4, 21)
    """
    idx = index(G)
    return idx.derived(_SPARSE, lambda: _build_matrices(idx))


def _build_matrices(idx: Index) -> Matrices:
    nodes = tuple(sorted(idx.profiles))
    row = {n: i for i, n in enumerate(nodes)}
    items = tuple(sorted(set(idx.idf) | set(idx.similar)))
    col = {it: j for j, it in enumerate(items)}
    rows = [row[n] for n in nodes for _ in idx.profiles[n].uses]
    cols = [col[i] for n in nodes for i in idx.profiles[n].uses]
    shape = (len(nodes), len(items))
    M = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
    w = np.array([idx.idf.get(it, 1.0) for it in items])
    s_rows = [col[a] for a, others in idx.similar.items() for _ in others]
    s_cols = [col[b] for others in idx.similar.values() for b in others]
    s_vals = [v for others in idx.similar.values() for v in others.values()]
    S = sp.csr_matrix((s_vals, (s_rows, s_cols)), shape=(len(items), len(items)))
    C = M.maximum(_max_product(M, S))
    W = M @ w
    current = [row[p.node] for p in idx.profiles.values()
               if p.latest and not p.historical and p.has_competencies]
    prior = PRIOR * float(np.median(W[current])) if current else 0.0
    return Matrices(nodes, row, items, col, M, sp.csr_matrix(C), w, W, prior)


def _max_product(M: sp.csr_matrix, S: sp.csr_matrix) -> sp.csr_matrix:
    # A (max, ×) matrix product, which scipy lacks: expand every (occupation, item)
    # through the item's similar row, then keep the largest score per cell.
    coo = M.tocoo()
    counts = np.diff(S.indptr)[coo.col]
    total = int(counts.sum())
    if total == 0:
        return sp.csr_matrix(M.shape)
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    pos = np.repeat(S.indptr[coo.col], counts) + offsets
    r, c, v = np.repeat(coo.row, counts), S.indices[pos], S.data[pos]
    key = r.astype(np.int64) * M.shape[1] + c
    order = np.lexsort((-v, key))
    first = np.ones(total, dtype=bool)
    first[1:] = key[order][1:] != key[order][:-1]
    keep = order[first]
    return sp.csr_matrix((v[keep], (r[keep], c[keep])), shape=M.shape)


_Floats = np.ndarray[Any, np.dtype[np.float64]]


def _ratio(num: _Floats, denom: _Floats) -> _Floats:
    """``num / denom`` element-wise, 0 where the denominator is 0 (an occupation with no
    weighted requirement covers and is covered by nothing)."""
    out: _Floats = np.divide(num, denom, out=np.zeros_like(num), where=denom > 0)
    return out


def _covered_row(m: Matrices, node: str) -> _Floats:
    """The weight of each occupation's requirements that ``node`` covers."""
    return np.asarray((m.C[m.row[node]].multiply(m.w) @ m.M.T).todense()).ravel()


def cover_row(G: nx.MultiDiGraph, node: str) -> np.ndarray[Any, np.dtype[np.float64]]:
    """How much of each occupation's weighted requirements ``node`` covers, in [0, 1].

    Indexed like :attr:`Matrices.nodes`; asymmetric: ``cover(A → B)`` is about B's needs.

    >>> from queries.sample import sample_graph
    >>> G, node = sample_graph(), "occupation:AAA1111-001v2"
    >>> float(cover_row(G, node)[matrices(G).row[node]])
    1.0
    """
    m = matrices(G)
    return _ratio(_covered_row(m, node), m.W)


def move_row(G: nx.MultiDiGraph, node: str) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The move score from ``node`` to every occupation: covered weight / (W_B + prior).

    Without the prior, a target that asks for little (often a standard whose tables only
    partly loaded) would outrank one that asks for much of what the source has, on the
    strength of two generic items; the prior (``PRIOR`` × the median requirement weight)
    makes a high score need real evidence. Still in [0, 1), still asymmetric.

    >>> from queries.sample import sample_graph
    >>> G, node = sample_graph(), "occupation:AAA1111-001v2"
    >>> bool(move_row(G, node)[matrices(G).row[node]] < 1.0)
    True
    """
    m = matrices(G)
    return _ratio(_covered_row(m, node), m.W + m.prior)


def move_all(G: nx.MultiDiGraph) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The dense all-pairs move score ``move[A, B]`` (as :func:`move_row`; cached)."""
    def build() -> np.ndarray[Any, np.dtype[np.float64]]:
        m = matrices(G)
        return _ratio(cover_all(G) * m.W[None, :], m.W[None, :] + m.prior)

    return index(G).derived(_MOVES, build)


def cover_all(G: nx.MultiDiGraph) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The dense all-pairs coverage matrix ``cover[A, B]`` (cached per graph)."""
    def build() -> np.ndarray[Any, np.dtype[np.float64]]:
        m = matrices(G)
        num = np.asarray((m.C.multiply(m.w).tocsr() @ m.M.T).todense(), dtype=np.float64)
        return _ratio(num, np.broadcast_to(m.W[None, :], num.shape))

    return index(G).derived(_PAIRS, build)


def weighted_all(G: nx.MultiDiGraph) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The dense all-pairs symmetric weighted overlap (:func:`queries.overlap.weighted_score`)."""
    m = matrices(G)
    cover = cover_all(G)
    num = cover * m.W[None, :]
    return _ratio(num + num.T, m.W[:, None] + m.W[None, :])


class PairwiseResult(TypedDict):
    """What :func:`pairwise` returns: the codes and the symmetric score matrix."""

    codes: list[str]
    matrix: list[list[float]]


def pairwise(G: nx.MultiDiGraph, codes: Sequence[str] | None = None) -> PairwiseResult:
    """The pairwise weighted overlap of occupations, from one sparse product.

    Parameters:
        G: the competency graph.
        codes: occupation codes or names; None means every current occupation
            (``latest`` and not historical), in code order.

    Returns:
        ``{"codes": [...], "matrix": [[score, ...], ...]}``, symmetric, 1.0 on the
        diagonal for an occupation with requirements, scores rounded to 4 places.

    Raises:
        UnknownOccupation: a code is not loaded.
    """
    idx = index(G)
    if codes is None:
        nodes = sorted((p.node for p in idx.profiles.values() if p.latest and not p.historical),
                       key=lambda n: idx.profiles[n].code)
    else:
        nodes = [resolve_id(G, c) for c in codes]
    m = matrices(G)
    rows = np.array([m.row[n] for n in nodes], dtype=np.int64)
    sub = weighted_all(G)[np.ix_(rows, rows)]
    return {"codes": [idx.profiles[n].code for n in nodes],
            "matrix": np.round(sub, 4).tolist()}
