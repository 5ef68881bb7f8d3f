"""Every page of the explorer through streamlit.testing.v1.AppTest on the five seeds.

Expected values are read off data/standards/*.txt by hand: 溝通協調能力 is S05 of
IDC3339-001v2, S13 of IDC5294-001v2, S11 of KMC2431-008v1 and S08 of KMC2431-009v2 —
four occupations; 合約締結知識 is K08 of both IDC3339-001v2 and IDC5294-001v2;
IDC3339-001v2's task T1.1 is 發掘網紅人才 at 職能級別 4 and its version table keeps the
source's own typo 已被《KMM3339-001v2》取代. The other occupations are named in their
files: IDC5294-001v2 數位平台直播人員, KMC2431-001v4 媒體企劃人員, KMC2431-008v1
網路行銷企劃主管, KMC2431-009v2 社群媒體經營人員.
"""

from __future__ import annotations

import doctest
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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


def tab(at: AppTest, label: str) -> AppTest:
    """Choose a tab of the occupation page (its tabs are lazy: one is computed at a time)."""
    at.session_state["occupation.tab"] = label
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def component(at: AppTest, key: str) -> dict[str, Any]:
    """The data a two-way component (st.components.v2) with ``key`` was drawn with."""
    found = [e.proto for e in at.main if getattr(e, "type", "") == "bidi_component"
             and e.proto.id.endswith(key)]
    assert len(found) == 1, f"no component {key!r}"
    data: dict[str, Any] = json.loads(found[0].json)
    return data


def listed(data: dict[str, Any]) -> dict[str, list[str]]:
    """A link list's groups: title → the names listed."""
    return {g["title"]: [r["name"] for r in g["rows"]] for g in data["groups"]}


def texts(at: AppTest) -> str:
    parts = [m.value for m in (*at.markdown, *at.caption, *at.title, *at.header, *at.subheader)]
    parts += [e.label for e in at.expander]
    return "\n".join(parts).replace("\\", "")


NAMES = {"IDC3339-001v2": "網紅經紀人", "IDC5294-001v2": "數位平台直播人員",
         "KMC2431-001v4": "媒體企劃人員", "KMC2431-008v1": "網路行銷企劃主管",
         "KMC2431-009v2": "社群媒體經營人員"}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception(app: AppTest, page: str) -> None:
    goto(app, page)
    assert not app.error, [e.value for e in app.error]


def test_home_says_what_is_loaded_and_lists_occupations_by_field(app: AppTest) -> None:
    goto(app, "home")
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["職能基準"] == "5" and metrics["職類別"] == "2"
    assert "讀入 5 個檔案" in texts(app)
    buttons = {b.label for b in app.button}
    assert {"查一個職業", "查一項能力"} <= buttons
    # every occupation listed by name under its 職類別 (IDC…: 資訊科技 / 數位內容與傳播)
    groups = listed(component(app, "home.list"))
    assert set(groups) == {"資訊科技 / 數位內容與傳播", "行銷與銷售 / 行銷傳播"}
    assert sorted(groups["資訊科技 / 數位內容與傳播"]) == sorted(["網紅經紀人", "數位平台直播人員"])
    assert len(groups["行銷與銷售 / 行銷傳播"]) == 3


def test_home_field_filter_narrows_the_list_and_goes_in_the_url(app: AppTest) -> None:
    goto(app, "home")
    app.selectbox(key="home.field").set_value("IDC").run()
    assert listed(component(app, "home.list")) == {
        "資訊科技 / 數位內容與傳播": ["數位平台直播人員", "網紅經紀人"]}
    assert app.query_params["field"] == "IDC"
    # the filter follows the visitor to the occupation page
    goto(app, "occupation")
    assert app.selectbox(key="occupation.field").value == "IDC"
    assert set(app.selectbox(key="occupation.pick").options) == {
        "網紅經紀人（IDC3339-001v2）", "數位平台直播人員（IDC5294-001v2）"}


def test_overview_ranks_shared_competencies_per_kind(app: AppTest) -> None:
    goto(app, "overview")
    skills = table_with(app, "需要的職業數")  # the first tab holds knowledge …
    assert "溝通協調能力" not in set(skills["名稱"])
    skills = next(d.value for d in app.dataframe if "溝通協調能力" in set(d.value["名稱"]))
    assert int(skills[skills["名稱"] == "溝通協調能力"].iloc[0]["需要的職業數"]) == 4
    assert "Louvain" not in texts(app)


def test_occupation_tree_levels_and_sharing(app: AppTest) -> None:
    app.session_state["icap.occupation"] = "IDC3339-001v2"
    goto(app, "occupation")
    assert app.header[0].value == "網紅經紀人"
    body = texts(app)
    # names first, codes small and grey after them
    assert "**發掘網紅人才** :gray[:small[T1.1]] · 職能級別 4" in body
    assert "工作合約 :gray[:small[O1.1.1]]" in body
    assert "溝通協調能力 :gray[:small[S05]]（另有 3 個職業共用）" in body
    assert not app.dataframe  # the other tabs are not computed until chosen
    tab(app, "共用的知識技能態度")
    shared = table_with(app, "其他職業數")
    assert next(iter(shared.columns)) == "名稱" and list(shared.columns)[-1] == "代碼"
    row = shared[shared["名稱"] == "溝通協調能力"].iloc[0]
    assert row["其他職業數"] == 3 and row["代碼"] == "S05"
    assert set(row["其他職業"].split("、")) == {"數位平台直播人員", "網路行銷企劃主管",
                                               "社群媒體經營人員"}
    tab(app, "版本")
    versions = table_with(app, "更新說明")
    assert list(versions["版本"]) == ["V2", "V1"]
    assert "已被《KMM3339-001v2》取代" in set(versions["更新說明"])


def test_occupation_lists_who_else_needs_an_item_without_a_wall_of_buttons(app: AppTest) -> None:
    app.session_state["icap.occupation"] = "IDC3339-001v2"
    goto(app, "occupation")
    tab(app, "共用的知識技能態度")
    assert not [b for b in app.button if b.key and b.key.startswith("occ.open.")]
    app.selectbox(key="occupation.item").set_value("skill:溝通協調能力").run()
    others = listed(component(app, "occupation.others"))
    assert sorted(n for names in others.values() for n in names) == sorted(
        ["數位平台直播人員", "網路行銷企劃主管", "社群媒體經營人員"])


def test_occupation_from_the_url_and_an_unknown_one(app: AppTest) -> None:
    app.query_params["occupation"] = "KMC2431-008v1"
    goto(app, "occupation")
    assert app.header[0].value == "網路行銷企劃主管"
    assert app.session_state["icap.occupation"] == "KMC2431-008v1"
    app.query_params["occupation"] = "XYZ"
    app.run()
    [warning] = app.warning
    assert "網址中的職業「XYZ」" in warning.value and "找不到" in warning.value
    assert not app.exception
    # a name or a code without its version is understood too
    app.query_params["occupation"] = "社群媒體經營人員"
    app.run()
    assert app.header[0].value == "社群媒體經營人員"


def test_occupation_notes_define_terms(app: AppTest) -> None:
    app.session_state["icap.occupation"] = "KMC2431-008v1"
    goto(app, "occupation")
    tab(app, "說明與名詞定義")
    body = texts(app)
    assert "網路行銷相關法規" in body and "公平交易法" in body
    tab(app, "版本")
    assert "原始檔沒有版本表" in texts(app)


def test_compare_shows_identical_and_similar_items(app: AppTest) -> None:
    app.session_state["icap.occupations"] = ["IDC3339-001v2", "IDC5294-001v2"]
    goto(app, "compare")
    knowledge = frame(app, 0)
    match = dict(zip(knowledge["名稱"], knowledge["比對"], strict=True))
    assert match["合約締結知識"] == "相同"
    assert match["網路安全與法規"] == "相同"
    similar = knowledge[knowledge["名稱"] == "網紅類型與商業模式"].iloc[0]
    assert similar["比對"] == "相似" and similar["對方名稱"] == "網紅類型與獲利模式"
    assert "網紅經紀人 的任務" in knowledge.columns
    row = knowledge[knowledge["名稱"] == "合約締結知識"].iloc[0]
    # K08 sits in T1.1's row continued after a page break, and in T2.1
    assert row["網紅經紀人 的任務"] == "發掘網紅人才（T1.1）、管理網紅活動（T2.1）"
    skills = frame(app, 1)
    assert "溝通協調能力" in set(skills["名稱"])
    # a gap table in each direction, the heatmap for the two
    assert len([d for d in app.dataframe if "重要度" in d.value.columns]) == 2
    # the heatmap is drawn when its (lazy) section is opened
    assert not [e for e in app.main if getattr(e, "type", "") == "vega_lite_chart"]
    app.session_state["compare.heatmap"] = True
    app.run()
    assert [e for e in app.main if getattr(e, "type", "") == "vega_lite_chart"]


def test_transitions_rank_gap_routes_and_downloads(app: AppTest) -> None:
    app.session_state["icap.occupation"] = "IDC3339-001v2"
    goto(app, "transitions")
    ranked = table_with(app, "方向")
    assert len(ranked) == 4  # the four other seeds, never the source itself
    assert "IDC3339-001v2" not in set(ranked["代碼"])
    assert set(ranked["職業"]) == set(NAMES.values()) - {"網紅經紀人"}
    assert set(ranked["方向"]) <= {"升遷", "平行", "降階"}
    assert list(ranked["分數"]) == sorted(ranked["分數"], reverse=True)
    # no target is picked for the visitor: a prompt, then the pick
    assert app.selectbox(key="transitions.target").value is None
    assert any("請選擇一個與目前職業不同的目標職業" in i.value for i in app.info)
    app.selectbox(key="transitions.target").set_value("KMC2431-001v4").run()
    assert app.query_params["target"] == "KMC2431-001v4"
    gap = table_with(app, "順序")
    assert len(gap) > 0 and list(gap["重要度"]) == sorted(gap["重要度"], reverse=True)
    labels = {b.proto.label for b in app.get("download_button")}
    assert labels == {"文字檔（Markdown）", "可列印的網頁（HTML）", "落差清單 CSV（Excel）"}


def test_graph_page_opens_on_one_occupation_and_its_items(app: AppTest) -> None:
    goto(app, "graph")
    assert any("請選擇一個職業" in i.value for i in app.info)  # a prompt, no arbitrary pick
    goto(app, "home")
    app.session_state["icap.occupation"] = "IDC3339-001v2"
    goto(app, "graph")
    data = component(app, "graph.draw")
    labels = {n["label"] for n in data["nodes"]}
    assert "網紅經紀人" in labels and "溝通協調能力" in labels
    # the centre and its K01–K09, S01–S15, A01–A06 (IDC3339-001v2.txt), tasks collapsed
    assert len(data["nodes"]) == 1 + 9 + 15 + 6
    tip = next(n["title"] for n in data["nodes"] if n["label"] == "溝通協調能力")
    assert "類別：技能" in tip and ".txt" not in tip  # Chinese, no file:line
    assert {r["name"] for r in data["legend"]} >= {"職業", "知識", "技能", "態度"}
    [vis] = [e.proto for e in app.main if getattr(e, "type", "") == "bidi_component"]
    assert "vis.Network" in vis.js_content  # inlined: nothing fetched


def test_graph_page_grows_by_click_and_caps(app: AppTest) -> None:
    app.session_state["icap.occupation"] = "IDC3339-001v2"
    goto(app, "graph")
    app.session_state["graph.opened"] = ["skill:溝通協調能力"]
    app.session_state["graph.selected"] = "skill:溝通協調能力"
    app.run()
    data = component(app, "graph.draw")
    occupations = {n["label"] for n in data["nodes"] if n["id"].startswith("occupation:")}
    assert occupations == {"網紅經紀人", "數位平台直播人員", "網路行銷企劃主管", "社群媒體經營人員"}
    assert "出處" in texts(app)  # the side panel names where the item is required
    app.number_input(key="graph.cap").set_value(20).run()
    assert len(component(app, "graph.draw")["nodes"]) == 20
    assert any("只畫出 20 個節點" in w.value for w in app.warning)


def test_cypher_console_runs_reads_and_refuses_writes(app: AppTest) -> None:
    goto(app, "cypher")
    app.text_area(key="cypher.query").set_value(
        "MATCH (t:Task)-[:REQUIRES_SKILL]->(s:Skill {name: $name})\n"
        "RETURN count(DISTINCT t.standard) AS n").run()
    app.text_input(key="cypher.param.name").set_value("溝通協調能力").run()
    app.button(key="cypher.run").click().run()
    assert not app.error, [e.value for e in app.error]
    assert frame(app).iloc[0]["數量（n）"] == "4"
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
    assert result.iloc[0]["名稱（name）"] == "溝通協調能力"
    assert len(iframes(app)) == 1  # the ids in the result are drawn


def test_data_page_lists_files_and_exports(app: AppTest) -> None:
    goto(app, "data")
    files = table_with(app, "狀態")
    assert len(files) == 5 and set(files["狀態"]) == {"已載入"}
    assert set(files["檔案"]) == {f"{code}.txt" for code in NAMES}  # relative to the folder
    assert set(files["職能基準"]) == set(NAMES.values())
    app.session_state["data.versions"] = True  # a lazy section, sent when opened
    app.run()
    versions = table_with(app, "更新日期")
    assert set(versions["代碼"]) == set(NAMES)
    # KMC2431-008v1 has no version table: its version cells stay empty
    assert versions[versions["代碼"] == "KMC2431-008v1"].iloc[0]["版本"] == ""
    app.selectbox(key="data.format").set_value("graphml").run()
    app.button(key="data.export").click().run()
    assert not app.error, [e.value for e in app.error]
    [button] = app.get("download_button")
    assert button.proto.label == "下載 icapgraph.graphml"


def test_data_page_lists_load_notes_in_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    fixtures = ROOT / "tests" / "fixtures" / "json"
    monkeypatch.setenv("ICAPGRAPH_DATA", os.pathsep.join([str(SEEDS), str(fixtures)]))
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    goto(at, "data")
    kinds = next(d.value for d in at.dataframe if "提醒" in d.value.columns)
    assert kinds["筆數"].sum() > 0 and not [k for k in kinds["提醒"] if k.startswith("（原文）")]
    at.session_state["data.notes"] = True  # the one-by-one list is sent when opened
    at.run()
    notes = next(d.value for d in at.dataframe if "說明" in d.value.columns)
    assert len(notes) > 0
    assert not [p for p in notes["檔案"] if p.startswith("/")]  # relative names
    assert not [m for m in notes["說明"] if m.startswith("（原文）")]


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
    goto(app, "home")
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
    import app_pages.catalogue
    import app_pages.cypher
    import app_pages.item_search
    import app_pages.item_view
    import app_pages.labels
    import app_pages.load_messages
    import app_pages.naming
    import app_pages.occupation_tree
    import app_pages.route_view
    import app_pages.state

    for module in (app_pages.labels, app_pages.state, app_pages.occupation_tree,
                   app_pages.naming, app_pages.catalogue, app_pages.load_messages,
                   app_pages.item_search, app_pages.item_view, app_pages.route_view,
                   app_pages.cypher):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0
