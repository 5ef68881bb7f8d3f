"""The kinds of node as data: one row per kind, read by every layer.

Every layer that needs to say something about a kind of node — its Neo4j label, its id
prefix, its Chinese and English names, its colour in the app, whether it is a
knowledge / skill / attitude item, which relationship requires it, where a standard
record keeps it — reads the :data:`KINDS` table below; nothing else keeps a copy.
Adding a kind is one :class:`Kind` member and one :class:`KindInfo` row here, plus the
loader that fills the record field the row names.

The enum *values* are the Neo4j labels and relationship types, so nothing outside this
module ever spells a label: Cypher is built from these enums only, never from user input.

Examples
--------
>>> info(Kind.SKILL).zh, info(Kind.SKILL).requires
('技能', <Rel.REQUIRES_SKILL: 'REQUIRES_SKILL'>)
>>> [k.value for k in ITEM_KINDS]
['Knowledge', 'Skill', 'Attitude']
>>> by_word("attitude").group
'attitudes'
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from loaders.errors import UnknownKey


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


@dataclass(frozen=True, slots=True)
class KindInfo:
    """Everything the product says about one kind of node.

    Attributes
    ----------
    kind : the enum member; ``kind.value`` is the Neo4j label.
    prefix : the node-id prefix (``skill`` in ``skill:溝通協調能力``).
    word : the kind's word in records and JSON (``Item.kind``, ``"kind"`` keys).
    group : the JSON key of a list of this kind (``skills`` in ``overlap --json``).
    zh, en : the Chinese and English names shown to people.
    colour : the colour of its nodes and badges in the app (hex).
    item : whether it is a shared knowledge / skill / attitude item (one node per
        identity key across standards) rather than a part of one standard.
    letter : the letter of its local codes (``K01``, ``T1.1``), when it has codes.
    requires : for items, the relationship that requires them.
    record_field : the :class:`loaders.records.Standard` field holding this kind's
        entries (items, or classification entries), when records carry it.
    task_field : for items required task by task, the :class:`loaders.records.Task`
        field listing their local codes; items without one are required by the
        occupation as a whole (attitudes).
    member_of : for classifications, the relationship from the occupation.
    """

    kind: Kind
    prefix: str
    word: str
    group: str
    zh: str
    en: str
    colour: str
    item: bool = False
    letter: str = ""
    requires: Rel | None = None
    record_field: str | None = None
    task_field: str | None = None
    member_of: Rel | None = None

    @property
    def label(self) -> str:
        """The Neo4j label (the enum value)."""
        return self.kind.value


#: The table. Order matters: it is the order in which lists show kinds (items K, S, A).
KINDS: tuple[KindInfo, ...] = (
    KindInfo(Kind.OCCUPATION, "occupation", "occupation", "occupations", "職業", "Occupation",
             "#d62728"),
    KindInfo(Kind.DUTY, "duty", "duty", "duties", "主要職責", "Duty", "#8c564b", letter="T"),
    KindInfo(Kind.TASK, "task", "task", "tasks", "工作任務", "Task", "#e377c2", letter="T"),
    KindInfo(Kind.OUTPUT, "output", "output", "outputs", "工作產出", "Output", "#7f7f7f",
             letter="O"),
    KindInfo(Kind.INDICATOR, "indicator", "indicator", "indicators", "行為指標", "Indicator",
             "#bcbd22", letter="P"),
    KindInfo(Kind.KNOWLEDGE, "knowledge", "knowledge", "knowledge", "知識", "Knowledge",
             "#1f77b4", item=True, letter="K", requires=Rel.REQUIRES_KNOWLEDGE,
             record_field="knowledge", task_field="knowledge"),
    KindInfo(Kind.SKILL, "skill", "skill", "skills", "技能", "Skill", "#2ca02c", item=True,
             letter="S", requires=Rel.REQUIRES_SKILL, record_field="skills",
             task_field="skills"),
    KindInfo(Kind.ATTITUDE, "attitude", "attitude", "attitudes", "態度", "Attitude", "#9467bd",
             item=True, letter="A", requires=Rel.REQUIRES_ATTITUDE, record_field="attitudes"),
    KindInfo(Kind.CATEGORY, "category", "category", "categories", "職類別", "Category",
             "#17becf", record_field="category", member_of=Rel.IN_CATEGORY),
    KindInfo(Kind.GROUP, "group", "group", "groups", "職業別", "Occupation group", "#17becf",
             record_field="occupation", member_of=Rel.IN_GROUP),
    KindInfo(Kind.INDUSTRY, "industry", "industry", "industries", "行業別", "Industry",
             "#17becf", record_field="industry", member_of=Rel.IN_INDUSTRY),
)

#: Row of each kind.
INFO: MappingProxyType[Kind, KindInfo] = MappingProxyType({row.kind: row for row in KINDS})
#: The item kinds (K / S / A) in the order the product lists them.
ITEM_KINDS: tuple[Kind, ...] = tuple(row.kind for row in KINDS if row.item)
#: The classification kinds (職類別 / 職業別 / 行業別).
CLASS_KINDS: tuple[Kind, ...] = tuple(row.kind for row in KINDS if row.member_of)
#: The relationship that requires each item kind.
REQUIRES: MappingProxyType[Kind, Rel] = MappingProxyType(
    {row.kind: row.requires for row in KINDS if row.requires is not None})
#: The item kind each REQUIRES_* relationship type leads to.
REQUIRED_BY_REL: MappingProxyType[str, Kind] = MappingProxyType(
    {rel.value: kind for kind, rel in REQUIRES.items()})

_BY_NAME: dict[str, KindInfo] = {}
for _row in KINDS:  # a kind is found by its label, word, id prefix or group key
    for _name in (_row.group, _row.prefix, _row.word, _row.kind.value):
        _BY_NAME[_name] = _row


def find(kind: Kind | str) -> KindInfo | None:
    """The row of ``kind`` (a :class:`Kind`, its label, word, id prefix or group key), or None.

    Examples
    --------
    >>> find("Knowledge").zh, find("skills").zh, find(Kind.GROUP).zh, find("Nope")
    ('知識', '技能', '職業別', None)
    """
    return _BY_NAME.get(str(kind))


def info(kind: Kind | str) -> KindInfo:
    """The row of ``kind`` (as :func:`find`), for a kind that must exist.

    Raises
    ------
    UnknownKey
        Nothing in the table is called ``kind`` (the message lists the labels).
    """
    row = _BY_NAME.get(str(kind))
    if row is None:
        raise UnknownKey("kind", str(kind), [r.kind.value for r in KINDS])
    return row


def zh(kind: Kind | str) -> str:
    """The Chinese name of a kind (as :func:`find`), or ``kind`` itself when unknown.

    Examples
    --------
    >>> zh("Attitude"), zh("skill"), zh("other")
    ('態度', '技能', 'other')
    """
    row = _BY_NAME.get(str(kind))
    return row.zh if row is not None else str(kind)


def by_prefix(prefix: str) -> KindInfo | None:
    """The row whose node-id prefix is exactly ``prefix`` (``skill``), or None."""
    row = _BY_NAME.get(prefix)
    return row if row is not None and row.prefix == prefix else None


def by_word(word: str) -> KindInfo:
    """The row whose record / JSON word is ``word`` (``knowledge``, ``skill`` …).

    Raises
    ------
    UnknownKey
        ``word`` is no kind's word (the message lists the words).
    """
    row = _BY_NAME.get(word)
    if row is None or row.word != word:
        raise UnknownKey("kind", word, [r.word for r in KINDS])
    return row
