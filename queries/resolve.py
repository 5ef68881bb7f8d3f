"""What a person typed → the knowledge / skill / attitude items it most likely means.

A counsellor or a client types 倉庫管理, 台灣勞動法規, 溝通 協調 or 資料收集; the graph says
倉儲管理, 勞動法規相關知識, 溝通協調能力, 資料蒐集能力. Each typed text goes through four
steps, and the first that finds something decides its ``status``:

1. **identity** — the text's identity key (:func:`graph.identity.item_key`: NFKC, markup,
   spacing, Latin case, OpenCC variants 臺/台 蒐/搜) equals an item's key: ``exact``.
2. **alias** — the key is a curated alias (``data/aliases.csv``, or one the graph applied
   at build time) of an item: ``alias``.
3. **suffix** — the key with a generic suffix (能力, 知識, 技能, 概念 …, the list of
   :data:`graph.lexical.GENERIC_SUFFIXES`) added or taken off meets step 1 (``exact``) or
   step 2 (``alias``): 溝通協調 finds 溝通協調能力, 資料收集 finds 資料收集能力 → 資料蒐集能力.
4. **similar** — the cosine of the text's character 1–3-gram TF-IDF row with every item
   name of the kind (the representation SIMILAR_TO is scored with,
   :class:`graph.lexical.LexicalEncoder`, IDF over the graph's item names) reaches
   :data:`SIMILAR_MIN`: ``similar``, with the best names (at most :data:`MAX_SIMILAR`,
   within :data:`SIMILAR_BAND` of the best).

Below that the text is ``unmatched``: nothing is guessed, and up to five ``suggestions``
(the closest names) say what might have been meant. Every result carries its score and
the reason it was matched.

>>> from queries.sample import sample_graph
>>> G = sample_graph()
>>> r = resolve_text(G, "溝通 協調")
>>> r["status"], [(m["name"], m["reason"]) for m in r["matched"]]
('exact', [('溝通協調能力', 'suffix')])
>>> resolve_text(G, "量子力學")["status"]
'unmatched'
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TypedDict

from graph.aliases import Alias
from graph.identity import item_key
from graph.kinds import INFO, ITEM_KINDS, Kind
from graph.lexical import GENERIC_SUFFIXES, LexicalEncoder, fit_encoder
from graph.serialize import no_gc
from queries.index import index

if TYPE_CHECKING:
    import networkx as nx

Status = Literal["exact", "alias", "similar", "unmatched"]
Reason = Literal["identity", "alias", "suffix", "alias_suffix", "similar"]

#: A name at least this similar (cosine) to the typed text is a ``similar`` match: the
#: SIMILAR_TO ``review`` threshold. On the corpus, Excel → Excel操作 scores 0.51 and
#: 台灣勞動法規 → 勞動法規相關知識 0.68, while 倉庫管理 → 資料庫管理能力 (a wrong guess:
#: 倉儲管理 is meant, which only a curated alias can tell) stays below, at 0.49.
SIMILAR_MIN = 0.5
#: ``similar`` keeps the names within this distance of the best one …
SIMILAR_BAND = 0.05
#: … and at most this many.
MAX_SIMILAR = 3
#: Suggestions score at least this (for an unmatched text: half of it).
SUGGEST_MIN = 0.2
#: At most this many suggestions.
MAX_SUGGESTIONS = 5

#: Score of each reason for a match found by key (steps 1–3).
REASON_SCORE: dict[str, float] = {"identity": 1.0, "alias": 1.0, "suffix": 0.95,
                                  "alias_suffix": 0.9}
#: How each reason reads to a counsellor.
REASON_LABEL: dict[str, str] = {
    "identity": "名稱相同（不計空白、異體字與標記）",
    "alias": "人工整理的同義詞",
    "suffix": "只差通用詞尾（能力、知識、技能…）",
    "alias_suffix": "同義詞，且只差通用詞尾",
    "similar": "字面相近",
}
#: How each status reads to a counsellor.
STATUS_LABEL: dict[str, str] = {"exact": "相同", "alias": "同義", "similar": "相近",
                                "unmatched": "找不到"}
_STATUS_OF: dict[str, Status] = {"identity": "exact", "suffix": "exact", "alias": "alias",
                                 "alias_suffix": "alias"}
_RANK = {kind.value: i for i, kind in enumerate(ITEM_KINDS)}
_WORD_RANK = {INFO[kind].word: i for i, kind in enumerate(ITEM_KINDS)}


class ItemMatch(TypedDict):
    """One item a typed text may mean."""

    id: str
    name: str
    kind: str
    score: float
    reason: str


class Resolution(TypedDict):
    """What one typed text resolved to (``matched`` empty when ``unmatched``)."""

    input: str
    status: Status
    matched: list[ItemMatch]
    suggestions: list[ItemMatch]


@dataclass(frozen=True, slots=True)
class _Space:
    """The item names of one kind and their TF-IDF space."""

    kind: Kind
    nodes: tuple[str, ...]
    encoder: LexicalEncoder


@dataclass(frozen=True, slots=True)
class ResolverIndex:
    """Per graph and curated aliases: item nodes by identity key and by alias key."""

    by_key: dict[str, tuple[str, ...]]
    by_alias: dict[str, tuple[str, ...]]


def resolver_index(G: nx.MultiDiGraph, aliases: Sequence[Alias] = ()) -> ResolverIndex:
    """The cached :class:`ResolverIndex` of ``G`` with the curated ``aliases`` (built on
    first use, with the name spaces of :func:`name_spaces`: about a second on the
    905-standard corpus, then kept with the graph)."""
    key = "resolve:" + ";".join(f"{a.kind.value}\x1f{a.name}\x1f{a.canonical}" for a in aliases)
    def build() -> ResolverIndex:
        name_spaces(G)  # built with it, so that one warm-up prepares every step
        # Tens of thousands of small tuples: without the cyclic collector, which would
        # otherwise walk the whole graph on every generation-2 pass.
        with no_gc():
            return _build(G, tuple(aliases))

    return index(G).derived(key, build)


def name_spaces(G: nx.MultiDiGraph) -> tuple[_Space, ...]:
    """The n-gram space of each item kind's names (step 4; cached per graph: the names do
    not depend on the aliases)."""
    def build() -> tuple[_Space, ...]:
        with no_gc():
            return _spaces(G)

    return index(G).derived(SPACES_KEY, build)


#: The :meth:`queries.index.Index.derived` key of :func:`name_spaces`.
SPACES_KEY = "name_spaces"


def _build(G: nx.MultiDiGraph, aliases: tuple[Alias, ...]) -> ResolverIndex:
    items = {k.value for k in ITEM_KINDS}
    by_key: dict[str, list[str]] = {}
    by_alias: dict[str, list[str]] = {}
    for node, d in G.nodes(data=True):
        if d.get("kind") not in items:
            continue
        key = str(d.get("key") or item_key(str(d.get("name", ""))))
        by_key.setdefault(key, []).append(node)
        for applied in json.loads(str(d.get("applied_aliases") or "[]")):
            by_alias.setdefault(item_key(str(applied.get("name", ""))), []).append(node)
    # Curated aliases whose name never occurs in the data (so the build applied nothing)
    # still lead to their canonical's node of the same kind.
    for alias in aliases:
        for node in by_key.get(item_key(alias.canonical), ()):
            if G.nodes[node].get("kind") == alias.kind.value:
                by_alias.setdefault(item_key(alias.name), []).append(node)
    return ResolverIndex(
        {k: tuple(sorted(set(v), key=_order(G))) for k, v in by_key.items()},
        {k: tuple(sorted(set(v), key=_order(G))) for k, v in by_alias.items()})


def _spaces(G: nx.MultiDiGraph) -> tuple[_Space, ...]:
    from graph.similar import profile_for

    per_kind: dict[str, list[tuple[str, str, str]]] = {k.value: [] for k in ITEM_KINDS}
    for node, d in G.nodes(data=True):
        kind = d.get("kind")
        if kind in per_kind:
            name = str(d.get("name", ""))
            per_kind[kind].append((node, name, str(d.get("key") or item_key(name))))
    spaces = []
    for kind in ITEM_KINDS:
        rows = sorted(per_kind[kind.value])
        if rows:
            # The nodes' identity keys are the keys of their names (graph/item_nodes.py).
            encoder = fit_encoder([n for _node, n, _k in rows], profile_for(kind.value).lexical,
                                  keys=[k for _node, _n, k in rows])
            spaces.append(_Space(kind, tuple(node for node, _n, _k in rows), encoder))
    return tuple(spaces)


def _order(G: nx.MultiDiGraph) -> Callable[[str], tuple[int, str]]:
    return lambda n: (_RANK.get(G.nodes[n].get("kind"), 9), str(G.nodes[n].get("name", "")))


def suffix_variants(key: str) -> list[str]:
    """The key with its generic suffix taken off, or swapped, or one added (never empty).

    >>> suffix_variants("沟通协调")[:3]
    ['沟通协调相关知识', '沟通协调基础知识', '沟通协调基本知识']
    >>> "沟通协调" in suffix_variants("沟通协调能力")
    True
    """
    for suffix in GENERIC_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            stem = key[: -len(suffix)]
            return [stem, *(stem + s for s in GENERIC_SUFFIXES if s != suffix)]
    return [key + s for s in GENERIC_SUFFIXES]


def _entry(G: nx.MultiDiGraph, node: str, score: float, reason: str) -> ItemMatch:
    d = G.nodes[node]
    return {"id": node, "name": str(d.get("name", "")), "kind": INFO[Kind(d["kind"])].word,
            "score": round(score, 4), "reason": reason}


def _by_key(idx: ResolverIndex, key: str) -> dict[str, str]:
    """Node → reason for the matches of steps 1–3 (the best reason per node)."""
    found: dict[str, str] = {}
    steps: list[tuple[Iterable[str], str]] = [(idx.by_key.get(key, ()), "identity"),
                                              (idx.by_alias.get(key, ()), "alias")]
    for variant in suffix_variants(key):
        steps += [(idx.by_key.get(variant, ()), "suffix"),
                  (idx.by_alias.get(variant, ()), "alias_suffix")]
    for nodes, reason in steps:
        for node in nodes:
            found.setdefault(node, reason)
    return found


def similar_items(G: nx.MultiDiGraph, text: str, *, aliases: Sequence[Alias] = (),
                  n: int = 10) -> list[ItemMatch]:
    """The ``n`` item names closest to ``text`` by n-gram cosine, best first (any score
    above 0; ties by kind K, S, A then name).

    >>> from queries.sample import sample_graph
    >>> [m["name"] for m in similar_items(sample_graph(), "網紅類型", n=2)]
    ['網紅類型與商業模式', '網紅類型與獲利模式']
    """
    import numpy as np

    scored: list[tuple[float, int, str]] = []
    for space in name_spaces(G):
        scores = space.encoder.scores(text)
        if not len(scores):
            continue
        take = min(n, len(scores))
        best = np.argpartition(-scores, take - 1)[:take]
        scored += [(float(scores[i]), _RANK[space.kind.value], space.nodes[i])
                   for i in best if scores[i] > 0]
    scored.sort(key=lambda s: (-round(s[0], 6), s[1], str(G.nodes[s[2]].get("name", ""))))
    return [_entry(G, node, score, "similar") for score, _rank, node in scored[:n]]


def matched_by_key(G: nx.MultiDiGraph, text: str, *,
                   aliases: Sequence[Alias] = ()) -> list[ItemMatch]:
    """Steps 1–3 of :func:`resolve_text` alone: the items ``text`` names by identity, alias
    or generic suffix, best first (empty when none), without scoring every name.

    >>> from queries.sample import sample_graph
    >>> [m["name"] for m in matched_by_key(sample_graph(), "溝通 協調")]
    ['溝通協調能力']
    """
    key = item_key(text)
    if not key:
        return []
    found = _by_key(resolver_index(G, aliases), key)
    return sorted((_entry(G, node, REASON_SCORE[r], r) for node, r in found.items()),
                  key=lambda m: (-m["score"], _WORD_RANK[m["kind"]], m["name"]))


def resolve_text(G: nx.MultiDiGraph, text: str, *,
                 aliases: Sequence[Alias] = ()) -> Resolution:
    """Resolve one typed text (the four steps of the module docstring).

    Parameters
    ----------
    G : the competency graph.
    text : what the person typed (one item).
    aliases : the curated aliases (``graph.aliases.read_aliases``); the ones the graph
        applied at build time are known without them.

    Returns
    -------
    Resolution : ``{"input", "status", "matched", "suggestions"}``; each match is
    ``{"id", "name", "kind", "score", "reason"}`` (``kind`` the record word,
    ``knowledge`` / ``skill`` / ``attitude``; ``reason`` one of ``identity``, ``alias``,
    ``suffix``, ``alias_suffix``, ``similar``), best first; ``suggestions`` are other
    close names (never one of ``matched``), at most five.

    Examples
    --------
    >>> from queries.sample import sample_graph
    >>> r = resolve_text(sample_graph(), "網紅類型與商業")
    >>> r["status"], r["matched"][0]["name"]
    ('similar', '網紅類型與商業模式')
    """
    key = item_key(text)
    if not key:
        return {"input": text, "status": "unmatched", "matched": [], "suggestions": []}
    near = similar_items(G, text, aliases=aliases, n=MAX_SUGGESTIONS + MAX_SIMILAR + 4)
    matched = matched_by_key(G, text, aliases=aliases)
    status: Status
    if matched:
        status = min((_STATUS_OF[m["reason"]] for m in matched), key=("exact", "alias").index)
        floor = SUGGEST_MIN
    else:
        best = near[0]["score"] if near else 0.0
        matched = [m for m in near if best >= SIMILAR_MIN and m["score"] >= SIMILAR_MIN
                   and m["score"] >= best - SIMILAR_BAND][:MAX_SIMILAR]
        status = "similar" if matched else "unmatched"
        floor = SUGGEST_MIN if matched else SUGGEST_MIN / 2
    taken = {m["id"] for m in matched}
    suggestions = [m for m in near if m["id"] not in taken and m["score"] >= floor]
    return {"input": text, "status": status, "matched": matched,
            "suggestions": suggestions[:MAX_SUGGESTIONS]}


def resolve_texts(G: nx.MultiDiGraph, texts: Iterable[str], *,
                  aliases: Sequence[Alias] = ()) -> list[Resolution]:
    """:func:`resolve_text` for each text, in order (duplicates kept).

    >>> from queries.sample import sample_graph
    >>> [r["status"] for r in resolve_texts(sample_graph(), ["彈性", "量子力學"])]
    ['exact', 'unmatched']
    """
    return [resolve_text(G, t, aliases=aliases) for t in texts]
