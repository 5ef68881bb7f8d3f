"""Fast constructors for the frozen record types, used in the JSON corpus loader's hot loops.

A frozen dataclass's generated ``__init__`` has to set every field through
``object.__setattr__`` (the class refuses ordinary assignment): on CPython 3.11
an ``Item`` costs about 1.2 µs that way, six times a plain slotted class, and
loading the 908-file corpus builds some 90,000 records. :func:`maker` returns a
*mutable twin* of a record class, with the same slots, whose ``__init__`` fills
the slots by ordinary assignment and then switches the instance to the record
class (a ``__class__`` assignment, allowed between classes of identical layout).
What comes out is an ordinary instance of the record class: equal, hashable and
frozen exactly like one built by its own ``__init__``.

Only classes whose ``__init__`` does nothing but store its arguments qualify
(slotted, every field in ``__init__``, no ``__post_init__``); any other class
is returned as it is, so a change to :mod:`loaders.records` cannot make this
module skip a check. The twin takes every field (positionally or by name): it
has no defaults, so a call that forgets a field fails instead of guessing.

>>> from loaders.records import SourceRef
>>> ref = maker(SourceRef)("a.json", 3)
>>> type(ref) is SourceRef, ref == SourceRef("a.json", 3), hash(ref) == hash(SourceRef("a.json", 3))
(True, True, True)
>>> ref.line = 4
Traceback (most recent call last):
...
dataclasses.FrozenInstanceError: cannot assign to field 'line'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar, cast

from loaders.records import (
    CodeName,
    Duty,
    Indicator,
    Item,
    LoadWarning,
    Output,
    SourceInfo,
    SourceRef,
    Standard,
    Task,
    Version,
)

R = TypeVar("R")


def maker(cls: type[R]) -> Callable[..., R]:
    """A constructor for the frozen, slotted dataclass ``cls`` taking all its fields, or
    ``cls`` itself when its ``__init__`` might do more than store them."""
    fields = dataclasses.fields(cast(Any, cls))
    names = tuple(f.name for f in fields)
    if (
        getattr(cls, "__slots__", None) != names
        or hasattr(cls, "__post_init__")
        or not all(f.init for f in fields)
    ):
        return cls
    # Generated like a dataclass's own __init__: one plain assignment per field.
    body = "".join(f"    self.{name} = {name}\n" for name in names)
    source = f"def __init__(self, {', '.join(names)}):\n{body}    self.__class__ = cls\n"
    namespace: dict[str, Any] = {"cls": cls}
    exec(source, namespace)
    twin = type(
        f"_Mutable{cls.__name__}", (), {"__slots__": names, "__init__": namespace["__init__"]}
    )
    return cast(Callable[..., R], twin)


new_ref = maker(SourceRef)
new_warning = maker(LoadWarning)
new_output = maker(Output)
new_indicator = maker(Indicator)
new_task = maker(Task)
new_duty = maker(Duty)
new_item = maker(Item)
new_code_name = maker(CodeName)
new_version = maker(Version)
new_source_info = maker(SourceInfo)
new_standard = maker(Standard)
