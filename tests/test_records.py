"""Records built by :func:`loaders.records.fast_constructor` are ordinary frozen records."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from loaders.records import (
    Duty,
    Indicator,
    Item,
    LoadWarning,
    Output,
    SourceRef,
    Task,
    fast_constructor,
)

REF = SourceRef("a.json", 7)
OUT = Output("O1.1.1", "報告", REF, True)
IND = Indicator("P1.1.1", "能蒐集資料。", REF, True)
TASK = Task("T1.1", "蒐集資料", 3, (OUT,), (IND,), ("K01",), ("S01", "S02"), REF)
CASES: list[tuple[type[Any], tuple[Any, ...]]] = [
    (SourceRef, ("a.json", 7)),
    (LoadWarning, ("a.json", 3, "task T1.1 has no work output")),
    (Output, ("O1.1.1", "報告", REF, True)),
    (Indicator, ("P1.1.1", "能蒐集資料。", REF, True)),
    (Task, ("T1.1", "蒐集資料", 3, (OUT,), (IND,), ("K01",), ("S01", "S02"), REF)),
    (Duty, ("T1", "規劃", (TASK,), REF)),
    (Item, ("attitude", "A01", "主動積極", "不需他人指示", ("註1",), REF)),
]


@pytest.mark.parametrize(("cls", "values"), CASES, ids=[c.__name__ for c, _ in CASES])
def test_fast_records_equal_ordinary_ones(cls: type[Any], values: tuple[Any, ...]) -> None:
    ordinary, fast = cls(*values), fast_constructor(cls)(*values)
    assert type(fast) is cls
    assert fast == ordinary and hash(fast) == hash(ordinary) and repr(fast) == repr(ordinary)
    assert dataclasses.astuple(fast) == dataclasses.astuple(ordinary)
    assert dataclasses.replace(fast) == ordinary
    name = dataclasses.fields(cls)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(fast, name, "changed")
    assert not hasattr(fast, "__dict__")  # slotted, as the class is


def test_every_field_is_required_in_declared_order() -> None:
    with pytest.raises(TypeError):
        fast_constructor(Output)("O1.1.1", "報告")  # the defaults are not filled in
