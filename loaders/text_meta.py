"""Everything of a seed-layout standard around the task table.

The versions table, the basic-information rows (職能基準代碼, 職業, 所屬類別 with
codes, 工作描述, 基準級別), the attitude list and the 說明與補充事項 block
(requirements and notes). Each reader takes one line and fills a :class:`Meta`;
basic-information rows are recognised by their label through a registry, so the
two column layouts of the classification rows (``⇥⇥職類別代碼⇥IDC`` and
``⇥職類別代碼⇥KMC⇥``) read the same.

>>> m = Meta("x.txt")
>>> info_row(["所屬類別", "職類別", "行銷與銷售 / 行銷傳播", "職類別代碼", "KMC", ""], 8, m)
True
>>> m.category
[CodeName(name='行銷與銷售 / 行銷傳播', code='KMC')]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from loaders.clean import LETTERLESS, clean_name, clean_text, fix_spaces, letterless, strip_markup
from loaders.records import CodeName, Item, LoadWarning, Note, SourceRef, Version

_LEVEL = re.compile(r"[0-9]{1,2}")
_ATTITUDE = re.compile(r"A\s?([0-9]{1,3})(?![0-9])\s*(.*)", re.S)
_LEAD_MARK = re.compile(r"【\s*(?:註)?\s*([0-9]{1,3})\s*】")
_BULLET = re.compile(r"[-•*]\s*")
_TERM_MAX = 40  # longer text before a colon is a sentence, not a defined term


@dataclass
class Meta:
    """What the lines around the table said, while they are being read."""

    path: str
    title: str = ""
    code: str = ""
    code_line: int = 0
    occupation_name: str = ""
    group_name: str = ""
    description: str = ""
    level: int | None = None
    category: list[CodeName] = field(default_factory=list)
    occupation: list[CodeName] = field(default_factory=list)
    industry: list[CodeName] = field(default_factory=list)
    versions: list[Version] = field(default_factory=list)
    attitudes: list[Item] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    remark_part: str = ""
    warnings: list[LoadWarning] = field(default_factory=list)

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(LoadWarning(self.path, line, message))


def version_row(cells: list[str], line: int, meta: Meta) -> None:
    """A row of the versions table (kept as written, typos included)."""
    values = [fix_spaces(c) for c in cells]
    if len(values) != 6:
        meta.warn(line, f"version row has {len(values)} cells, expected 6")
    values = [*values[:6], *[""] * (6 - len(values))]
    meta.versions.append(Version(*values))


def _after(cells: list[str], start: int) -> str:
    """The first non-empty cell after ``start``."""
    return next((c for c in cells[start + 1 :] if c), "")


def _set_code(cells: list[str], at: int, line: int, meta: Meta) -> None:
    value = _after(cells, at)
    if meta.code and value != meta.code:
        meta.warn(line, f"second 職能基準代碼 {value!r} ignored; keeping {meta.code!r}")
    elif value:
        meta.code, meta.code_line = value, line


def _set_occupation_name(cells: list[str], at: int, line: int, meta: Meta) -> None:
    meta.occupation_name = meta.occupation_name or clean_name(_after(cells, at))[0]


def _set_group_name(cells: list[str], at: int, line: int, meta: Meta) -> None:
    meta.group_name = meta.group_name or clean_name(_after(cells, at))[0]


def _set_description(cells: list[str], at: int, line: int, meta: Meta) -> None:
    meta.description = " ".join(filter(None, [meta.description, clean_text(_after(cells, at))]))


def _set_level(cells: list[str], at: int, line: int, meta: Meta) -> None:
    value = _after(cells, at)
    if _LEVEL.fullmatch(value):
        meta.level = int(value)
    else:
        meta.warn(line, f"基準級別 {value!r} is not a number")


def _classification(target: Callable[[Meta], list[CodeName]], label: str) -> _InfoHandler:
    def read(cells: list[str], at: int, line: int, meta: Meta) -> None:
        rest = cells[at + 1 :]
        code_at = next((i for i, c in enumerate(rest) if c.endswith("代碼")), None)
        name = next((c for c in (rest if code_at is None else rest[:code_at]) if c), "")
        code = "" if code_at is None else _after(rest, code_at)
        if not name and not code:
            meta.warn(line, f"{label} row has neither name nor code")
            return
        if not code:
            meta.warn(line, f"{label} {name!r} has no code")
        target(meta).append(CodeName(clean_text(name), code))

    return read


_InfoHandler = Callable[[list[str], int, int, Meta], None]

#: Basic-information labels (spaces removed) → what reads the rest of the row.
INFO_LABELS: dict[str, _InfoHandler] = {
    "職能基準代碼": _set_code,
    "職業": _set_occupation_name,
    "職類": _set_group_name,
    "職類別": _classification(lambda m: m.category, "職類別"),
    "職業別": _classification(lambda m: m.occupation, "職業別"),
    "行業別": _classification(lambda m: m.industry, "行業別"),
    "工作描述": _set_description,
    "基準級別": _set_level,
}
# Labels that only group the rows below them; the row's own label follows them.
_GROUP_LABELS = ("職能基準名稱", "所屬類別")


def info_label(cells: list[str]) -> int | None:
    """Index of the basic-information label of a row (group labels skipped), or None."""
    for at, cell in enumerate(cells):
        key = re.sub(r"\s+", "", cell)
        if key and not key.startswith(_GROUP_LABELS):
            return at if key in INFO_LABELS else None
    return None


def info_row(cells: list[str], line: int, meta: Meta) -> bool:
    """Read a basic-information row; False when the row has no known label."""
    at = info_label(cells)
    if at is None:
        return False
    INFO_LABELS[re.sub(r"\s+", "", cells[at])]([fix_spaces(c) for c in cells], at, line, meta)
    return True


def attitude_line(text: str, line: int, meta: Meta) -> bool:
    """``- A01 持續學習：description`` (with or without the space); False otherwise."""
    body = _BULLET.sub("", strip_markup(text).strip(), count=1)
    m = _ATTITUDE.fullmatch(body)
    if not m:
        return False
    code = f"A{m.group(1)}"
    head, sep, desc = m.group(2).partition("：")
    if not sep:
        head, sep, desc = m.group(2).partition(":")
    name, marks = clean_name(head)
    if not name:
        meta.warn(line, f"attitude {code} has no name")
        return True
    if letterless(name):
        meta.warn(line, f"attitude {code} {name!r} {LETTERLESS}")
        return True
    if any(a.code == code for a in meta.attitudes):
        meta.warn(line, f"attitude {code} appears twice")
    meta.attitudes.append(
        Item("attitude", code, name, clean_text(desc), marks, SourceRef(meta.path, line))
    )
    return True


# Sub-headings of 說明與補充事項 (markup and bullet removed) → the part they open.
REMARK_PARTS: dict[str, str] = {"建議擔任": "requirements", "其他補充說明": "notes"}


def remark_line(text: str, line: int, meta: Meta) -> None:
    """A line under 說明與補充事項: a sub-heading, a requirement or a note."""
    raw = strip_markup(text).strip()
    bulleted = bool(_BULLET.match(raw))
    body = _BULLET.sub("", raw, count=1).strip()
    if not body:
        return
    part = next((p for prefix, p in REMARK_PARTS.items() if body.startswith(prefix)), None)
    if part is not None:
        meta.remark_part = part
        _, sep, rest = body.partition("：")
        body = rest.strip() if sep else ""
        if not body:
            return
    if meta.remark_part == "requirements":
        meta.requirements.append(clean_text(body))
    elif not bulleted and meta.notes and not _LEAD_MARK.match(body):
        last = meta.notes[-1]  # a note that ran over a line break
        meta.notes[-1] = replace(last, text=clean_name(f"{last.text} {body}")[0])
    else:
        meta.notes.append(parse_note(body, SourceRef(meta.path, line)))


def parse_note(body: str, source: SourceRef) -> Note:
    """``【註1】term：definition`` → Note("註1", definition, term); marks normalised to 註N.

    >>> parse_note("【註 1】廣電相關法規：廣電法規等。", SourceRef("x"))
    Note(mark='註1', text='廣電法規等。', term='廣電相關法規', source=SourceRef(path='x', line=0))
    >>> parse_note("廣電三法：廣播電視法。", SourceRef("x")).mark
    ''
    """
    m = _LEAD_MARK.match(body)
    mark = f"註{m.group(1)}" if m else ""
    rest = body[m.end() :] if m else body
    head, sep, definition = rest.partition("：")
    if not sep:
        head, sep, definition = rest.partition(":")
    term, _ = clean_name(head) if sep else ("", ())
    if sep and term and len(term) <= _TERM_MAX and "。" not in term:
        return Note(mark, clean_name(definition)[0], term, source)
    return Note(mark, clean_name(rest)[0], "", source)
