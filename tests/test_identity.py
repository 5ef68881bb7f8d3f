"""Item identity keys: what is one competency and what is not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.identity import display_name, item_key, surface_form


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("K08 廣電相關法規 ^{【註1】}", "K08廣電相關法規"),  # markup and footnote marks
        ("網 紅成效報 告", "網紅成效報告"),  # extraction spaces
        ("資料蒐集能力", "資料搜集能力"),  # variant characters (OpenCC t2s)
        ("臺灣", "台灣"),
        ("ＩＰ智財保護工具", "IP 智財保護工具"),  # full-width Latin, NFKC
        ("Line@官方帳號", "line@官方帳號"),  # Latin case
        ("網路行銷平台（工具）", "網路行銷平台 (工具)"),  # full-width parentheses
    ],
)
def test_same_competency_same_key(a: str, b: str) -> None:
    assert item_key(a) == item_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("溝通協調能力", "媒體企劃溝通協調"),
        ("網紅類型與商業模式", "網紅類型與獲利模式"),
        ("資料蒐集與判別能力", "資料蒐集與判斷能力"),
        ("資料收集能力", "資料蒐集能力"),  # a synonym, but only a curated alias merges it
        ("著作權法", "個人資料保護法"),
    ],
)
def test_different_wordings_stay_apart(a: str, b: str) -> None:
    assert item_key(a) != item_key(b)


def test_key_has_no_white_space_or_markup() -> None:
    key = item_key(" <p>**消費者 心理學**</p> 【8】 ")
    assert key == item_key("消費者心理學")
    assert not any(ch.isspace() for ch in key)
    assert "<" not in key and "*" not in key and "【" not in key


@given(st.text(max_size=40))
def test_key_is_idempotent(text: str) -> None:
    assert item_key(item_key(text)) == item_key(text)


@given(st.text(alphabet="溝通協調能力 資料蒐集臺台", max_size=20))
def test_spaces_never_matter(text: str) -> None:
    assert item_key(text) == item_key(text.replace(" ", ""))


def test_display_name_is_most_frequent_then_smallest() -> None:
    assert display_name(["乙", "甲", "乙"]) == "乙"
    assert display_name(["b", "a"]) == "a"
    with pytest.raises(ValueError):
        display_name([])


def test_surface_form_keeps_latin_spaces() -> None:
    assert surface_form("IP 智財保護工具") == "IP 智財保護工具"
    assert surface_form("K08 廣電相關法規 ^{【註1】}") == "K08 廣電相關法規"
