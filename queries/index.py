"""The query index: what every query derives from one graph, built in one pass and cached.

A *profile* is what one occupation requires: each knowledge / skill / attitude item with
the tasks that use it and their 職能級別. Profiles, IDF weights and the similarity and
term-expansion maps are built in one pass over the graph and cached per graph object
(a weak reference, so that ``G.graph`` stays plain data for exporters and the cache
store). The cache is invalidated when ``G.graph["version"]`` or the node count changes:
code that mutates a graph in place bumps ``G.graph["version"]``. Resolving what a user
typed into an occupation is :mod:`queries.occupations`.

>>> from queries.sample import sample_graph
>>> sorted(index(sample_graph()).profiles["occupation:AAA1111-001v2"].uses)[:2]
['attitude:自信心', 'knowledge:合約締結知識']
"""

from __future__ import annotations

import math
import re
import unicodedata
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from operator import itemgetter
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar, cast

from graph.kinds import ITEM_KINDS, REQUIRED_BY_REL, Kind, Rel
from graph.lite import stored
from graph.model import occupation_id
from loaders.errors import CacheError

if TYPE_CHECKING:
    import networkx as nx

T = TypeVar("T")
_VERSION = re.compile(r"^(?P<stem>.+?)v\d+$", re.IGNORECASE)
_REQUIRES_REL = REQUIRED_BY_REL
#: SIMILAR_TO tiers that count as a match in :attr:`Index.similar`; ``review`` pairs are
#: kept apart in :attr:`Index.review` (the matching model credits them at a discount).
MATCH_TIERS = frozenset({"similar"})
REVIEW_TIER = "review"
_KIND: dict[str, Kind] = {k.value: k for k in Kind}
_ITEM_KINDS = frozenset(ITEM_KINDS)


@dataclass(frozen=True, slots=True)
class ItemUse:
    """How one occupation uses one item: the tasks (codes) and their levels."""

    item: str
    kind: Kind
    tasks: tuple[str, ...]
    levels: tuple[int, ...]
    surface: str


@dataclass(frozen=True, slots=True)
class Profile:
    """What one occupation requires, keyed by item node id."""

    node: str
    code: str
    name: str
    level: int | None
    latest: bool
    historical: bool
    task_levels: tuple[int, ...]
    uses: Mapping[str, ItemUse]

    @property
    def stem(self) -> str:
        """The code without its version suffix (``IDC3339-001`` for ``IDC3339-001v2``)."""
        return code_stem(self.code)

    @property
    def has_competencies(self) -> bool:
        """Whether any knowledge or skill item is linked (not only attitudes)."""
        return any(use.kind is not Kind.ATTITUDE for use in self.uses.values())

    @property
    def effective_level(self) -> float | None:
        """基準級別 when known, else the mean task 職能級別, else None."""
        if self.level is not None:
            return float(self.level)
        if self.task_levels:
            return sum(self.task_levels) / len(self.task_levels)
        return None


@dataclass(frozen=True, slots=True)
class Index:
    """Everything the queries derive from one graph, built once per graph version."""

    stamp: tuple[object, int]
    profiles: Mapping[str, Profile]
    by_code: Mapping[str, str]
    """Occupation node id by normalised (NFKC, case-folded) code."""
    idf: Mapping[str, float]
    similar: Mapping[str, Mapping[str, float]]
    """``similar``-tier SIMILAR_TO scores, both ways: ``similar[a][b]``."""
    includes: Mapping[str, tuple[str, ...]]
    """INCLUDES targets of a term: the items a note defines it as."""
    review: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    """``review``-tier SIMILAR_TO scores (pairs not in :attr:`similar`), both ways."""
    extra: dict[str, object] = field(default_factory=dict)
    stored: Callable[[str], object] = field(default=lambda key: None, compare=False)
    """What the lookup cache keeps under a :meth:`derived` key (None: nothing), for an
    index read from it (:mod:`queries.lookup_cache`)."""

    def derived(self, key: str, build: Callable[[], T]) -> T:
        """``build()``, computed on first use and kept in :attr:`extra` under ``key`` for as
        long as this index lives (a key always holds what the same ``build`` returns); for
        an index read from the lookup cache, what the cache keeps under ``key`` when it
        keeps it."""
        if key not in self.extra:
            found = self.stored(key)
            self.extra[key] = build() if found is None else found
        return cast(T, self.extra[key])


_CACHE: weakref.WeakKeyDictionary[nx.MultiDiGraph, Index] = weakref.WeakKeyDictionary()


def code_stem(code: str) -> str:
    """The occupation code without its version suffix.

    >>> code_stem("IDC3339-001v2"), code_stem("X-1")
    ('IDC3339-001', 'X-1')
    """
    m = _VERSION.match(code)
    return m.group("stem") if m else code


def _stamp(G: nx.MultiDiGraph) -> tuple[object, int]:
    # Counting edges of a MultiDiGraph is O(nodes); the node count and an explicit
    # version keep the check O(1) so that a cached query stays in its time budget.
    return (G.graph.get("version", 0), G.number_of_nodes())


def index(G: nx.MultiDiGraph) -> Index:
    """The cached query index of ``G`` (profiles, IDF, similar pairs, term expansions).

    >>> from queries.sample import sample_graph
    >>> idf = index(sample_graph()).idf
    >>> idf["skill:溝通協調能力"] < idf["skill:談判協商能力"]
    True
    """
    cached = _CACHE.get(G)
    if cached is not None and cached.stamp == _stamp(G):
        return cached
    kept = stored(G, INDEX_KEY)
    built = _build_index(G) if kept is None else _read_index(G, kept)
    _CACHE[G] = built
    return built


#: Where the lookup cache keeps the index, and its derived values (``derived:<key>``).
INDEX_KEY = "query:index"
DERIVED_PREFIX = "derived:"
#: The index's fields that are caches, not data (never written to the lookup cache).
TRANSIENT = frozenset({"extra", "stored"})


def _read_index(G: nx.MultiDiGraph, kept: object) -> Index:
    """The index the lookup cache keeps for ``G``, its derived values read from there too."""
    if not isinstance(kept, Index) or kept.stamp != _stamp(G):
        raise CacheError("lookup cache: the query index is not this graph's")
    graph = weakref.ref(G)  # the index is cached by a weak reference to G: no cycle
    return replace(kept, stored=lambda key: stored(graph(), DERIVED_PREFIX + key))


def _build_index(G: nx.MultiDiGraph) -> Index:
    tasks, surfaces, similar, includes, review = _scan(G)
    raw = G._node
    first = itemgetter(0)
    profiles: dict[str, Profile] = {}
    for node, attrs in raw.items():
        if attrs.get("kind") != Kind.OCCUPATION:
            continue
        uses = {}
        task_level: dict[str, int] = {}
        named = surfaces.get(node, {})
        for item, rows in tasks.get(node, {}).items():
            codes: list[str] = []
            levels: list[int] = []
            for t, lv in rows if len(rows) == 1 else sorted(set(rows), key=first):
                if t:
                    codes.append(t)
                    if lv:
                        levels.append(lv)
                        task_level[t] = lv
            uses[item] = ItemUse(item, _KIND[raw[item]["kind"]], tuple(codes), tuple(levels),
                                 named.get(item) or raw[item].get("name", ""))
        profiles[node] = Profile(
            node, attrs.get("code", node.split(":", 1)[-1]), attrs.get("name", ""),
            attrs.get("level"), bool(attrs.get("latest", True)),
            bool(attrs.get("historical", False)),
            tuple(task_level[t] for t in sorted(task_level)), MappingProxyType(uses),
        )
    return Index(
        _stamp(G), MappingProxyType(profiles),
        MappingProxyType({normalise_code(p.code): n for n, p in profiles.items()}),
        MappingProxyType(_idf(profiles.values())),
        MappingProxyType({k: MappingProxyType(v) for k, v in similar.items()}),
        MappingProxyType({k: tuple(sorted(set(v))) for k, v in includes.items()}),
        MappingProxyType({k: MappingProxyType({o: v for o, v in others.items()
                                               if o not in similar.get(k, {})})
                          for k, others in review.items()}),
    )


_Uses = dict[str, dict[str, list[tuple[str, int | None]]]]


def _scan(G: nx.MultiDiGraph) -> tuple[_Uses, dict[str, dict[str, str]],
                                       dict[str, dict[str, float]], dict[str, list[str]],
                                       dict[str, dict[str, float]]]:
    """One pass over the raw successor dicts: per occupation, each item's (task, level)
    rows and its surface names; the SIMILAR_TO scores (matching and review tiers apart);
    INCLUDES targets.

    The raw dicts because edge views cost several times more on ~200k edges; per-owner
    dicts fetched once per source node, and outputs / indicators (most of the graph,
    never a requirement) skipped by their node kind before their edges are looked at:
    this pass is most of the first overview's query time. Edge keys are the Rel values
    (graph.model's contract).
    """
    found = _Scan()
    raw = G._node
    for u, nbrs in G._succ.items():
        kind = raw[u].get("kind")
        if kind == Kind.OCCUPATION or kind == Kind.TASK:
            found.requirements(raw, u, nbrs)
        elif kind in _ITEM_KINDS:
            found.links(u, nbrs)
    return found.tasks, found.surfaces, found.similar, found.includes, found.review


@dataclass
class _Scan:
    """What :func:`_scan` collects, one node's edges at a time."""

    tasks: _Uses = field(default_factory=dict)
    surfaces: dict[str, dict[str, str]] = field(default_factory=dict)
    similar: dict[str, dict[str, float]] = field(default_factory=dict)
    includes: dict[str, list[str]] = field(default_factory=dict)
    review: dict[str, dict[str, float]] = field(default_factory=dict)

    def requirements(self, raw: Mapping[str, dict[str, object]], u: str,
                     nbrs: Mapping[str, Mapping[str, Mapping[str, object]]]) -> None:
        """An occupation's (or a task's) REQUIRES_* edges: (task, level) rows per item."""
        src = raw[u]
        is_task = src.get("kind") == Kind.TASK
        owner = occupation_id(str(src.get("standard", ""))) if is_task else u
        task_code = str(src.get("code", "")) if is_task else ""
        level = cast("int | None", src.get("level")) if is_task else None
        for v, keyed in nbrs.items():
            if raw[v].get("kind") not in _ITEM_KINDS:
                continue
            for key, d in keyed.items():
                if key not in _REQUIRES_REL:
                    continue
                if owner == "occupation:":  # a task without its standard: use the edge's
                    owner = occupation_id(str(d.get("standard", "")))
                row = (task_code or str(d.get("task", "")), level)
                self.tasks.setdefault(owner, {}).setdefault(v, []).append(row)
                named = self.surfaces.setdefault(owner, {})
                if d.get("name"):
                    named[v] = str(d["name"])

    def links(self, u: str, nbrs: Mapping[str, Mapping[str, Mapping[str, object]]]) -> None:
        """An item's SIMILAR_TO (by tier, both ways, best score) and INCLUDES edges."""
        for v, keyed in nbrs.items():
            for key, d in keyed.items():
                if key == Rel.SIMILAR_TO and u != v:
                    tier = d.get("tier", "similar")
                    pairs = (self.similar if tier in MATCH_TIERS
                             else self.review if tier == REVIEW_TIER else None)
                    if pairs is None:
                        continue
                    mine = pairs.setdefault(u, {})
                    best = max(mine.get(v, 0.0), float(cast(float, d.get("score", 0.0))))
                    mine[v] = best
                    pairs.setdefault(v, {})[u] = best
                elif key == Rel.INCLUDES:
                    self.includes.setdefault(u, []).append(v)


def _idf(profiles: Iterable[Profile]) -> dict[str, float]:
    # Only current occupations count, so that an item is not made common by the
    # several loaded versions of one occupation; smoothed so every weight is >= 1.
    every = list(profiles)
    current = [p for p in every if p.latest and not p.historical]
    df: dict[str, int] = {}
    for p in current:
        for item in p.uses:
            df[item] = df.get(item, 0) + 1
    n = len(current)
    return {item: math.log((1 + n) / (1 + df.get(item, 0))) + 1.0
            for p in every for item in p.uses}


def normalise_code(text: str) -> str:
    """A code (or name) as compared: NFKC, stripped, case-folded.

    >>> normalise_code(" ＩＤＣ3339-001V2 ")
    'idc3339-001v2'
    """
    return unicodedata.normalize("NFKC", text).strip().casefold()
