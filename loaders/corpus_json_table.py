"""The task table of a JSON corpus file: duties, tasks, outputs and indicators, with their checks.

Every task object names its duty in a ``main_responsibility`` cell (``T1規劃``); the
table is rebuilt from those cells in file order. This is the loader's hot loop
(8,000 tasks, 30,000 outputs and indicators in the corpus), so each cell is
taken as it is unless :func:`loaders.corpus_json_cells.suspects` flagged it, and
records are built with the fast constructors of :mod:`loaders.corpus_json_records`.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from typing import Any

from loaders.corpus_json_cells import (
    UNCLEAN_OR_DAMAGED,
    cell_name,
    damage,
    duty_cell,
    split_outputs,
    split_plain,
    suspects,
    task_duty,
)
from loaders.corpus_json_records import new_duty, new_indicator, new_output, new_ref, new_task
from loaders.records import Duty, Task

Warn = Callable[[int, str], None]


def read_duties(
    raws: list[dict[str, Any]], path: str, lines: list[int], flagged: Container[str], warn: Warn
) -> tuple[Duty, ...]:
    """The duties of the task objects ``raws``, each task on its line from ``lines``.

    ``flagged`` holds the cells (task names, outputs, behaviours) that may need
    cleaning or look damaged; any other cell is used as it is.
    """
    duty_names: dict[str, str] = {}
    tasks: dict[str, list[Task]] = {}
    seen: set[str] = set()
    for raw, line in zip(raws, lines, strict=True):
        task = _task(raw, path, line, flagged, warn)
        code = task.code
        duty_code, duty_name = _duty_of(raw["main_responsibility"], code, line, warn)
        if code in seen:
            warn(line, f"task code {code} is used twice")
        seen.add(code)
        old = duty_names.setdefault(duty_code, duty_name)
        if old != duty_name:
            if duty_name.startswith(old):  # a cut name is a prefix of the whole one
                duty_names[duty_code] = duty_name
            warn(
                line,
                f"duty {duty_code} is named both {old!r} and {duty_name!r};"
                f" kept {duty_names[duty_code]!r}",
            )
        tasks.setdefault(duty_code, []).append(task)
    duties = tuple(
        [new_duty(c, n, tuple(tasks[c]), tasks[c][0].source) for c, n in duty_names.items()]
    )
    damaged = suspects([d.name for d in duties], UNCLEAN_OR_DAMAGED)
    for d in duties:
        problem = damage(d.name) if d.name in damaged else ""
        if problem:
            warn(d.source.line, f"duty {d.code} name {d.name!r} {problem}")
    if not duties:
        warn(0, "no duties or tasks: the task table is empty")
    numbers = {int(c[1:]) for c in duty_names if c[1:].isdigit()}
    for n in sorted(set(range(1, max(numbers, default=0) + 1)) - numbers):
        warn(0, f"duty T{n} is missing (duties are numbered up to T{max(numbers)})")
    return duties


def _task(
    raw: dict[str, Any], path: str, line: int, flagged: Container[str], warn: Warn
) -> Task:
    code = raw["task_id"].strip()
    ref = new_ref(path, line)
    name = raw["task_name"]
    if name in flagged:
        name = cell_name(name)
        problem = damage(name)
        if problem:
            warn(line, f"task {code} name {name!r} {problem}")
    stem = code[1:]
    output = raw.get("output") or ""
    parts = split_outputs(output) if output in flagged else split_plain(output)
    outputs = tuple([new_output(f"O{stem}.{n}", o, ref, True) for n, o in enumerate(parts, 1)])
    if not outputs:
        warn(line, f"task {code} has no work output")
    elif output in flagged:
        problem = damage(output)
        if problem:
            warn(line, f"task {code} output {output!r} {problem}")
    behaviors = raw.get("behaviors", [])
    if type(behaviors) is not list:
        raise TypeError("behaviors")
    texts = [cell_name(b) if b in flagged else b for b in behaviors]
    if not all(texts):  # empty cells, or cells that cleaning emptied, are left out
        texts = [t for t in texts if t]
    indicators = tuple(
        [new_indicator(f"P{stem}.{n}", t, ref, True) for n, t in enumerate(texts, 1)]
    )
    if not indicators:
        warn(line, f"task {code} has no performance indicator")
    level = raw.get("level")
    if not (level is None or (type(level) is int and 1 <= level <= 7)):
        if type(level) is not int:
            raise TypeError("level")
        warn(line, f"task {code} has level {level}, not 1-7; level left unknown")
        level = None
    knowledge, skills = raw.get("knowledge", ()), raw.get("skills", ())
    if type(knowledge) is not list or type(skills) is not list:
        raise TypeError("knowledge / skills")
    return new_task(code, name, level, outputs, indicators, tuple(knowledge), tuple(skills), ref)


def _duty_of(cell: str, code: str, line: int, warn: Warn) -> tuple[str, str]:
    """The duty a task sits under, from its duty cell, warning about disagreements."""
    duty = duty_cell(cell)
    own = task_duty(code)
    if not own:
        warn(line, f"task code {code!r} is not of the form T<duty>.<n>")
    if duty is None:
        warn(line, f"task {code}: duty cell {cell!r} has no duty code; using {own or 'T?'}")
        return own or "T?", cell_name(cell)
    duty_code, duty_name = duty
    if own and own != duty_code:
        warn(
            line,
            f"task {code} is listed under duty {duty_code} {duty_name!r};"
            f" its code says duty {own}, which is missing",
        )
    return duty


def cross_check(
    duties: tuple[Duty, ...], knowledge: set[str], skills: set[str], warn: Warn
) -> None:
    """Warn about every K/S code a task uses that the standard does not define."""
    tasks = [t for d in duties for t in d.tasks]
    # Most files define every code they use: first one C-level test per file and kind.
    if knowledge.issuperset(set().union(*[t.knowledge for t in tasks])) and skills.issuperset(
        set().union(*[t.skills for t in tasks])
    ):
        return
    for task in tasks:
        for kind, codes, defined in (
            ("knowledge", task.knowledge, knowledge),
            ("skill", task.skills, skills),
        ):
            # Only codes that are not defined can be of the wrong type.
            for c in [c for c in codes if c not in defined]:
                if type(c) is not str:
                    raise TypeError(kind)
                warn(
                    task.source.line,
                    f"task {task.code} uses {kind} {c}, which the standard does not define",
                )
