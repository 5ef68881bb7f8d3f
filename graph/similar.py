"""SIMILAR_TO: near-identical wordings of different items of the same kind.

Items are merged only when their identity keys are equal (:mod:`graph.identity`);
wordings that differ but mean nearly the same (網紅類型與商業模式 /
網紅類型與獲利模式, 溝通協調能力 / 媒體企劃溝通協調) are *linked*, never merged,
so that a counsellor sees them and decides.

The score is lexical: the cosine of character n-gram (1-3 grams) TF-IDF rows
from :mod:`graph.lexical`, with the IDF taken over all item names of the kind, a
generic suffix (能力, 概論 …) kept as one light feature and a domain prefix
(媒體企劃 …) down-weighted. Two *different* domain prefixes mark two domains, so
for such a pair (架上繪畫清潔技術 / 金屬文物清潔技術) the prefixes count in full.

Pairs scoring at least ``review`` are kept. A pair is in the ``"similar"`` tier
when it scores at least ``similar``, scores at least ``review`` even without the
prefix discount, *and* the two stems (name less prefix and suffix) share their
head (:func:`_same_head`): Chinese compounds are head-final, so 網路行銷概論 /
網路行銷相關法規 stay a ``"review"`` pair however high they score.
The thresholds come from the score distribution on the 908-standard corpus (see
the README). Candidate pairs come from sparse products ``X @ X.T`` taken in row
blocks over the upper triangle, never from a Python double loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import scipy.sparse as sp

from graph.kinds import ITEM_KINDS, Kind, Rel, find
from graph.lexical import LexicalParams, NameParts, analyse, cosine_pairs, tfidf_rows
from loaders.errors import UnknownKey

#: Words ending in 法 that name a way of doing, not a law (simplified characters).
_NOT_LAW: tuple[str, ...] = (
    "方法", "工法", "手法", "技法", "作法", "做法", "用法", "算法", "语法", "文法",
    "疗法", "画法", "笔法", "写法", "织法", "针法", "刀法", "心法", "说法", "看法",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Profile:
    """How one kind of item is scored: tier thresholds and the lexical weights.

    ``similar`` / ``review``: tier thresholds on the score (``review <= similar``).
    ``lexical``: the weights of :mod:`graph.lexical`.
    """

    similar: float = 0.58
    review: float = 0.5
    lexical: LexicalParams = field(default_factory=LexicalParams)


#: Scoring profiles that differ from the default, per item kind (the
#: :class:`~graph.kinds.Kind` value); every other item kind is scored with ``Profile()``.
PROFILES: dict[str, Profile] = {
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


def profile_for(kind: str | None) -> Profile:
    """The scoring profile of an item kind.

    Raises
    ------
    UnknownKey : ``kind`` is neither ``None`` nor an item kind of the kind table.

    >>> profile_for("Skill").similar >= profile_for("Skill").review
    True
    >>> profile_for("Attitude").review
    0.45
    """
    if kind is None:
        return Profile()
    row = find(kind)
    if row is None or not row.item:
        raise UnknownKey("item kind", str(kind), [k.value for k in ITEM_KINDS])
    return PROFILES.get(row.kind.value, Profile())


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
    return tfidf_rows(analyse(names, profile.lexical), profile.lexical)[0]


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
    analysed = analyse(names, profile.lexical)
    x, x_full = tfidf_rows(analysed, profile.lexical)
    i, j, s = cosine_pairs(x, profile.review - 5e-4)
    # Where a domain prefix was discounted, score the pair again at full weight.
    # Two different prefixes are two domains: the full score is the score (it is
    # lower, their n-grams differ; unless the prefixes share characters, 木質文物 /
    # 金屬文物, a pair just under the threshold may be missed). One prefix: the
    # discount may lift a pair into "similar" only if it reaches "review" without
    # it, so 顧客服務管理 does not become the twin of any other 管理.
    prefixes = np.asarray([a.prefix for a in analysed], dtype=object)
    has_i, has_j = prefixes[i] != "", prefixes[j] != ""
    full = s.copy()
    some = has_i | has_j
    if some.any():
        rows_i, rows_j = x_full[i[some]], x_full[j[some]]
        full[some] = np.asarray(rows_i.multiply(rows_j).sum(axis=1)).ravel()
    two_domains = has_i & has_j & (prefixes[i] != prefixes[j])
    s[two_domains] = full[two_domains]
    scores = np.minimum(np.round(s, 3), 1.0)
    keep = scores >= profile.review
    order = np.lexsort((j[keep], i[keep]))
    pairs = []
    for a, b, v, f in zip(
        i[keep][order], j[keep][order], scores[keep][order], full[keep][order], strict=True
    ):
        similar = (
            v >= profile.similar and f >= profile.review and _same_head(analysed[a], analysed[b])
        )
        pairs.append(SimilarPair(int(a), int(b), float(v), "lexical",
                                 "similar" if similar else "review"))  # fmt: skip
    return pairs


def _same_head(x: NameParts, y: NameParts) -> bool:
    """Whether two names can be the same item: their heads meet and they are not two laws.

    Chinese compounds are head-final: the last characters say what an item is,
    the first ones narrow its domain. So 媒體企劃溝通協調 is 溝通協調 in a domain
    (same head), while 網路行銷法規 is not 網路行銷 and 網紅活動行銷管理 is not
    網紅活動行銷企劃 (heads 法規 / 行銷, 管理 / 企劃 share no character). A
    one-character variant keeps the head (不確定 / 不確定性 share 定). A core of
    one or two characters (管理, 規劃) is the broader item of a longer one
    (客戶關係管理), not its twin. Laws are proper names: 有線廣播電視法 is another
    law than 廣播電視法.
    """
    if x.core == y.core:
        return True
    short, long_ = sorted((x.core, y.core), key=len)
    if len(short) <= 2 and len(long_) >= len(short) + 2:
        return False
    a, b = x.stem, y.stem
    if a == b:
        return True
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
    key = Rel.SIMILAR_TO.value
    for kind in ITEM_KINDS:
        nodes = sorted(n for n, k in G.nodes(data="kind") if k == kind.value)
        names = [str(G.nodes[n].get("name", n)) for n in nodes]
        edges = []
        for pair in score_pairs(names, kind=kind.value):
            attrs = {"rel": key, "score": pair.score, "method": pair.method, "tier": pair.tier}
            a, b = nodes[pair.i], nodes[pair.j]
            edges += [(a, b, key, attrs), (b, a, key, dict(attrs))]
        G.add_edges_from(edges)
        count += len(edges) // 2
    return count
