"""Name cleaning: examples from the seed standards and Hypothesis properties."""

from __future__ import annotations

import itertools
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from loaders.clean import clean_name, clean_text, fix_spaces, split_marks, strip_markup


def _cjk_letters(text: str) -> list[str]:
    """CJK ideographs and full-width punctuation, in order (white space excluded)."""
    return [
        c for c in text
        if not c.isspace() and (
            "CJK" in unicodedata.name(c, "") or 0x3000 <= ord(c) <= 0x303F
            or 0xFF00 <= ord(c) <= 0xFFEF)
    ]


# Text that looks like the seeds: ideographs, Latin, digits, spaces of several kinds,
# full-width punctuation and the pieces markup and marks are made of.
_PIECES = st.sampled_from([
    "網", "紅", "經", "紀", "、", "。", "：", "（", "）", "《", "》",
    "IP", "KPI", "a", "Z", "0", "1", "8", "/", "(", ")", "-", "@",
    " ", "  ", "\t", "\u3000", "\u00a0", "\n",
    "<", ">", "p", "u", "</", "^{", "}", "{", "**", "*", "【", "】", "註", "【註1】", "【 8】",
    "<p>", "</p>", "<u>", "^{【註2】}",
])
SEEDLIKE = st.lists(_PIECES, max_size=40).map("".join)
ANY_TEXT = st.one_of(SEEDLIKE, st.text(max_size=60))


# --- examples from the seeds --------------------------------------------------------------


@pytest.mark.parametrize(("raw", "name", "marks"), [
    ("T2 執行網 紅經紀活 動", "T2 執行網紅經紀活動", ()),
    ("IP 智財保護工具", "IP 智財保護工具", ()),
    ("K08 廣電相關法規 ^{【註1】}", "K08 廣電相關法規", ("註1",)),
    ("S08 數位平台後台數據分析能力 【註1】", "S08 數位平台後台數據分析能力", ("註1",)),
    ("<u>訪客的人群屬性</u> ^{【8】} 、時空屬性", "訪客的人群屬性、時空屬性", ("註8",)),
    ("**【註1】**數位平台", "數位平台", ("註1",)),
    ("- 【註 1】廣電相關法規", "- 廣電相關法規", ("註1",)),
    ("網路行銷平台 (工具)", "網路行銷平台 (工具)", ()),
])
def test_clean_name_examples(raw: str, name: str, marks: tuple[str, ...]) -> None:
    assert clean_name(raw) == (name, marks)


def test_markup_inside_markup_is_removed_completely() -> None:
    assert strip_markup("<<p>u>名稱</u>") == "名稱"
    assert strip_markup("^{^{【註1】}}") == "【註1】"
    assert clean_name("【【註1】註2】名稱") == ("名稱", ("註1", "註2"))


def test_tag_attributes_never_swallow_chinese() -> None:
    assert strip_markup('<span class="x">名稱</span>') == "名稱"
    assert strip_markup("<p 名稱>") == "<p 名稱>"


# --- properties ---------------------------------------------------------------------------


@given(ANY_TEXT)
@example("<<p>p>")
@example("^{^{x}}")
@example("【【註1】註2】")
@example("*<p>*")
def test_clean_text_is_idempotent(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once


@given(ANY_TEXT)
def test_clean_name_is_idempotent(text: str) -> None:
    name, _ = clean_name(text)
    assert clean_name(name) == (name, ())


@given(ANY_TEXT)
def test_fix_spaces_never_drops_a_cjk_character(text: str) -> None:
    assert _cjk_letters(fix_spaces(text)) == _cjk_letters(text)


@given(st.text(alphabet=st.characters(exclude_characters="<>^{}*【】"), max_size=80))
def test_clean_text_keeps_every_cjk_character_of_text_without_markup(text: str) -> None:
    assert _cjk_letters(clean_text(text)) == _cjk_letters(text)


@given(ANY_TEXT)
def test_clean_name_drops_only_markup_and_marks(text: str) -> None:
    rest, _ = split_marks(strip_markup(text))
    name, _ = clean_name(text)
    assert _cjk_letters(name) == _cjk_letters(rest)


_LATIN_WORD = st.from_regex(r"[A-Za-z0-9@#&]{1,8}", fullmatch=True)
_CJK_WORD = st.text(alphabet="網紅經紀智財保護工具", min_size=1, max_size=5)
_GAP = st.sampled_from([" ", "  ", "\t", " \u3000 ", "\u00a0"])


@given(st.lists(st.tuples(st.one_of(_LATIN_WORD, _CJK_WORD), _GAP), min_size=1, max_size=12))
def test_spaces_between_latin_words_are_kept(parts: list[tuple[str, str]]) -> None:
    text = "".join(word + gap for word, gap in parts)
    words = [word for word, _ in parts]
    expected = words[0]
    for before, after in itertools.pairwise(words):
        both_cjk = not before[-1].isascii() and not after[0].isascii()
        expected += ("" if both_cjk else " ") + after
    assert clean_text(text) == expected


@given(ANY_TEXT)
def test_marks_are_normalised(text: str) -> None:
    _, marks = split_marks(text)
    assert all(m.startswith("註") and m[1:].isdigit() for m in marks)
