"""The app's pages as data: url, Chinese title and script, in menu order.

``app.py`` builds its navigation from :data:`PAGES`; the tests (AppTest, the security
test, the real browser) and the app benchmark walk the same tuple, so adding a page is
one row here plus its module.

>>> [p.url for p in PAGES][:3]
['home', 'occupation', 'item']
>>> page("compare").title
'比較'
"""

from __future__ import annotations

from dataclasses import dataclass

from loaders.errors import UnknownKey


@dataclass(frozen=True, slots=True)
class PageSpec:
    """One page: ``url`` (the URL path and the key tests use), ``title`` (the menu label)
    and ``script`` (the page module's path, relative to the repository root)."""

    url: str
    title: str
    default: bool = False

    @property
    def script(self) -> str:
        """The page's script, ``app_pages/<url>.py``."""
        return f"app_pages/{self.url}.py"


# No page icons: Streamlit turns a page's icon into the tab's favicon by fetching it from
# Google's font CDN, and the app must not reach outside this machine.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", "首頁", default=True),
    PageSpec("occupation", "職業"),
    PageSpec("item", "能力"),
    PageSpec("compare", "比較"),
    PageSpec("transitions", "轉職"),
    PageSpec("case", "個案"),
    PageSpec("graph", "圖譜"),
    PageSpec("overview", "總覽"),
    PageSpec("cypher", "查詢"),
    PageSpec("data", "資料"),
)


def page(url: str) -> PageSpec:
    """The page whose url is ``url``.

    Raises
    ------
    UnknownKey
        No page has that url (the message lists them).
    """
    for spec in PAGES:
        if spec.url == url:
            return spec
    raise UnknownKey("page", url, [p.url for p in PAGES])
