"""The graph's vocabulary: node kinds, relationship types and node ids.

The enum *values* are the Neo4j labels and relationship types, so nothing
outside this module ever spells a label: Cypher is built from these enums only,
never from user input.

The graph is a ``networkx.MultiDiGraph``. Its contract, which the queries, the
exporters, the Neo4j push and the app all read:

Node attributes (plain values only, so GraphML / GEXF / JSON / Neo4j read the same):
    ``kind``  the :class:`Kind` value (``"Skill"``)
    ``name``  display name (for items: the most frequent cleaned surface form)
    ``code``  the standard's code on occupations, the local code (``T1.1``) on
              duties / tasks / outputs / indicators, the classification code on
              Category / OccupationGroup / Industry; absent on K/S/A items
    ``standard``  the owning standard's code on Duty / Task / Output / Indicator
    ``level``  int on Occupation (基準級別) and Task (職能級別) when known
    Occupation also: ``description``, ``requirements``, ``latest`` (bool),
    ``historical`` (bool), ``path`` (the source file, named relative to the data
    folder it was loaded from: never a machine path), and ``versions`` / ``notes`` as
    JSON strings
    (``[{version, code, name, status, note, date}]``, ``[{mark, term, text}]``);
    items also: ``key`` (identity key), ``aliases`` (``"、"``-joined other surface
    forms), ``applied_aliases`` (JSON string ``[{name, canonical, reason, line}]``),
    ``from_note`` (bool: created only by term expansion of a note); attitudes also
    ``description`` (the most frequent one).

Edges: key = the :class:`Rel` value; attribute ``rel`` repeats it. Provenance on
REQUIRES_* edges: ``standard``, ``task`` (task code, empty for attitudes),
``local_code`` (K01 …), ``name`` (the item's name as that standard writes it, so an
alias match can be told from an identical one), ``path``, ``line``. A K/S item that no
task of its standard refers to is required by the Occupation directly (``task`` empty).
INCLUDES edges: ``standard``, ``note`` (the note mark or term), ``path``, ``line``.
SIMILAR_TO edges: ``score`` (float), ``method`` (``"lexical"`` …), ``tier``
(``"similar"`` / ``"review"``), added in both directions.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """Node kinds; the value is the Neo4j label."""

    OCCUPATION = "Occupation"
    DUTY = "Duty"
    TASK = "Task"
    OUTPUT = "Output"
    INDICATOR = "Indicator"
    KNOWLEDGE = "Knowledge"
    SKILL = "Skill"
    ATTITUDE = "Attitude"
    CATEGORY = "Category"
    GROUP = "OccupationGroup"
    INDUSTRY = "Industry"


class Rel(StrEnum):
    """Relationship types; the value is the Neo4j relationship type."""

    HAS_DUTY = "HAS_DUTY"
    HAS_TASK = "HAS_TASK"
    PRODUCES = "PRODUCES"
    MEASURED_BY = "MEASURED_BY"
    REQUIRES_KNOWLEDGE = "REQUIRES_KNOWLEDGE"
    REQUIRES_SKILL = "REQUIRES_SKILL"
    REQUIRES_ATTITUDE = "REQUIRES_ATTITUDE"
    IN_CATEGORY = "IN_CATEGORY"
    IN_GROUP = "IN_GROUP"
    IN_INDUSTRY = "IN_INDUSTRY"
    INCLUDES = "INCLUDES"
    SIMILAR_TO = "SIMILAR_TO"


#: Item kinds (K / S / A) in the order the product lists them.
ITEM_KINDS: tuple[Kind, ...] = (Kind.KNOWLEDGE, Kind.SKILL, Kind.ATTITUDE)

#: The record-level kind word (``loaders.records.ItemKind``) for each item Kind.
ITEM_KIND_WORD: dict[Kind, str] = {
    Kind.KNOWLEDGE: "knowledge",
    Kind.SKILL: "skill",
    Kind.ATTITUDE: "attitude",
}
KIND_OF_WORD: dict[str, Kind] = {w: k for k, w in ITEM_KIND_WORD.items()}

#: The relationship that requires each item kind.
REQUIRES: dict[Kind, Rel] = {
    Kind.KNOWLEDGE: Rel.REQUIRES_KNOWLEDGE,
    Kind.SKILL: Rel.REQUIRES_SKILL,
    Kind.ATTITUDE: Rel.REQUIRES_ATTITUDE,
}

_PREFIX: dict[Kind, str] = {
    Kind.OCCUPATION: "occupation",
    Kind.DUTY: "duty",
    Kind.TASK: "task",
    Kind.OUTPUT: "output",
    Kind.INDICATOR: "indicator",
    Kind.KNOWLEDGE: "knowledge",
    Kind.SKILL: "skill",
    Kind.ATTITUDE: "attitude",
    Kind.CATEGORY: "category",
    Kind.GROUP: "group",
    Kind.INDUSTRY: "industry",
}


def occupation_id(code: str) -> str:
    """Id of an occupation node.

    >>> occupation_id("IDC3339-001v2")
    'occupation:IDC3339-001v2'
    """
    return f"occupation:{code}"


def part_id(kind: Kind, standard: str, local: str) -> str:
    """Id of a per-standard node (duty, task, output, indicator).

    >>> part_id(Kind.TASK, "IDC3339-001v2", "T1.1")
    'task:IDC3339-001v2/T1.1'
    """
    return f"{_PREFIX[kind]}:{standard}/{local}"


def item_id(kind: Kind, name: str) -> str:
    """Id of a shared knowledge / skill / attitude node, from its display name.

    >>> item_id(Kind.SKILL, "溝通協調能力")
    'skill:溝通協調能力'
    """
    return f"{_PREFIX[kind]}:{name}"


def class_id(kind: Kind, code: str) -> str:
    """Id of a classification node (category, occupation group, industry).

    >>> class_id(Kind.INDUSTRY, "M7310")
    'industry:M7310'
    """
    return f"{_PREFIX[kind]}:{code}"


def kind_of(node_id: str) -> Kind:
    """The kind encoded in a node id.

    >>> kind_of("skill:溝通協調能力")
    <Kind.SKILL: 'Skill'>
    """
    prefix = node_id.split(":", 1)[0]
    for kind, p in _PREFIX.items():
        if p == prefix:
            return kind
    raise ValueError(f"not a node id: {node_id!r}")
