"""Occupations as a user names them: resolving what was typed, and requirement lists.

>>> from queries.sample import sample_graph
>>> G = sample_graph()
>>> resolve(G, "aaa1111-001v2")
'AAA1111-001v2'
>>> sorted(profile(G, "AAA1111-001v2").uses)[:2]
['attitude:自信心', 'knowledge:合約締結知識']
"""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING, TypedDict

from graph.identity import item_key
from graph.kinds import INFO, ITEM_KINDS
from loaders.errors import AmbiguousOccupation, UnknownOccupation
from queries.index import Index, Profile, index
from queries.index import normalise_code as _norm

if TYPE_CHECKING:
    import networkx as nx


def resolve_id(G: nx.MultiDiGraph, text: str) -> str:
    """The occupation node id for a code, a code without version, a node id or a name.

    A code without its ``v<N>`` suffix and a name shared by several versions resolve to
    the newest loaded version.

    Raises
    ------
    UnknownOccupation
        nothing matches; carries the closest ``(code, name)`` pairs.
    AmbiguousOccupation
        a name or part of one matches several occupations (not
        versions of one); carries their ``(code, name)`` pairs, newest versions.

    >>> from queries.sample import sample_graph
    >>> G = sample_graph()
    >>> resolve_id(G, "AAA1111-001"), resolve_id(G, "直播人員")
    ('occupation:AAA1111-001v2', 'occupation:BBB2222-001v2')
    >>> try:
    ...     resolve_id(G, "AAA1111-01v2")
    ... except UnknownOccupation as err:
    ...     err.suggestions[0]
    ('AAA1111-001v2', '網紅經紀人')
    """
    idx = index(G)
    want = _norm(text.removeprefix("occupation:"))
    exact = idx.by_code.get(want)
    if exact is not None:
        return exact
    names = _name_keys(idx)
    key = item_key(text)
    for hits in ([p for p in idx.profiles.values() if _norm(p.stem) == want],
                 [p for p in idx.profiles.values() if names[p.node] == key],
                 [p for p in idx.profiles.values() if key and key in names[p.node]]):
        if hits:
            return _only(text, hits).node
    raise UnknownOccupation(text, suggest(G, text))


def _only(text: str, hits: list[Profile]) -> Profile:
    """The newest version of the one occupation ``hits`` hold, else AmbiguousOccupation."""
    stems: dict[str, list[Profile]] = {}
    for p in hits:
        stems.setdefault(p.stem, []).append(p)
    if len(stems) == 1:
        return _newest(hits)
    newest = sorted((_newest(versions) for versions in stems.values()), key=lambda p: p.code)
    raise AmbiguousOccupation(text, [(p.code, p.name) for p in newest])


def _name_keys(idx: Index) -> dict[str, str]:
    # Names compare by the items' identity key, so that 數位平台 finds 數位平臺.
    return idx.derived(
        "name_keys", lambda: {n: item_key(p.name) for n, p in idx.profiles.items()}
    )


def resolve(G: nx.MultiDiGraph, text: str) -> str:
    """The occupation code for what the user typed (see :func:`resolve_id`).

    >>> from queries.sample import sample_graph
    >>> resolve(sample_graph(), "行銷企劃")
    'CCC3333-001v1'
    """
    return index(G).profiles[resolve_id(G, text)].code


def _newest(hits: list[Profile]) -> Profile:
    return max(hits, key=lambda p: (p.latest, not p.historical, _version_number(p.code), p.code))


def _version_number(code: str) -> int:
    m = re.search(r"v(\d+)$", code, re.IGNORECASE)
    return int(m.group(1)) if m else 0


def suggest(G: nx.MultiDiGraph, text: str, n: int = 5) -> list[tuple[str, str]]:
    """The ``n`` closest ``(code, name)`` pairs to ``text``: substring hits first, then fuzzy.

    >>> from queries.sample import sample_graph
    >>> suggest(sample_graph(), "經紀")[0]
    ('AAA1111-001v2', '網紅經紀人')
    """
    profiles = sorted(index(G).profiles.values(), key=lambda p: (not p.latest, p.code))
    want = _norm(text)
    out: list[Profile] = [p for p in profiles
                          if want and (want in _norm(p.code) or want in _norm(p.name))]
    keys = {_norm(p.code): p for p in profiles} | {_norm(p.name): p for p in profiles}
    for k in difflib.get_close_matches(want, list(keys), n=n, cutoff=0.5):
        out.append(keys[k])
    seen: dict[str, str] = {}
    for p in out:
        seen.setdefault(p.code, p.name)
    return list(seen.items())[:n]


def profile(G: nx.MultiDiGraph, occupation: str) -> Profile:
    """The requirement profile of an occupation (code, name or node id).

    >>> from queries.sample import sample_graph
    >>> use = profile(sample_graph(), "AAA1111-001v2").uses["skill:溝通協調能力"]
    >>> use.tasks, use.levels
    (('T1.1', 'T1.2'), (4, 3))
    """
    return index(G).profiles[resolve_id(G, occupation)]


class Requirement(TypedDict):
    """One item an occupation requires, with the codes of its tasks using it."""

    id: str
    kind: str
    name: str
    tasks: list[str]


def requirements(G: nx.MultiDiGraph, occupation: str) -> list[Requirement]:
    """Everything an occupation requires: ``[{"id", "kind", "name", "tasks"}]`` by kind, name.

    >>> from queries.sample import sample_graph
    >>> [r["name"] for r in requirements(sample_graph(), "CCC3333-001v1")]
    ['市場調查概念', '數位平台應用能力', '溝通協調能力', '彈性']
    """
    p = profile(G, occupation)
    rows = [Requirement(id=item, kind=INFO[use.kind].word, name=G.nodes[item].get("name", item),
                        tasks=list(use.tasks)) for item, use in p.uses.items()]
    return sorted(rows, key=lambda r: (_KIND_RANK[str(r["kind"])], str(r["name"])))


_KIND_RANK = {INFO[kind].word: i for i, kind in enumerate(ITEM_KINDS)}
