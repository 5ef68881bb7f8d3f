"""The work an occupation describes, as text: character n-gram TF-IDF over its task names,
outputs and indicators, compared by cosine.

Two standards whose tasks say the same thing in other words are close even when their
knowledge and skill lists are worded differently; this is the task-text component of the
matching model (:mod:`queries.matching`). Each occupation is one document: the names of its
Task, Output and Indicator nodes (never its title, code or classification codes). Text is
read NFKC-normalised and case-folded; punctuation and white space end a segment, and the
features are the characters and character pairs of each segment (measured on the corpus
against pairs and triples: see the README). Term frequency is sublinear (1 + ln tf), the IDF
is smoothed and taken over current occupations only (several loaded versions of one
occupation do not make its words look common), and rows are L2-normalised, so the cosine of
two occupations is the dot product of their rows, in [0, 1].

Tokenising is vectorised (code points as integers, pairs as shifted integer codes, one
``numpy.unique``), so the whole corpus takes a fraction of a second; the result is kept per
graph in the query index and, for a graph loaded through the cache, in a ``.npz`` file beside
the cached graph (:func:`graph.store.derived_path`), so a warm start only reads it.

>>> from queries.sample import sample_graph
>>> G = sample_graph()
>>> tt = task_text(G)
>>> a, b = tt.row["occupation:AAA1111-001v2"], tt.row["occupation:BBB2222-001v2"]
>>> 0.0 < float(tt.cosine_row(a)[b]) <= 1.0
True
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from graph.kinds import Kind
from graph.model import occupation_id
from queries.index import Index, index

if TYPE_CHECKING:
    import networkx as nx
    from scipy import sparse as sp

#: Bump when the representation changes (the cache file name includes it).
VERSION = "1"
#: The node kinds whose names describe the work (never the occupation itself).
TEXT_KINDS = frozenset({Kind.TASK.value, Kind.OUTPUT.value, Kind.INDICATOR.value})
_DERIVED = "task_text"
_BREAK = re.compile(r"[\W_]+")
_SHIFT = np.uint64(21)  # a code point fits in 21 bits
_PAIR = np.uint64(1) << np.uint64(42)  # marks a character pair, apart from single characters
_DOC = np.uint64(43)  # document index above the 43 bits of a feature

_Floats = np.ndarray[Any, np.dtype[np.float64]]


@dataclass(frozen=True)
class TaskText:
    """The task-text rows of every occupation of one graph.

    ``nodes`` (occupation node ids, sorted) index the rows of ``X`` (L2-normalised TF-IDF,
    CSR); ``vocab`` holds the integer feature codes of the columns and ``idf`` their IDF, so
    any other text can be put in the same space with :meth:`vector`.
    """

    nodes: tuple[str, ...]
    row: dict[str, int]
    X: sp.csr_matrix
    XT: sp.csr_matrix
    vocab: np.ndarray[Any, np.dtype[np.uint64]]
    idf: _Floats

    def cosine_row(self, i: int) -> _Floats:
        """The cosine of row ``i`` with every row (indexed like :attr:`nodes`)."""
        return self.cosine_vector(self.X[i])

    def cosine_vector(self, vector: sp.csr_matrix) -> _Floats:
        """The cosine of a (1 × vocabulary, normalised) row with every occupation's row."""
        out: _Floats = np.asarray((vector @ self.XT).todense(), dtype=np.float64).ravel()
        return np.minimum(out, 1.0)

    def cosine_all(self) -> _Floats:
        """The dense all-pairs cosine matrix (rows and columns like :attr:`nodes`)."""
        out: _Floats = np.minimum(np.asarray((self.X @ self.XT).todense(), dtype=np.float64),
                                  1.0)
        return out

    def vector(self, texts: Iterable[str]) -> sp.csr_matrix:
        """Any texts (e.g. a client's own task descriptions) as one normalised row in this
        space; features the corpus never saw are dropped. An empty text is a zero row.

        >>> from queries.sample import sample_graph
        >>> tt = task_text(sample_graph())
        >>> tt.vector(["T1.1"]).shape[0], tt.vector([]).nnz
        (1, 0)
        """
        from scipy import sparse as sp

        keys, counts = _features(["\n".join(texts)])
        codes = keys & ((np.uint64(1) << _DOC) - np.uint64(1))
        if not len(self.vocab):
            return sp.csr_matrix((1, 0))
        pos = np.minimum(np.searchsorted(self.vocab, codes), len(self.vocab) - 1)
        known = self.vocab[pos] == codes
        cols = pos[known].astype(np.int64)
        vals = (1.0 + np.log(counts[known])) * self.idf[cols]
        row = sp.csr_matrix((vals, (np.zeros(len(cols), dtype=np.int64), cols)),
                            shape=(1, len(self.vocab)))
        return _normalised(row)


def documents(G: nx.MultiDiGraph, nodes: Sequence[str]) -> list[str]:
    """Each occupation's work text: the names of its tasks, outputs and indicators, one per
    line, in node-id order (so the text never depends on the order nodes were added).

    >>> from queries.sample import sample_graph
    >>> documents(sample_graph(), ["occupation:CCC3333-001v1"])
    ['規劃網紅行銷合作']
    """
    parts: dict[str, list[tuple[str, str]]] = {n: [] for n in nodes}
    for node, attrs in G._node.items():
        if attrs.get("kind") in TEXT_KINDS:
            owner = parts.get(occupation_id(attrs.get("standard", "")))
            name = attrs.get("name")
            if owner is not None and name:
                owner.append((node, str(name)))
    return ["\n".join(name for _, name in sorted(parts[n])) for n in nodes]


def _features(docs: Sequence[str]) -> tuple[np.ndarray[Any, np.dtype[np.uint64]],
                                            np.ndarray[Any, np.dtype[np.int64]]]:
    """Sorted unique ``(document << 43) | feature`` keys and their counts.

    A feature is one character (its code point) or two adjacent characters of one segment
    (``_PAIR | first << 21 | second``); segments end at punctuation and white space.
    """
    norm = [_BREAK.sub("\x00", unicodedata.normalize("NFKC", d).casefold()) for d in docs]
    c = np.frombuffer("\x00".join(norm).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if not len(c):
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    brk = c == 0
    # The document of each position (each document and the NUL that follows it).
    doc = np.repeat(np.arange(len(norm), dtype=np.uint64),
                    [len(s) + 1 for s in norm])[: len(c)]
    ones = c[~brk] | (doc[~brk] << _DOC)
    ok = ~brk[:-1] & ~brk[1:]
    pairs = (_PAIR | (c[:-1][ok] << _SHIFT) | c[1:][ok]) | (doc[:-1][ok] << _DOC)
    keys, counts = np.unique(np.concatenate([ones, pairs]), return_counts=True)
    return keys, counts.astype(np.int64)


def _normalised(x: sp.csr_matrix) -> sp.csr_matrix:
    from scipy import sparse as sp

    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0.0] = 1.0
    out = sp.csr_matrix(sp.diags(1.0 / norms) @ x)
    out.sum_duplicates()
    return out


def build(G: nx.MultiDiGraph, idx: Index) -> TaskText:
    """The task-text rows of every occupation of ``G`` (see the module docstring)."""
    from scipy import sparse as sp

    nodes = tuple(sorted(idx.profiles))
    docs = documents(G, nodes)
    keys, counts = _features(docs)
    rows = (keys >> _DOC).astype(np.int64)
    codes = keys & ((np.uint64(1) << _DOC) - np.uint64(1))
    vocab, cols = np.unique(codes, return_inverse=True)
    cols = cols.astype(np.int64).ravel()
    current = np.array([idx.profiles[n].latest and not idx.profiles[n].historical
                        for n in nodes], dtype=bool)
    in_current = current[rows] if len(rows) else np.zeros(0, dtype=bool)
    df = np.bincount(cols[in_current], minlength=len(vocab)).astype(np.float64)
    idf = np.log((1.0 + float(current.sum())) / (1.0 + df)) + 1.0
    tf = 1.0 + np.log(counts.astype(np.float64))
    X = _normalised(sp.csr_matrix((tf * idf[cols], (rows, cols)),
                                  shape=(len(nodes), len(vocab))))
    return TaskText(nodes, {n: i for i, n in enumerate(nodes)}, X, sp.csr_matrix(X.T),
                    vocab.astype(np.uint64), idf)


def _cache_parts(nodes: Sequence[str], G: nx.MultiDiGraph) -> list[str]:
    digest = hashlib.sha256("\0".join(nodes).encode("utf-8", "surrogatepass")).hexdigest()
    return [VERSION, str(G.graph.get("version", 0)), digest]


def _save(path: Path, tt: TaskText) -> None:
    from graph.atomic import atomic_write

    def write(handle: Any) -> None:
        np.savez(handle, nodes=np.array(tt.nodes, dtype=str), vocab=tt.vocab, idf=tt.idf,
                 data=tt.X.data, indices=tt.X.indices, indptr=tt.X.indptr,
                 shape=np.array(tt.X.shape, dtype=np.int64))

    atomic_write(path, write)


def _read(path: Path, nodes: tuple[str, ...]) -> TaskText | None:
    from scipy import sparse as sp

    try:
        with np.load(path, allow_pickle=False) as f:
            if tuple(str(n) for n in f["nodes"]) != nodes:
                return None
            shape = tuple(int(v) for v in f["shape"])
            X = sp.csr_matrix((f["data"], f["indices"], f["indptr"]), shape=shape)
            vocab, idf = f["vocab"].astype(np.uint64), f["idf"].astype(np.float64)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or corrupt: rebuilt
    if X.shape != (len(nodes), len(vocab)) or len(idf) != len(vocab):
        return None
    return TaskText(nodes, {n: i for i, n in enumerate(nodes)}, X, sp.csr_matrix(X.T),
                    vocab, idf)


def _load_or_build(G: nx.MultiDiGraph, idx: Index) -> TaskText:
    from graph.store import derived_or_build

    nodes = tuple(sorted(idx.profiles))
    return derived_or_build(G, "tasktext", _cache_parts(nodes, G), ".npz",
                            read=lambda path: _read(path, nodes), build=lambda: build(G, idx),
                            save=_save)


def task_text(G: nx.MultiDiGraph) -> TaskText:
    """The task-text rows of ``G``'s occupations, built once per graph (and cached on disk
    beside the graph cache when ``G`` came from it)."""
    idx = index(G)
    return idx.derived(_DERIVED, lambda: _load_or_build(G, idx))
