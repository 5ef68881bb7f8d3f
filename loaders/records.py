"""Typed records: what one competency standard says, independent of its file format.

All records are frozen; loaders build them, nothing mutates them afterwards
(use :func:`dataclasses.replace` to derive a changed copy). Collections are
tuples so that records hash and compare by value.

>>> ref = SourceRef("data/standards/IDC3339-001v2.txt", 19)
>>> Item("knowledge", "K06", "個人資料保護法", source=ref).name
'個人資料保護法'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, Literal, TypeVar

ItemKind = Literal["knowledge", "skill", "attitude"]
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where a value was read: a file and a 1-based line (0 when the format has no lines)."""

    path: str
    line: int = 0


@dataclass(frozen=True, slots=True)
class LoadWarning:
    """Something a loader could not read faithfully; shown to the user as ``path:line: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class CodeName:
    """A classification entry: 職類別 / 職業別 / 行業別 name with its code."""

    name: str
    code: str


@dataclass(frozen=True, slots=True)
class Version:
    """One row of the versions table (kept as written, typos included)."""

    version: str
    code: str
    name: str
    status: str
    note: str
    date: str


@dataclass(frozen=True, slots=True)
class Output:
    """A work output (O1.1.1). ``synthesized`` marks a code the source did not carry."""

    code: str
    name: str
    source: SourceRef = field(default=SourceRef(""), compare=False)
    synthesized: bool = False


@dataclass(frozen=True, slots=True)
class Indicator:
    """A performance indicator (P1.1.1). ``synthesized`` as for :class:`Output`."""

    code: str
    text: str
    source: SourceRef = field(default=SourceRef(""), compare=False)
    synthesized: bool = False


@dataclass(frozen=True, slots=True)
class Task:
    """A work task (T1.1) with its 職能級別 and the local K/S codes it uses."""

    code: str
    name: str
    level: int | None
    outputs: tuple[Output, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    knowledge: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    source: SourceRef = field(default=SourceRef(""), compare=False)


@dataclass(frozen=True, slots=True)
class Duty:
    """A main duty (T1) and its tasks."""

    code: str
    name: str
    tasks: tuple[Task, ...] = ()
    source: SourceRef = field(default=SourceRef(""), compare=False)


@dataclass(frozen=True, slots=True)
class Item:
    """A knowledge, skill or attitude entry, numbered locally (K01 of one standard is unrelated
    to K01 of another). ``notes`` holds the footnote marks found on it (e.g. ``("註1",)``)."""

    kind: ItemKind
    code: str
    name: str
    description: str = ""
    notes: tuple[str, ...] = ()
    source: SourceRef = field(default=SourceRef(""), compare=False)


@dataclass(frozen=True, slots=True)
class Note:
    """A note under 其他補充說明.

    ``mark`` is the footnote mark normalised to ``註N`` (``【8】`` gives ``註8``) or, for
    notes written as ``term：definition`` without a mark, the empty string; ``term`` is the
    defined term when the note has the form ``term：definition``."""

    mark: str
    text: str
    term: str = ""
    source: SourceRef = field(default=SourceRef(""), compare=False)


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """The file a standard came from: path, content hash and loader format."""

    path: str
    sha256: str
    format: str


@dataclass(frozen=True, slots=True)
class Standard:
    """One competency standard (職能基準) as read from one file.

    ``latest`` is set by :func:`loaders.corpus.load_corpus` when several versions of the
    same occupation are loaded (True on the newest); ``historical`` marks standards the
    source labels 《歷史資料》.
    """

    code: str
    name: str
    level: int | None
    description: str
    category: tuple[CodeName, ...]
    occupation: tuple[CodeName, ...]
    industry: tuple[CodeName, ...]
    versions: tuple[Version, ...]
    duties: tuple[Duty, ...]
    knowledge: tuple[Item, ...]
    skills: tuple[Item, ...]
    attitudes: tuple[Item, ...]
    requirements: str
    notes: tuple[Note, ...]
    source: SourceInfo
    warnings: tuple[LoadWarning, ...] = ()
    historical: bool = False
    latest: bool = True

    @property
    def tasks(self) -> tuple[Task, ...]:
        """Every task of every duty, in document order."""
        return tuple(t for d in self.duties for t in d.tasks)

    def items(self) -> tuple[Item, ...]:
        """Knowledge, skills and attitudes together."""
        return self.knowledge + self.skills + self.attitudes


@dataclass(frozen=True, slots=True)
class Corpus:
    """What :func:`loaders.corpus.load_corpus` returns: the standards that loaded, the
    warnings of every file, and one :class:`LoadWarning` per file that failed outright."""

    standards: tuple[Standard, ...]
    warnings: tuple[LoadWarning, ...]
    failures: tuple[LoadWarning, ...]


def fast_constructor(cls: type[R]) -> Callable[..., R]:
    """A constructor for the frozen record class ``cls``, two to three times faster than its
    own, for a loader that builds tens of thousands of records (the JSON corpus: ~90,000).

    A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``,
    about 0.2 µs a field. The constructor returned is a plain slotted class with the
    same fields in the same order, so the same memory layout; its ``__init__`` stores
    the fields as plain attributes and, last, turns the new object into a ``cls`` (a
    ``__class__`` assignment, which Python allows between classes of identical
    layout). What it returns is an ordinary ``cls``: frozen, compared, hashed and
    printed as one. Every field is positional and required (no defaults are filled
    in), in the order the class declares them.

    >>> make = fast_constructor(SourceRef)
    >>> ref = make("a.json", 3)
    >>> type(ref) is SourceRef, ref == SourceRef("a.json", 3)
    (True, True)
    >>> ref.line = 4
    Traceback (most recent call last):
    ...
    dataclasses.FrozenInstanceError: cannot assign to field 'line'
    """
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    if not all(n.isidentifier() and not n.startswith("_") for n in names):
        raise ValueError(f"{cls.__name__} has a field name fast_constructor cannot use")
    # Generated, as dataclasses generates its own __init__: one frame per record,
    # with no loop over the fields and no __post_init__ call.
    stores = "".join(f"    self.{n} = {n}\n" for n in names)
    source = f"def __init__(self, {', '.join(names)}):\n{stores}    self.__class__ = record\n"
    namespace: dict[str, Any] = {}
    exec(source, {"record": cls}, namespace)  # the names were checked above
    return type(
        f"_{cls.__name__}Draft",
        (),
        {"__slots__": tuple(names), "__init__": namespace["__init__"], "__module__": __name__},
    )
