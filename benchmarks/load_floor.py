"""The floor under any JSON corpus loader that returns this project's records.

:func:`floor_load` does only what every such loader must: read each file, decode
it (msgspec, into the loader's own structs), hash it for ``SourceInfo`` and build
every record (standards, duties, tasks, outputs, indicators, K/S/A items) with
the loader's own fast constructors. It cleans nothing, checks nothing, warns
about nothing and counts no lines, so its records are not faithful (cut names,
duplicate codes and markup pass through). It exists so that ``bench_load.py``
can show how much of the loader's cost is that floor and how much the checks
the loader owes its users.

Not imported by the product.
"""

from __future__ import annotations

import hashlib
import os
from itertools import repeat

import msgspec

from loaders.corpus_json_cells import duty_cell, synthetic_codes
from loaders.corpus_json_shape import RawItem, StrictStandard
from loaders.records import (
    Duty,
    Indicator,
    Item,
    ItemKind,
    Output,
    SourceInfo,
    SourceRef,
    Standard,
    Task,
    fast_constructor,
)

_decode = msgspec.json.Decoder(StrictStandard).decode
_output, _indicator, _task = (fast_constructor(c) for c in (Output, Indicator, Task))
_ref, _duty, _item = (fast_constructor(c) for c in (SourceRef, Duty, Item))
_standard = fast_constructor(Standard)
_TRUE = repeat(True)


def _items(raws: tuple[RawItem, ...], kind: ItemKind, ref: SourceRef) -> tuple[Item, ...]:
    return tuple(
        map(
            _item,
            repeat(kind),
            [r.code for r in raws],
            [r.name for r in raws],
            [r.description or "" for r in raws],
            repeat(()),
            repeat(ref),
        )
    )


def floor_load(files: list[str]) -> list[Standard]:
    """Read, decode, hash and build the records of every file in ``files``; nothing else."""
    standards = []
    for path in files:
        fd = os.open(path, os.O_RDONLY)
        try:
            data = os.read(fd, os.fstat(fd).st_size + 1)
        finally:
            os.close(fd)
        raw = _decode(data)
        ref = _ref(path, 0)
        groups: dict[str, list[Task]] = {}
        names: dict[str, str] = {}
        for t in raw.competency_tasks:
            task_ref = _ref(path, 0)
            parts = t.output.split("、") if t.output else []
            o_codes, p_codes = synthetic_codes(t.task_id[1:], max(len(parts), len(t.behaviors)))
            outputs = tuple(map(_output, o_codes, parts, repeat(task_ref), _TRUE))
            indicators = tuple(map(_indicator, p_codes, t.behaviors, repeat(task_ref), _TRUE))
            task = _task(
                t.task_id, t.task_name, t.level, outputs, indicators,
                t.knowledge, t.skills, task_ref,
            )
            code, name = duty_cell(t.main_responsibility) or ("T?", "")
            if code in groups:
                groups[code].append(task)
            else:
                groups[code], names[code] = [task], name
        duties = tuple([_duty(c, n, tuple(groups[c]), ref) for c, n in names.items()])
        meta, basic = raw.metadata, raw.basic_info
        standards.append(
            _standard(
                meta.code, meta.name, basic.level, basic.job_description, (), (), (), (),
                duties,
                _items(raw.competency_knowledge, "knowledge", ref),
                _items(raw.competency_skills, "skill", ref),
                _items(raw.competency_attitudes, "attitude", ref),
                basic.requirements, (),
                SourceInfo(path, hashlib.sha256(data).hexdigest(), "json"),
                (), False, True,
            )
        )
    return standards
