"""The graph's vocabulary: node kinds, relationship types and node ids.

The kinds themselves (labels, id prefixes, names, colours, which are items) are data in
:mod:`graph.kinds`; this module holds the node ids and the attribute contract.

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

from graph.kinds import INFO, ITEM_KINDS, REQUIRES, Kind, Rel, by_prefix

__all__ = ["ITEM_KINDS", "ITEM_KIND_WORD", "KIND_OF_WORD", "REQUIRES", "Kind", "Rel",
           "class_id", "item_id", "kind_of", "occupation_id", "part_id"]

#: The record-level kind word (``loaders.records.ItemKind``) for each item Kind (from
#: :data:`graph.kinds.KINDS`).
ITEM_KIND_WORD: dict[Kind, str] = {kind: INFO[kind].word for kind in ITEM_KINDS}
KIND_OF_WORD: dict[str, Kind] = {w: k for k, w in ITEM_KIND_WORD.items()}


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
    return f"{INFO[kind].prefix}:{standard}/{local}"


def item_id(kind: Kind, name: str) -> str:
    """Id of a shared knowledge / skill / attitude node, from its display name.

    >>> item_id(Kind.SKILL, "溝通協調能力")
    'skill:溝通協調能力'
    """
    return f"{INFO[kind].prefix}:{name}"


def class_id(kind: Kind, code: str) -> str:
    """Id of a classification node (category, occupation group, industry).

    >>> class_id(Kind.INDUSTRY, "M7310")
    'industry:M7310'
    """
    return f"{INFO[kind].prefix}:{code}"


def kind_of(node_id: str) -> Kind:
    """The kind encoded in a node id.

    >>> kind_of("skill:溝通協調能力")
    <Kind.SKILL: 'Skill'>
    """
    row = by_prefix(node_id.split(":", 1)[0])
    if row is not None:
        return row.kind
    raise ValueError(f"not a node id: {node_id!r}")
