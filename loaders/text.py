"""The text loader: one competency standard in the layout of the seed files.

The text is what extraction from the official PDF gives: a title line, the
versions table, the basic-information rows, the task table (tab-separated, its
header repeated at page breaks), the attitude list and the 說明與補充事項 block.
Each line is first checked against the section headings (a registry), then read
by the reader of the section it is in; a line no reader takes becomes a
warning, so nothing is dropped silently. The cross-checks (undefined K/S codes,
one code with two names, task codes that do not match their duty, footnote marks
without a note, a truncated table) are warnings too: only a text that is not a
standard at all raises :class:`~loaders.errors.ParseError`.

>>> from pathlib import Path
>>> path = Path(__file__).parent.parent / "data/standards/IDC5294-001v2.txt"
>>> std = parse_standard_text(path.read_text(encoding="utf-8"), str(path))
>>> std.code, std.name, std.duties[0].tasks[1].name, std.duties[0].tasks[1].outputs[0].name
('IDC5294-001v2', '數位平台直播人員', '承接專案', '專案合約')
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from loaders.clean import LETTERLESS, letterless
from loaders.errors import ParseError
from loaders.records import Item, ItemKind, LoadWarning, SourceInfo, SourceRef, Standard
from loaders.text_meta import Meta, attitude_line, info_row, remark_line, version_row
from loaders.text_table import MarkUse, Occurrence, TableReader, looks_like_row

_TITLE_SUFFIX = "職能基準"
_HISTORICAL = "歷史資料"
_NOT_A_STANDARD = "not a competency standard (no 職能基準代碼 and no task table)"
_SHOWN = 60  # characters of an unplaced line quoted in its warning


@dataclass
class _State:
    """The reading position: which section the current line belongs to."""

    meta: Meta
    table: TableReader
    section: str = "preamble"
    seen: set[str] = field(default_factory=set)
    last_line: int = 0


def _key(line: str) -> str:
    return re.sub(r"\s+", "", line)


def _enter_versions(state: _State, cells: list[str], line: int) -> None:
    state.section = "versions"


def _enter_table(state: _State, cells: list[str], line: int) -> None:
    state.section = "table"
    state.table.header(cells, line)


def _enter(section: str) -> Callable[[_State, list[str], int], None]:
    def enter(state: _State, cells: list[str], line: int) -> None:
        state.section = section

    return enter


#: Section headings: a test on the line with white space removed → what it opens.
HEADINGS: tuple[tuple[Callable[[str], bool], Callable[[_State, list[str], int], None]], ...] = (
    (lambda k: k.startswith("版本職能基準代碼"), _enter_versions),
    (lambda k: k.startswith("主要職責"), _enter_table),
    (lambda k: k.startswith(("職能內涵(A=", "職能內涵（A=")), _enter("attitudes")),
    (lambda k: k.startswith("說明與補充事項"), _enter("remarks")),
)


def _unplaced(state: _State, text: str, line: int) -> None:
    shown = text.strip().replace("\t", " | ")
    shown = shown if len(shown) <= _SHOWN else shown[:_SHOWN] + "…"
    state.meta.warn(line, f"line could not be placed ({state.section}): {shown!r}")


def _read_line(state: _State, text: str, line: int) -> None:
    key = _key(text)
    if not key:
        if state.section == "versions":
            state.section = "info"
        return
    state.last_line = line
    cells = text.split("\t")
    for test, enter in HEADINGS:
        if test(key):
            enter(state, cells, line)
            state.seen.add(state.section)
            return
    tabbed = len(cells) > 1
    if tabbed and state.section not in ("attitudes", "remarks") and info_row(cells, line,
                                                                               state.meta):
        return
    if tabbed and state.section in ("preamble", "info", "versions") and looks_like_row(cells):
        state.meta.warn(line, "task table row without a header row before it; read as the table")
        state.section = "table"
    SECTION_READERS[state.section](state, text, cells, line)


def _read_preamble(state: _State, text: str, cells: list[str], line: int) -> None:
    if len(cells) == 1 and not state.meta.title:
        state.meta.title = text.strip()
    else:
        _unplaced(state, text, line)


def _read_version(state: _State, text: str, cells: list[str], line: int) -> None:
    if len(cells) > 1:
        version_row(cells, line, state.meta)
    else:
        _unplaced(state, text, line)


def _read_table_row(state: _State, text: str, cells: list[str], line: int) -> None:
    if len(cells) > 1:
        state.table.row(cells, line)
    else:
        _unplaced(state, text, line)


def _read_attitude(state: _State, text: str, cells: list[str], line: int) -> None:
    if not attitude_line(text.replace("\t", " "), line, state.meta):
        _unplaced(state, text, line)


def _read_remark(state: _State, text: str, cells: list[str], line: int) -> None:
    remark_line(text.replace("\t", " "), line, state.meta)


#: Section → what reads a line in it that is neither a heading nor a basic-information row.
SECTION_READERS: dict[str, Callable[[_State, str, list[str], int], None]] = {
    "preamble": _read_preamble,
    "versions": _read_version,
    "info": lambda state, text, cells, line: _unplaced(state, text, line),
    "table": _read_table_row,
    "attitudes": _read_attitude,
    "remarks": _read_remark,
}


def _items(
    kind: ItemKind, occurrences: Iterable[Occurrence], path: str, warnings: list[LoadWarning]
) -> tuple[Item, ...]:
    """One item per code, named from its occurrences; undefined codes and name clashes warn."""
    by_code: dict[str, list[Occurrence]] = {}
    for occ in occurrences:
        by_code.setdefault(occ.code, []).append(occ)
    items: list[Item] = []
    for code, occs in by_code.items():
        named = [o for o in occs if o.name]
        if not named:
            warnings.append(LoadWarning(path, occs[0].line, f"task {occs[0].task} uses {code}, "
                                        "which the standard does not define (no name anywhere)"))
            continue
        for other in named[1:]:
            if other.name != named[0].name:
                warnings.append(LoadWarning(path, other.line, (
                    f"{code} has two names: {named[0].name!r} (line {named[0].line}) and "
                    f"{other.name!r}; keeping the first")))
        if letterless(named[0].name):  # its tasks still cite the code; no node is made
            warnings.append(LoadWarning(path, named[0].line,
                                        f"{kind} {code} {named[0].name!r} {LETTERLESS}"))
            continue
        marks = tuple(dict.fromkeys(m for o in occs for m in o.marks))
        items.append(Item(kind, code, named[0].name, "", marks, SourceRef(path, named[0].line)))
    return tuple(sorted(items, key=lambda i: (len(i.code), i.code)))


def _name(meta: Meta) -> str:
    if meta.occupation_name or meta.group_name:
        return meta.occupation_name or meta.group_name
    title = meta.title.removesuffix(_TITLE_SUFFIX).strip()
    meta.warn(1, f"no 職業 name in the basic information; using the title {title!r}"
              if title else "no 職業 name and no title")
    return title


def _code(meta: Meta) -> str:
    if meta.code:
        return meta.code
    latest = next((v for v in meta.versions if v.status == "最新版本"), None)
    if latest is None and meta.versions:
        latest = meta.versions[0]
    meta.warn(0, f"no 職能基準代碼 row; using {latest.code!r} from the versions table"
              if latest else "no 職能基準代碼 row and no versions table; the code is empty")
    return latest.code if latest else ""


def parse_standard_text(text: str, path: str) -> Standard:
    """Read one standard from ``text`` (already decoded) in the seed layout.

    Parameters
    ----------
    text : the whole file as a string (CRLF or CR line ends are accepted).
    path : the file name, used in warnings and in ``source``.

    Returns
    -------
    A :class:`~loaders.records.Standard` whose ``warnings`` list every line it
    could not place and every failed cross-check, each with file and line.

    Raises
    ------
    ParseError : only when the text is not a standard at all (empty, or neither
    a 職能基準代碼 row nor a task table).

    >>> parse_standard_text("hello", "x.txt")
    Traceback (most recent call last):
    ...
    loaders.errors.ParseError: x.txt: not a competency standard (no 職能基準代碼 and no task table)
    """
    if not text.strip():
        raise ParseError(path, None, "empty file")
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    state = _State(Meta(path), TableReader(path))
    for number, line in enumerate(lines, start=1):
        _read_line(state, line, number)
    meta = state.meta
    table = state.table.finish()
    if not meta.code and not table.duties:
        raise ParseError(path, None, _NOT_A_STANDARD)
    code, name = _code(meta), _name(meta)
    warnings = list(meta.warnings) + list(table.warnings)
    _structure_checks(state, warnings)
    knowledge = _items("knowledge", table.knowledge, path, warnings)
    skills = _items("skill", table.skills, path, warnings)
    attitudes = tuple(meta.attitudes)
    _mark_checks(meta, table.marks, knowledge + skills + attitudes, warnings)
    return Standard(
        code=code,
        name=name,
        level=meta.level,
        description=meta.description,
        category=tuple(meta.category),
        occupation=tuple(meta.occupation),
        industry=tuple(meta.industry),
        versions=tuple(meta.versions),
        duties=table.duties,
        knowledge=knowledge,
        skills=skills,
        attitudes=attitudes,
        requirements="\n".join(meta.requirements),
        notes=tuple(meta.notes),
        source=SourceInfo(path, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
                          "text"),
        # file-level warnings (line 0) first, then in the order of the text
        warnings=tuple(sorted(warnings, key=lambda w: w.line)),
        historical=_HISTORICAL in meta.title,
    )


def _structure_checks(state: _State, warnings: list[LoadWarning]) -> None:
    """Sections that are missing, or a table that the text ends inside."""
    path = state.meta.path
    if not state.table.duties:
        warnings.append(LoadWarning(path, 0, "no task table (主要職責 …) with any duty"))
    elif state.section == "table":
        warnings.append(LoadWarning(path, state.last_line, "the text ends inside the task table "
                                    "(truncated?); no attitude or remarks section follows"))
    if "attitudes" not in state.seen:
        warnings.append(LoadWarning(path, 0, "no attitude section (職能內涵 (A=attitude 態度))"))
    elif not state.meta.attitudes:
        warnings.append(LoadWarning(path, 0, "the attitude section lists no attitude"))


def _mark_checks(
    meta: Meta, marks: Iterable[MarkUse], items: Iterable[Item], warnings: list[LoadWarning]
) -> None:
    """A footnote mark whose note is missing under 其他補充說明."""
    defined = {n.mark for n in meta.notes if n.mark}
    used = [*marks, *(MarkUse(m, i.source.line) for i in items for m in i.notes)]
    for use in dict.fromkeys(used):
        if use.mark not in defined:
            warnings.append(LoadWarning(meta.path, use.line, f"footnote mark 【{use.mark}】 "
                                        "has no note under 其他補充說明"))
