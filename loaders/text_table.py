"""The task table of a seed-layout standard: rows in, duties and K/S occurrences out.

The table has seven tab-separated columns (主要職責, 工作任務, 工作產出, 行為指標,
職能級別, K, S). A page break repeats the header row, and a cell that ran over
the page continues in the next row with empty leading columns: text found
*before* the first code of a cell therefore continues the last entry of that
column in the current task (``O1.2.1 專`` + ``案合約``), and codes in a row without
a task code belong to the task above. Pieces are joined with a space and cleaned
afterwards, so the space vanishes between Chinese characters and stays between
Latin words.

>>> t = TableReader("x.txt")
>>> t.header(["主要職責", "工作任務", "工作產出", "行為指標", "職能級別", "K", "S"], 1)
>>> t.row(["T1 市場", "T1.1 承接", "O1.1.1 專", "P1.1.1 依", "4", "K01 法規", "S01 談判"], 2)
>>> t.row(["", "", "案合約", "", "", "", ""], 4)
>>> t.finish().duties[0].tasks[0].outputs[0].name
'專案合約'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.clean import clean_name, fix_spaces, strip_markup
from loaders.records import Duty, Indicator, LoadWarning, Output, SourceRef, Task

#: Column roles in the order the seed layout uses when a header cannot be read.
COLUMNS: tuple[str, ...] = ("duty", "task", "output", "indicator", "level", "knowledge", "skill")

# Header cells (white space removed) → column role; matched by prefix because the
# K and S headers carry a parenthesised gloss.
_HEADER_ROLES: dict[str, str] = {
    "主要職責": "duty",
    "工作任務": "task",
    "工作產出": "output",
    "行為指標": "indicator",
    "職能級別": "level",
    "職能內涵(K": "knowledge",
    "職能內涵(S": "skill",
}

_NO_MORE_DIGITS = r"(?!\d|\.\d)"
_CODE: dict[str, re.Pattern[str]] = {
    role: re.compile(rf"(?<![A-Za-z0-9]){body}{_NO_MORE_DIGITS}")
    for role, body in {
        "duty": r"T\d{1,3}",
        "task": r"T\d{1,3}\.\d{1,3}",
        "output": r"O\d{1,3}\.\d{1,3}\.\d{1,3}",
        "indicator": r"P\d{1,3}\.\d{1,3}\.\d{1,3}",
        "knowledge": r"K\d{1,3}",
        "skill": r"S\d{1,3}",
    }.items()
}
_LEVEL = re.compile(r"[0-9]{1,2}")
_ENTRY_ROLES: tuple[str, ...] = ("output", "indicator", "knowledge", "skill")


@dataclass(frozen=True, slots=True)
class Piece:
    """One coded entry of a cell: its code and the raw text up to the next code."""

    code: str
    text: str


@dataclass(frozen=True, slots=True)
class SplitCell:
    """A cell split at its codes; ``lead`` is the text before the first code."""

    lead: str
    pieces: tuple[Piece, ...]


def split_cell(cell: str, pattern: re.Pattern[str]) -> SplitCell:
    """Split ``cell`` (markup stripped first) at every match of ``pattern``.

    >>> split_cell("體企劃成效。 P2.2.4 依分析結果", _CODE["indicator"])
    SplitCell(lead='體企劃成效。', pieces=(Piece(code='P2.2.4', text='依分析結果'),))
    """
    text = strip_markup(cell)
    matches = list(pattern.finditer(text))
    if not matches:
        return SplitCell(text.strip(), ())
    pieces = tuple(
        Piece(m.group(0), text[m.end() : nxt.start() if nxt else len(text)].strip())
        for m, nxt in zip(matches, [*matches[1:], None], strict=True)
    )
    return SplitCell(text[: matches[0].start()].strip(), pieces)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """A K or S code as one task lists it, with the name written next to it there."""

    code: str
    name: str
    marks: tuple[str, ...]
    task: str
    line: int


@dataclass(frozen=True, slots=True)
class MarkUse:
    """A footnote mark (``註1``) found in a duty, task, output or indicator cell."""

    mark: str
    line: int


@dataclass(frozen=True, slots=True)
class Table:
    """What the table holds: duties, K/S occurrences, marks seen in cells, warnings."""

    duties: tuple[Duty, ...]
    knowledge: tuple[Occurrence, ...]
    skills: tuple[Occurrence, ...]
    marks: tuple[MarkUse, ...]
    warnings: tuple[LoadWarning, ...]


@dataclass
class _Entry:
    """An output, indicator or K/S occurrence while its text may still continue."""

    code: str
    line: int
    parts: list[str]


@dataclass
class _TaskDraft:
    code: str
    line: int
    parts: list[str]
    level: int | None = None
    entries: dict[str, list[_Entry]] = field(default_factory=lambda: {r: [] for r in _ENTRY_ROLES})


@dataclass
class _DutyDraft:
    code: str
    line: int
    parts: list[str]
    tasks: list[_TaskDraft] = field(default_factory=list)


def looks_like_row(cells: list[str]) -> bool:
    """Whether a tab-separated line starts like a table body row (a duty or task code).

    >>> looks_like_row(["", "T1.2 承接", "O1.2.1 專"]), looks_like_row(["V2", "IDC5294-001v2"])
    (True, False)
    """
    return any(_CODE["duty"].match(c.strip()) or _CODE["task"].match(c.strip())
               for c in cells[:2])


class TableReader:
    """Reads table rows one at a time; :meth:`finish` returns the :class:`Table`."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.columns: tuple[str, ...] = COLUMNS
        self.duties: list[_DutyDraft] = []
        self.task: _TaskDraft | None = None
        self.warnings: list[LoadWarning] = []

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(LoadWarning(self.path, line, message))

    def header(self, cells: list[str], line: int) -> None:
        """A header row: learn the column order (a repeated header changes nothing)."""
        keys = [re.sub(r"\s+", "", c) for c in cells]
        roles = [next((r for p, r in _HEADER_ROLES.items() if k.startswith(p)), k) for k in keys]
        if sorted(roles) == sorted(COLUMNS):
            self.columns = tuple(roles)
        else:
            self.warn(line, f"table header {' | '.join(keys)!r} is not the usual one; "
                            "reading the usual columns")

    def row(self, cells: list[str], line: int) -> None:
        """One body row of the table."""
        if len(cells) != len(self.columns):
            extra = [c for c in cells[len(self.columns) :] if c.strip()]
            shown = f"; extra text not placed: {' | '.join(extra)!r}" if extra else ""
            self.warn(line, f"table row has {len(cells)} cells, expected "
                            f"{len(self.columns)} (truncated or shifted?){shown}")
        by_role = dict(zip(self.columns, [*cells, *[""] * len(self.columns)], strict=False))
        self._duty_cell(by_role["duty"], line)
        self._task_cell(by_role["task"], line)
        self._level_cell(by_role["level"], line)
        for role in _ENTRY_ROLES:
            self._entry_cell(role, by_role[role], line)

    def _duty_cell(self, cell: str, line: int) -> None:
        split = split_cell(cell, _CODE["duty"])
        if split.lead:
            if self.duties and not split.pieces:
                self.duties[-1].parts.append(split.lead)
            else:
                self.warn(line, f"duty text {split.lead!r} has no T-code; not placed")
        for piece in split.pieces:
            if any(d.code == piece.code for d in self.duties):
                self.warn(line, f"duty {piece.code} appears twice")
            self.duties.append(_DutyDraft(piece.code, line, [piece.text]))
            self.task = None

    def _task_cell(self, cell: str, line: int) -> None:
        split = split_cell(cell, _CODE["task"])
        if split.lead:
            if self.task is not None and not split.pieces:
                self.task.parts.append(split.lead)
            else:
                self.warn(line, f"task text {split.lead!r} has no task to continue; not placed")
        for piece in split.pieces:
            if not self.duties:
                self.warn(line, f"task {piece.code} comes before any duty; not placed")
                self.task = None  # what follows on the row must not join the task above
                continue
            duty = self.duties[-1]
            if not piece.code[1:].startswith(duty.code[1:] + "."):
                self.warn(line, f"task {piece.code} does not match its duty {duty.code}")
            if any(t.code == piece.code for d in self.duties for t in d.tasks):
                self.warn(line, f"task {piece.code} appears twice")
            self.task = _TaskDraft(piece.code, line, [piece.text])
            duty.tasks.append(self.task)

    def _level_cell(self, cell: str, line: int) -> None:
        text = fix_spaces(cell)
        if not text:
            return
        if not _LEVEL.fullmatch(text):
            self.warn(line, f"職能級別 {text!r} is not a number")
        elif self.task is None:
            self.warn(line, f"職能級別 {text} has no task; not placed")
        elif self.task.level is None:
            self.task.level = int(text)
        elif self.task.level != int(text):
            self.warn(line, f"task {self.task.code} has two levels: {self.task.level} and {text}")

    def _entry_cell(self, role: str, cell: str, line: int) -> None:
        split = split_cell(cell, _CODE[role])
        if not split.lead and not split.pieces:
            return
        if self.task is None:
            self.warn(line, f"{role} text {cell.strip()!r} has no task; not placed")
            return
        entries = self.task.entries[role]
        if split.lead:
            if entries:
                entries[-1].parts.append(split.lead)
            else:
                self.warn(line, f"{role} text {split.lead!r} of task {self.task.code} "
                                "has no code and continues nothing; not placed")
        for piece in split.pieces:
            if role in ("output", "indicator") and not piece.code[1:].startswith(
                self.task.code[1:] + "."
            ):
                self.warn(line, f"{role} {piece.code} does not match its task {self.task.code}")
            entries.append(_Entry(piece.code, line, [piece.text]))

    def finish(self) -> Table:
        """Freeze what was read into records (names cleaned, marks split off)."""
        marks: list[MarkUse] = []
        knowledge: list[Occurrence] = []
        skills: list[Occurrence] = []
        duties: list[Duty] = []
        for d in self.duties:
            if not d.tasks:
                self.warn(d.line, f"duty {d.code} has no task")
            tasks = tuple(self._freeze_task(t, marks, knowledge, skills) for t in d.tasks)
            name, found = clean_name(" ".join(d.parts))
            marks.extend(MarkUse(m, d.line) for m in found)
            duties.append(Duty(d.code, name, tasks, SourceRef(self.path, d.line)))
        return Table(tuple(duties), tuple(knowledge), tuple(skills), tuple(marks),
                     tuple(self.warnings))

    def _freeze_task(
        self,
        t: _TaskDraft,
        marks: list[MarkUse],
        knowledge: list[Occurrence],
        skills: list[Occurrence],
    ) -> Task:
        def named(e: _Entry) -> str:
            text, found = clean_name(" ".join(e.parts))
            marks.extend(MarkUse(m, e.line) for m in found)
            return text

        if t.level is None:
            self.warn(t.line, f"task {t.code} has no 職能級別")
        codes: dict[str, list[str]] = {"knowledge": [], "skill": []}
        for role, sink in (("knowledge", knowledge), ("skill", skills)):
            for e in t.entries[role]:
                text, found = clean_name(" ".join(e.parts))
                sink.append(Occurrence(e.code, text, found, t.code, e.line))
                if e.code in codes[role]:
                    self.warn(e.line, f"task {t.code} lists {e.code} twice")
                else:
                    codes[role].append(e.code)
        name, found = clean_name(" ".join(t.parts))
        marks.extend(MarkUse(m, t.line) for m in found)
        return Task(
            t.code,
            name,
            t.level,
            tuple(Output(e.code, named(e), SourceRef(self.path, e.line))
                  for e in t.entries["output"]),
            tuple(Indicator(e.code, named(e), SourceRef(self.path, e.line))
                  for e in t.entries["indicator"]),
            tuple(codes["knowledge"]),
            tuple(codes["skill"]),
            SourceRef(self.path, t.line),
        )
