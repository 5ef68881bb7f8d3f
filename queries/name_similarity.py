"""Item names that read alike across the whole corpus: the soft partial credit between
items that SIMILAR_TO leaves out.

SIMILAR_TO (:mod:`graph.similar`) links only near-identical wordings: a cosine of at least
0.5 with the domain prefix discounted, and a tier. Two standards rarely word a competency
the same way (資源盤點及分析 / 行銷資源盤點能力, 勞工安全 / 勞工安全基本認知, 資料蒐集彙整能力 /
資料蒐集與整理), so the matching model (:mod:`queries.matching`) also credits the pairs of
items of one kind whose names share enough of their character n-grams. The representation
is :mod:`graph.lexical`'s encoder — the one SIMILAR_TO is scored with and the resolver
places typed text with: 1–3 character n-grams of each name's segments, the generic suffix
as one light feature, IDF over all item names of the kind in the graph — with the domain
prefix counted in full (the encoder's ``full`` rows: a credit between two domains, 金屬文物
/ 石質文物, should not pretend they are one), except between two names with *the same*
prefix: a standard writes its prefix before every item, so it is no evidence that
醫材業務領導 and 醫材業務溝通 are one competency, and such a pair is scored with the prefix
discounted, as SIMILAR_TO scores it.

A pair whose score reaches :data:`NGRAM_MIN` is kept with its score (3 places, as
SIMILAR_TO's). The threshold comes from pairs labelled by hand, 30 per score band
(``benchmarks/bench_name_pairs.py`` prints them; see the README): from 0.35 on, four pairs
in five are the same competency or a part of it; below, about one in two.

Fitting the encoders and the sparse products take about a second on the corpus; the pairs
are kept per graph in the query index and, for a graph loaded through the cache, in a
``.npz`` file beside the cached graph (:func:`graph.store.derived_path`), so a warm start
only reads them.

>>> from queries.sample import sample_graph
>>> pairs = name_pairs(sample_graph())
>>> pairs.partners("knowledge:網紅類型與獲利模式")
(('knowledge:網紅類型與商業模式', 0.559),)
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from graph.kinds import ITEM_KINDS
from graph.lexical import cosine_pairs, fit_encoder
from graph.serialize import no_gc
from queries.index import index

if TYPE_CHECKING:
    # Imported where used: a lookup answered from the lookup cache reads the pairs kept
    # there (:mod:`queries.lookup_cache`) and needs neither.
    import networkx as nx
    from scipy import sparse as sp

#: Bump when the representation changes (the cache file name includes it).
VERSION = "1"
#: The least score (module docstring) a pair of names needs to give credit.
NGRAM_MIN = 0.35
_DERIVED = "name_pairs"

_Ints = np.ndarray[Any, np.dtype[np.int64]]
_Floats = np.ndarray[Any, np.dtype[np.float64]]


@dataclass(frozen=True)
class NamePairs:
    """The pairs of one graph: ``items`` (item node ids, by kind then id) index the rows
    and columns of ``scores``, a symmetric sparse matrix of cosines (no diagonal)."""

    items: tuple[str, ...]
    row: dict[str, int]
    scores: sp.csr_matrix
    _found: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict,
                                                             compare=False)

    def partners(self, item: str) -> tuple[tuple[str, float], ...]:
        """The items whose names read like ``item``'s, with their cosine, best first
        (then by id); empty for an item the graph does not have."""
        found = self._found.get(item)
        if found is not None:
            return found
        i = self.row.get(item)
        out: tuple[tuple[str, float], ...] = ()
        if i is not None:
            lo, hi = self.scores.indptr[i], self.scores.indptr[i + 1]
            cols, vals = self.scores.indices[lo:hi], self.scores.data[lo:hi]
            out = tuple(sorted(((self.items[c], float(v)) for c, v in zip(cols, vals,
                                                                          strict=True)),
                               key=lambda p: (-p[1], p[0])))
        self._found[item] = out
        return out

    def in_columns(self, col: dict[str, int]) -> sp.csr_matrix:
        """The scores re-indexed by ``col`` (an item id → column map, as the matching
        model's); pairs with an item outside ``col`` are dropped."""
        from scipy import sparse as sp

        where = np.array([col.get(it, -1) for it in self.items], dtype=np.int64)
        coo = self.scores.tocoo()
        r, c = where[coo.row], where[coo.col]
        keep = (r >= 0) & (c >= 0)
        return sp.csr_matrix((coo.data[keep], (r[keep], c[keep])), shape=(len(col), len(col)))


def build(G: nx.MultiDiGraph) -> NamePairs:
    """Every pair of same-kind items of ``G`` whose names reach :data:`NGRAM_MIN`
    (module docstring)."""
    return _pairs(*scored_pairs(G, NGRAM_MIN))


def scored_pairs(G: nx.MultiDiGraph, floor: float
                 ) -> tuple[tuple[str, ...], _Ints, _Ints, _Floats]:
    """The item ids of ``G`` (by kind, then id) and the pairs ``i < j`` of one kind whose
    names score at least ``floor`` (3 places), with their scores: what :func:`build` keeps
    from :data:`NGRAM_MIN` on; a lower ``floor`` shows the pairs it leaves out."""
    from graph.similar import profile_for

    items: list[str] = []
    rows: list[_Ints] = []
    cols: list[_Ints] = []
    vals: list[_Floats] = []
    with no_gc():
        for kind in ITEM_KINDS:
            found = sorted((n, str(d.get("name", n)), d.get("key")) for n, d in G.nodes(data=True)
                           if d.get("kind") == kind.value)
            if len(found) >= 2:
                keys = [k for _n, _name, k in found]
                encoder = fit_encoder([name for _n, name, _k in found],
                                      profile_for(kind.value).lexical,
                                      keys=keys if all(keys) else None)
                i, j, s = cosine_pairs(encoder.full, floor - 5e-4)
                # Two names with one domain prefix (醫材業務領導 / 醫材業務溝通) share it
                # because one standard wrote both: it says nothing about whether they are
                # one competency, so the pair is scored with the prefix discounted.
                pre = np.asarray(encoder.row_prefixes, dtype=object)
                same = (pre[i] != "") & (pre[i] == pre[j])
                if same.any():
                    s[same] = np.asarray(encoder.rows[i[same]].multiply(
                        encoder.rows[j[same]]).sum(axis=1)).ravel()
                s = np.minimum(np.round(s, 3), 1.0)
                keep = s >= floor
                rows.append(i[keep] + len(items))
                cols.append(j[keep] + len(items))
                vals.append(s[keep])
            items.extend(n for n, _name, _k in found)
    empty = np.zeros(0, dtype=np.int64)
    return (tuple(items), np.concatenate(rows) if rows else empty,
            np.concatenate(cols) if cols else empty,
            np.concatenate(vals) if vals else np.zeros(0))


def _pairs(items: tuple[str, ...], i: _Ints, j: _Ints, s: _Floats) -> NamePairs:
    from scipy import sparse as sp

    n = len(items)
    scores = sp.csr_matrix((np.concatenate([s, s]), (np.concatenate([i, j]),
                                                     np.concatenate([j, i]))), shape=(n, n))
    scores.sum_duplicates()
    return NamePairs(items, {it: k for k, it in enumerate(items)}, scores)


def _cache_parts(G: nx.MultiDiGraph) -> list[str]:
    ids = sorted(n for n, d in G.nodes(data=True) if d.get("kind") in _ITEM_VALUES)
    digest = hashlib.sha256("\0".join(ids).encode("utf-8", "surrogatepass")).hexdigest()
    return [VERSION, str(NGRAM_MIN), str(G.graph.get("version", 0)), digest]


_ITEM_VALUES = frozenset(k.value for k in ITEM_KINDS)


def _save(path: Path, pairs: NamePairs) -> None:
    from scipy import sparse as sp

    from graph.atomic import atomic_write

    upper = sp.triu(pairs.scores, k=1).tocoo()

    # Ids as one NUL-separated UTF-8 blob: a fixed-width string array would pad every id
    # to the longest (ten times the size).
    blob = np.frombuffer("\0".join(pairs.items).encode("utf-8", "surrogatepass"), np.uint8)

    def write(handle: Any) -> None:
        np.savez(handle, items=blob, i=upper.row.astype(np.int32),
                 j=upper.col.astype(np.int32), s=upper.data)

    atomic_write(path, write)


def _read(path: Path) -> NamePairs | None:
    try:
        with np.load(path, allow_pickle=False) as f:
            text = f["items"].astype(np.uint8).tobytes().decode("utf-8", "surrogatepass")
            items = tuple(text.split("\0")) if text else ()
            i, j = f["i"].astype(np.int64), f["j"].astype(np.int64)
            s = f["s"].astype(np.float64)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or corrupt: rebuilt
    n = len(items)
    if not (len(i) == len(j) == len(s)) or (len(i) and (min(i.min(), j.min()) < 0
                                                        or max(i.max(), j.max()) >= n)):
        return None
    return _pairs(items, i, j, s)


def _load_or_build(G: nx.MultiDiGraph) -> NamePairs:
    from graph.store import derived_or_build

    return derived_or_build(G, "namepairs", _cache_parts(G), ".npz",
                            read=_read, build=lambda: build(G), save=_save)


def name_pairs(G: nx.MultiDiGraph) -> NamePairs:
    """The name pairs of ``G``, built once per graph (and kept on disk beside the graph
    cache when ``G`` came from it)."""
    return index(G).derived(_DERIVED, lambda: _load_or_build(G))
