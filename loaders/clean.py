"""Cleaning of names and texts extracted from the official PDFs.

Pure functions over strings. Extraction inserts spaces inside Chinese words
(``執行網 紅經紀活 動``) but spaces next to Latin words are real
(``IP 智財保護工具``), so a run of white space is removed only when both of its
neighbours are CJK; any other run becomes one space. Markup that leaked in
(``<p>``, ``<u>``, ``^{…}``, ``**``) is stripped, and footnote marks
(``【註1】``, ``【註 1】``, ``【8】``) are taken out and returned separately,
normalised to ``註N``.
"""

from __future__ import annotations

import re

_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_SUPERSCRIPT = re.compile(r"\^\{([^{}]*)\}")
_BOLD = re.compile(r"\*\*")
_MARK = re.compile(r"【\s*(註)?\s*(\d+)\s*】")
_SPACES = re.compile(r"\s+")


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF  # unified ideographs
        or 0x3400 <= o <= 0x4DBF  # extension A
        or 0x20000 <= o <= 0x2FA1F  # extensions B+ and compatibility supplement
        or 0xF900 <= o <= 0xFAFF  # compatibility ideographs
        or 0x3000 <= o <= 0x303F  # CJK punctuation (、。「」《》【】)
        or 0xFF00 <= o <= 0xFFEF  # full-width forms (，：；（）)
    )


def strip_markup(text: str) -> str:
    """Remove HTML-like tags, ``^{…}`` wrappers (keeping their content) and ``**``.

    >>> strip_markup("<p>P1.2.1 使用<u>可用的資源</u>^{【註2】}</p> **註**")
    'P1.2.1 使用可用的資源【註2】 註'
    """
    text = _TAG.sub("", text)
    text = _SUPERSCRIPT.sub(r"\1", text)
    return _BOLD.sub("", text)


def fix_spaces(text: str) -> str:
    """Drop white space between two CJK characters; fold other runs to one space; strip.

    >>> fix_spaces("T2 執行網 紅經紀活 動")
    'T2 執行網紅經紀活動'
    >>> fix_spaces("IP  智財保護工具")
    'IP 智財保護工具'
    """
    out: list[str] = []
    pos = 0
    for m in _SPACES.finditer(text):
        out.append(text[pos : m.start()])
        before = text[m.start() - 1] if m.start() > 0 else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if before and after and not (_is_cjk(before) and _is_cjk(after)):
            out.append(" ")
        pos = m.end()
    out.append(text[pos:])
    return "".join(out).strip()


def split_marks(text: str) -> tuple[str, tuple[str, ...]]:
    """Take footnote marks out of ``text``; return the rest and the marks as ``註N``.

    >>> split_marks("廣電相關法規 【註 1】")
    ('廣電相關法規 ', ('註1',))
    >>> split_marks("訪客的人群屬性【8】")
    ('訪客的人群屬性', ('註8',))
    """
    marks = tuple(f"註{m.group(2)}" for m in _MARK.finditer(text))
    return _MARK.sub("", text), marks


def clean_text(text: str) -> str:
    """Markup stripped and spaces fixed; footnote marks are kept in place.

    >>> clean_text("<p>蒐集網紅 經濟</p>")
    '蒐集網紅經濟'
    """
    return fix_spaces(strip_markup(text))


def clean_name(text: str) -> tuple[str, tuple[str, ...]]:
    """A display name: markup and marks removed, spaces fixed; returns (name, marks).

    >>> clean_name("K08 廣電相關法規 ^{【註1】}")
    ('K08 廣電相關法規', ('註1',))
    >>> clean_name("網 紅成效報 告")
    ('網紅成效報告', ())
    """
    rest, marks = split_marks(strip_markup(text))
    return fix_spaces(rest), marks
