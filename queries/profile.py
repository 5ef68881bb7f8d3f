"""A client's own profile: past occupations, ticked items and typed items, as one item set.

A counsellor's client is rarely exactly one standard: they have held two or three jobs,
can do some of what those standards list and not the rest, and describe other things in
their own words. A :class:`ProfileSpec` says all of that as plain data (what a case
stores); :func:`build_profile` turns it into a :class:`ClientProfile`: the union of the
items, each with every place it came from.

- a past job contributes all the items its standard requires, or only those the client
  confirmed (``PastJob.items``);
- a ticked item is an item node id picked from a list;
- a typed item goes through :func:`queries.resolve.resolve_text`; its ``matched`` items
  join the profile unless the counsellor chose others (``TypedItem.chosen``, possibly
  empty: "none of these").

>>> from queries.sample import sample_graph
>>> spec = ProfileSpec(jobs=(PastJob("CCC3333-001v1"),), typed=(TypedItem("談判協商"),))
>>> p = build_profile(sample_graph(), spec)
>>> [o.code for o in p.occupations], len(p.items)
(['CCC3333-001v1'], 5)
>>> [s["kind"] for s in p.items["skill:溝通協調能力"]], p.items["skill:談判協商能力"][0]["ref"]
(['occupation'], '談判協商')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypedDict

from graph.aliases import Alias
from graph.kinds import INFO, ITEM_KINDS, Kind
from loaders.errors import ProfileError, UnknownItem
from queries.index import index
from queries.occupations import resolve_id
from queries.resolve import Resolution, resolve_text

if TYPE_CHECKING:
    import networkx as nx

SourceKind = Literal["occupation", "ticked", "typed"]
#: How each kind of source reads to a counsellor.
SOURCE_LABEL: dict[str, str] = {"occupation": "過去職業", "ticked": "勾選", "typed": "自行輸入"}
_ITEM_KINDS = frozenset(k.value for k in ITEM_KINDS)


@dataclass(frozen=True, slots=True)
class PastJob:
    """A job the client held: an occupation code or name, and the items of it they
    confirm (item node ids; ``None`` = every item the standard requires)."""

    occupation: str
    items: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class TypedItem:
    """Something the client said they can do, in their words; ``chosen`` (item node ids)
    replaces what the resolver matched when the counsellor confirmed otherwise."""

    text: str
    chosen: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class ProfileSpec:
    """Everything a profile is built from (plain data: see :meth:`to_json`)."""

    jobs: tuple[PastJob, ...] = ()
    ticked: tuple[str, ...] = ()
    typed: tuple[TypedItem, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The spec as JSON-ready data (what a case file stores).

        >>> ProfileSpec(jobs=(PastJob("X-001v1"),), typed=(TypedItem("溝通"),)).to_json()
        {'jobs': [{'occupation': 'X-001v1', 'items': None}], 'ticked': [], 'typed': [{'text': '溝通', 'chosen': None}]}
        """  # noqa: E501
        return {
            "jobs": [{"occupation": j.occupation,
                      "items": None if j.items is None else list(j.items)} for j in self.jobs],
            "ticked": list(self.ticked),
            "typed": [{"text": t.text, "chosen": None if t.chosen is None else list(t.chosen)}
                      for t in self.typed],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ProfileSpec:
        """The spec :meth:`to_json` wrote.

        Raises
        ------
        ProfileError
            ``data`` is not in that shape (the message names the field).

        >>> spec = ProfileSpec(jobs=(PastJob("X", ("skill:a",)),), ticked=("skill:b",))
        >>> ProfileSpec.from_json(spec.to_json()) == spec
        True
        """
        try:
            jobs = tuple(PastJob(str(j["occupation"]),
                                 None if j.get("items") is None else _strs(j["items"]))
                         for j in data.get("jobs", ()))
            typed = tuple(TypedItem(str(t["text"]),
                                    None if t.get("chosen") is None else _strs(t["chosen"]))
                          for t in data.get("typed", ()))
            return cls(jobs, _strs(data.get("ticked", ())), typed)
        except (KeyError, TypeError, AttributeError) as exc:
            raise ProfileError(f"profile data is not in the expected shape ({exc})") from exc


def _strs(values: Any) -> tuple[str, ...]:
    if isinstance(values, str | bytes) or not isinstance(values, Sequence):
        raise TypeError(f"expected a list of names, not {type(values).__name__}")
    return tuple(str(v) for v in values)


class Source(TypedDict):
    """Where a profile item came from: ``ref`` is the occupation code, the typed text or
    the ticked item's id; ``label`` what to show (the occupation's name, the text)."""

    kind: SourceKind
    ref: str
    label: str


@dataclass(frozen=True, slots=True)
class Job:
    """A resolved past occupation."""

    node: str
    code: str
    name: str
    stem: str


@dataclass(frozen=True, slots=True)
class ClientProfile:
    """A built profile: the past occupations, every item with its sources (in the order
    they were added), and what each typed text resolved to."""

    occupations: tuple[Job, ...]
    items: Mapping[str, tuple[Source, ...]]
    resolutions: tuple[Resolution, ...]

    @property
    def stems(self) -> frozenset[str]:
        """Code stems of the past occupations (their other versions are not results)."""
        return frozenset(j.stem for j in self.occupations)


def build_profile(G: nx.MultiDiGraph, spec: ProfileSpec, *,
                  aliases: Sequence[Alias] = ()) -> ClientProfile:
    """The union of a spec's items, each keeping where it came from.

    Parameters
    ----------
    G : the competency graph.
    spec : past jobs, ticked item ids, typed texts.
    aliases : the curated aliases for typed texts (see :func:`queries.resolve.resolve_text`).

    Returns
    -------
    ClientProfile : an empty ``items`` mapping when nothing resolved (the caller decides
    whether that is an error: see :func:`require_items`).

    Raises
    ------
    UnknownOccupation
        A past job is not loaded (with the closest codes and names).
    UnknownItem
        A ticked or confirmed id is not a knowledge / skill / attitude of ``G``.
    """
    idx = index(G)
    items: dict[str, list[Source]] = {}

    def add(item: str, source: Source) -> None:
        if item not in G or G.nodes[item].get("kind") not in _ITEM_KINDS:
            raise UnknownItem(item)
        kept = items.setdefault(item, [])
        if source not in kept:
            kept.append(source)

    jobs: list[Job] = []
    for job in spec.jobs:
        p = idx.profiles[resolve_id(G, job.occupation)]
        if any(j.node == p.node for j in jobs):
            continue
        jobs.append(Job(p.node, p.code, p.name, p.stem))
        source: Source = {"kind": "occupation", "ref": p.code, "label": p.name}
        wanted = p.uses if job.items is None else job.items
        for item in wanted:
            add(item, source)
    for item in spec.ticked:
        add(item, {"kind": "ticked", "ref": item, "label": str(G.nodes.get(item, {}).get(
            "name", item))})
    resolutions: list[Resolution] = []
    for typed in spec.typed:
        resolution = resolve_text(G, typed.text, aliases=aliases)
        resolutions.append(resolution)
        chosen = (typed.chosen if typed.chosen is not None
                  else tuple(m["id"] for m in resolution["matched"]))
        for item in chosen:
            add(item, {"kind": "typed", "ref": typed.text, "label": typed.text})
    return ClientProfile(tuple(jobs), {k: tuple(v) for k, v in items.items()},
                         tuple(resolutions))


def require_items(profile: ClientProfile) -> ClientProfile:
    """``profile`` itself when it holds at least one item.

    Raises
    ------
    ProfileError
        Nothing resolved: the message (Chinese, one line) lists what was typed with the
        closest names, so the counsellor can retype.
    """
    if profile.items:
        return profile
    if not profile.resolutions:
        raise ProfileError("個案沒有任何職能：請選擇過去的職業、勾選或輸入項目。")
    hints = "；".join(
        f"「{r['input']}」" + (f"最接近：{'、'.join(s['name'] for s in r['suggestions'][:3])}"
                              if r["suggestions"] else "找不到相近的名稱")
        for r in profile.resolutions)
    raise ProfileError(f"輸入的項目都找不到對應的職能，無法比對：{hints}")


def profile_json(G: nx.MultiDiGraph, profile: ClientProfile) -> dict[str, Any]:
    """The ``profile`` part of ``icapgraph match --json``.

    Returns
    -------
    dict : ``{"occupations": [{"code", "name"}], "items": [resolutions of the typed
    texts], "union": [{"id", "name", "kind", "sources": [{"kind", "ref", "label"}]}]}``.
    """
    return {
        "occupations": [{"code": j.code, "name": j.name} for j in profile.occupations],
        "items": [dict(r) for r in profile.resolutions],
        "union": [{"id": item, "name": str(G.nodes[item].get("name", item)),
                   "kind": INFO[Kind(G.nodes[item]["kind"])].word,
                   "sources": [dict(s) for s in sources]}
                  for item, sources in profile.items.items()],
    }
