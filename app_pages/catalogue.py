"""The occupations as a catalogue: each with its 職類別, 行業別 and level, grouped and
narrowed the way a counsellor browses them. Pure functions over the graph; no Streamlit.

A *field* (職類別) and an *industry* (行業別) can be chosen at two depths: a whole sector
(the part of the name before ／: 製造, 製造業) or one classification by its code (MPD,
C22). :class:`Narrowing` holds the choices and :func:`narrow` applies them.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> for code, name, level, cat in [("A-001v1", "甲", 3, "MPD"), ("B-001v1", "乙", 4, "BHR")]:
...     G.add_node(f"occupation:{code}", kind="Occupation", name=name, code=code, level=level)
...     _ = G.add_edge(f"occupation:{code}", f"category:{cat}", key="IN_CATEGORY")
>>> G.add_node("category:MPD", kind="Category", code="MPD", name="製造／製程研發")
>>> G.add_node("category:BHR", kind="Category", code="BHR", name="企業經營管理／人力資源管理")
>>> rows = entries(G)
>>> [r.code for r in narrow(rows, Narrowing(field="製造"))]
['A-001v1']
>>> [r.code for r in narrow(rows, Narrowing(level=4))]
['B-001v1']
>>> [(g.title, [r.code for r in g.rows]) for g in by_field(rows)][0]
('企業經營管理／人力資源管理', ['B-001v1'])
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import networkx as nx

from app_pages.naming import option_text, version_mark
from graph.kinds import Kind, Rel

SECTOR_SEP = "／"
#: Where an occupation without a 職類別 is listed.
NO_FIELD = "（未標示職類別）"


@dataclass(frozen=True, slots=True)
class Class:
    """A classification entry: its code and name (職類別 or 行業別)."""

    code: str
    name: str

    @property
    def sector(self) -> str:
        """The part of the name before ／ (the whole name when it has none)."""
        return sector_of(self.name)


@dataclass(frozen=True, slots=True)
class Entry:
    """One occupation as the catalogue lists it."""

    code: str
    name: str
    level: int | None
    latest: bool
    historical: bool
    fields: tuple[Class, ...]
    industries: tuple[Class, ...]

    @property
    def mark(self) -> str:
        """（歷史資料）/（舊版）or empty (see :func:`app_pages.naming.version_mark`)."""
        return version_mark({"latest": self.latest, "historical": self.historical})

    @property
    def label(self) -> str:
        """The picker text: name first, the code in brackets (:mod:`app_pages.naming`)."""
        return option_text(self.name, self.mark, self.code)


@dataclass(frozen=True, slots=True)
class Narrowing:
    """A choice of field, industry and level; ``None`` keeps everything."""

    field: str | None = None
    industry: str | None = None
    level: int | None = None

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.field, self.industry, self.level))


@dataclass(frozen=True, slots=True)
class Group:
    title: str
    rows: tuple[Entry, ...]

    @property
    def sector(self) -> str:
        """The sector the group's 職類別 belongs to (empty for the unclassified)."""
        return "" if self.title == NO_FIELD else sector_of(self.title)


def sector_of(name: str) -> str:
    """The sector part of a classification name.

    >>> sector_of("製造／製程研發"), sector_of("醫療保健(生技研發)")
    ('製造', '醫療保健(生技研發)')
    """
    return name.split(SECTOR_SEP, 1)[0].split("/", 1)[0].strip() or name


def _flag(value: object, default: bool) -> bool:
    if value is None:
        return default
    return value.lower() == "true" if isinstance(value, str) else bool(value)


def _level(value: object) -> int | None:
    try:
        return int(str(value)) if value is not None and str(value).strip() else None
    except ValueError:
        return None


def entries(G: nx.MultiDiGraph) -> list[Entry]:
    """Every occupation of ``G`` with its classifications, sorted by name then code."""
    out = []
    for node, d in G.nodes(data=True):
        if d.get("kind") != Kind.OCCUPATION:
            continue
        found: dict[str, list[Class]] = {Rel.IN_CATEGORY: [], Rel.IN_INDUSTRY: []}
        for _u, v, key in G.out_edges(node, keys=True):
            if key in found:
                c = G.nodes[v]
                found[key].append(Class(str(c.get("code", "")), str(c.get("name", ""))))
        out.append(Entry(
            code=str(d.get("code", "")), name=str(d.get("name", "")), level=_level(d.get("level")),
            latest=_flag(d.get("latest"), True), historical=_flag(d.get("historical"), False),
            fields=tuple(sorted(found[Rel.IN_CATEGORY], key=lambda c: c.code)),
            industries=tuple(sorted(found[Rel.IN_INDUSTRY], key=lambda c: c.code)),
        ))
    return sorted(out, key=lambda e: (e.name, e.code))


def _matches(classes: Sequence[Class], wanted: str) -> bool:
    return any(c.code == wanted or c.sector == wanted for c in classes)


def narrow(rows: Iterable[Entry], choice: Narrowing) -> list[Entry]:
    """The rows that pass every active part of ``choice``."""
    return [r for r in rows
            if (choice.field is None or _matches(r.fields, choice.field))
            and (choice.industry is None or _matches(r.industries, choice.industry))
            and (choice.level is None or r.level == choice.level)]


@dataclass(frozen=True, slots=True)
class Option:
    """One choice of a facet: the value kept in state / the URL, its label, its count."""

    value: str
    label: str
    count: int


def options(rows: Sequence[Entry], facet: str) -> list[Option]:
    """The choices of ``facet`` (``"field"`` or ``"industry"``) over ``rows``: each sector
    (labelled 全部) followed by its classifications, with the number of occupations.

    >>> e = Entry("A", "甲", 3, True, False, (Class("MPD", "製造／製程研發"),), ())
    >>> [(o.value, o.label) for o in options([e], "field")]
    [('製造', '製造（全部）'), ('MPD', '製造／製程研發')]
    """
    sectors: Counter[str] = Counter()
    leaves: Counter[Class] = Counter()
    for r in rows:
        classes = r.fields if facet == "field" else r.industries
        for s in {c.sector for c in classes}:
            sectors[s] += 1
        for c in set(classes):
            leaves[c] += 1
    out: list[Option] = []
    for sector in sorted(sectors):
        inside = sorted((c for c in leaves if c.sector == sector), key=lambda c: c.name)
        if len(inside) != 1 or inside[0].name != sector:
            out.append(Option(sector, f"{sector}（全部）", sectors[sector]))
        out += [Option(c.code, c.name, leaves[c]) for c in inside]
    return out


def levels(rows: Iterable[Entry]) -> list[int]:
    """The levels present, ascending."""
    return sorted({r.level for r in rows if r.level is not None})


def by_field(rows: Iterable[Entry]) -> list[Group]:
    """Rows grouped under each 職類別 (an occupation with several is listed under each),
    groups by name; rows keep their order."""
    groups: dict[str, list[Entry]] = {}
    for r in rows:
        for title in [c.name for c in r.fields] or [NO_FIELD]:
            groups.setdefault(title, []).append(r)
    return [Group(t, tuple(groups[t])) for t in sorted(groups, key=lambda t: (t == NO_FIELD, t))]


@dataclass(frozen=True, slots=True)
class Summary:
    """What is loaded, in the numbers the landing page explains."""

    files: int
    failed: int
    duplicates: int
    occupations: int
    current: int
    older: int
    historical: int
    fields: int
    sectors: int


def summarise(rows: Sequence[Entry], files: int, failed: int, duplicates: int) -> Summary:
    """Counts for the landing page: ``files`` read, ``failed`` that could not be read,
    ``duplicates`` left out because their code was already loaded."""
    fields = {c for r in rows for c in r.fields}
    return Summary(files, failed, duplicates, len(rows), sum(r.latest for r in rows),
                   sum(not r.latest for r in rows), sum(r.historical for r in rows),
                   len(fields), len({c.sector for c in fields}))
