"""Lexical encoding of item names: segments, generic suffixes, domain prefixes, TF-IDF rows.

Names are read through their identity key (:func:`graph.identity.item_key`), so
variant characters (臺/台, 蒐/搜) and extraction spaces never make two wordings
differ. Brackets are dropped (夾(治)具 is one word); punctuation and the function
words 與 及 和 或 之 的 等 相關 split a name into segments that n-grams do not cross.
A unit is one CJK character or one Latin word. The TF-IDF rows hold the 1-3
unit n-grams of every segment, with

* a generic suffix (能力, 知識, 概念, 概論, 技巧, 方法 …) cut off and kept as one
  light feature, so 溝通協調能力 and 專案管理能力 do not meet on 能力;
* a domain prefix — a leading 3-4 unit n-gram that starts several names and is
  not itself the core of a name, such as 媒體企劃 or 金屬文物 — down-weighted,
  so 媒體企劃溝通協調 is mostly about 溝通協調.

:mod:`graph.similar` turns these rows into scored pairs and tiers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graph.identity import item_key

if TYPE_CHECKING:
    import numpy as np
    import scipy.sparse as sp

#: Cut off the end of a name and kept as one light feature; longest first.
#: Simplified characters, because names are compared through their identity key.
GENERIC_SUFFIXES: tuple[str, ...] = (
    "相关知识", "基础知识", "基本知识", "基本概念",
    "能力", "技能", "技巧", "知识", "常识", "概念", "概论", "方法", "意识",
)  # fmt: skip

_BLOCK_ROWS = 2048  # rows of X per sparse product: bounds memory on 10k+ names
# Punctuation and function words (與, 及, 和, 或, 之, 的, 等, 相關; simplified as in
# the identity key) end a segment: they join competencies, they are not one.
_SEGMENT_BREAK = re.compile(r"(?:[\W_]|相关|[与及和或之的等])+")
_UNIT = re.compile(r"[a-z0-9]+(?:[.+#][a-z0-9]+)*|.")
_PUNCT = re.compile(r"[\W_]+")
# Brackets enclose part of the wording (夾(治)具, 網路行銷平台 (工具)): dropped, not split on.
_BRACKET = re.compile(r"[()\[\]{}【】「」『』《》〈〉]")
_TASK_REF = re.compile(r"【t\d[^】]*】")  # 【T1.5】: a task reference the corpus parser left in
_GRAM_SEP = "\x1f"  # joins units of an n-gram: "ip" + "智" never equals "i" + "p智"
_SUFFIX_MARK = "\x1e"  # a suffix feature never collides with an n-gram


@dataclass(frozen=True, slots=True)
class LexicalParams:
    """Weights of the lexical encoding.

    ``suffix_weight``: term weight of the generic-suffix feature (an n-gram has 1).
    ``prefix_weight``: term weight of an n-gram that starts inside a domain prefix.
    ``prefix_min_names``: how many names a leading n-gram must start to be a
    domain prefix; ``prefix_lengths``: the prefix lengths tried, longest first.
    """

    suffix_weight: float = 0.3
    prefix_weight: float = 0.3
    prefix_min_names: int = 4
    prefix_lengths: tuple[int, ...] = (4, 3)


@dataclass(frozen=True, slots=True)
class NameParts:
    """A name split for scoring: its segments (suffix cut), the suffix, the domain prefix."""

    segments: tuple[tuple[str, ...], ...]
    suffix: str
    prefix: str
    prefix_units: int

    @property
    def core(self) -> str:
        """The name without its generic suffix and segment breaks."""
        return "".join("".join(seg) for seg in self.segments)

    @property
    def stem(self) -> str:
        """The core without its domain prefix."""
        return self.core[len(self.prefix) :]


def _units(key: str) -> list[tuple[str, ...]]:
    # Compare through the identity key so that variant characters (臺/台, 蒐/搜)
    # and extraction spaces never make two wordings look different; punctuation
    # splits the name into segments that n-grams do not cross.
    key = _BRACKET.sub("", _TASK_REF.sub("", key))
    segments = [tuple(_UNIT.findall(seg)) for seg in _SEGMENT_BREAK.split(key) if seg]
    # A name made only of function words (與) is still a name: keep its letters.
    return segments or [tuple(_UNIT.findall(_PUNCT.sub("", key)))]


def _split_suffix(units: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    text = "".join(units)
    for suffix in GENERIC_SUFFIXES:
        n = len(suffix)
        # Keep a core: 能力 alone is a name, not a suffix.
        if text.endswith(suffix) and len(units) > n and "".join(units[-n:]) == suffix:
            return units[:-n], suffix
    return units, ""


def analyse(names: Sequence[str], params: LexicalParams) -> list[NameParts]:
    """Split each name into segments, generic suffix and domain prefix.

    Parameters
    ----------
    names : cleaned item names of one kind; domain prefixes are counted over them.
    params : the weights and the domain-prefix rule.

    Returns
    -------
    list[NameParts] : one per name, in order; units in simplified characters.

    >>> parts = analyse(["媒體企劃溝通協調", "溝通協調能力"], LexicalParams(prefix_min_names=1))
    >>> [(p.prefix, p.stem, p.suffix) for p in parts]
    [('媒体企划', '沟通协调', ''), ('', '沟通协调', '能力')]
    """
    split = [_split(item_key(name)) for name in names]
    prefixes = _domain_prefixes(split, params)
    return [_parts(segs, suffix, prefixes, params) for segs, suffix in split]


_Split = tuple[tuple[tuple[str, ...], ...], str]


def _domain_prefixes(split: Sequence[_Split], params: LexicalParams) -> frozenset[tuple[str, ...]]:
    """Leading n-grams that start at least ``prefix_min_names`` names (with two units
    after them) and are not themselves the core of a name."""
    # The core of a name (溝通協調 of 溝通協調能力) is a competency in its own
    # right, never a domain prefix, even when it starts many names.
    cores = {"".join(segs[0]) for segs, _suffix in split if len(segs) == 1}
    starts: Counter[tuple[str, ...]] = Counter()
    for segs, _suffix in split:
        for n in params.prefix_lengths:
            if len(segs[0]) >= n + 2:
                starts[segs[0][:n]] += 1
    return frozenset(p for p, count in starts.items()
                     if count >= params.prefix_min_names and "".join(p) not in cores)


def _split(key: str) -> _Split:
    """A name's segments (generic suffix cut off the last one) and that suffix, from the
    name's identity key."""
    segments = _units(key)
    if len(segments) > 1 and "".join(segments[-1]) in GENERIC_SUFFIXES:
        # 社群平台相關知識: 相關 ended the segment, the suffix stands alone.
        return tuple(segments[:-1]), "".join(segments[-1])
    last, suffix = _split_suffix(segments[-1])
    return (*segments[:-1], last), suffix


def _parts(segs: tuple[tuple[str, ...], ...], suffix: str,
           prefixes: frozenset[tuple[str, ...]], params: LexicalParams) -> NameParts:
    """A split name with its domain prefix: the longest leading n-gram in ``prefixes``
    that leaves at least two units after it."""
    for n in params.prefix_lengths:
        cand = segs[0][:n]
        if len(segs[0]) >= n + 2 and cand in prefixes:
            return NameParts(segs, suffix, "".join(cand), len(cand))
    return NameParts(segs, suffix, "", 0)


def _terms(name: NameParts, params: LexicalParams) -> dict[str, list[float]]:
    """The term weights of one analysed name: n-gram (or suffix feature) → [discounted,
    full] (full gives a domain prefix its whole weight)."""
    weights: dict[str, list[float]] = {}
    for s, units in enumerate(name.segments):
        plen = name.prefix_units if s == 0 else 0
        for n in (1, 2, 3):
            for start in range(len(units) - n + 1):
                w = weights.setdefault(_GRAM_SEP.join(units[start : start + n]), [0.0, 0.0])
                w[0] += params.prefix_weight if start < plen else 1.0
                w[1] += 1.0
    if name.suffix:
        weights[_SUFFIX_MARK + name.suffix] = [params.suffix_weight, params.suffix_weight]
    return weights


def tfidf_rows(
    parts: Sequence[NameParts], params: LexicalParams
) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Row-normalised TF-IDF matrices of analysed names, IDF over exactly these names.

    Parameters
    ----------
    parts : names as :func:`analyse` splits them.
    params : the weights.

    Returns
    -------
    tuple : ``(discounted, full)``, CSR matrices of one row per name (norm 1, or 0
    for a name without letters) over the same columns; ``full`` gives domain
    prefixes their full weight.

    >>> x, full = tfidf_rows(analyse(["溝通協調能力", "溝通協調", "著作權法"], LexicalParams()),
    ...                      LexicalParams())
    >>> float((x @ x.T)[0, 1]) > 0.9, float((x @ x.T)[0, 2])
    (True, 0.0)
    """
    fitted = _fit(parts, params, frozenset())
    return fitted.rows, fitted.full


@dataclass(frozen=True, slots=True)
class LexicalEncoder:
    """The TF-IDF space of a fixed list of names, able to place any other text in it.

    ``vocab`` maps each term to its column, ``idf`` holds the column weights and
    ``unseen_idf`` the weight a term no name has would get; ``prefixes`` are the
    domain prefixes found among the names; ``rows`` / ``full`` are the names' rows as
    :func:`tfidf_rows` returns them; ``row_prefixes`` the domain prefix of each name
    (``""`` when it has none), in the rows' order.
    """

    params: LexicalParams
    vocab: dict[str, int]
    idf: np.ndarray[Any, np.dtype[np.float64]]
    unseen_idf: float
    prefixes: frozenset[tuple[str, ...]]
    rows: sp.csr_matrix
    full: sp.csr_matrix
    row_prefixes: tuple[str, ...] = ()

    def encode(self, text: str) -> sp.csr_matrix:
        """The norm-1 row of ``text`` in this space (one row, all zeros when it has no
        letters). Terms no name has count in the norm, so a text that is mostly
        unknown words scores low against every name.

        >>> enc = fit_encoder(["溝通協調能力", "著作權法"], LexicalParams())
        >>> round(float((enc.rows @ enc.encode("溝通 協調能力").T)[0, 0]), 6)
        1.0
        """
        import scipy.sparse as sp

        cols, weights = self._row(text)
        return sp.csr_matrix((weights, cols, [0, len(cols)]), shape=(1, len(self.vocab)))

    def _row(self, text: str) -> tuple[np.ndarray[Any, np.dtype[np.int64]],
                                       np.ndarray[Any, np.dtype[np.float64]]]:
        """The columns (sorted) and norm-1 weights of ``text``'s row."""
        import numpy as np

        segs, suffix = _split(item_key(text))
        terms = _terms(_parts(segs, suffix, self.prefixes, self.params), self.params)
        found: dict[int, float] = {}
        unseen = 0.0
        for gram, (d, _f) in terms.items():
            col = self.vocab.get(gram)
            if col is None:
                unseen += (d * self.unseen_idf) ** 2
            else:
                found[col] = d * float(self.idf[col])
        cols = np.fromiter(sorted(found), dtype=np.int64, count=len(found))
        weights = np.fromiter((found[c] for c in cols.tolist()), dtype=np.float64,
                              count=len(found))
        norm = float(np.sqrt(float(weights @ weights) + unseen)) or 1.0
        return cols, weights / norm

    def scores(self, text: str) -> np.ndarray[Any, np.dtype[np.float64]]:
        """The cosine of ``text`` with every name, in the names' order.

        >>> enc = fit_encoder(["溝通協調能力", "著作權法"], LexicalParams())
        >>> [round(float(s), 3) for s in enc.scores("著作權法")]
        [0.0, 1.0]
        """
        import numpy as np

        cols, weights = self._row(text)
        dense = np.zeros(len(self.vocab), dtype=np.float64)
        dense[cols] = weights
        # numpy only (the same bits as scipy's rows @ dense): no scipy import for a search.
        from graph.csr import matvec

        return matvec(self.rows, dense)


def fit_encoder(names: Sequence[str], params: LexicalParams, *,
                keys: Sequence[str] | None = None) -> LexicalEncoder:
    """The :class:`LexicalEncoder` of ``names`` (rows identical to :func:`tfidf_rows` of
    :func:`analyse` of the same names). ``keys``, when given, are the names' identity keys
    already computed (the graph keeps them on item nodes), which saves recomputing them.
    """
    split = [_split(key) for key in (keys if keys is not None else map(item_key, names))]
    prefixes = _domain_prefixes(split, params)
    return _fit([_parts(segs, suffix, prefixes, params) for segs, suffix in split], params,
                prefixes)


def _fit(parts: Sequence[NameParts], params: LexicalParams,
         prefixes: frozenset[tuple[str, ...]]) -> LexicalEncoder:
    import numpy as np
    import scipy.sparse as sp

    vocab: dict[str, int] = {}
    indptr = [0]
    indices: list[int] = []
    discounted: list[float] = []
    full: list[float] = []
    for name in parts:
        for gram, (d, f) in _terms(name, params).items():
            indices.append(vocab.setdefault(gram, len(vocab)))
            discounted.append(d)
            full.append(f)
        indptr.append(len(indices))
    cols = np.asarray(indices, dtype=np.int64)
    # Smoothed IDF over the names of this kind, as in the usual TF-IDF.
    df = np.bincount(cols, minlength=len(vocab))
    col_idf = np.log((1.0 + len(parts)) / (1.0 + df)) + 1.0
    idf = col_idf[cols]
    out: list[sp.csr_matrix] = []
    for tf in (discounted, full):
        x = sp.csr_matrix(
            (np.asarray(tf) * idf, cols, np.asarray(indptr)), shape=(len(parts), len(vocab))
        )
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        norms[norms == 0.0] = 1.0
        normalised = sp.csr_matrix(sp.diags(1.0 / norms) @ x)
        # Canonical (sorted, no duplicates): the row-wise products rely on it.
        normalised.sum_duplicates()
        out.append(normalised)
    return LexicalEncoder(params, vocab, col_idf, float(np.log(1.0 + len(parts)) + 1.0),
                          prefixes, out[0], out[1], tuple(p.prefix for p in parts))


def cosine_pairs(x: sp.csr_matrix, floor: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs ``i < j`` whose cosine in ``x`` (rows of norm 1) is at least ``floor``.

    ``X @ X.T`` in blocks of rows, each block against the rows from its own
    first row on, so that only the upper triangle is computed.

    Returns
    -------
    tuple : row indices ``i``, column indices ``j`` (``i < j``) and cosines.

    >>> names = ["著作權法", "溝通協調能力", "溝通協調"]
    >>> x, _full = tfidf_rows(analyse(names, LexicalParams()), LexicalParams())
    >>> i, j, s = cosine_pairs(x, 0.5)
    >>> list(zip(i.tolist(), j.tolist()))
    [(1, 2)]
    """
    import numpy as np
    import scipy.sparse as sp

    n = x.shape[0]
    rows, cols, vals = [], [], []
    for lo in range(0, n, _BLOCK_ROWS):
        product = sp.csr_matrix(x[lo : lo + _BLOCK_ROWS] @ sp.csr_matrix(x[lo:].T))
        # Threshold before anything else touches the (mostly tiny) scores.
        product.data[product.data < floor] = 0.0
        product.eliminate_zeros()
        block = product.tocoo()
        r, c = block.row + lo, block.col + lo
        # Strict upper triangle: each pair once, never a name with itself.
        keep = c > r
        rows.append(r[keep])
        cols.append(c[keep])
        vals.append(block.data[keep])
    if not rows:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
