"""Streamlit's own English words, shown in Chinese.

Most built-in texts have a parameter (a selectbox's ``placeholder``, a widget's
``label``) and the pages set them; four do not: the empty list of a searchable choice box
("No results"), the upload button ("Upload") and its size line ("200MB per file • TXT"),
and the hint under a text box ("Press Enter to apply"). Those are replaced here by one
style sheet — no script: the English text is shrunk to nothing and a Chinese one drawn in
its place with ``::after``. The selectors use Streamlit's ``data-testid`` attributes and
ARIA roles (stable across its releases), never its generated class names.
"""

from __future__ import annotations

import streamlit as st

#: (what it replaces, selector of the element holding the English text, Chinese text).
REPLACED: tuple[tuple[str, str, str], ...] = (
    ("No results", '[role="listbox"] > [role="option"][style*="contents"] > span',
     "沒有符合的項目"),
    ("Upload",
     '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p',
     "選擇檔案"),
    ("Press Enter to apply", '[data-testid="stTextInput"] [data-testid="InputInstructions"]',
     "按 Enter 套用"),
    ("Press ⌘+Enter to apply", '[data-testid="stTextArea"] [data-testid="InputInstructions"]',
     "按 Ctrl+Enter 套用"),
)
_SIZE_LINE = '[data-testid="stFileUploaderDropzoneInstructions"] span'


def style_sheet(max_upload_mb: int) -> str:
    """The CSS rules (see the module docstring); the upload line names ``max_upload_mb``."""
    rows = [*REPLACED, ("per file", _SIZE_LINE, f"每個檔案上限 {max_upload_mb} MB，格式 TXT、JSON")]
    rules = []
    for _english, selector, chinese in rows:
        rules.append(f"{selector}{{font-size:0 !important;line-height:0 !important;}}")
        rules.append(f'{selector}::after{{content:"{chinese}";font-size:0.875rem;'
                     "line-height:1.6;}")
    return "\n".join(rules)


def apply() -> None:
    """Put the style sheet on the page (once per script run; it takes no space)."""
    size = st.get_option("server.maxUploadSize")
    st.html(f"<style>{style_sheet(int(size) if size else 200)}</style>")
