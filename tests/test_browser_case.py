"""The 個案 page in a real browser (Debian's Chromium driven by Playwright against
``streamlit run app.py``): the whole flow, one screenshot per step under
test-artifacts/screenshots/case-*.png, and hostile text shown as text.

Flow: pick a past job (網紅經紀人, IDC3339-001v2), search and tick an item (直播技巧),
type two items (溝通 協調 → 溝通協調能力 by its generic suffix, 客戶關係管理 → 顧客關係管理
by the curated alias), filter the matches by 職類別, open one match side by side, save the
case, download the HTML and Excel reports, open the saved case in a new visit.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import test_browser as layer
from tests.test_browser import CHROMIUM, SHOTS, XSS, Server, _injected, open_page, settle, shot

# The browser layer's fixtures, shared (one Chromium per module, a fresh context per test).
browser = layer.browser
page = layer.page

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = "<script>alert(1)</script>"
QUOTE = "\"'><b>"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server([ROOT / "data" / "standards", XSS], tmp_path_factory.mktemp("case"))
    yield srv
    srv.stop()


def widget(page: Any, testid: str, label: str) -> Any:
    return page.locator(f'[data-testid="{testid}"]').filter(has_text=label).first


def choose(page: Any, testid: str, label: str, typed: str) -> None:
    """Open a select box or multiselect by its label, type to filter, take the first
    match; again if a rerun that was still on its way swallowed the choice."""
    for _ in range(3):
        open_list(page, testid, label)
        page.keyboard.type(typed)
        page.locator('[role="option"]', has_text=typed).first.wait_for(timeout=10_000)
        page.keyboard.press("Enter")
        page.wait_for_timeout(200)
        page.keyboard.press("Escape")
        settle(page, "個案")
        page.wait_for_timeout(500)
        settle(page, "個案")
        if _chosen(page, testid, label, typed):
            return
    raise AssertionError(f"could not choose {typed!r} in {label}")


def _chosen(page: Any, testid: str, label: str, typed: str) -> bool:
    box = widget(page, testid, label)
    if testid == "stSelectbox":
        return typed in str(box.locator("input").first.input_value())
    return bool(box.locator('[data-tag]', has_text=typed).count())


def open_list(page: Any, testid: str, label: str) -> None:
    """Click a select box open (again, if a rerun closed it under the click)."""
    for _ in range(4):
        widget(page, testid, label).click()
        try:
            page.locator('[role="option"]').first.wait_for(timeout=3_000)
            return
        except Exception:  # playwright's TimeoutError: the list did not open
            settle(page, "個案")
    raise AssertionError(f"the {label} list never opened")


def options(page: Any, testid: str, label: str) -> list[str]:
    """The options a select box offers (opened, read, closed again)."""
    open_list(page, testid, label)
    found = [str(t) for t in page.locator('[role="option"]').all_inner_texts()]
    page.keyboard.press("Escape")
    page.wait_for_timeout(200)
    return found


def value(page: Any, testid: str, label: str) -> str:
    return str(widget(page, testid, label).locator("input").first.input_value())


def fill(page: Any, label: str, text: str, *, area: bool = False) -> None:
    field = page.get_by_label(label).first
    field.click()
    field.fill(text)
    page.keyboard.press("Control+Enter" if area else "Enter")
    settle(page, "個案")


def picture(page: Any, name: str) -> None:
    """A screenshot of the whole page from its top (Streamlit scrolls its main area)."""
    page.evaluate("() => document.querySelectorAll('*').forEach(e => {"
                  " if (e.scrollTop) e.scrollTop = 0; })")
    page.wait_for_timeout(200)
    shot(page, name)


def body(page: Any) -> str:
    return str(page.locator("body").inner_text())


def test_the_whole_case_flow(page: Any, server: Server, tmp_path: Path) -> None:
    open_page(page, server, "case")
    assert "請先選擇過去的職業" in body(page)
    picture(page, "case-1-empty")

    choose(page, "stMultiSelect", "過去的職業", "網紅經紀人")
    page.get_by_text("個案的職能：共 30 項").first.wait_for(timeout=60_000)
    picture(page, "case-2-past-job")

    fill(page, "搜尋職能項目（例如：倉庫管理、Excel、溝通協調）", "直播")
    choose(page, "stMultiSelect", "勾選個案會的項目", "直播技巧")
    page.get_by_text("個案的職能：共 31 項").first.wait_for(timeout=60_000)
    picture(page, "case-3-ticked")

    fill(page, "用個案自己的話描述會做的事（一行一項）", "溝通 協調\n客戶關係管理\n量子力學",
         area=True)
    text = body(page)
    assert "「溝通 協調」：相同" in text and "「客戶關係管理」：同義" in text
    assert "「量子力學」：找不到" in text
    # 溝通協調能力 (S05) and 顧客關係管理 (K09) are 網紅經紀人's already: still 31 items
    assert "個案的職能：共 31 項" in text
    picture(page, "case-4-typed")

    choose(page, "stSelectbox", "職類別", "KMC")
    assert value(page, "stSelectbox", "職類別") == "行銷與銷售 / 行銷傳播（KMC）"
    picture(page, "case-5-matches-filtered")
    # the matches one can open are the KMC ones only (the table itself is a canvas)
    offered = options(page, "stSelectbox", "打開一個職業")
    assert offered and all("（KMC2431-" in o for o in offered)
    choose(page, "stSelectbox", "職類別", "全部")
    assert "數位平台直播人員（IDC5294-001v2）" in options(page, "stSelectbox", "打開一個職業")

    choose(page, "stSelectbox", "打開一個職業", "數位平台直播人員")
    assert value(page, "stSelectbox", "打開一個職業") == "數位平台直播人員（IDC5294-001v2）"
    for title in ("已具備", "相近可轉移", "需補強"):
        assert page.get_by_text(title).count() > 0
    picture(page, "case-6-side-by-side")

    choose(page, "stMultiSelect", "個案選擇的目標職業", "數位平台直播人員")
    fill(page, "個案名稱", "王小明")
    fill(page, "諮詢紀錄（只存在這台電腦上）", "想轉直播；" + QUOTE, area=True)
    page.get_by_role("button", name="儲存個案").click()
    settle(page, "個案")
    page.get_by_text("已儲存個案「王小明」").first.wait_for(timeout=60_000)
    picture(page, "case-7-saved")

    with page.expect_download() as html_download:
        page.get_by_role("button", name="可列印的報告（HTML）").click()
    report = tmp_path / "report.html"
    html_download.value.save_as(report)
    with page.expect_download() as xlsx_download:
        page.get_by_role("button", name="報告試算表（Excel）").click()
    workbook = tmp_path / "report.xlsx"
    xlsx_download.value.save_as(workbook)
    from openpyxl import load_workbook

    sheets = load_workbook(io.BytesIO(workbook.read_bytes())).sheetnames
    assert sheets == ["摘要", "數位平台直播人員"]
    printed_page, dialogs, fetched = open_report(page, report)  # alone, offline, as a file
    printed = body(printed_page)
    assert "職能分析報告：王小明" in printed and "數位平台直播人員" in printed
    assert "想轉直播；" + QUOTE in printed  # the note, as typed
    assert dialogs == [] and _injected(printed_page) == []
    assert fetched == [report.as_uri()]  # self-contained: nothing else is loaded
    SHOTS.mkdir(parents=True, exist_ok=True)
    printed_page.screenshot(path=str(SHOTS / "case-8-report.png"), full_page=True)
    printed_page.pdf(path=str(tmp_path / "report.pdf"), format="A4")  # prints on A4
    printed_page.close()

    open_page(page, server, "case")
    page.get_by_text("已儲存的個案（1）").first.click()
    page.get_by_role("button", name="開啟").click()
    settle(page, "個案")
    page.get_by_text("已開啟個案「王小明」").first.wait_for(timeout=60_000)
    assert "個案的職能：共 31 項" in body(page)
    picture(page, "case-9-opened")
    assert page.dialogs == [] and page.outside == []


def open_report(page: Any, report: Path) -> tuple[Any, list[str], list[str]]:
    """The downloaded report in a page of its own: (page, dialogs seen, URLs fetched)."""
    shown = page.context.new_page()
    dialogs: list[str] = []
    fetched: list[str] = []
    shown.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    shown.on("request", lambda r: fetched.append(r.url))
    shown.goto(report.as_uri())
    shown.wait_for_timeout(500)
    return shown, dialogs, fetched


def test_hostile_text_on_the_case_page(page: Any, server: Server, tmp_path: Path) -> None:
    open_page(page, server, "case")
    choose(page, "stMultiSelect", "過去的職業", "XSS0001")
    fill(page, "用個案自己的話描述會做的事（一行一項）", f"{SCRIPT}\n{QUOTE}", area=True)
    fill(page, "個案名稱", "駭客" + QUOTE)
    fill(page, "諮詢紀錄（只存在這台電腦上）", SCRIPT + QUOTE, area=True)
    page.get_by_role("button", name="儲存個案").click()
    settle(page, "個案")
    text = body(page)
    assert f"「{SCRIPT}」" in text and f"「{QUOTE}」" in text  # shown as typed
    page.wait_for_timeout(500)
    picture(page, "case-hostile")
    assert page.dialogs == [], f"a script ran: {page.dialogs}"
    assert _injected(page) == []
    with page.expect_download() as download:
        page.get_by_role("button", name="可列印的報告（HTML）").click()
    report = tmp_path / "hostile.html"
    download.value.save_as(report)
    shown, dialogs, fetched = open_report(page, report)
    printed = body(shown)
    assert "職能分析報告：駭客" + QUOTE in printed and SCRIPT + QUOTE in printed
    assert f"「{SCRIPT}」" in printed
    assert dialogs == [] and _injected(shown) == [] and fetched == [report.as_uri()]
    shown.screenshot(path=str(SHOTS / "case-hostile-report.png"), full_page=True)
    shown.close()
