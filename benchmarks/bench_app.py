"""The explorer's speed in a real browser on the 908-standard corpus (prints figures).

Budgets (issue 15): first page ready ≤ 3 s with a warm graph cache, a page switch
≤ 0.5 s, the item page (an item chosen) ≤ 0.5 s, the graph page drawn and stabilised
≤ 1.5 s.

"First page ready" is the time from the browser's request of the landing page until
Streamlit reports its script finished (``data-test-script-state`` = ``notRunning``
with the page's ``h1`` present) and the occupation list (a component) is drawn. "First
content" is when the counts (the first ``stMetric``) are shown. Switches run in one
session that carries a client's context (an occupation, a target and an item, opened
from a shared link — :data:`CONTEXT`), so each page shows real content, not a prompt: a
page switch is from the click on the navigation link to the same "script finished"
state. The graph page is opened on the context's occupation and timed until
vis-network has laid it out. Each round starts a fresh server process; the first round
has an empty graph cache, the others read the graph cache written by the first (as
after ``icapgraph build``). Server CPU is the streamlit process's user + system time
(from /proc) over the same interval, to tell a slow machine (load average shown) from
slow code; the summary is best-of-N.

Usage: .venv/bin/python benchmarks/bench_app.py [--data DIR] [--rounds N]
(default data: ../shared/icap-corpus beside the checkout; Debian's /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from test_browser import ARGS, CHROMIUM, Server  # noqa: E402

from app_pages.registry import PAGES  # noqa: E402

CORPUS = ROOT.parent / "shared" / "icap-corpus"
READY = ("() => document.querySelector('[data-testid=\"stApp\"]')"
         "?.getAttribute('data-test-script-state') === 'notRunning'"
         " && !!document.querySelector('h1')")
CONTENT = "() => !!document.querySelector('[data-testid=\"stMetric\"]')"
#: The landing page's occupation list is drawn (a component, in a shadow root).
LISTED = ("() => [...document.querySelectorAll('*')].some("
          "e => e.shadowRoot && e.shadowRoot.querySelector('.icap-list details'))")
#: Every page but the graph (timed on its own), starting away from the landing page the
#: visit begins on, then back to it.
SWITCHES = tuple((p.title, p.url) for p in (*PAGES[1:], PAGES[0]) if p.url != "graph")
#: A client's context on the corpus, as a shared link carries it: 文資場域經營管理人員,
#: the first target 轉職 suggests for it, and 倉儲管理 (which it requires).
CONTEXT = "occupation=TRM1499-001v4&target=NAO2132-001v5&item=knowledge:倉儲管理"


def ready(page: Any, started: float, timeout: float = 120.0) -> float:
    page.wait_for_timeout(50)
    page.wait_for_function(READY, timeout=timeout * 1000, polling=25)
    return time.perf_counter() - started


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def first_page(data: Path, cache: Path, browser: Any) -> dict[str, float]:
    """Server start, then the first visitor's overview until its script has finished."""
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    server = Server([data], cache)
    healthy = time.perf_counter() - t0
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        cpu0 = cpu_seconds(server.proc.pid)
        t1 = time.perf_counter()
        page.goto(server.url + "/")
        page.wait_for_function(CONTENT, timeout=120_000, polling=25)
        content = time.perf_counter() - t1
        ready(page, t1)
        page.wait_for_function(LISTED, timeout=120_000, polling=25)
        first = time.perf_counter() - t1
        cpu = cpu_seconds(server.proc.pid) - cpu0
        page.wait_for_timeout(3000)  # a visitor reads the first page; the warm-up runs
        page.goto(f"{server.url}/?{CONTEXT}")  # the client's context, from a shared link
        ready(page, time.perf_counter())
        first_visits = [switch(page, title, url) for title, url in SWITCHES]
        switches = [switch(page, title, url) for title, url in SWITCHES]
        item = min(t for t, (_, url) in zip(switches, SWITCHES, strict=True) if url == "item")
        t3 = time.perf_counter()
        page.goto(f"{server.url}/graph?{CONTEXT}")
        page.wait_for_function(READY, timeout=120_000, polling=25)
        nodes, physics = drawn(page)
        graph = time.perf_counter() - t3
        page.close()
    finally:
        server.stop()
    slowest = max(zip(switches, SWITCHES, strict=True))
    print("  (warm switches: " + ", ".join(f"{u} {t:.2f}" for t, (_, u) in
                                          zip(switches, SWITCHES, strict=True))
          + f"; slowest {slowest[1][1]})")
    return {"load average (1 min)": load, "server start": healthy,
            "first content (counts)": content, "first page ready": first,
            "server CPU to first page": cpu,
            "first visit of a page (median)": statistics.median(first_visits),
            "first visit of a page (max)": max(first_visits),
            "page switch (median)": statistics.median(switches),
            "page switch (max)": max(switches), "item page (switch, item chosen)": item,
            "graph page drawn+stable": graph,
            "graph nodes": float(nodes), "vis stabilisation (in page)": physics / 1000}


def switch(page: Any, title: str, url: str) -> float:
    """Click a navigation link; seconds until the new page's script has finished."""
    started = time.perf_counter()
    page.get_by_role("link", name=title).first.click()
    path = "/" if url == PAGES[0].url else f"/{url}"
    page.wait_for_url(lambda u: urlparse(u).path.endswith(path), timeout=30_000)
    return ready(page, started)


def drawn(page: Any) -> tuple[int, float]:
    """Wait for the drawing's stabilisation; return its node count and physics time (ms)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                stable = frame.evaluate("() => window.icapStable")
            except Exception:  # a frame still loading
                continue
            if isinstance(stable, int | float):
                nodes = frame.evaluate("() => window.icapData.nodes.length")
                return int(nodes), float(stable)
        page.wait_for_timeout(25)
    raise RuntimeError("the graph never stabilised")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=CORPUS)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"skip: {args.data} is absent")
        return 0
    if not CHROMIUM.exists():
        print("skip: /usr/bin/chromium is absent (apt-get install chromium fonts-noto-cjk)")
        return 0
    from playwright.sync_api import sync_playwright

    files = len(list(args.data.glob("*.json"))) + len(list(args.data.glob("*.txt")))
    print(f"data: {args.data} ({files} files)")
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as tmp:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        cache = Path(tmp)
        runs = [("cold: empty graph cache", first_page(args.data, cache, browser))]
        for i in range(args.rounds):
            runs.append((f"cold process, disk cache warm #{i + 1}",
                         first_page(args.data, cache, browser)))
        browser.close()
    budgets = {"first page ready": 3.0, "page switch (median)": 0.5,
               "page switch (max)": 0.5, "item page (switch, item chosen)": 0.5,
               "graph page drawn+stable": 1.5}
    for label, figures in runs:
        show(label, figures, budgets)
    warm = [figures for _, figures in runs[1:]]
    if len(warm) > 1:
        best = {name: min(f[name] for f in warm) for name in warm[0]}
        show(f"best of the {len(warm)} rounds with a warm graph cache", best, budgets)
    return 0


def show(label: str, figures: dict[str, float], budgets: dict[str, float]) -> None:
    print(f"\n{label}")
    for name, value in figures.items():
        budget = budgets.get(name)
        mark = "" if budget is None else ("  ok" if value <= budget else "  OVER")
        unit = "" if name in ("graph nodes", "load average (1 min)") else " s"
        shown = f"{value:.0f}" if name == "graph nodes" else f"{value:.2f}"
        print(f"  {name:<32} {shown}{unit}"
              + (f"   (budget {budget:g} s){mark}" if budget else ""))


if __name__ == "__main__":
    sys.exit(main())
