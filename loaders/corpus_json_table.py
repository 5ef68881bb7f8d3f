"""The task table of a JSON corpus file: duties, tasks, outputs and indicators, with their checks.

Every task object names its duty in a ``main_responsibility`` cell (``T1規劃``); the
table is rebuilt from those cells in file order. This is the loader's hot loop
(8,000 tasks, 30,000 outputs and indicators in the corpus), so each cell is
taken as it is unless :func:`loaders.corpus_json_cells.suspects` flagged it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import repeat

from loaders.corpus_json_cells import (
    DUTY_CELLS,
    TASK_DUTIES,
    UNCLEAN_OR_DAMAGED,
    cell_name,
    damage,
    duty_cell,
    split_outputs,
    split_plain,
    suspects,
    synthetic_codes,
    task_duty,
)
from loaders.corpus_json_shape import RawTask
from loaders.records import Duty, Indicator, Output, SourceRef, Task, fast_constructor

Warn = Callable[[int, str], None]
_output, _indicator = fast_constructor(Output), fast_constructor(Indicator)
_task, _ref = fast_constructor(Task), fast_constructor(SourceRef)
_duty = fast_constructor(Duty)
_TRUE = repeat(True)  # the synthesized flag of every output and indicator


def read_duties(
    raws: tuple[RawTask, ...], path: str, lines: list[int], flagged: set[str], warn: Warn
) -> tuple[Duty, ...]:
    """The duties of the task objects ``raws``, each task on its line from ``lines``.

    ``flagged`` holds the cells (task names, outputs, behaviours) that may need
    cleaning or look damaged; any other cell is used as it is. One loop, with no
    helper calls on the common path: this runs once per task of the corpus.
    """
    duty_names: dict[str, str] = {}
    tasks: dict[str, list[Task]] = {}
    codes = [raw.task_id.strip() for raw in raws]
    repeated = len(set(codes)) != len(codes)  # decided once, so most files skip the test
    seen: set[str] = set()
    for raw, line, code in zip(raws, lines, codes, strict=True):
        ref = _ref(path, line)
        name = raw.task_name
        if name in flagged:
            name = cell_name(name)
            problem = damage(name)
            if problem:
                warn(line, f"task {code} name {name!r} {problem}")
        output = raw.output or ""
        parts = split_outputs(output) if output in flagged else split_plain(output)
        texts: Sequence[str] = raw.behaviors
        if not flagged.isdisjoint(texts):
            texts = [cell_name(t) if t in flagged else t for t in texts]
        if not all(texts):  # empty cells, or cells that cleaning emptied, are left out
            texts = [t for t in texts if t]
        o_codes, p_codes = synthetic_codes(code[1:], max(len(parts), len(texts)))
        # map stops at the cells: the cached code lists may be longer.
        outputs = tuple(map(_output, o_codes, parts, repeat(ref), _TRUE))
        if not outputs:
            warn(line, f"task {code} has no work output")
        elif output in flagged:
            problem = damage(output)
            if problem:
                warn(line, f"task {code} output {output!r} {problem}")
        indicators = tuple(map(_indicator, p_codes, texts, repeat(ref), _TRUE))
        if not indicators:
            warn(line, f"task {code} has no performance indicator")
        level = raw.level
        if level is not None and not 1 <= level <= 7:
            warn(line, f"task {code} has level {level}, not 1-7; level left unknown")
            level = None
        task = _task(code, name, level, outputs, indicators, raw.knowledge, raw.skills, ref)
        cell = raw.main_responsibility
        duty = DUTY_CELLS.get(cell)
        if duty is None or duty[0] != TASK_DUTIES.get(code):  # not the common, clean case
            duty = _duty_of(cell, code, line, warn)
        duty_code, duty_name = duty
        if repeated:
            if code in seen:
                warn(line, f"task code {code} is used twice")
            seen.add(code)
        group = tasks.get(duty_code)
        if group is None:
            tasks[duty_code] = [task]
            duty_names[duty_code] = duty_name
            continue
        group.append(task)
        old = duty_names[duty_code]
        if old != duty_name:
            if duty_name.startswith(old):  # a cut name is a prefix of the whole one
                duty_names[duty_code] = duty_name
            warn(
                line,
                f"duty {duty_code} is named both {old!r} and {duty_name!r};"
                f" kept {duty_names[duty_code]!r}",
            )
    duties = tuple(
        [_duty(c, n, tuple(tasks[c]), tasks[c][0].source) for c, n in duty_names.items()]
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
            for c in [c for c in codes if c not in defined]:
                warn(
                    task.source.line,
                    f"task {task.code} uses {kind} {c}, which the standard does not define",
                )
