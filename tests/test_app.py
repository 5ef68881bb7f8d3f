"""Every page of the explorer through streamlit.testing.v1.AppTest on the five seeds.

Expected values are read off data/standards/*.txt by hand: 溝通協調能力 is S05 of
IDC3339-001v2, S13 of IDC5294-001v2, S11 of KMC2431-008v1 and S08 of KMC2431-009v2 —
four occupations; 合約締結知識 is K08 of both IDC3339-001v2 and IDC5294-001v2;
IDC3339-001v2's task T1.1 is 發掘網紅人才 at 職能級別 4 and its version table keeps the
source's own typo 已被《KMM3339-001v2》取代.
"""

from __future__ import annotations

import doctest
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app_pages.registry import PAGES as PAGE_SPECS

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
SEEDS = ROOT / "data" / "standards"
XSS = ROOT / "tests" / "fixtures" / "xss" / "XSS0001-001v1.txt"
PAGES = tuple(p.url for p in PAGE_SPECS)


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[AppTest]:
    monkeypatch.setenv("ICAPGRAPH_DATA", str(SEEDS))
    monkeypatch.setenv("ICAPGRAPH_HOME", str(tmp_path / "home"))  # the 個案 page's cases
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    yield at


def goto(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [i.value for i in at.info if "尚未提供" in i.value], "a needed module is missing"
    return at


def frame(at: AppTest, index: int = 0) -> pd.DataFrame:
    value = at.dataframe[index].value
    assert isinstance(value, pd.DataFrame)
    return value


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    for df in at.dataframe:
        if column in df.value.columns:
            return df.value
    raise AssertionError(f"no table with a {column!r} column")


def iframes(at: AppTest) -> list[str]:
    return [e.proto.srcdoc for e in at.main if getattr(e, "type", "") == "iframe"]


def texts(at: AppTest) -> str:
    parts = [m.value for m in (*at.markdown, *at.caption, *at.title, *at.header, *at.subheader)]
    parts += [e.label for e in at.expander]
    return "\n".join(parts).replace("\\", "")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception(app: AppTest, page: str) -> None:
    goto(app, page)
    assert not app.error, [e.value for e in app.error]


def test_overview_counts_the_seeds(app: AppTest) -> None:
    goto(app, "overview")
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["職能基準"] == "5"
    hubs = table_with(app, "職業數")
    row = hubs[hubs["名稱"] == "溝通協調能力"].iloc[0]
    assert row["職業數"] == 4 and row["類別"] == "技能"
    assert int(hubs["職業數"].max()) == 4
    versions = table_with(app, "更新日期")
    assert set(versions["代碼"]) == {"IDC3339-001v2", "IDC5294-001v2", "KMC2431-001v4",
                                     "KMC2431-008v1", "KMC2431-009v2"}
    # KMC2431-008v1 has no version table: its version cells stay empty
    assert versions[versions["代碼"] == "KMC2431-008v1"].iloc[0]["版本"] == ""
    assert "第 1 群" in texts(app)


def test_occupation_tree_levels_and_sharing(app: AppTest) -> None:
    app.session_state["icap.occupation"] = "IDC3339-001v2"
    goto(app, "occupation")
    assert app.header[0].value == "網紅經紀人"
    body = texts(app)
    assert "T1.1 發掘網紅人才** · 職能級別 4" in body
    assert "O1.1.1 工作合約" in body
    assert "S05 溝通協調能力（另有 3 個職業共用）" in body
    shared = table_with(app, "其他職業數")
    row = shared[shared["名稱"] == "溝通協調能力"].iloc[0]
    assert row["其他職業數"] == 3
    assert set(row["其他職業"].split("、")) == {"IDC5294-001v2", "KMC2431-008v1", "KMC2431-009v2"}
    versions = table_with(app, "更新說明")
    assert list(versions["版本"]) == ["V2", "V1"]
    assert "已被《KMM3339-001v2》取代" in set(versions["更新說明"])


def test_occupation_click_through_opens_another_occupation(app: AppTest) -> None:
    app.session_state["icap.occupation"] = "IDC3339-001v2"
    app.session_state["icap.item"] = "skill:溝通協調能力"
    goto(app, "occupation")
    button = next(b for b in app.button if "KMC2431-008v1" in b.label.replace("\\", ""))
    button.click().run()
    assert app.header[0].value == "網路行銷企劃主管"
    assert app.session_state["icap.occupation"] == "KMC2431-008v1"


def test_occupation_notes_define_terms(app: AppTest) -> None:
    app.session_state["icap.occupation"] = "KMC2431-008v1"
    goto(app, "occupation")
    body = texts(app)
    assert "網路行銷相關法規" in body and "公平交易法" in body
    assert "原始檔沒有版本表" in body


def test_compare_shows_identical_and_similar_items(app: AppTest) -> None:
    app.session_state["icap.occupations"] = ["IDC3339-001v2", "IDC5294-001v2"]
    goto(app, "compare")
    knowledge = frame(app, 0)
    match = dict(zip(knowledge["名稱"], knowledge["比對"], strict=True))
    assert match["合約締結知識"] == "相同"
    assert match["網路安全與法規"] == "相同"
    similar = knowledge[knowledge["名稱"] == "網紅類型與商業模式"].iloc[0]
    assert similar["比對"] == "相似" and similar["對方名稱"] == "網紅類型與獲利模式"
    assert "IDC3339-001v2 的任務" in knowledge.columns
    skills = frame(app, 1)
    assert "溝通協調能力" in set(skills["名稱"])
    # a gap table in each direction, the heatmap for the two
    assert len([d for d in app.dataframe if "重要度" in d.value.columns]) == 2
    assert [e for e in app.main if getattr(e, "type", "") == "vega_lite_chart"]


def test_transitions_rank_gap_routes_and_downloads(app: AppTest) -> None:
    app.session_state["icap.occupation"] = "IDC3339-001v2"
    goto(app, "transitions")
    ranked = table_with(app, "方向")
    assert len(ranked) == 4  # the four other seeds, never the source itself
    assert "IDC3339-001v2" not in set(ranked["代碼"])
    assert set(ranked["方向"]) <= {"升遷", "平行", "降階"}
    assert list(ranked["分數"]) == sorted(ranked["分數"], reverse=True)
    gap = table_with(app, "順序")
    assert len(gap) > 0 and list(gap["重要度"]) == sorted(gap["重要度"], reverse=True)
    labels = {b.proto.label for b in app.get("download_button")}
    assert labels == {"Markdown", "可列印的網頁（HTML）", "落差清單 CSV（Excel）"}


def test_graph_page_draws_the_neighbourhood_offline(app: AppTest) -> None:
    app.session_state["icap.occupations"] = ["IDC3339-001v2"]
    goto(app, "graph")
    [html] = iframes(app)
    assert "溝通協調能力" in html and "網紅經紀人" in html
    assert "vis.Network" in html
    # vis-network is inlined: no script or stylesheet is fetched from anywhere
    assert not re.search(r"<(script|link|img)\b[^>]*\b(src|href)\s*=", html, re.I)


def test_graph_page_caps_at_the_chosen_limit(app: AppTest) -> None:
    app.session_state["icap.occupations"] = ["IDC3339-001v2"]
    goto(app, "graph")
    app.number_input(key="graph.cap").set_value(20).run()
    assert any("只畫出最相關的 20 個" in w.value for w in app.warning)


def test_cypher_console_runs_reads_and_refuses_writes(app: AppTest) -> None:
    goto(app, "cypher")
    app.text_area(key="cypher.query").set_value(
        "MATCH (t:Task)-[:REQUIRES_SKILL]->(s:Skill {name: $name})\n"
        "RETURN count(DISTINCT t.standard) AS n").run()
    app.text_input(key="cypher.param.name").set_value("溝通協調能力").run()
    app.button(key="cypher.run").click().run()
    assert not app.error, [e.value for e in app.error]
    assert frame(app).iloc[0]["n"] == "4"
    assert any("內嵌引擎" in c.value for c in app.caption)
    app.text_area(key="cypher.query").set_value("CREATE (n:Skill {name: 'x'})").run()
    app.button(key="cypher.run").click().run()
    [error] = app.error
    assert "read-only" in error.value.replace("\\", "") and "\n" not in error.value


def test_cypher_console_shows_at_most_a_thousand_rows_and_says_how_many_more(
    app: AppTest,
) -> None:
    goto(app, "cypher")
    app.text_area(key="cypher.query").set_value("UNWIND range(1, 1500) AS i RETURN i").run()
    app.button(key="cypher.run").click().run()
    assert not app.error, [e.value for e in app.error]
    assert len(frame(app)) == 1000
    assert any("只顯示前 1,000 列，另有 500 列未顯示" in w.value for w in app.warning)


def test_cypher_examples_come_from_the_named_queries(app: AppTest) -> None:
    goto(app, "cypher")
    box = app.selectbox(key="cypher.example")
    assert {o.split(" — ")[0] for o in box.options} >= {"hubs", "overlap", "gap"}
    box.set_value("hubs").run()
    assert "LIMIT $top" in str(app.text_area(key="cypher.query").value)
    app.button(key="cypher.run").click().run()
    result = frame(app)
    assert result.iloc[0]["name"] == "溝通協調能力"
    assert len(iframes(app)) == 1  # the ids in the result are drawn


def test_data_page_lists_files_and_exports(app: AppTest) -> None:
    goto(app, "data")
    files = table_with(app, "狀態")
    assert len(files) == 5 and set(files["狀態"]) == {"已載入"}
    app.selectbox(key="data.format").set_value("graphml").run()
    app.button(key="data.export").click().run()
    assert not app.error, [e.value for e in app.error]
    [button] = app.get("download_button")
    assert button.proto.label == "下載 icapgraph.graphml"


def test_selection_survives_page_switches(app: AppTest) -> None:
    goto(app, "occupation")
    app.selectbox(key="occupation.pick").set_value("KMC2431-008v1").run()
    goto(app, "transitions")
    assert app.selectbox(key="transitions.source").value == "KMC2431-008v1"
    goto(app, "compare")
    assert "KMC2431-008v1" in app.multiselect(key="compare.pick").value
    goto(app, "occupation")
    assert app.header[0].value == "網路行銷企劃主管"


def test_an_upload_joins_this_sessions_graph(app: AppTest) -> None:
    from app_pages.data import parse_upload
    from app_pages.loading import Upload

    data = XSS.read_bytes()
    std = parse_upload(XSS.name, data)
    assert std.code == "XSS0001-001v1"
    app.session_state["icap.uploads"] = (Upload(XSS.name, hashlib.sha256(data).hexdigest(), std),)
    goto(app, "overview")
    assert {m.label: m.value for m in app.metric}["職能基準"] == "6"
    goto(app, "data")
    assert "XSS0001-001v1" in texts(app)


def test_bad_upload_is_one_clear_line() -> None:
    from app_pages.data import parse_upload
    from loaders.errors import IcapGraphError

    with pytest.raises(IcapGraphError) as err:
        parse_upload("empty.txt", b"")
    assert "empty.txt" in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(IcapGraphError) as err:
        parse_upload("x.pdf", b"%PDF-1.4")
    assert ".json" in str(err.value) and ".txt" in str(err.value)


def test_data_paths_from_arguments_environment_or_default() -> None:
    from app_pages import state

    assert state.resolve_data_paths(["app.py", "--data", "/x"], {"ICAPGRAPH_DATA": "/y"}) == (
        "/x",)
    assert state.resolve_data_paths(["app.py"], {"ICAPGRAPH_DATA": "/y"}) == ("/y",)
    assert state.resolve_data_paths(["app.py"], {}) == (str(SEEDS),)


def test_app_page_helpers_doctests() -> None:
    import app_pages.labels
    import app_pages.occupation_tree
    import app_pages.state

    for module in (app_pages.labels, app_pages.state, app_pages.occupation_tree):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0
