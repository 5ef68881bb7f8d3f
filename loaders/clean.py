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

# Attributes are printable ASCII only, so that ``<`` in running Chinese text never
# swallows the words after it.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[ -;=?-~]*)?/?>")
_SUPERSCRIPT = re.compile(r"\^\{([^{}]*)\}")
_BOLD = re.compile(r"\*\*")
_MARK = re.compile(r"【\s*(註)?\s*(\d+)\s*】")
_SPACES = re.compile(r"\s+")


# CJK characters that are not white space: unified ideographs, extension A,
# extensions B+ and the compatibility supplement, compatibility ideographs, CJK
# punctuation (、。「」《》【】, without the ideographic space U+3000, which is white
# space) and full-width forms (，：；（）).
_CJK = "\u4e00-\u9fff\u3400-\u4dbf\U00020000-\U0002fa1f\uf900-\ufaff\u3001-\u303f\uff00-\uffef"
# A run of white space with a CJK character on both sides; the lookarounds see only
# non-space characters, so every match is a whole run.
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_MARKUP_CHARS = ("<", "^", "*")


def strip_markup(text: str) -> str:
    """Remove HTML-like tags, ``^{…}`` wrappers (keeping their content) and ``**``.

    Repeated until nothing changes, so that markup which only appears once inner
    markup is gone (``<<p>u>``) goes too; each pass shortens the text, so it ends.

    >>> strip_markup("<p>P1.2.1 使用<u>可用的資源</u>^{【註2】}</p> **註**")
    'P1.2.1 使用可用的資源【註2】 註'
    """
    while any(c in text for c in _MARKUP_CHARS):
        stripped = _BOLD.sub("", _SUPERSCRIPT.sub(r"\1", _TAG.sub("", text)))
        if stripped == text:
            break
        text = stripped
    return text


def fix_spaces(text: str) -> str:
    """Drop white space between two CJK characters; fold other runs to one space; strip.

    >>> fix_spaces("T2 執行網 紅經紀活 動")
    'T2 執行網紅經紀活動'
    >>> fix_spaces("IP  智財保護工具")
    'IP 智財保護工具'
    """
    if not _SPACES.search(text):
        return text
    return _SPACES.sub(" ", _CJK_GAP.sub("", text)).strip()


def split_marks(text: str) -> tuple[str, tuple[str, ...]]:
    """Take footnote marks out of ``text``; return the rest and the marks as ``註N``.

    Repeated until no mark is left (``【【註1】註2】`` holds two).

    >>> split_marks("廣電相關法規 【註 1】")
    ('廣電相關法規 ', ('註1',))
    >>> split_marks("訪客的人群屬性【8】")
    ('訪客的人群屬性', ('註8',))
    """
    marks: list[str] = []
    while "【" in text:
        found = [f"註{m.group(2)}" for m in _MARK.finditer(text)]
        if not found:
            break
        marks.extend(found)
        text = _MARK.sub("", text)
    return text, tuple(marks)


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
    marks: list[str] = []
    while True:
        # removing a mark can close up markup around it (``<【註1】p>``) and vice versa
        rest, found = split_marks(strip_markup(text))
        marks.extend(found)
        if rest == text:
            return fix_spaces(rest), tuple(marks)
        text = rest


#: The warning for a name :func:`letterless` rejects; the item is left out.
LETTERLESS = "is only digits or punctuation (a name lost in extraction); left out"


def letterless(name: str) -> bool:
    """Whether a non-empty item name holds no letter at all (only digits, punctuation,
    symbols or spaces): ``5``, ``5、`` or ``(1)`` name no competency, and two such items of
    different standards would become one shared node.

    >>> letterless("5"), letterless("5、"), letterless("5S"), letterless("溝通"), letterless("")
    (True, True, False, False, False)
    """
    return bool(name) and not any(ch.isalpha() for ch in name)
