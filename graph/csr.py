"""Compressed sparse rows read with numpy alone: the few products lookups need, summed in the
order scipy sums them, so that a result is the same to the last bit whether the matrix is a
``scipy.sparse.csr_matrix`` or arrays read back from the lookup cache (:mod:`graph.lite`).

Importing scipy costs a lookup command more than everything else it does (~0.2 s, most of it
scipy's array-API layer importing numpy's test and Fortran helpers), so the read paths of the
queries multiply through :func:`matvec` and :func:`row_product_sum`, which read only the
``indptr`` / ``indices`` / ``data`` arrays that both kinds of matrix have. Matrices must be in
canonical form (sorted indices, no duplicates), as every matrix of the model is.

>>> A = Rows(np.array([0, 2, 3]), np.array([0, 2, 1]), np.array([1.0, 2.0, 3.0]), (2, 3))
>>> matvec(A, np.array([1.0, 10.0, 100.0])).tolist()
[201.0, 30.0]
>>> row_product_sum(A, 0, A, 0)
5.0
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

_Floats = np.ndarray[Any, np.dtype[np.float64]]
_Ints = np.ndarray[Any, np.dtype[np.integer[Any]]]


class CSRLike(Protocol):
    """What :func:`matvec` and :func:`row_product_sum` read of a CSR matrix."""

    @property
    def indptr(self) -> Any: ...

    @property
    def indices(self) -> Any: ...

    @property
    def data(self) -> Any: ...


@dataclass(frozen=True)
class Rows:
    """The three arrays and the shape of a CSR matrix, without scipy."""

    indptr: _Ints
    indices: _Ints
    data: _Floats
    shape: tuple[int, int]

    @property
    def nnz(self) -> int:
        """The number of stored values."""
        return int(self.indptr[-1]) if len(self.indptr) else 0


def matvec(A: CSRLike, x: _Floats) -> _Floats:
    """``A @ x`` for a dense vector ``x``: each row's products added left to right from 0.0,
    as scipy's ``csr_matvec`` adds them (the same bits), vectorised over rows: step ``k``
    adds the ``k``-th stored value of every row that has one.

    >>> A = Rows(np.array([0, 1, 1]), np.array([1]), np.array([0.5]), (2, 2))
    >>> matvec(A, np.array([3.0, 4.0])).tolist()
    [2.0, 0.0]
    """
    indptr = np.asarray(A.indptr)
    out: _Floats = np.zeros(len(indptr) - 1, dtype=np.float64)
    if len(out) == 0:
        return out
    products = np.asarray(A.data, dtype=np.float64) * np.asarray(x, dtype=np.float64)[A.indices]
    lengths = np.diff(indptr)
    # Rows by falling length: step k touches a prefix of them (no mask per step).
    order = np.argsort(-lengths, kind="stable")
    starts, counts = indptr[order], lengths[order]
    for k in range(int(counts[0]) if len(counts) else 0):
        live = int(np.searchsorted(-counts, -k, side="left"))  # rows with more than k values
        rows = order[:live]
        out[rows] += products[starts[:live] + k]
    return out


def row(A: CSRLike, i: int) -> tuple[_Ints, _Floats]:
    """The column indices and values of row ``i``."""
    lo, hi = int(A.indptr[i]), int(A.indptr[i + 1])
    return A.indices[lo:hi], A.data[lo:hi]


def row_product_sum(A: CSRLike, i: int, B: CSRLike, j: int) -> float:
    """``A[i].multiply(B[j]).sum()`` as scipy computes it: the non-zero products of the
    columns both rows hold, in column order, summed by numpy's ``sum`` (0.0 when none)."""
    a_cols, a_vals = row(A, i)
    b_cols, b_vals = row(B, j)
    _common, ia, ib = np.intersect1d(a_cols, b_cols, assume_unique=True, return_indices=True)
    products = np.asarray(a_vals)[ia] * np.asarray(b_vals)[ib]
    products = products[products != 0]
    return float(np.sum(products)) if len(products) else 0.0


class LazyCSR:
    """A CSR matrix whose arrays are read on first use (from the lookup cache).

    Numpy-only reads (:func:`matvec`, :func:`row_product_sum`, slicing ``indptr``) never
    import scipy; anything else (``@``, ``[]``, ``.multiply``, …) is done by the
    ``scipy.sparse.csr_matrix`` built from the same arrays on first need.
    """

    def __init__(self, read: Callable[[], Rows]) -> None:
        self._read = read
        self._rows: Rows | None = None
        self._csr: Any = None

    def rows(self) -> Rows:
        """The arrays (read once)."""
        if self._rows is None:
            self._rows = self._read()
        return self._rows

    @property
    def indptr(self) -> _Ints:
        return self.rows().indptr

    @property
    def indices(self) -> _Ints:
        return self.rows().indices

    @property
    def data(self) -> _Floats:
        return self.rows().data

    @property
    def shape(self) -> tuple[int, int]:
        return self.rows().shape

    @property
    def nnz(self) -> int:
        return self.rows().nnz

    def csr(self) -> Any:
        """The same matrix as a ``scipy.sparse.csr_matrix`` (built once)."""
        if self._csr is None:
            from scipy import sparse as sp

            r = self.rows()
            self._csr = sp.csr_matrix((r.data, r.indices, r.indptr), shape=r.shape)
            self._csr.has_canonical_format = True
        return self._csr

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.csr(), name)

    def __getitem__(self, key: Any) -> Any:
        return self.csr()[key]

    def __matmul__(self, other: Any) -> Any:
        return self.csr() @ (other.csr() if isinstance(other, LazyCSR) else other)

    def __rmatmul__(self, other: Any) -> Any:
        return other @ self.csr()
