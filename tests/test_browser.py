"""The app in a real browser: Debian's Chromium driven by Playwright against
``streamlit run app.py`` (never a downloaded browser).

Every page loads and is screenshotted into test-artifacts/screenshots/, shows no
English word a counsellor would have to read (only codes, numbers and product names
may be ASCII), the graph canvas is really drawn (non-background pixels) and grows when a
node is clicked, picking an occupation updates the page, and a hostile standard
(tests/fixtures/xss) neither opens a dialog nor injects an element — in the page, its
frames or a component's shadow root.
"""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app_pages.registry import PAGES as PAGE_SPECS

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = ROOT / "test-artifacts" / "screenshots"
XSS = ROOT / "tests" / "fixtures" / "xss"
PAGES = tuple(p.url for p in PAGE_SPECS)
TITLES = {"home": "職能圖譜", "occupation": "職業", "item": "查一項能力", "compare": "比較職業",
          "transitions": "轉職建議", "case": "個案", "graph": "職能關係圖", "overview": "職能總覽",
          "cypher": "Cypher 查詢", "data": "資料"}
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed "
                       "(apt-get install chromium fonts-noto-cjk; dev.py test does it)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``streamlit run app.py`` on a free loopback port, stopped by :meth:`stop`."""

    def __init__(self, data: list[Path], cache: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
               "--server.address", "127.0.0.1", "--server.port", str(self.port),
               "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none", "--"]
        for path in data:
            cmd += ["--data", str(path)]
        env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
               "ICAPGRAPH_CACHE": str(cache), "ICAPGRAPH_HOME": str(cache / "home")}
        self.log = cache / "streamlit.log"
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self.log.open("wb"),
                                     stderr=subprocess.STDOUT)
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("streamlit did not become healthy within 90 s")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)


@pytest.fixture(scope="module")
def seeds_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = Server([ROOT / "data" / "standards"], tmp_path_factory.mktemp("cache"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = Server([ROOT / "data" / "standards", XSS], tmp_path_factory.mktemp("xcache"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-TW")
    pg = context.new_page()
    dialogs: list[str] = []
    outside: list[str] = []
    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    def on_request(request: Any) -> None:
        if not request.url.startswith(("http://127.0.0.1:", "data:", "about:", "blob:")):
            outside.append(request.url)

    pg.on("dialog", on_dialog)
    pg.on("request", on_request)
    pg.dialogs = dialogs
    pg.outside = outside
    yield pg
    context.close()


def open_page(page: Any, server: Server, name: str, query: str = "") -> None:
    """Go to a page (``query``: a URL query string) and wait until its script has run."""
    path = "" if name == PAGES[0] else name
    page.goto(f"{server.url}/{path}{'?' + query if query else ''}")
    settle(page, TITLES[name])


def settle(page: Any, title: str) -> None:
    """Wait for the page's title and for Streamlit to report its script run finished."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]')"
        "?.getAttribute('data-test-script-state') === 'notRunning'", timeout=90_000)
    page.locator("h1", has_text=title).first.wait_for(timeout=30_000)
    page.wait_for_timeout(300)


def shot(page: Any, name: str) -> Path:
    """Screenshot the whole page: Streamlit scrolls inside its main container, so the
    viewport is grown to the content's height for the picture, then restored."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    size = page.viewport_size
    page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]')?.scrollTo(0, 0)")
    bottom = ("() => Math.ceil(document.querySelector('[data-testid=\"stMainBlockContainer\"]')"
              ".getBoundingClientRect().bottom)")
    for _ in range(2):  # charts and frames may grow once they have room
        height = min(max(int(page.evaluate(bottom)) + 40, size["height"]), 12000)
        page.set_viewport_size({"width": size["width"], "height": height})
        page.wait_for_timeout(700)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    page.wait_for_timeout(500)  # the page lays itself out again before the next click
    return path


def graph_frame(page: Any) -> Any:
    """The frame holding a vis-network drawing (the page itself for the graph page's
    component, an iframe for the route and Cypher drawings), once it has stabilised."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                if frame.evaluate("() => typeof window.icapStable === 'number'"):
                    return frame
            except Exception:  # a frame still navigating
                pass
        page.wait_for_timeout(200)
    raise AssertionError("the pyvis drawing never stabilised")


def ink(png: bytes, background: tuple[int, int, int] = (255, 255, 255)) -> int:
    """Pixels that differ clearly from the background."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int32)
    distance = np.abs(pixels - np.array(background, dtype=np.int32)).sum(axis=2)
    return int((distance > 60).sum())


#: Every visible text node and placeholder of the page, its frames and open shadow roots,
#: that holds a Latin letter and no CJK character — Streamlit's icon ligatures
#: (``upload``, ``expand_more``) are drawn as icons and left out.
_ASCII_TEXTS = r"""() => {
  const out = [];
  const cjk = /[\u3000-\u9fff\uff00-\uffef]/;
  function visible(el) {
    if (!el || !el.getBoundingClientRect) return false;
    if (el.closest('[data-testid="stIconMaterial"], [aria-hidden="true"]')) return false;
    const r = el.getBoundingClientRect();
    if (r.width < 3 || r.height < 3 || r.right < 0 || r.bottom < 0) return false;
    const st = getComputedStyle(el);
    if (st.visibility === "hidden" || st.display === "none" || parseFloat(st.opacity) === 0
        || parseFloat(st.fontSize) < 2) return false;
    return el.checkVisibility ? el.checkVisibility({checkOpacity: true,
                                                    checkVisibilityCSS: true}) : true;
  }
  function walk(root) {
    const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let n;
    while ((n = w.nextNode())) {
      const t = n.textContent.trim();
      // what a visitor typed (a Cypher query in its text box) is not a label
      if (n.parentElement && n.parentElement.closest("textarea, code, pre")) continue;
      if (t && /[A-Za-z]/.test(t) && !cjk.test(t) && visible(n.parentElement)) out.push(t);
    }
    root.querySelectorAll("input[placeholder], textarea[placeholder]").forEach(function (e) {
      if (e.value) return;  // a placeholder shows only in an empty box
      const t = e.placeholder.trim();
      if (t && /[A-Za-z]/.test(t) && !cjk.test(t) && visible(e)) out.push(t);
    });
    root.querySelectorAll("*").forEach(function (e) { if (e.shadowRoot) walk(e.shadowRoot); });
  }
  walk(document.body);
  return out;
}"""
#: ASCII a label may be: a standard or task code, a number, a file name, a product name.
_ALLOWED = re.compile(
    r"^(?:[A-Z]{2,}[0-9A-Z]*-?\d*(?:-\d{3})?v?\d*"  # IDC3339-001v2, IDC, M7310
    r"|[TKSAOP]\d+(?:\.\d+)*"                       # T1.1, K01, O1.1.1
    r"|[\d.,%:/\s×+\-–—()]+"                         # numbers, dates, scores
    r"|[\w.\-]+\.(?:txt|json|md|html|csv|graphml|gexf|cypher|zip)"  # file names
    r"|iCAP|Cypher|FalkorDB|Neo4j|GraphML|GEXF|CSV|JSON|TXT|HTML|Markdown|Excel|MB|KB"
    r"|Gephi|yEd|neo4j-admin|IP|Ctrl\+Enter|Enter)$")


#: Visible texts showing a Markdown escape (``\\(``) or an HTML entity (``&lt;``): text that
#: was made inert twice, or in a place that does not read Markdown.
_ESCAPED = r"""() => {
  const out = [];
  const bad = /\\[\\`*_{}\[\]()#+\-.!|~<>$:]|&(?:lt|gt|amp|quot|#\d+);/;
  function walk(root) {
    const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let n;
    while ((n = w.nextNode())) {
      const p = n.parentElement;
      if (!p || p.closest("textarea, code, pre")) continue;
      const r = p.getBoundingClientRect();
      if (r.width > 2 && r.height > 2 && bad.test(n.textContent)) out.push(n.textContent.trim());
    }
    root.querySelectorAll("*").forEach(function (e) { if (e.shadowRoot) walk(e.shadowRoot); });
  }
  walk(document.body);
  return out;
}"""


def escaped_texts(page: Any) -> list[str]:
    """Visible texts with a Markdown escape or an HTML entity left in them."""
    found: list[str] = []
    for frame in page.frames:
        try:
            found += frame.evaluate(_ESCAPED)
        except Exception:  # a frame still navigating
            continue
    return found


def ascii_labels(page: Any) -> list[str]:
    """Visible ASCII-only texts that are not a code, a number or a product name."""
    found: list[str] = []
    for frame in page.frames:
        try:
            found += frame.evaluate(_ASCII_TEXTS)
        except Exception:  # a frame still navigating
            continue
    return sorted({t for t in found
                   if not all(_ALLOWED.match(w) for w in re.split(r"[\s,，、·•]+", t) if w)})


@pytest.mark.parametrize("name", PAGES)
def test_every_page_loads_in_chinese(page: Any, seeds_server: Server, name: str) -> None:
    query = {"occupation": "occupation=IDC3339-001v2",
             "item": "item=skill:溝通協調能力",
             "transitions": "occupation=IDC3339-001v2&target=KMC2431-001v4",
             "compare": "compare=IDC3339-001v2&compare=KMC2431-001v4",
             "graph": "occupation=IDC3339-001v2"}.get(name, "")
    open_page(page, seeds_server, name, query)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("尚未提供").count() == 0, "a module this page needs is missing"
    if name == "graph":
        graph_frame(page)
    shot(page, name)
    assert ascii_labels(page) == [], "English a counsellor would have to read"
    assert escaped_texts(page) == [], "escape characters shown"
    assert page.dialogs == []
    assert page.outside == [], "the app fetched something from outside this machine"


def test_built_in_english_is_replaced(page: Any, seeds_server: Server) -> None:
    open_page(page, seeds_server, "occupation")
    box = page.locator('[data-testid="stSelectbox"]:visible').first
    box.click()
    page.keyboard.type("zzzz")  # no occupation matches: the empty list
    page.wait_for_timeout(500)
    assert page.get_by_text("No results").count() == 1  # Streamlit's text is there …
    assert ascii_labels(page) == []  # … but not visible: 沒有符合的項目 is drawn instead
    page.screenshot(path=str(SHOTS / "built-in-no-results.png"))
    page.keyboard.press("Escape")
    open_page(page, seeds_server, "item")
    page.get_by_placeholder(re.compile("輸入知識")).fill("溝通")  # typed, not yet applied
    page.wait_for_timeout(400)
    assert ascii_labels(page) == []  # "Press Enter to apply" is replaced
    open_page(page, seeds_server, "data")
    assert ascii_labels(page) == []  # "Upload", "20MB per file • TXT, JSON" are replaced
    shot(page, "built-in-text")


def test_graph_canvas_is_drawn_and_grows_by_click(page: Any, seeds_server: Server) -> None:
    open_page(page, seeds_server, "graph", "occupation=IDC3339-001v2")
    frame = graph_frame(page)
    canvas = frame.locator("canvas").first
    drawn = ink(canvas.screenshot())
    box = canvas.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 300
    assert drawn > 2000, f"only {drawn} non-background pixels on the graph canvas"
    assert frame.evaluate("() => window.icapNetwork.physics.physicsEnabled") is False
    before = frame.evaluate("() => window.icapData.nodes.length")
    pos = frame.evaluate("(id) => window.icapNetwork.canvasToDOM("
                         "window.icapNetwork.getPositions([id])[id])", "skill:溝通協調能力")
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    page.wait_for_function("(n) => window.icapData && window.icapData.nodes.length > n "
                           "&& typeof window.icapStable === 'number'", arg=before,
                           timeout=30_000)
    after = frame.evaluate("() => window.icapData.nodes.length")
    assert after == before + 3  # the three other occupations needing 溝通協調能力
    settle(page, TITLES["graph"])
    assert page.get_by_text("出處").count() > 0  # the side panel of the clicked node
    shot(page, "graph-grown")


def test_picking_an_occupation_updates_the_page(page: Any, seeds_server: Server) -> None:
    open_page(page, seeds_server, "occupation")
    box = page.locator('[data-testid="stSelectbox"]:visible').first
    box.click()
    page.keyboard.type("網路行銷企劃主管")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="網路行銷企劃主管").first.wait_for(timeout=30_000)
    settle(page, "職業")
    assert page.get_by_text("KMC2431-008v1").count() > 0
    assert "occupation=KMC2431-008v1" in page.url  # the choice is in the URL
    shot(page, "occupation-picked")
    # the choice survives a page switch
    page.get_by_role("link", name="比較").first.click()
    settle(page, "比較職業")
    assert page.get_by_text("網路行銷企劃主管").count() > 0


def test_cypher_console_answers_in_the_browser(page: Any, seeds_server: Server) -> None:
    open_page(page, seeds_server, "cypher")
    page.get_by_role("button", name="執行查詢").click()
    settle(page, "Cypher 查詢")
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=30_000)
    assert page.get_by_text("回答的引擎：內嵌引擎").count() == 1
    assert page.get_by_text("5 列").count() == 1
    shot(page, "cypher-result")


_INJECTED = """() => {
  const out = [];
  function walk(root) {
    root.querySelectorAll('img[src="x"], svg[onload], b').forEach(function (e) {
      out.push(e.outerHTML.slice(0, 80));
    });
    root.querySelectorAll("*").forEach(function (e) { if (e.shadowRoot) walk(e.shadowRoot); });
  }
  walk(document);
  return out;
}"""


def _injected(page: Any) -> list[str]:
    found: list[str] = []
    for frame in page.frames:
        try:
            found += frame.evaluate(_INJECTED)
        except Exception:
            continue
    return found


HOSTILE_ITEM = "knowledge:逃逸<img/src=x onerror=alert(1)>知識"


@pytest.mark.parametrize("name", PAGES)
def test_hostile_standard_renders_as_text(page: Any, hostile_server: Server, name: str) -> None:
    from urllib.parse import quote

    query = {"item": f"item={quote(HOSTILE_ITEM)}",
             "compare": "compare=XSS0001-001v1&compare=IDC3339-001v2"}.get(name, "")
    open_page(page, hostile_server, name, query)
    if name in ("occupation", "graph", "transitions"):
        box = page.locator('[data-testid="stSelectbox"]:visible, '
                           '[data-testid="stMultiSelect"]:visible').first
        box.click()
        page.wait_for_timeout(400)  # the list opens before typing filters it
        page.keyboard.type("XSS0001")
        page.locator('[role="option"]', has_text="XSS0001").first.wait_for(timeout=10_000)
        page.keyboard.press("Enter")
        # close the list by clicking away (Escape would clear the choice just made)
        page.locator("h1").first.click()
        page.wait_for_timeout(500)
        settle(page, TITLES[name])
    if name == "occupation":
        page.get_by_role("tab", name="版本").click()
        settle(page, TITLES[name])  # the tabs are lazy: choosing one runs the page
        body = page.locator("body").inner_text()
        assert "<img/src=x onerror=alert(1)>" in body
    if name == "graph":
        graph_frame(page)
    if name == "item":
        body = page.locator("body").inner_text()
        assert "逃逸<img/src=x onerror=alert(1)>知識" in body  # the header, as text
    if name == "home":  # the occupation list (a component) holds the hostile names as text
        page.get_by_placeholder(re.compile("輸入職業名稱")).fill("XSS")
        page.wait_for_timeout(300)
    page.wait_for_timeout(500)
    shot(page, f"hostile-{name}")
    assert escaped_texts(page) == [], "a hostile name shown with escape characters"
    assert page.dialogs == [], f"a script ran: {page.dialogs}"
    assert _injected(page) == []


def test_pyvis_tooltips_show_hostile_names_as_text(page: Any) -> None:
    from app_pages.neighbourhood import Subgraph, VisEdge, VisNode
    from app_pages.pyvis_view import render_html

    payloads = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"'><b>")
    nodes = tuple(VisNode(f"n{i}", "Skill", p, f"{p}\n出處：{p}") for i, p in enumerate(payloads))
    sub = Subgraph(nodes, (VisEdge("n0", "n1", "SIMILAR_TO", payloads[0]),), len(nodes))
    page.set_content(render_html(sub, height=500))
    page.wait_for_function("() => typeof window.icapStable === 'number'", timeout=30_000)
    box = page.locator("#icap-net").bounding_box()
    assert box is not None
    for i, payload in enumerate(payloads):
        pos = page.evaluate("(id) => window.icapNetwork.canvasToDOM("
                            "window.icapNetwork.getPositions([id])[id])", f"n{i}")
        page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
        tip = page.locator("div.vis-tooltip")
        tip.wait_for(state="visible", timeout=5_000)
        assert tip.inner_text().splitlines()[0] == payload
        page.mouse.move(1, 1)
        page.wait_for_timeout(200)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "hostile-tooltips.png"))
    assert page.dialogs == []
    assert _injected(page) == []
