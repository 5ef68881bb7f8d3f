"""The JSON corpus layout (../shared/icap-corpus) read into the same records as the text loader.

The corpus came from a third-party PDF parser and is noisy: output and indicator
codes are lost (outputs are one joined string, indicators a bare list), notes
are dropped, cells are cut short or swallow table fragments, some lists are
empty and some codes are wrong. This module reads what is there, marks what it
had to synthesise (``synthesized=True``) and turns every defect it can detect
into a :class:`LoadWarning`; it never fills a gap with invented content.

Loading the whole corpus has a budget of twice a bare ``json.load``, so: the
records are built by direct indexing, and only when that fails is the object
walked against :data:`loaders.corpus_json_shape.SHAPE` to name the offending
field in a :class:`ParseError`; the cells of a file are screened in one regex
pass and only the few flagged ones are cleaned and checked one by one
(:func:`_flagged`). The task table is :mod:`loaders.corpus_json_table`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from typing import Any

from loaders.corpus_json_cells import (
    UNCLEAN_OR_DAMAGED,
    cell_name,
    clean_cell,
    damage,
    suspects,
)
from loaders.corpus_json_shape import explain_shape
from loaders.corpus_json_table import cross_check, read_duties
from loaders.errors import ParseError
from loaders.records import (
    CodeName,
    Item,
    ItemKind,
    LoadWarning,
    SourceInfo,
    SourceRef,
    Standard,
    Version,
)

HISTORICAL_MARK = "《歷史資料》"

_LISTS = ("competency_tasks", "competency_knowledge", "competency_skills", "competency_attitudes")
_TASK_ID = re.compile(r'"task_id"\s*:')
_SEPARATORS = re.compile("[、，,]")


def _level(value: Any) -> int | None:
    if value is None or (type(value) is int and 1 <= value <= 7):
        return value  # type: ignore[no-any-return]
    if type(value) is not int:
        raise TypeError("level")
    return None


def _task_lines(text: str) -> list[int]:
    """The line of each ``"task_id"`` key. Task objects appear in file order, so the n-th
    key is on the n-th task's line: warnings get a line without a position-aware parser."""
    lines: list[int] = []
    pos, line, found = 0, 1, text.find('"task_id"')
    while found >= 0:  # str.find skips ahead far faster than a regex scan of the text
        if _TASK_ID.match(text, found) is not None:
            line += text.count("\n", pos, found)
            pos = found
            lines.append(line)
        found = text.find('"task_id"', found + 9)
    return lines


def _flagged(obj: dict[str, Any]) -> set[str]:
    """The cells of the task table and item lists that need cleaning or look damaged,
    found in one pass over the file (see :func:`loaders.corpus_json_cells.suspects`)."""
    tasks = obj["competency_tasks"]
    cells = [raw["task_name"] for raw in tasks]
    cells += [raw.get("output") or "" for raw in tasks]
    cells += [b for raw in tasks for b in raw.get("behaviors", [])]
    for key in _LISTS[1:]:
        cells += [raw["name"] for raw in obj[key]]
    return suspects(cells, UNCLEAN_OR_DAMAGED)


class _Builder:
    """Builds one Standard from a parsed object, collecting warnings."""

    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self.ref = SourceRef(path, 0)
        self.warnings: list[LoadWarning] = []
        self.task_lines = _task_lines(text)
        self.marked = False  # whether any item name carried a footnote mark

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(LoadWarning(self.path, line, message))

    def items(
        self, raws: list[dict[str, Any]], kind: ItemKind, flagged: set[str]
    ) -> tuple[Item, ...]:
        kept: dict[str, Item] = {}
        ref, warn = self.ref, self.warn
        for raw in raws:
            code = raw["code"].strip()
            name = raw["name"]
            marks: tuple[str, ...] = ()
            problem = ""
            if name in flagged:
                name, marks = clean_cell(name)
                problem = damage(name)
                self.marked = self.marked or bool(marks)
            description = raw.get("description")
            description = cell_name(description) if description else ""
            if not code:
                warn(0, f"{kind} {name!r} has no code; left out")
                continue
            if problem:
                warn(0, f"{kind} {code} {name!r} {problem}")
            first = kept.get(code)
            if first is None:
                kept[code] = Item(kind, code, name, description, marks, ref)
            elif first.name == name:
                warn(0, f"{kind} code {code} is listed twice")
            else:
                warn(
                    0,
                    f"{kind} code {code} has two names {first.name!r} and {name!r}; kept the first",
                )
        return tuple(kept.values())

    def code_names(self, names: list[str], codes: list[str], what: str) -> tuple[CodeName, ...]:
        names = [n for n in map(cell_name, names) if n]
        codes = [c.strip() for c in codes if c.strip()]
        if len(names) == len(codes):
            return tuple(CodeName(n, c) for n, c in zip(names, codes, strict=True))
        self.warn(0, f"{what}: {len(names)} names but {len(codes)} codes; kept them unpaired")
        return tuple([CodeName(n, "") for n in names] + [CodeName("", c) for c in codes])

    def occupation(self, name: str, code: str) -> tuple[CodeName, ...]:
        # Occupation names may contain 、 themselves (其他軟體、應用程式開發人員及分析師),
        # so a name is split only when the split agrees with the codes.
        codes = [c for c in _SEPARATORS.split(code) if c.strip()]
        parts = [p for p in _SEPARATORS.split(name) if p.strip()]
        if len(codes) > 1 and len(parts) == len(codes):
            return self.code_names(parts, codes, "occupation")
        if len(codes) > 1 or any(len(c.strip()) > 6 for c in codes):
            self.warn(
                0,
                f"occupation {name!r} / {code!r}: names and codes cannot be paired;"
                " kept as one entry",
            )
        clean = cell_name(name)
        if not clean and not codes:
            return ()
        return (CodeName(clean, "、".join(c.strip() for c in codes)),)

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
        flagged = _flagged(obj)
        raws = obj["competency_tasks"]
        lines = self.task_lines if len(self.task_lines) == len(raws) else [0] * len(raws)
        duties = read_duties(raws, self.path, lines, flagged, self.warn)
        knowledge = self.items(obj["competency_knowledge"], "knowledge", flagged)
        skills = self.items(obj["competency_skills"], "skill", flagged)
        attitudes = self.items(obj["competency_attitudes"], "attitude", flagged)
        cross_check(duties, {k.code for k in knowledge}, {s.code for s in skills}, self.warn)
        if not attitudes:
            self.warn(0, "the attitude list is empty")
        # Only a cleaned name can carry marks; most files have none to collect.
        marks = (
            sorted({m for i in knowledge + skills + attitudes for m in i.notes})
            if self.marked
            else []
        )
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
            versions=(
                (Version(version, code, name, status, "", date),) if version or date else ()
            ),
            duties=duties,
            knowledge=knowledge,
            skills=skills,
            attitudes=attitudes,
            requirements=cell_name(basic.get("requirements", "")),
            notes=(),
            source=SourceInfo(
                self.path, hashlib.sha256(text.encode("utf-8")).hexdigest(), "json"
            ),
            warnings=tuple(self.warnings),
            historical=historical,
            latest=True,
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
