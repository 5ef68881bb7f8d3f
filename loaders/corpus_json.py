"""The JSON corpus layout (../shared/icap-corpus) read into the same records as the text loader.

The corpus came from a third-party PDF parser and is noisy: output and indicator
codes are lost (outputs are one joined string, indicators a bare list), notes
are dropped, cells are cut short or swallow table fragments, some lists are
empty and some codes are wrong. This module reads what is there, marks what it
had to synthesise (``synthesized=True``) and turns every defect it can detect
into a :class:`LoadWarning`; it never fills a gap with invented content.

Loading the whole corpus has a budget of twice a bare ``json.load``, so: a file
is decoded by msgspec straight into the typed structs of
:mod:`loaders.corpus_json_shape` (from its bytes, when they are plain UTF-8),
and only when that fails is it read again with :func:`json.loads` to name the
offending line or field in a :class:`ParseError`; the cells of a file are
screened in one regex pass and only the few flagged ones are cleaned and
checked one by one (:func:`_flagged`). The task table is
:mod:`loaders.corpus_json_table`.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
from collections.abc import Iterable
from itertools import repeat
from typing import AnyStr

import msgspec

from loaders.clean import LETTERLESS, letterless
from loaders.corpus_json_cells import (
    UNCLEAN,
    UNCLEAN_OR_DAMAGED,
    cell_name,
    clean_cell,
    damage,
    suspects,
)
from loaders.corpus_json_shape import RawItem, RawStandard, StrictStandard, explain_shape
from loaders.corpus_json_table import cross_check, read_duties
from loaders.decode import MAX_BYTES, decode_bytes
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
    fast_constructor,
)

HISTORICAL_MARK = "《歷史資料》"

_TASK_ID = re.compile(r'"task_id"\s*:')
# A name that starts with something other than a letter (or is empty): the few names
# :func:`loaders.clean.letterless` may reject are among these; found in one pass over a
# file's item names joined by NUL.
_NO_LEADING_LETTER = re.compile(r"\x00(?:[^\w]|[\d_])")
_SECTIONS: dict[ItemKind, str] = {"knowledge": "competency_knowledge",
                                  "skill": "competency_skills",
                                  "attitude": "competency_attitudes"}
_TASK_ID_BYTES = re.compile(rb'"task_id"\s*:')
_SEPARATORS = re.compile("[、，,]")
_DECODE = msgspec.json.Decoder(StrictStandard).decode
_item, _warning = fast_constructor(Item), fast_constructor(LoadWarning)
_standard = fast_constructor(Standard)


def _level(value: int | None) -> int | None:
    return value if value is None or 1 <= value <= 7 else None


def _task_lines(text: AnyStr, key: AnyStr, newline: AnyStr, pattern: re.Pattern[AnyStr]
                ) -> list[int]:
    """The line of each ``"task_id"`` key (``key``, matched by ``pattern``). Task objects
    appear in file order, so the n-th key is on the n-th task's line: warnings get a line
    without a position-aware parser."""
    lines: list[int] = []
    pos, line, found = 0, 1, text.find(key)
    while found >= 0:  # find skips ahead far faster than a regex scan of the text
        if pattern.match(text, found) is not None:
            line += text.count(newline, pos, found)
            pos = found
            lines.append(line)
        found = text.find(key, found + 9)
    return lines


def _flagged(raw: RawStandard) -> set[str]:
    """The cells of the file that need cleaning or, for names, look damaged, found in two
    regex passes (see :func:`loaders.corpus_json_cells.suspects`): names (of tasks,
    outputs and items) are screened for both, texts that are only cleaned (indicators,
    attitude descriptions) for what cleaning changes."""
    tasks = raw.competency_tasks
    items = (*raw.competency_knowledge, *raw.competency_skills, *raw.competency_attitudes)
    names = [t.task_name for t in tasks]
    names += [t.output or "" for t in tasks]
    names += [i.name for i in items]
    texts = [b for t in tasks for b in t.behaviors]
    texts += [i.description for i in items if i.description]
    return suspects(names, UNCLEAN_OR_DAMAGED) | suspects(texts, UNCLEAN)


class _Builder:
    """Builds one Standard from a parsed object, collecting warnings."""

    def __init__(self, source: str | bytes, path: str) -> None:
        self.path = path
        self.ref = SourceRef(path, 0)
        self.warnings: list[LoadWarning] = []
        self.task_lines = (
            _task_lines(source, b'"task_id"', b"\n", _TASK_ID_BYTES)
            if isinstance(source, bytes)
            else _task_lines(source, '"task_id"', "\n", _TASK_ID)
        )
        self.marked = False  # whether any item name carried a footnote mark
        self.source = source
        #: (kind, code) of items left out for a letterless name: tasks still cite them.
        self.dropped: set[tuple[ItemKind, str]] = set()
        #: Whether some item name of the file does not start with a letter.
        self.odd_names = True

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(_warning(self.path, line, message))

    def items(
        self, raws: tuple[RawItem, ...], kind: ItemKind, flagged: set[str]
    ) -> tuple[Item, ...]:
        codes = [raw.code.strip() for raw in raws]
        names = [raw.name for raw in raws]
        if not all(codes) or len(set(codes)) != len(codes) or (
                self.odd_names and _NO_LEADING_LETTER.search("\x00" + "\x00".join(names))):
            return self._checked_items(raws, kind, flagged)
        # The common case, decided for the whole list at once: every code present and
        # distinct, every name starting with a letter. Only the names ``flagged`` are
        # cleaned and checked one by one.
        marks: Iterable[tuple[str, ...]] = repeat(())
        if not flagged.isdisjoint(names):
            names, marks = self._cleaned_names(kind, codes, names, flagged)
        descriptions: Iterable[str] = [raw.description or "" for raw in raws]
        if not any(descriptions):  # knowledge and skills: one shared empty description
            descriptions = repeat("")
        elif not flagged.isdisjoint(descriptions):
            descriptions = [cell_name(d) if d in flagged else d for d in descriptions]
        return tuple(map(_item, repeat(kind), codes, names, descriptions, marks, repeat(self.ref)))

    def _cleaned_names(
        self, kind: ItemKind, codes: list[str], names: list[str], flagged: set[str]
    ) -> tuple[list[str], list[tuple[str, ...]]]:
        """The names cleaned, with their marks, warning about the damaged ones."""
        cleaned: list[str] = []
        marks: list[tuple[str, ...]] = []
        for code, raw_name in zip(codes, names, strict=True):
            name, found, problem = self._item_name(raw_name, flagged)
            if problem:
                self.warn(0, f"{kind} {code} {name!r} {problem}")
            cleaned.append(name)
            marks.append(found)
        return cleaned, marks

    def _item_name(self, name: str, flagged: set[str]) -> tuple[str, tuple[str, ...], str]:
        """An item name cleaned when ``flagged``: ``(name, footnote marks, damage)``."""
        if name not in flagged:
            return name, (), ""
        name, marks = clean_cell(name)
        self.marked = self.marked or bool(marks)
        return name, marks, damage(name)

    def _checked_items(
        self, raws: tuple[RawItem, ...], kind: ItemKind, flagged: set[str]
    ) -> tuple[Item, ...]:
        """The items of a list with an empty or repeated code, or a name that does not
        start with a letter: each one checked in turn."""
        ref = self.ref
        kept: dict[str, Item] = {}
        warn = self.warn
        for raw in raws:
            code = raw.code.strip()
            name, marks, problem = self._item_name(raw.name, flagged)
            description = cell_name(raw.description) if raw.description else ""
            if not code:
                warn(0, f"{kind} {name!r} has no code; left out")
                continue
            if letterless(name):
                warn(self._item_line(kind, code), f"{kind} {code} {name!r} {LETTERLESS}")
                self.dropped.add((kind, code))
                continue
            if problem:
                warn(0, f"{kind} {code} {name!r} {problem}")
            first = kept.get(code)
            if first is None:
                kept[code] = _item(kind, code, name, description, marks, ref)
            elif first.name == name:
                warn(0, f"{kind} code {code} is listed twice")
            else:
                warn(
                    0,
                    f"{kind} code {code} has two names {first.name!r} and {name!r}; kept the first",
                )
        return tuple(kept.values())

    def _item_line(self, kind: ItemKind, code: str) -> int:
        """The line of item ``code`` in its list (0 when it cannot be found): the first
        ``"code"`` value after the list's key. Asked only for the rare item warned about."""
        source = self.source
        section, value = f'"{_SECTIONS[kind]}"', json.dumps(code, ensure_ascii=False)
        if isinstance(source, bytes):
            start = source.find(section.encode())
            found = source.find(value.encode(), start) if start >= 0 else -1
            return source.count(b"\n", 0, found) + 1 if found >= 0 else 0
        start = source.find(section)
        found = source.find(value, start) if start >= 0 else -1
        return source.count("\n", 0, found) + 1 if found >= 0 else 0

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

    def standard(self, raw: RawStandard, source: str | bytes) -> Standard:
        meta, basic = raw.metadata, raw.basic_info
        historical = HISTORICAL_MARK in meta.name or HISTORICAL_MARK in os.path.basename(self.path)
        name = cell_name(meta.name.replace(HISTORICAL_MARK, ""))
        code = meta.code.strip()
        if not code:
            code = os.path.splitext(os.path.basename(self.path))[0]
            self.warn(0, f"empty standard code; using the file name {code!r} as its code")
        version, date = meta.version.strip(), meta.update_date.strip()
        status = meta.status.strip()
        flagged = _flagged(raw)
        every = (*raw.competency_knowledge, *raw.competency_skills, *raw.competency_attitudes)
        self.odd_names = _NO_LEADING_LETTER.search(
            "\x00" + "\x00".join([i.name for i in every])) is not None
        raws = raw.competency_tasks
        lines = self.task_lines if len(self.task_lines) == len(raws) else [0] * len(raws)
        duties = read_duties(raws, self.path, lines, flagged, self.warn)
        knowledge = self.items(raw.competency_knowledge, "knowledge", flagged)
        skills = self.items(raw.competency_skills, "skill", flagged)
        attitudes = self.items(raw.competency_attitudes, "attitude", flagged)
        # An item left out for its name was warned about once; its uses are not undefined.
        dropped = self.dropped
        known_k = {k.code for k in knowledge} | {c for k, c in dropped if k == "knowledge"}
        known_s = {s.code for s in skills} | {c for k, c in dropped if k == "skill"}
        cross_check(duties, known_k, known_s, self.warn)
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
        level = _level(basic.level)
        if level is None and basic.level is not None:
            self.warn(0, f"the standard has level {basic.level}, not 1-7; level left unknown")
        category = cell_name(basic.category)
        category_code = basic.category_code.strip()
        categories = (CodeName(category, category_code),) if category or category_code else ()
        return _standard(
            code=code,
            name=name,
            level=level,
            description=cell_name(basic.job_description),
            category=categories,
            occupation=self.occupation(basic.occupation, basic.occupation_code),
            industry=self.code_names(basic.industry, basic.industry_code, "industry"),
            versions=(
                (Version(version, code, name, status, "", date),) if version or date else ()
            ),
            duties=duties,
            knowledge=knowledge,
            skills=skills,
            attitudes=attitudes,
            requirements=cell_name(basic.requirements),
            notes=(),
            source=SourceInfo(
                self.path,
                hashlib.sha256(
                    source if isinstance(source, bytes) else source.encode("utf-8")
                ).hexdigest(),
                "json",
            ),
            warnings=tuple(self.warnings),
            historical=historical,
            latest=True,
        )


def _plain_utf8(data: bytes) -> bool:
    """Whether ``data`` decodes to exactly itself: no byte-order mark, no carriage return
    to normalise, no DEL (which :func:`decode_bytes` refuses as binary; JSON itself refuses
    the other control characters), within the size limit. msgspec checks the UTF-8."""
    return (
        len(data) <= MAX_BYTES
        and not data.startswith(codecs.BOM_UTF8)
        and b"\r" not in data
        and b"\x7f" not in data
    )


def _decode_raw(source: str | bytes) -> RawStandard | None:
    try:
        return _DECODE(source)
    except (msgspec.DecodeError, ValueError):  # also ValidationError and bad UTF-8
        return None


def _read_slowly(text: str, path: str) -> RawStandard:
    """The standard library's reading of a file the typed decoder refused, for a precise
    error: the line of a syntax error, or the field of the wrong shape."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ParseError(
            path, exc.lineno, f"invalid JSON: {exc.msg} (column {exc.colno})"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise ParseError(path, None, f"invalid JSON: {exc}") from None
    try:
        # What msgspec's decoder refuses but json.loads reads (a lone surrogate escape)
        # still loads.
        return msgspec.convert(obj, RawStandard)
    except (msgspec.ValidationError, RecursionError) as exc:
        raise explain_shape(obj, path) or ParseError(
            path, None, f"not an iCAP standard (JSON corpus layout): {exc}"
        ) from None


def parse_standard_json(source: str | bytes, path: str) -> Standard:
    """Read one standard in the JSON corpus layout.

    Parameters
    ----------
    source : the file's decoded text (see :func:`loaders.decode.decode_bytes`), or its
        raw bytes, which are decoded the same way unless they are plain UTF-8 JSON
        (then msgspec reads them directly, the fast path of :func:`loaders.corpus.load_corpus`).
    path : the file name, used in the records' provenance and in messages.

    Returns
    -------
    A :class:`Standard` whose output codes ``O<task>.<n>`` and indicator codes
    ``P<task>.<n>`` are synthesised (``synthesized=True``), ``historical`` set for
    《歷史資料》 files, and one warning per detected defect (line = the task's line
    when the defect belongs to a task, else 0). ``source.sha256`` is the hash of the
    decoded text as UTF-8 (of the bytes themselves for a plain UTF-8 file).

    Raises
    ------
    ParseError
        undecodable bytes, invalid JSON (with its line) or a JSON value of the wrong
        shape (naming the field).

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
    >>> std == parse_standard_json(json.dumps(doc, ensure_ascii=False).encode(), "x.json")
    True
    >>> parse_standard_json('{"metadata": [', "y.json")
    Traceback (most recent call last):
    ...
    loaders.errors.ParseError: y.json:1: invalid JSON: Expecting value (column 15)
    """
    if isinstance(source, bytes):
        raw = _decode_raw(source) if _plain_utf8(source) else None
        if raw is not None:
            return _Builder(source, path).standard(raw, source)
        source = decode_bytes(source, path)
    raw = _decode_raw(source) or _read_slowly(source, path)
    return _Builder(source, path).standard(raw, source)
