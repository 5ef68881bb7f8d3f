"""How the app words things: Chinese labels of kinds, directions and matches, and text
made inert for Markdown (every name and note is shown as typed, never as markup).
"""

from __future__ import annotations

import html
import re

from graph.kinds import INFO, ITEM_KINDS, KINDS

#: Chinese name of each kind by its label (``"Skill"`` → 技能), from the kind table.
KIND_LABEL: dict[str, str] = {row.kind.value: row.zh for row in KINDS}
#: ``overlap`` groups shared items under these plural keys.
GROUP_LABEL: dict[str, str] = {INFO[kind].group: INFO[kind].zh for kind in ITEM_KINDS}
#: Chinese name of each item kind by its record word (``"skill"`` → 技能).
WORD_LABEL: dict[str, str] = {INFO[kind].word: INFO[kind].zh for kind in ITEM_KINDS}
DIRECTION_LABEL: dict[str, str] = {"upward": "升遷", "lateral": "平行", "downward": "降階"}
MATCH_LABEL: dict[str, str] = {"identical": "相同", "alias": "同義", "similar": "相似",
                               "includes": "涵蓋"}


def one_line(exc: BaseException) -> str:
    """An error message folded onto one line."""
    return " ".join(str(exc).split()) or type(exc).__name__


def table_height(rows: int, *, most: int = 25) -> int:
    """Pixel height showing ``rows`` rows of a dataframe (scrolling beyond ``most``)."""
    return 38 + 35 * max(1, min(rows, most))


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>$:])")


def md(text: object) -> str:
    """``text`` made inert for ``st.markdown``: HTML and Markdown syntax show as typed.

    >>> md("<b>粗體</b> **x**")
    '&lt;b&gt;粗體&lt;/b&gt; \\\\*\\\\*x\\\\*\\\\*'
    """
    return _MD_SPECIAL.sub(r"\\\1", html.escape(str(text), quote=False))
