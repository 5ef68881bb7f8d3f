"""SIMILAR_TO: near-identical wordings of different items of the same kind.

Items are merged only when their identity keys are equal (:mod:`graph.identity`);
wordings that differ but mean nearly the same (網紅類型與商業模式 /
網紅類型與獲利模式, 溝通協調能力 / 媒體企劃溝通協調) are *linked*, never merged,
so that a counsellor sees them and decides.

The score is lexical: the cosine of character n-gram (1-3 grams; a Latin word
counts as one character) TF-IDF vectors, with the IDF taken over all item
names of the kind. Names are compared through their identity key (variants
folded); punctuation and the function words 與 及 和 或 之 的 等 相關 split a name
into segments that n-grams do not cross. Two discounts keep the score about the
competency, not its wrapping:

* a generic suffix (能力, 知識, 概念, 概論, 技巧, 方法 …) is cut off and kept as one
  light feature, so 溝通協調能力 and 專案管理能力 do not meet on 能力;
* a domain prefix — a leading 3-4 character n-gram that starts several names
  of the kind and is not itself the core of a name, such as 媒體企劃 or 金屬文物
  — is down-weighted, so 媒體企劃溝通協調 is mostly about 溝通協調. Two
  *different* domain prefixes mark two domains, so for such a pair
  (架上繪畫清潔技術 / 金屬文物清潔技術) the prefixes count in full.

Pairs scoring at least ``review`` are kept. A pair is in the ``"similar"`` tier
when it scores at least ``similar`` *and* the two stems (name less prefix and
suffix) share their head (:func:`_same_head`): Chinese compounds are head-final,
so 網路行銷概論 / 網路行銷相關法規 stay a ``"review"`` pair however high they score.
The thresholds come from the score distribution on the 908-standard corpus (see
the README). Candidate pairs come from sparse products ``X @ X.T`` taken in row
blocks over the upper triangle, never from a Python double loop.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graph.identity import item_key
from graph.model import ITEM_KINDS, Kind, Rel
from loaders.errors import UnknownKey

#: Cut off the end of a name and kept as one light feature; longest first.
#: Simplified characters, because names are compared through their identity key.
GENERIC_SUFFIXES: tuple[str, ...] = (
    "相关知识", "基础知识", "基本知识", "基本概念",
    "能力", "技能", "技巧", "知识", "常识", "概念", "概论", "方法", "意识",
)  # fmt: skip

#: Words ending in 法 that name a way of doing, not a law (simplified characters).
_NOT_LAW: tuple[str, ...] = (
    "方法", "工法", "手法", "技法", "作法", "做法", "用法", "算法", "语法", "文法",
    "疗法", "画法", "笔法", "写法", "织法", "针法", "刀法", "心法", "说法", "看法",
)  # fmt: skip

_BLOCK_ROWS = 2048  # rows of X per sparse product: bounds memory on 10k+ names
# Punctuation and function words (與, 及, 和, 或, 之, 的, 等, 相關; simplified as in
# the identity key) end a segment: they join competencies, they are not one.
_SEGMENT_BREAK = re.compile(r"(?:[\W_]|相关|[与及和或之的等])+")
_UNIT = re.compile(r"[a-z0-9]+(?:[.+#][a-z0-9]+)*|.")
_PUNCT = re.compile(r"[\W_]+")
_TASK_REF = re.compile(r"【t\d[^】]*】")  # 【T1.5】: a task reference the corpus parser left in
_GRAM_SEP = "\x1f"  # joins units of an n-gram: "ip" + "智" never equals "i" + "p智"
_SUFFIX_MARK = "\x1e"  # a suffix feature never collides with an n-gram


@dataclass(frozen=True, slots=True)
class Profile:
    """How one kind of item is scored: tier thresholds and discounts.

    ``similar`` / ``review``: tier thresholds on the score (``review <= similar``).
    ``suffix_weight``: term weight of the generic-suffix feature (an n-gram has 1).
    ``prefix_weight``: term weight of an n-gram that starts inside a domain prefix.
    ``prefix_min_names``: how many names a leading n-gram must start to be a
    domain prefix; ``prefix_lengths``: the prefix lengths tried, longest first.
    """

    similar: float = 0.58
    review: float = 0.5
    suffix_weight: float = 0.3
    prefix_weight: float = 0.3
    prefix_min_names: int = 4
    prefix_lengths: tuple[int, ...] = (4, 3)


#: Scoring profile per item kind (the :class:`~graph.model.Kind` value); ``None`` = default.
PROFILES: dict[str | None, Profile] = {
    None: Profile(),
    Kind.KNOWLEDGE.value: Profile(),
    Kind.SKILL.value: Profile(),
    # Attitudes are two to four characters long: one shared word is already a
    # lot (責任心 / 責任感 0.48, 細心 / 謹慎細心 0.46), so they are reviewed from lower.
    Kind.ATTITUDE.value: Profile(review=0.45),
}


@dataclass(frozen=True, slots=True)
class SimilarPair:
    """Two names (indices into the scored list, ``i < j``) and how alike they are."""

    i: int
    j: int
    score: float
    method: str
    tier: str


@dataclass(frozen=True, slots=True)
class _Name:
    """A name split for scoring: its segments (suffix cut), the suffix, the prefix length."""

    segments: tuple[tuple[str, ...], ...]
    suffix: str
    prefix: str
    prefix_units: int

    @property
    def stem(self) -> str:
        """The name without its domain prefix, generic suffix and segment breaks."""
        return "".join("".join(seg) for seg in self.segments)[len(self.prefix) :]


def profile_for(kind: str | None) -> Profile:
    """The scoring profile of an item kind.

    Raises
    ------
    UnknownKey : ``kind`` is neither ``None`` nor an item kind value
    (``"Knowledge"``, ``"Skill"``, ``"Attitude"``).

    >>> profile_for("Skill").similar >= profile_for("Skill").review
    True
    """
    try:
        return PROFILES[kind]
    except KeyError:
        raise UnknownKey("item kind", str(kind), [k for k in PROFILES if k]) from None


def _units(name: str) -> list[tuple[str, ...]]:
    # Compare through the identity key so that variant characters (臺/台, 蒐/搜)
    # and extraction spaces never make two wordings look different; punctuation
    # splits the name into segments that n-grams do not cross.
    key = _TASK_REF.sub("", item_key(name))
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


def _analyse(names: Sequence[str], profile: Profile) -> list[_Name]:
    split: list[tuple[tuple[tuple[str, ...], ...], str]] = []
    for name in names:
        segments = _units(name)
        if len(segments) > 1 and "".join(segments[-1]) in GENERIC_SUFFIXES:
            # 社群平台相關知識: 相關 ended the segment, the suffix stands alone.
            split.append((tuple(segments[:-1]), "".join(segments[-1])))
            continue
        last, suffix = _split_suffix(segments[-1])
        split.append(((*segments[:-1], last), suffix))
    # The core of a name (溝通協調 of 溝通協調能力) is a competency in its own
    # right, never a domain prefix, even when it starts many names.
    cores = {"".join(segs[0]) for segs, _suffix in split if len(segs) == 1}
    starts: Counter[tuple[str, ...]] = Counter()
    for segs, _suffix in split:
        for n in profile.prefix_lengths:
            if len(segs[0]) >= n + 2:
                starts[segs[0][:n]] += 1
    out: list[_Name] = []
    for segs, suffix in split:
        head: tuple[str, ...] = ()
        for n in profile.prefix_lengths:
            cand = segs[0][:n]
            if (
                len(segs[0]) >= n + 2
                and starts[cand] >= profile.prefix_min_names
                and "".join(cand) not in cores
            ):
                head = cand
                break
        out.append(_Name(segs, suffix, "".join(head), len(head)))
    return out


def _matrices(analysed: Sequence[_Name], profile: Profile) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """Row-normalised TF-IDF matrices: domain prefix discounted, and at full weight."""
    vocab: dict[str, int] = {}
    indptr = [0]
    indices: list[int] = []
    discounted: list[float] = []
    full: list[float] = []
    for name in analysed:
        weights: dict[int, list[float]] = {}
        for s, units in enumerate(name.segments):
            plen = name.prefix_units if s == 0 else 0
            for n in (1, 2, 3):
                for start in range(len(units) - n + 1):
                    col = vocab.setdefault(_GRAM_SEP.join(units[start : start + n]), len(vocab))
                    w = weights.setdefault(col, [0.0, 0.0])
                    w[0] += profile.prefix_weight if start < plen else 1.0
                    w[1] += 1.0
        if name.suffix:
            col = vocab.setdefault(_SUFFIX_MARK + name.suffix, len(vocab))
            weights[col] = [profile.suffix_weight, profile.suffix_weight]
        for col, (d, f) in weights.items():
            indices.append(col)
            discounted.append(d)
            full.append(f)
        indptr.append(len(indices))
    cols = np.asarray(indices, dtype=np.int64)
    # Smoothed IDF over the names of this kind, as in the usual TF-IDF.
    df = np.bincount(cols, minlength=len(vocab))
    idf = (np.log((1.0 + len(analysed)) / (1.0 + df)) + 1.0)[cols]
    out: list[sp.csr_matrix] = []
    for tf in (discounted, full):
        x = sp.csr_matrix(
            (np.asarray(tf) * idf, cols, np.asarray(indptr)), shape=(len(analysed), len(vocab))
        )
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        norms[norms == 0.0] = 1.0
        normalised = sp.csr_matrix(sp.diags(1.0 / norms) @ x)
        # Canonical (sorted, no duplicates): the row-wise products rely on it.
        normalised.sum_duplicates()
        out.append(normalised)
    return out[0], out[1]


def tfidf_matrix(names: Sequence[str], *, kind: str | None = None) -> sp.csr_matrix:
    """The L2-normalised TF-IDF matrix of ``names`` (one row each), domain prefixes discounted.

    Parameters
    ----------
    names : cleaned item names of one kind; the IDF is taken over exactly these.
    kind : the item kind value, selecting the :class:`Profile`; ``None`` = default.

    Returns
    -------
    scipy.sparse.csr_matrix : shape ``(len(names), number of features)``; a row is
    all zeros only for a name without letters.

    >>> m = tfidf_matrix(["溝通協調能力", "溝通協調", "著作權法"])
    >>> m.shape[0], float((m @ m.T)[0, 1]) > 0.9, float((m @ m.T)[0, 2])
    (3, True, 0.0)
    """
    profile = profile_for(kind)
    return _matrices(_analyse(names, profile), profile)[0]


def _candidates(x: sp.csr_matrix, floor: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs ``i < j`` whose cosine in ``x`` (rows of norm 1) is at least ``floor``.

    ``X @ X.T`` in blocks of rows, each block against the rows from its own
    first row on, so that only the upper triangle is computed.
    """
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


def score_pairs(names: Sequence[str], *, kind: str | None = None) -> list[SimilarPair]:
    """Pairs of different names that read alike (lexical score, see the module doc).

    Parameters
    ----------
    names : cleaned item names of ONE kind; the IDF is taken over exactly these.
    kind : the item kind value (``"Knowledge"``, ``"Skill"``, ``"Attitude"``), which
        selects the :class:`Profile`; ``None`` = the default profile.

    Returns
    -------
    list[SimilarPair] : every pair ``i < j`` scoring at least the profile's
    ``review`` threshold; score in [0, 1] rounded to 3 decimals; tier
    ``"similar"`` from the ``similar`` threshold on, else ``"review"``; ordered
    by ``(i, j)``. Equal names score 1.

    Raises
    ------
    UnknownKey : ``kind`` is not an item kind.

    >>> names = ["資料蒐集與判別能力", "資料蒐集與判斷能力", "專案管理能力"]
    >>> [(p.i, p.j, p.tier) for p in score_pairs(names, kind="Skill")]
    [(0, 1, 'similar')]
    """
    profile = profile_for(kind)
    if len(names) < 2:
        return []
    analysed = _analyse(names, profile)
    x, x_full = _matrices(analysed, profile)
    # A pair with two different domain prefixes is re-scored with the prefixes at
    # full weight, which lowers it (their n-grams differ), so the discounted
    # product already holds every pair that can reach the threshold.
    i, j, s = _candidates(x, profile.review - 5e-4)
    prefixes = np.asarray([a.prefix for a in analysed], dtype=object)
    two_domains = (prefixes[i] != "") & (prefixes[j] != "") & (prefixes[i] != prefixes[j])
    if two_domains.any():
        ii, jj = i[two_domains], j[two_domains]
        s[two_domains] = np.asarray(x_full[ii].multiply(x_full[jj]).sum(axis=1)).ravel()
    scores = np.minimum(np.round(s, 3), 1.0)
    keep = scores >= profile.review
    order = np.lexsort((j[keep], i[keep]))
    pairs = []
    for a, b, v in zip(i[keep][order], j[keep][order], scores[keep][order], strict=True):
        similar = v >= profile.similar and _same_head(analysed[a].stem, analysed[b].stem)
        pairs.append(SimilarPair(int(a), int(b), float(v), "lexical",
                                 "similar" if similar else "review"))  # fmt: skip
    return pairs


def _same_head(a: str, b: str) -> bool:
    """Whether two stems can name the same item: their heads meet and they are not two laws.

    Chinese compounds are head-final: the last characters say what an item is,
    the first ones narrow its domain. So 媒體企劃溝通協調 is 溝通協調 in a domain
    (same head), while 網路行銷法規 is not 網路行銷 and 網紅活動行銷管理 is not
    網紅活動行銷企劃 (heads 法規 / 行銷, 管理 / 企劃 share no character). A
    one-character variant keeps the head (不確定 / 不確定性 share 定). Laws are
    proper names: 有線廣播電視法 is another law than 廣播電視法. A stem of one or two
    characters (管理, 分析) inside a longer one is its broader item, not its twin.
    """
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if len(short) <= 2 and len(long_) >= len(short) + 2:
        return False  # a bare head (管理) is the broader item of 客戶關係管理
    if _is_law(a) and _is_law(b):
        return False
    return bool(set(a[-2:]) & set(b[-2:]))


def _is_law(stem: str) -> bool:
    return stem.endswith("法") and not stem.endswith(_NOT_LAW)


def add_similar_edges(G: nx.MultiDiGraph) -> int:
    """Add SIMILAR_TO edges between alike items of each item kind, in both directions.

    Parameters
    ----------
    G : the competency graph; item nodes have ``kind`` (a :class:`Kind` value)
        and ``name``. Nodes are never added, removed or merged.

    Returns
    -------
    int : the number of similar pairs; each adds two edges with key
    ``Rel.SIMILAR_TO`` and attributes ``rel``, ``score``, ``method``, ``tier``.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("skill:溝通協調能力", kind="Skill", name="溝通協調能力")
    >>> G.add_node("skill:媒體企劃溝通協調", kind="Skill", name="媒體企劃溝通協調")
    >>> add_similar_edges(G), G.number_of_edges(), G.number_of_nodes()
    (1, 2, 2)
    """
    count = 0
    for kind in ITEM_KINDS:
        nodes = sorted(n for n, k in G.nodes(data="kind") if k == kind.value)
        names = [str(G.nodes[n].get("name", n)) for n in nodes]
        for pair in score_pairs(names, kind=kind.value):
            attrs = {"rel": Rel.SIMILAR_TO.value, "score": pair.score,
                     "method": pair.method, "tier": pair.tier}  # fmt: skip
            a, b = nodes[pair.i], nodes[pair.j]
            G.add_edge(a, b, key=Rel.SIMILAR_TO.value, **attrs)
            G.add_edge(b, a, key=Rel.SIMILAR_TO.value, **attrs)
            count += 1
    return count
