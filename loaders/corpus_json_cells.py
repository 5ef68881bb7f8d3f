"""Cells of the JSON corpus: cached name cleaning, damage detection, output splitting.

Most corpus names need no cleaning and many repeat across standards (溝通能力),
so the cleaned forms are cached in plain dicts (bounded by :data:`CACHE_LIMIT`)
and a regex pre-check skips :func:`loaders.clean.clean_name` when there is
nothing to clean. Over 95% of the cells are clean and whole, so the loader asks
:func:`suspects` which cells of a file need any work at all: one regex pass over
the file's cells joined together, instead of three regex calls per cell.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from loaders.clean import clean_name

_OPEN, _CLOSE = "（(「『〔【[", "）)」』〕】]"
# A name ending in a connective, or with an unclosed bracket, was cut by the PDF parser;
# codes inside a cell mean a neighbouring table cell was swallowed.
_CUT_ENDINGS = tuple("與及、，,和或之的並：:／/-")
_FRAGMENT = re.compile(r"(?<![A-Za-z0-9])(?:[TOP]\d+\.\d+|[KS]\d{2,3}(?!\d))|^\.\d")
# Single character classes: the regex engine scans for them far faster than for
# an alternation, and they rule out most cells before the slower tests run.
_DIGIT = re.compile(r"\d")
_OPENER = re.compile(r"[（(「『〔【\[]")
_NEEDS_CLEANING = re.compile(r"[\s<^*【]")
_OUTPUT_SEP = re.compile("[、，,]")
_DUTY = re.compile(r"\s*(T\d+)\s*(.*)", re.S)
_TASK = re.compile(r"T(\d+)\.\d+")

# Every character \s matches in a str pattern (str.isspace(); the doctest of
# suspects checks it), spelled out: the regex engine tests literals through a
# bitmap, about three times faster than the \s category over the corpus.
_WHITE = "\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_SEP = "\x00"
#: Cells that may need cleaning (white space, markup, a footnote mark): :data:`_NEEDS_CLEANING`.
UNCLEAN = re.compile(f"[{_WHITE}<^*【]")
#: Cells that may need cleaning or look damaged to :func:`damage`: an opening bracket, or
#: what every match of :data:`_FRAGMENT` starts with (a T/O/P/K/S code, or a leading ".";
#: cheaper to look for than the digits, a slow Unicode category); a cut ending is found
#: by :data:`_CUT_END`.
UNCLEAN_OR_DAMAGED = re.compile(f"[{_WHITE}<^*【{re.escape(_OPEN)}TOPKS.]")
# Literal first: the engine jumps from separator to separator instead of testing the
# character class at every position.
_CUT_END = re.compile(f"{_SEP}(?<=[{re.escape(''.join(_CUT_ENDINGS))}]{_SEP})")


#: The caches, raw cell -> result. Read them directly only in hot loops (a dict
#: lookup is much cheaper than a call), falling back to the function on a miss.
CLEANED: dict[str, tuple[str, tuple[str, ...]]] = {}
NAMES: dict[str, str] = {}
DEFECTS: dict[str, str] = {}
DUTY_CELLS: dict[str, tuple[str, str]] = {}
TASK_DUTIES: dict[str, str] = {}
_CODES: dict[str, tuple[list[str], list[str]]] = {}
CACHE_LIMIT = 300_000


def clear_caches() -> None:
    """Forget every cached cell (benchmarks use it to measure a cold load).

    >>> clear_caches(); len(CLEANED)
    0
    """
    for cache in (CLEANED, NAMES, DEFECTS, DUTY_CELLS, TASK_DUTIES, _CODES):
        cache.clear()
    split_outputs.cache_clear()


def clean_cell(text: str) -> tuple[str, tuple[str, ...]]:
    """:func:`loaders.clean.clean_name`, cached: ``(name, footnote marks)``.

    >>> clean_cell("廣電相關法規【註1】")
    ('廣電相關法規', ('註1',))
    """
    hit = CLEANED.get(text)
    if hit is None:
        if len(CLEANED) > CACHE_LIMIT:  # bound the memory of a long-running app
            clear_caches()
        hit = clean_name(text) if _NEEDS_CLEANING.search(text) else (text, ())
        CLEANED[text] = hit
    return hit


def cell_name(text: str) -> str:
    """The cleaned name alone (marks dropped), cached.

    >>> cell_name("網 紅成效報 告")
    '網紅成效報告'
    """
    hit = NAMES.get(text)
    if hit is None:
        hit = NAMES[text] = clean_name(text)[0] if _NEEDS_CLEANING.search(text) else text
    return hit


def damage(text: str) -> str:
    """Why a cell looks damaged by the PDF parser (``""`` when it looks whole).

    >>> damage("建置與")
    'looks cut short'
    >>> damage("工作單（包含列印設備、製程")
    'looks cut short'
    >>> damage("CNC銑床機台故障判斷能力K12簡易故障排除能力")
    'holds a fragment of another table cell'
    >>> damage("溝通能力（含口語表達）")
    ''
    """
    hit = DEFECTS.get(text)
    if hit is None:
        hit = ""
        if _DIGIT.search(text) is not None and _FRAGMENT.search(text) is not None:
            hit = "holds a fragment of another table cell"
        elif text.endswith(_CUT_ENDINGS) or (
            _OPENER.search(text) is not None
            and sum(text.count(c) for c in _OPEN) > sum(text.count(c) for c in _CLOSE)
        ):
            hit = "looks cut short"
        DEFECTS[text] = hit
    return hit


def suspects(cells: list[str], screen: re.Pattern[str]) -> set[str]:
    """The cells that :data:`UNCLEAN` or :data:`UNCLEAN_OR_DAMAGED` (``screen``) flags;
    with :data:`UNCLEAN_OR_DAMAGED`, cells ending as if cut short too. Any other cell
    is its own :func:`cell_name` (and, for the latter, :func:`damage` finds nothing).

    Raises TypeError when a cell is not a string, as the cleaner does.

    >>> sorted(suspects(["溝通能力", "網 紅", "K12", "規劃與", "（甲", "乙"], UNCLEAN_OR_DAMAGED))
    ['K12', '網 紅', '規劃與', '（甲']
    >>> sorted(suspects(["規劃與", "<p>甲"], UNCLEAN))
    ['<p>甲']
    >>> sorted(suspects(["規劃與", "a\\x00b"], UNCLEAN))  # no shortcut: all flagged
    ['a\\x00b', '規劃與']
    >>> all((UNCLEAN.match(chr(c)) is None) == (_NEEDS_CLEANING.match(chr(c)) is None)
    ...     for c in range(0x110000))
    True
    """
    joined = _SEP.join(cells) + _SEP
    if joined.count(_SEP) != len(cells):  # a cell holds the separator: no shortcut
        return set(cells)
    found: set[str] = set()
    for pattern in (screen, _CUT_END) if screen is UNCLEAN_OR_DAMAGED else (screen,):
        index = pos = 0
        search = pattern.search
        while (m := search(joined, pos)) is not None:
            start = m.start()
            index += joined.count(_SEP, pos, start)
            found.add(cells[index])
            pos = joined.index(_SEP, start) + 1  # on to the next cell
            index += 1
    return found


def split_plain(text: str) -> Sequence[str]:
    """:func:`split_outputs` of a cell that :func:`suspects` did not flag: it has no
    bracket and nothing to clean, so it splits at every 、，, (empty parts dropped).

    >>> split_plain("報告、清單,,")
    ['報告', '清單']
    >>> split_plain("報告"), split_plain("")
    (('報告',), ())
    """
    if "、" not in text and "，" not in text and "," not in text:
        return (text,) if text else ()
    return [p for p in _OUTPUT_SEP.split(text) if p]


@lru_cache(maxsize=1 << 16)
def split_outputs(text: str) -> tuple[str, ...]:
    """Split a joined output cell at 、，, outside brackets (a bracket may hold
    examples joined by 、: 可行性評估報告（如：供應商評估、風險評估等）), cleaned, empty
    parts dropped.

    >>> split_outputs("可行性評估報告（如：供應商評估、風險評估等）、 開發 計畫，")
    ('可行性評估報告（如：供應商評估、風險評估等）', '開發計畫')
    """
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0 and ch in "、，,":
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return tuple(p for p in map(cell_name, parts) if p)


def duty_cell(cell: str) -> tuple[str, str] | None:
    """Split a duty cell into code and cleaned name; None when it carries no duty code.
    Cached, as every task repeats its duty's cell.

    >>> duty_cell("T1建置 與")
    ('T1', '建置與')
    >>> duty_cell("建置與") is None
    True
    """
    hit = DUTY_CELLS.get(cell)
    if hit is None:
        m = _DUTY.match(cell)
        if m is None:
            return None
        hit = DUTY_CELLS[cell] = (m.group(1), cell_name(m.group(2)))
    return hit


def task_duty(code: str) -> str:
    """The duty code a task code names; ``""`` when it is not of the form ``T<n>.<m>``.

    >>> task_duty("T6.1"), task_duty("6.1")
    ('T6', '')
    """
    hit = TASK_DUTIES.get(code)
    if hit is None:  # cached: every standard has a T1.1
        m = _TASK.fullmatch(code)
        hit = TASK_DUTIES[code] = f"T{m.group(1)}" if m else ""
    return hit


def synthetic_codes(stem: str, count: int) -> tuple[list[str], list[str]]:
    """At least ``count`` output and indicator codes for task ``T<stem>``: ``O<stem>.1``,
    ``O<stem>.2``, … and ``P<stem>.1``, …, cached, as every standard has a task 1.1.

    >>> synthetic_codes("1.2", 2)
    (['O1.2.1', 'O1.2.2'], ['P1.2.1', 'P1.2.2'])
    """
    hit = _CODES.get(stem)
    if hit is None or len(hit[0]) < count:
        numbers = range(1, count + 1)
        hit = _CODES[stem] = ([f"O{stem}.{n}" for n in numbers], [f"P{stem}.{n}" for n in numbers])
    return hit
