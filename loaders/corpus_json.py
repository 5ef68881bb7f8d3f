"""The JSON corpus layout (../shared/icap-corpus) read into the same records as the text loader.

The corpus came from a third-party PDF parser and is noisy: output and indicator
codes are lost (outputs are one joined string, indicators a bare list), notes
are dropped, cells are cut short or swallow table fragments, some lists are
empty and some codes are wrong. This module reads what is there, marks what it
had to synthesise (``synthesized=True``) and turns every defect it can detect
into a :class:`LoadWarning`; it never fills a gap with invented content.

Loading the whole corpus has a budget of twice a bare ``json.load``, so the
records are built by direct indexing; only when that fails is the object walked
against :data:`loaders.corpus_json_shape.SHAPE` to name the offending field in a
:class:`ParseError`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from typing import Any

from loaders.corpus_json_cells import (
    CLEANED,
    DEFECTS,
    NAMES,
    cell_name,
    clean_cell,
    damage,
    duty_cell,
    split_outputs,
    task_duty,
)
from loaders.corpus_json_shape import explain_shape
from loaders.errors import ParseError
from loaders.records import (
    CodeName,
    Duty,
    Indicator,
    Item,
    ItemKind,
    LoadWarning,
    Output,
    SourceInfo,
    SourceRef,
    Standard,
    Task,
    Version,
)

HISTORICAL_MARK = "《歷史資料》"

_LISTS = ("competency_tasks", "competency_knowledge", "competency_skills", "competency_attitudes")
_TASK_ID = re.compile(r'"task_id"\s*:')


def _level(value: Any) -> int | None:
    if value is None or (type(value) is int and 1 <= value <= 7):
        return value  # type: ignore[no-any-return]
    if type(value) is not int:
        raise TypeError("level")
    return None


class _Builder:
    """Builds one Standard from a parsed object, collecting warnings."""

    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self.ref = SourceRef(path)
        self.warnings: list[LoadWarning] = []
        # Task objects appear in file order, so the n-th "task_id" key is on the
        # n-th task's line: warnings get a line without a position-aware parser.
        self.task_lines: list[int] = []
        pos, line = 0, 1
        for m in _TASK_ID.finditer(text):
            line += text.count("\n", pos, m.start())
            pos = m.start()
            self.task_lines.append(line)

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(LoadWarning(self.path, line, message))

    def check(self, line: int, kind: str, code: str, text: str) -> None:
        problem = damage(text)
        if problem:  # the message is built only then: this runs for every name
            self.warn(line, f"{kind} {code} {text!r} {problem}")

    def task(self, raw: dict[str, Any], line: int) -> tuple[str, str, Task]:
        code = raw["task_id"].strip()
        ref = SourceRef(self.path, line)
        raw_name = raw["task_name"]
        name = NAMES.get(raw_name) or cell_name(raw_name)
        if DEFECTS.get(name, "?") and damage(name):
            self.check(line, "task", f"{code} name", name)
        output = raw.get("output") or ""
        stem = code[1:]
        outputs = tuple(
            [Output(f"O{stem}.{n}", o, ref, True) for n, o in enumerate(split_outputs(output), 1)]
        )
        if not outputs:
            self.warn(line, f"task {code} has no work output")
        elif DEFECTS.get(output, "?") and damage(output):
            self.check(line, "task", f"{code} output", output)
        behaviors = raw.get("behaviors", [])
        if type(behaviors) is not list:
            raise TypeError("behaviors")
        names = NAMES
        texts = [t for t in [names.get(b) or cell_name(b) for b in behaviors] if t]
        indicators = tuple(
            [Indicator(f"P{stem}.{n}", t, ref, True) for n, t in enumerate(texts, 1)]
        )
        if not indicators:
            self.warn(line, f"task {code} has no performance indicator")
        level = raw.get("level")
        if not (level is None or (type(level) is int and 1 <= level <= 7)):
            if type(level) is not int:
                raise TypeError("level")
            self.warn(line, f"task {code} has level {level}, not 1-7; level left unknown")
            level = None
        knowledge, skills = raw.get("knowledge", ()), raw.get("skills", ())
        if type(knowledge) is not list or type(skills) is not list:
            raise TypeError("knowledge / skills")
        task = Task(code, name, level, outputs, indicators, tuple(knowledge), tuple(skills), ref)
        cell = raw["main_responsibility"]
        duty = duty_cell(cell)
        own = task_duty(code)
        if not own:
            self.warn(line, f"task code {code!r} is not of the form T<duty>.<n>")
        if duty is None:
            self.warn(
                line, f"task {code}: duty cell {cell!r} has no duty code; using {own or 'T?'}"
            )
            return own or "T?", cell_name(cell), task
        duty_code, duty_name = duty
        if own and own != duty_code:
            self.warn(
                line,
                f"task {code} is listed under duty {duty_code} {duty_name!r};"
                f" its code says duty {own}, which is missing",
            )
        return duty_code, duty_name, task

    def duties(self, raws: list[dict[str, Any]]) -> tuple[Duty, ...]:
        names: dict[str, str] = {}
        tasks: dict[str, list[Task]] = {}
        seen: set[str] = set()
        lines = self.task_lines if len(self.task_lines) == len(raws) else [0] * len(raws)
        for raw, line in zip(raws, lines, strict=True):
            duty_code, duty_name, task = self.task(raw, line)
            if task.code in seen:
                self.warn(line, f"task code {task.code} is used twice")
            seen.add(task.code)
            old = names.setdefault(duty_code, duty_name)
            if old != duty_name:
                if duty_name.startswith(old):  # a cut name is a prefix of the whole one
                    names[duty_code] = duty_name
                self.warn(
                    line,
                    f"duty {duty_code} is named both {old!r} and {duty_name!r};"
                    f" kept {names[duty_code]!r}",
                )
            tasks.setdefault(duty_code, []).append(task)
        duties = tuple(Duty(c, n, tuple(tasks[c]), tasks[c][0].source) for c, n in names.items())
        for d in duties:
            self.check(d.source.line, "duty", f"{d.code} name", d.name)
        if not duties:
            self.warn(0, "no duties or tasks: the task table is empty")
        numbers = {int(c[1:]) for c in names if c[1:].isdigit()}
        for n in sorted(set(range(1, max(numbers, default=0) + 1)) - numbers):
            self.warn(0, f"duty T{n} is missing (duties are numbered up to T{max(numbers)})")
        return duties

    def items(self, raws: list[dict[str, Any]], kind: ItemKind) -> tuple[Item, ...]:
        kept: dict[str, Item] = {}
        for raw in raws:
            code = raw["code"].strip()
            raw_name = raw["name"]
            name, marks = CLEANED.get(raw_name) or clean_cell(raw_name)
            description = raw.get("description")
            description = cell_name(description) if description else ""
            if not code:
                self.warn(0, f"{kind} {name!r} has no code; left out")
                continue
            if DEFECTS.get(name, "?") and damage(name):
                self.check(0, kind, code, name)
            first = kept.get(code)
            if first is None:
                kept[code] = Item(kind, code, name, description, marks, self.ref)
            elif first.name == name:
                self.warn(0, f"{kind} code {code} is listed twice")
            else:
                self.warn(
                    0,
                    f"{kind} code {code} has two names {first.name!r} and {name!r}; kept the first",
                )
        return tuple(kept.values())

    def cross_check(
        self, duties: tuple[Duty, ...], knowledge: tuple[Item, ...], skills: tuple[Item, ...]
    ) -> None:
        known = {k.code for k in knowledge}
        skill_codes = {s.code for s in skills}
        for duty in duties:
            for task in duty.tasks:
                for kind, codes, defined in (
                    ("knowledge", task.knowledge, known),
                    ("skill", task.skills, skill_codes),
                ):
                    # Only codes that are not defined can be of the wrong type.
                    for c in [c for c in codes if c not in defined]:
                        if type(c) is not str:
                            raise TypeError(kind)
                        self.warn(
                            task.source.line,
                            f"task {task.code} uses {kind} {c}, which the standard does not define",
                        )

    def code_names(self, names: list[str], codes: list[str], what: str) -> tuple[CodeName, ...]:
        names = [n for n in map(cell_name, names) if n]
        codes = [c.strip() for c in codes if c.strip()]
        if len(names) == len(codes):
            return tuple(CodeName(n, c) for n, c in zip(names, codes, strict=True))
        self.warn(0, f"{what}: {len(names)} names but {len(codes)} codes; kept them unpaired")
        return tuple(CodeName(n, "") for n in names) + tuple(CodeName("", c) for c in codes)

    def occupation(self, name: str, code: str) -> tuple[CodeName, ...]:
        # Occupation names may contain 、 themselves (其他軟體、應用程式開發人員及分析師),
        # so a name is split only when the split agrees with the codes.
        codes = [c for c in re.split("[、，,]", code) if c.strip()]
        parts = [p for p in re.split("[、，,]", name) if p.strip()]
        if len(codes) > 1 and len(parts) == len(codes):
            return self.code_names(parts, codes, "occupation")
        if len(codes) > 1 or any(len(c.strip()) > 6 for c in codes):
            self.warn(
                0,
                f"occupation {name!r} / {code!r}: names and codes cannot be paired;"
                " kept as one entry",
            )
        clean = cell_name(name)
        return (CodeName(clean, "、".join(c.strip() for c in codes)),) if clean or codes else ()

    def standard(self, obj: dict[str, Any], text: str) -> Standard:
        meta, basic = obj["metadata"], obj["basic_info"]
        if any(type(obj[key]) is not list for key in _LISTS):
            raise TypeError("competency lists")
        raw_name = meta["name"]
        historical = HISTORICAL_MARK in raw_name or HISTORICAL_MARK in os.path.basename(self.path)
        name = cell_name(raw_name.replace(HISTORICAL_MARK, ""))
        code = meta["code"].strip()
        if not code:
            code = os.path.splitext(os.path.basename(self.path))[0]
            self.warn(0, f"empty standard code; using the file name {code!r} as its code")
        version, date = meta.get("version", "").strip(), meta.get("update_date", "").strip()
        status = meta.get("status", "").strip()
        duties = self.duties(obj["competency_tasks"])
        knowledge = self.items(obj["competency_knowledge"], "knowledge")
        skills = self.items(obj["competency_skills"], "skill")
        attitudes = self.items(obj["competency_attitudes"], "attitude")
        self.cross_check(duties, knowledge, skills)
        if not attitudes:
            self.warn(0, "the attitude list is empty")
        marks = sorted({m for i in knowledge + skills + attitudes for m in i.notes})
        if marks:
            self.warn(
                0,
                f"notes lost: items carry marks {', '.join(marks)} but the JSON layout"
                " has no notes",
            )
        level = _level(basic.get("level"))
        if level is None and basic.get("level") is not None:
            self.warn(0, f"the standard has level {basic['level']}, not 1-7; level left unknown")
        category = cell_name(basic.get("category", ""))
        category_code = basic.get("category_code", "").strip()
        categories = (CodeName(category, category_code),) if category or category_code else ()
        industry, industry_code = basic.get("industry", []), basic.get("industry_code", [])
        if type(industry) is not list or type(industry_code) is not list:
            raise TypeError("industry")
        return Standard(
            code=code,
            name=name,
            level=level,
            description=cell_name(basic.get("job_description", "")),
            category=categories,
            occupation=self.occupation(
                basic.get("occupation", ""), basic.get("occupation_code", "")
            ),
            industry=self.code_names(industry, industry_code, "industry"),
            versions=(Version(version, code, name, status, "", date),) if version or date else (),
            duties=duties,
            knowledge=knowledge,
            skills=skills,
            attitudes=attitudes,
            requirements=cell_name(basic.get("requirements", "")),
            notes=(),
            source=SourceInfo(self.path, hashlib.sha256(text.encode("utf-8")).hexdigest(), "json"),
            warnings=tuple(self.warnings),
            historical=historical,
        )


def parse_standard_json(text: str, path: str) -> Standard:
    """Read one standard in the JSON corpus layout.

    Parameters
    ----------
    text : the file's decoded text (see :func:`loaders.decode.decode_bytes`).
    path : the file name, used in the records' provenance and in messages.

    Returns
    -------
    A :class:`Standard` whose output codes ``O<task>.<n>`` and indicator codes
    ``P<task>.<n>`` are synthesised (``synthesized=True``), ``historical`` set for
    《歷史資料》 files, and one warning per detected defect (line = the task's line
    when the defect belongs to a task, else 0).

    Raises
    ------
    ParseError
        invalid JSON (with its line) or a JSON value of the wrong shape.

    >>> doc = {"metadata": {"code": "X-001v1", "name": "測試員"}, "basic_info": {},
    ...        "competency_tasks": [{"main_responsibility": "T1規劃", "task_id": "T1.1",
    ...            "task_name": "蒐集 資料", "output": "報告（如：月報、年報）、清單",
    ...            "behaviors": ["能蒐集資料。"], "knowledge": ["K01"], "skills": ["S01"],
    ...            "level": 3}],
    ...        "competency_knowledge": [{"code": "K01", "name": "統計"}],
    ...        "competency_skills": [], "competency_attitudes": []}
    >>> std = parse_standard_json(json.dumps(doc, ensure_ascii=False), "x.json")
    >>> [(o.code, o.name) for o in std.tasks[0].outputs]
    [('O1.1.1', '報告（如：月報、年報）'), ('O1.1.2', '清單')]
    >>> [str(w) for w in std.warnings]  # doctest: +NORMALIZE_WHITESPACE
    ['x.json:1: task T1.1 uses skill S01, which the standard does not define',
     'x.json: the attitude list is empty']
    >>> parse_standard_json('{"metadata": [', "y.json")
    Traceback (most recent call last):
    ...
    loaders.errors.ParseError: y.json:1: invalid JSON: Expecting value (column 15)
    """
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            path, exc.lineno, f"invalid JSON: {exc.msg} (column {exc.colno})"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise ParseError(path, None, f"invalid JSON: {exc}") from None
    try:
        return _Builder(text, path).standard(obj, text)
    except (KeyError, TypeError, AttributeError) as exc:
        # The fast path indexes blindly; now find out what exactly was wrong.
        raise explain_shape(obj, path) or ParseError(
            path, None, f"not an iCAP standard (JSON corpus layout): {exc!r}"
        ) from None
