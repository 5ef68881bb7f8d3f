"""Partial credit between items: what one item a source has gives an item a target requires.

The relations (module constants measured on the corpus, see :mod:`queries.matching`):

* ``similar``-tier SIMILAR_TO: the pair's score;
* ``review``-tier SIMILAR_TO: :data:`REVIEW_CREDIT` × its score;
* names of one kind that read alike below SIMILAR_TO (:mod:`queries.name_similarity`:
  character n-gram cosine over the whole corpus): :data:`NGRAM_CREDIT` × that score;
* INCLUDES (a note defines a term as a list): the term gives each listed member
  :data:`INCLUDES_CREDIT`; a member gives the term :data:`INCLUDES_CREDIT` / (length of the
  list), its share of it.

Every relation gives credit both ways, so an item shown as a partial match in one direction
is never missing in the other. Several relations between one pair: the best credit counts.

>>> from queries.index import index
>>> from queries.sample import sample_graph
>>> S = credit_matrix(index(sample_graph()), {"knowledge:網紅類型與商業模式": 0,
...                                           "knowledge:網紅類型與獲利模式": 1})
>>> S.toarray().tolist()
[[0.0, 0.8], [0.8, 0.0]]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from queries.index import Index

if TYPE_CHECKING:
    from scipy import sparse as sp

    from queries.name_similarity import NamePairs

#: Credit of a ``review``-tier SIMILAR_TO match, per unit of its score.
REVIEW_CREDIT = 0.8
#: Credit of an item the source reaches through a term its note defines (INCLUDES).
INCLUDES_CREDIT = 0.75
#: Credit of two names that read alike below SIMILAR_TO, per unit of their n-gram score:
#: 4 in 5 such pairs from 0.35 on are worth credit, most as a part of the target's item
#: rather than the same competency (hand labels, see the README), and a part is less than
#: the whole.
NGRAM_CREDIT = 0.6
#: How a partial match was found (the ``via`` of a match), best credit first on ties.
VIA_ORDER = {"similar": 0, "review": 1, "includes": 2, "ngram": 3}


@dataclass(frozen=True)
class Partner:
    """A source-side item that partly covers a target item."""

    item: str
    credit: float
    score: float | None
    via: str


def credit_matrix(idx: Index, col: dict[str, int],
                  names: NamePairs | None = None) -> sp.csr_matrix:
    """``S[a, b]``: the credit source item ``a`` gives target item ``b`` (the best of its
    relations), zero on the diagonal; items indexed by ``col`` (pairs outside it are
    skipped); ``names``: the n-gram name pairs, or None to leave them out."""
    from scipy import sparse as sp

    best: dict[tuple[int, int], float] = {}
    sources = ((idx.similar, 1.0), (idx.review, REVIEW_CREDIT))
    for pairs, factor in sources:
        for a, others in pairs.items():
            for b, score in others.items():
                if a not in col or b not in col:
                    continue
                key = (col[a], col[b])
                best[key] = max(best.get(key, 0.0), factor * score)
    for term, members in idx.includes.items():
        for b in members:
            if b == term or b not in col or term not in col:
                continue
            for key, credit in (((col[term], col[b]), INCLUDES_CREDIT),
                                ((col[b], col[term]), member_credit(members))):
                best[key] = max(best.get(key, 0.0), credit)
    n = len(col)
    out = sp.csr_matrix((n, n))
    if best:
        keys = np.array(list(best), dtype=np.int64)
        out = sp.csr_matrix((np.fromiter(best.values(), float), (keys[:, 0], keys[:, 1])),
                            shape=(n, n))
    if names is not None:
        # Vectorised: the name pairs outnumber every other relation.
        out = sp.csr_matrix(out.maximum(NGRAM_CREDIT * names.in_columns(col)))
    return out


def member_credit(members: tuple[str, ...]) -> float:
    """What one member of a term's list gives the term: its share of the list."""
    return INCLUDES_CREDIT / max(1, len(members))


def max_product(M: sp.csr_matrix, S: sp.csr_matrix) -> sp.csr_matrix:
    """The (max, ×) product ``out[o, j] = max_i M[o, i] · S[i, j]``, which scipy lacks:
    every (row, item) is expanded through the item's row of ``S``, then the largest value
    per cell is kept.

    >>> from scipy import sparse as sp
    >>> M = sp.csr_matrix(np.array([[1.0, 0.0, 0.0]]))
    >>> S = sp.csr_matrix(np.array([[0, 0.5, 0.9], [0, 0, 0], [0, 0, 0]]))
    >>> max_product(M, S).toarray().tolist()
    [[0.0, 0.5, 0.9]]
    """
    from scipy import sparse as sp

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


def find_partners(idx: Index, item: str, names: NamePairs | None = None
                  ) -> tuple[Partner, ...]:
    """The items that partly cover ``item`` when a source has them, best credit first
    (then by relation and id), each with its credit, score (SIMILAR_TO's or the n-gram
    cosine; None through a term) and relation; ``names`` as in :func:`credit_matrix`.

    >>> from queries.index import index
    >>> from queries.sample import sample_graph
    >>> find_partners(index(sample_graph()), "knowledge:網紅類型與獲利模式")
    (Partner(item='knowledge:網紅類型與商業模式', credit=0.8, score=0.8, via='similar'),)
    """
    out: dict[str, Partner] = {}

    def keep(p: Partner) -> None:
        if p.item not in out or p.credit > out[p.item].credit:
            out[p.item] = p

    for pairs, via, factor in ((idx.similar, "similar", 1.0),
                               (idx.review, "review", REVIEW_CREDIT)):
        for other, score in pairs.get(item, {}).items():
            keep(Partner(other, factor * score, score, via))
    for term, members in idx.includes.items():
        if item in members and term != item:
            keep(Partner(term, INCLUDES_CREDIT, None, "includes"))
    for member in idx.includes.get(item, ()):
        if member != item:
            keep(Partner(member, member_credit(idx.includes[item]), None, "includes"))
    for other, score in names.partners(item) if names is not None else ():
        keep(Partner(other, NGRAM_CREDIT * score, score, "ngram"))
    return tuple(sorted(out.values(), key=lambda p: (-p.credit, VIA_ORDER[p.via], p.item)))
