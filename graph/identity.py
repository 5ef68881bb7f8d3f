"""Identity of knowledge / skill / attitude items: one key per competency, whatever the wording.

K/S/A codes are numbered inside each standard, so identity comes from the name
alone. The key is for comparison only and is never shown: NFKC, markup and
footnote marks removed, every white space removed (extraction inserts spaces
inside Chinese words), Latin lower-cased, and variant characters folded with
OpenCC's traditional-to-simplified table (臺/台, 蒐集/搜集 end up equal).
The display name of a merged item is chosen by :func:`display_name`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Protocol

from loaders.clean import clean_name

_WHITE = re.compile(r"\s+")


class _Converter(Protocol):
    def convert(self, text: str) -> str: ...


@lru_cache(maxsize=1)
def _t2s() -> _Converter:
    # Building the converter reads OpenCC's dictionaries; do it once per process.
    import opencc

    converter: _Converter = opencc.OpenCC("t2s")
    return converter


@lru_cache(maxsize=65536)
def item_key(name: str) -> str:
    """The identity key of an item name (never displayed).

    Parameters
    ----------
    name : a surface form as written in a standard, markup and marks included.

    Returns
    -------
    str : NFKC-normalised, markup / footnote marks / white space removed, Latin
    lower-cased, variant characters folded (OpenCC t2s).

    >>> item_key("K08 廣電相關法規 ^{【註1】}") == item_key("K08廣電相關法規")
    True
    >>> item_key("資料蒐集 能力") == item_key("資料搜集能力")
    True
    >>> item_key("IP 智財保護工具") == item_key("ip智財保護工具")
    True
    >>> item_key("臺灣") == item_key("台灣")
    True
    """
    compact = _WHITE.sub("", surface_form(name)).lower()
    # Lower-casing can leave a decomposed pair that NFKC composes (t + ◌̈ → ẗ).
    return unicodedata.normalize("NFKC", _t2s().convert(compact))


def display_name(surface_forms: Iterable[str]) -> str:
    """The name to show for an item seen under several surface forms.

    Parameters
    ----------
    surface_forms : every cleaned surface form, once per occurrence.

    Returns
    -------
    str : the most frequent form; on a tie the lexicographically smallest.

    Raises
    ------
    ValueError : when ``surface_forms`` is empty.

    >>> display_name(["資料蒐集能力", "資料搜集能力", "資料蒐集能力"])
    '資料蒐集能力'
    >>> display_name(["臺灣", "台灣"])
    '台灣'
    """
    forms = list(surface_forms)
    if forms and forms.count(forms[0]) == len(forms):  # one spelling: the common case
        return forms[0]
    counts = Counter(forms)
    if not counts:
        raise ValueError("no surface form")
    return min(counts, key=lambda form: (-counts[form], form))


@lru_cache(maxsize=65536)
def surface_form(name: str) -> str:
    """The cleaned, displayable form of a name: NFKC, markup and marks removed, spaces fixed.

    >>> surface_form("網路行銷平台（工具） ^{【註3】}")
    '網路行銷平台(工具)'
    """
    cleaned, _marks = clean_name(unicodedata.normalize("NFKC", name))
    return cleaned


def search_keys(texts: Sequence[str]) -> list[str]:
    """Comparison keys for many already-clean texts at once (names of any node, codes).

    The same folding as :func:`item_key` except markup removal (graph names are
    clean already), done with ONE OpenCC call over all texts: per-text calls cost
    more than the conversion itself on tens of thousands of indicator texts.

    >>> search_keys(["資料 蒐集", "KMC2431-008v1"]) == [item_key("資料蒐集"), "kmc2431-008v1"]
    True
    """
    compact = [_WHITE.sub("", unicodedata.normalize("NFKC", t)).lower() for t in texts]
    folded = unicodedata.normalize("NFKC", _t2s().convert("\n".join(compact)))
    keys = folded.split("\n")
    if len(keys) != len(compact):  # a converter that changed line structure: go one by one
        keys = [unicodedata.normalize("NFKC", _t2s().convert(c)) for c in compact]
    return keys
