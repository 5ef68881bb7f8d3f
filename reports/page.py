"""The printable page every report shares: escaping, the Chinese font stack, A4 print
rules, and the document shell. Self-contained: no script, no external resource.

>>> page = document("<報告>", "<p>內容</p>")
>>> page.startswith("<!DOCTYPE html>") and "<title>&lt;報告&gt;</title>" in page
True
>>> "http" in page or "<script" in page or "<link" in page
False
"""

from __future__ import annotations

import html

#: Base style of every report page.
STYLE = """
body{font-family:"Noto Sans CJK TC","Noto Sans TC","Microsoft JhengHei",sans-serif;
 margin:2em;color:#222;line-height:1.5}
h1{font-size:1.5em;border-bottom:2px solid #444}
table{border-collapse:collapse;width:100%;margin:1em 0}
th,td{border:1px solid #999;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eee}
@media print{body{margin:1cm} a{color:#000} .noprint{display:none}}
"""

#: A4 paper, page breaks that keep tables and sections readable, codes in small print.
A4_STYLE = """
@page{size:A4;margin:15mm 14mm}
h2{font-size:1.2em;margin-top:1.4em;border-left:4px solid #555;padding-left:6px}
h3{font-size:1.05em;margin:1em 0 .3em}
small.code,.code{font-size:.75em;color:#666}
.explain{background:#f5f5f5;border:1px solid #ccc;padding:.5em .8em}
.muted{color:#666}
tr{page-break-inside:avoid;break-inside:avoid}
table.learn td:nth-child(2){min-width:9em}
table.learn td:nth-child(-n+4),table.learn th{white-space:nowrap}
table.learn td:nth-child(2){white-space:normal}
@media print{body{margin:0;font-size:10.5pt} .target{break-before:page}
 th{background:#eee !important;-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""


def escape(text: object) -> str:
    """``text`` as HTML text (quotes included, so it is safe inside attributes too).

    >>> escape("\\"'><b>")
    '&quot;&#x27;&gt;&lt;b&gt;'
    """
    return html.escape(str(text), quote=True)


def document(title: str, body: str, style: str = "") -> str:
    """A whole Traditional Chinese HTML page: ``title`` is escaped here, ``body`` must be
    HTML built with :func:`escape`."""
    return ('<!DOCTYPE html>\n<html lang="zh-Hant"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>{STYLE}{style}</style></head>"
            f"<body>{body}</body></html>\n")
