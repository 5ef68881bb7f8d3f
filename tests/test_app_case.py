"""The 個案 page through AppTest on the five seeds.

Hand-worked from data/standards: IDC3339-001v2 (網紅經紀人) requires 9 knowledge, 15 skill
and 6 attitude items; 溝通協調 is its S05 溝通協調能力 less the generic suffix 能力;
客戶關係管理 is the curated alias of its K09 顧客關係管理.
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
SEEDS = ROOT / "data" / "standards"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, home: Path) -> Iterator[AppTest]:
    monkeypatch.setenv("ICAPGRAPH_DATA", str(SEEDS))
    monkeypatch.setenv("ICAPGRAPH_HOME", str(home))
    monkeypatch.delenv("ICAPGRAPH_ALIASES", raising=False)
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("app_pages/case.py")
    at.run()
    ok(at)
    yield at


def ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def texts(at: AppTest) -> str:
    parts = [m.value for m in (*at.markdown, *at.caption, *at.info, *at.success, *at.warning)]
    return "\n".join(parts).replace("\\", "")


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no table with a {column!r} column")


def test_empty_page_asks_for_a_profile_and_writes_nothing(app: AppTest, home: Path) -> None:
    assert "請先選擇過去的職業" in texts(app)
    assert not (home / "cases.sqlite3").exists()


def test_a_past_job_lists_its_items_by_kind(app: AppTest) -> None:
    app.multiselect(key="case.jobs").set_value(["IDC3339-001v2"]).run()
    ok(app)
    by_kind = {m.label: len(m.value) for m in app.multiselect if m.key.startswith("case.job.")}
    assert by_kind == {"知識（9 項）": 9, "技能（15 項）": 15, "態度（6 項）": 6}
    assert "個案的職能：共 30 項" in texts(app)
    ranked = frame_with(app, "可信度")
    assert "網紅經紀人" not in set(ranked["職業"])  # a past job is never a result
    assert list(ranked["分數"]) == sorted(ranked["分數"], reverse=True)
    # the client cannot do two of the skills: 28 items left
    key = "case.job.IDC3339-001v2.Skill"
    app.multiselect(key=key).unselect("skill:計算能力").unselect("skill:市場分析能力").run()
    assert "個案的職能：共 28 項" in texts(app)


def test_typed_items_show_what_they_resolved_to(app: AppTest) -> None:
    app.text_area(key="case.typed").set_value("溝通 協調\n客戶關係管理\n量子力學").run()
    ok(app)
    labels = [m.label for m in app.multiselect if m.key.startswith("case.typed.pick.")]
    assert any(label.startswith("「溝通 協調」：相同（只差通用詞尾") for label in labels)
    assert any(label.startswith("「客戶關係管理」：同義（人工整理的同義詞") for label in labels)
    assert any(label.startswith("「量子力學」：找不到") for label in labels)
    picks = {m.label.split("」")[0][1:]: m.value for m in app.multiselect
             if m.key.startswith("case.typed.pick.")}
    assert picks["溝通 協調"] == ["skill:溝通協調能力"]
    assert picks["量子力學"] == []  # never guessed
    assert "個案的職能：共 2 項" in texts(app)
    # the counsellor changes 溝通 協調 to nothing: one item left
    [pick] = [m for m in app.multiselect if m.label.startswith("「溝通 協調」")]
    pick.set_value([]).run()
    assert "個案的職能：共 1 項" in texts(app)


def test_search_box_ticks_items(app: AppTest) -> None:
    app.text_input(key="case.search").set_value("談判").run()
    box = app.multiselect(key="case.ticked")
    assert box.options[0] == "技能｜談判能力"
    box.set_value(["skill:談判能力"]).run()
    app.text_input(key="case.search").set_value("直播").run()  # a new search keeps the tick
    assert app.multiselect(key="case.ticked").value == ["skill:談判能力"]
    app.text_input(key="case.search").set_value("量子力學").run()
    assert "找不到符合「量子力學」的職能項目" in texts(app)


def test_filters_open_a_match_and_side_by_side_lists(app: AppTest) -> None:
    app.multiselect(key="case.jobs").set_value(["IDC3339-001v2"]).run()
    app.selectbox(key="case.category").set_value("KMC").run()
    ok(app)
    ranked = frame_with(app, "可信度")
    assert set(ranked["代碼"]) <= {"KMC2431-001v4", "KMC2431-008v1", "KMC2431-009v2"}
    app.selectbox(key="case.category").set_value("").run()
    app.selectbox(key="case.detail").set_value("IDC5294-001v2").run()
    covered = frame_with(app, "來自")
    assert {"溝通協調能力", "合約締結知識"} <= set(covered["職能"])
    assert set(covered["來自"]) == {"過去職業：網紅經紀人"}
    partly = frame_with(app, "個案的相近項目")
    row = partly[partly["目標需要"] == "網紅類型與獲利模式"].iloc[0]
    assert row["個案的相近項目"] == "網紅類型與商業模式"
    missing = frame_with(app, "重要度")
    assert list(missing["重要度"]) == sorted(missing["重要度"], reverse=True)
    assert app.selectbox(key="case.level").options == ["（全部）", "4 級"]  # every seed is 4
    # 職類別 IDC and 行業別 M7310 share no occupation (IDC3339: M7603, IDC5294: J6390)
    app.selectbox(key="case.category").set_value("IDC").run()
    app.selectbox(key="case.industry").set_value("M7310").run()
    assert "沒有符合條件的職業" in texts(app)


def test_save_open_delete_and_reports(app: AppTest, home: Path) -> None:
    app.multiselect(key="case.jobs").set_value(["IDC3339-001v2"]).run()
    app.text_area(key="case.typed").set_value("直播技巧").run()
    app.multiselect(key="case.targets").set_value(["IDC5294-001v2"]).run()
    app.text_input(key="case.name").set_value("王小明").run()
    app.text_area(key="case.note").set_value("想轉直播").run()
    app.button(key="case.save").click().run()
    ok(app)
    assert "已儲存個案「王小明」" in texts(app)
    con = sqlite3.connect(home / "cases.sqlite3")
    assert con.execute("SELECT name, note FROM cases").fetchall() == [("王小明", "想轉直播")]
    con.close()
    # saving again without 覆寫 is refused in Chinese
    app.button(key="case.save").click().run()
    assert any("已有同名個案" in e.value for e in app.error)
    downloads = {b.proto.label: b for b in app.get("download_button")}
    assert set(downloads) == {"可列印的報告（HTML）", "報告試算表（Excel）"}
    # a fresh session opens the case: every widget is filled again
    fresh = AppTest.from_file(APP, default_timeout=180)
    fresh.run()
    fresh.switch_page("app_pages/case.py")
    fresh.run()
    fresh.selectbox(key="case.open").set_value("王小明").run()
    fresh.button(key="case.open.go").click().run()
    ok(fresh)
    assert "已開啟個案「王小明」" in texts(fresh)
    assert fresh.multiselect(key="case.jobs").value == ["IDC3339-001v2"]
    assert fresh.text_area(key="case.typed").value == "直播技巧"
    assert fresh.multiselect(key="case.targets").value == ["IDC5294-001v2"]
    assert fresh.text_area(key="case.note").value == "想轉直播"
    fresh.button(key="case.delete").click().run()
    assert "已刪除個案「王小明」" in texts(fresh)
    assert "想轉直播".encode() not in (home / "cases.sqlite3").read_bytes()


def test_report_of_the_pages_profile_holds_the_chosen_target(app: AppTest) -> None:
    # The download buttons carry case_html / case_xlsx of the page's profile; built here
    # from the same inputs, since AppTest does not hand out a download's bytes.
    from app_pages.case_profile import curated_aliases
    from graph.store import load_graph
    from queries.match import MatchOptions
    from queries.profile import PastJob, ProfileSpec, build_profile
    from reports.case_data import case_report
    from reports.case_html import case_html
    from reports.case_xlsx import case_xlsx

    app.multiselect(key="case.jobs").set_value(["IDC3339-001v2"]).run()
    app.multiselect(key="case.targets").set_value(["IDC5294-001v2"]).run()
    assert {b.proto.label for b in app.get("download_button")} == {
        "可列印的報告（HTML）", "報告試算表（Excel）"}
    G = load_graph([str(SEEDS)]).graph
    p = build_profile(G, ProfileSpec(jobs=(PastJob("IDC3339-001v2"),)),
                      aliases=curated_aliases())
    report = case_report(G, "<b>王</b>", "", p, ["IDC5294-001v2"], MatchOptions(), "2026-01-01")
    page = case_html(report)
    assert "數位平台直播人員" in page and "&lt;b&gt;王&lt;/b&gt;" in page
    wb = load_workbook(io.BytesIO(case_xlsx(report)))
    assert wb.sheetnames == ["摘要", "數位平台直播人員"]


def test_an_unusable_case_database_leaves_the_page_working(app: AppTest, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "cases.sqlite3").write_bytes(b"not a database" * 100)
    app.run()
    assert any("個案資料庫無法使用" in w.value for w in app.warning)
    app.multiselect(key="case.jobs").set_value(["IDC3339-001v2"]).run()
    assert not app.exception
    assert len(frame_with(app, "可信度")) > 0
    assert "個案資料庫無法使用，無法儲存" in texts(app)
    assert (home / "cases.sqlite3").read_bytes() == b"not a database" * 100
