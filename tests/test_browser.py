"""The app in a real browser: Debian's Chromium driven by Playwright against
``streamlit run app.py`` (never a downloaded browser).

Every page loads and is screenshotted into test-artifacts/screenshots/, the pyvis canvas
is really drawn (non-background pixels), picking an occupation updates the page, and a
hostile standard (tests/fixtures/xss) neither opens a dialog nor injects an element.
"""

from __future__ import annotations

import io
import os
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
TITLES = {"overview": "職能圖譜 總覽", "occupation": "職業", "compare": "比較職業", "case": "個案",
          "transitions": "轉職建議", "graph": "職能圖譜", "cypher": "Cypher 查詢", "data": "資料"}
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


def open_page(page: Any, server: Server, name: str) -> None:
    """Go to a page and wait until its script has finished running."""
    page.goto(f"{server.url}/" if name == "overview" else f"{server.url}/{name}")
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
    bottom = ("() => Math.ceil(document.querySelector('[data-testid=\"stMainBlockContainer\"]')"
              ".getBoundingClientRect().bottom)")
    for _ in range(2):  # charts and frames may grow once they have room
        height = min(max(int(page.evaluate(bottom)) + 40, size["height"]), 12000)
        page.set_viewport_size({"width": size["width"], "height": height})
        page.wait_for_timeout(700)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    return path


def graph_frame(page: Any) -> Any:
    """The frame holding the pyvis drawing, once vis-network has stabilised."""
    page.wait_for_selector("iframe", timeout=60_000)
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


@pytest.mark.parametrize("name", PAGES)
def test_every_page_loads(page: Any, seeds_server: Server, name: str) -> None:
    open_page(page, seeds_server, name)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("尚未提供").count() == 0, "a module this page needs is missing"
    shot(page, name)
    assert page.dialogs == []
    assert page.outside == [], "the app fetched something from outside this machine"


def test_graph_canvas_is_drawn(page: Any, seeds_server: Server) -> None:
    open_page(page, seeds_server, "graph")
    frame = graph_frame(page)
    canvas = frame.locator("canvas").first
    drawn = ink(canvas.screenshot())
    box = canvas.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 300
    assert drawn > 2000, f"only {drawn} non-background pixels on the graph canvas"
    assert frame.evaluate("() => window.icapNetwork.physics.physicsEnabled") is False
    shot(page, "graph-drawn")


def test_picking_an_occupation_updates_the_page(page: Any, seeds_server: Server) -> None:
    open_page(page, seeds_server, "occupation")
    box = page.locator('[data-testid="stSelectbox"]').first
    box.click()
    page.keyboard.type("網路行銷企劃主管")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="網路行銷企劃主管").first.wait_for(timeout=30_000)
    settle(page, "職業")
    assert page.get_by_text("KMC2431-008v1").count() > 0
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


_INJECTED = """() => [
  ...document.querySelectorAll('img[src="x"], svg[onload], b')
].map(e => e.outerHTML.slice(0, 80))"""


def _injected(page: Any) -> list[str]:
    found: list[str] = []
    for frame in page.frames:
        try:
            found += frame.evaluate(_INJECTED)
        except Exception:
            continue
    return found


@pytest.mark.parametrize("name", PAGES)
def test_hostile_standard_renders_as_text(page: Any, hostile_server: Server, name: str) -> None:
    open_page(page, hostile_server, name)
    if name in ("occupation", "graph", "transitions"):
        box = page.locator('[data-testid="stSelectbox"], [data-testid="stMultiSelect"]').first
        box.click()
        page.keyboard.type("XSS0001")
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")  # an open list hides the rest of the page from ARIA
        page.wait_for_timeout(500)
        settle(page, TITLES[name])
    if name == "occupation":
        page.get_by_role("tab", name="版本").click()
        page.wait_for_timeout(300)
        body = page.locator("body").inner_text()
        assert "<img/src=x onerror=alert(1)>" in body
    if name == "graph":
        graph_frame(page)
    page.wait_for_timeout(500)
    shot(page, f"hostile-{name}")
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
