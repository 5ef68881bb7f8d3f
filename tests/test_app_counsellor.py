"""The pages a counsellor starts from (首頁, 能力) and the choices that follow the visitor,
through AppTest on the five seeds, plus the pure modules behind them.

Worked out by hand from data/standards/*.txt: 溝通協調能力 is required by all four
occupations but KMC2431-001v4; in IDC3339-001v2 by T1.1 發掘網紅人才, T1.2 執行網紅品牌管理,
T2.1 管理網紅活動 and T2.2 執行異常管理與追蹤. 個人資料保護法 is required directly by
IDC3339-001v2 and KMC2431-009v2, and reached through a note by KMC2431-001v4
(【註 1】廣電相關法規) and KMC2431-008v1 (【註1】網路行銷相關法規). 合約締結知識 is K08 of
IDC3339-001v2 and IDC5294-001v2 only, both of which also require 溝通協調能力.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
SEEDS = ROOT / "data" / "standards"
CORPUS = ROOT.parent / "shared" / "icap-corpus"


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("ICAPGRAPH_DATA", str(SEEDS))
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    yield at


@pytest.fixture(scope="module")
def seeds() -> nx.MultiDiGraph:
    from graph.store import load_graph

    G: nx.MultiDiGraph = load_graph([str(SEEDS)]).graph
    return G


def goto(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def component(at: AppTest, key: str) -> dict[str, Any]:
    found = [e.proto for e in at.main if getattr(e, "type", "") == "bidi_component"
             and e.proto.id.endswith(key)]
    assert len(found) == 1, f"no component {key!r}"
    data: dict[str, Any] = json.loads(found[0].json)
    return data


def rows(data: dict[str, Any]) -> dict[str, str]:
    """A link list's rows: name → detail line."""
    return {r["name"]: r["detail"] for g in data["groups"] for r in g["rows"]}


def test_item_search_opens_a_whole_name_at_once(app: AppTest) -> None:
    goto(app, "item")
    assert any("輸入一項知識、技能或態度的名稱" in i.value for i in app.info)
    app.text_input(key="item.q").set_value("溝通協調能力").run()
    assert app.header[0].value == "溝通協調能力"
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["直接需要的職業"] == "4"
    assert app.query_params["item"] == "skill:溝通協調能力"
    users = rows(component(app, "item.users"))
    assert set(users) == {"網紅經紀人", "數位平台直播人員", "網路行銷企劃主管", "社群媒體經營人員"}
    assert users["網紅經紀人"] == ("用於：發掘網紅人才（T1.1）、執行網紅品牌管理（T1.2）、"
                                 "管理網紅活動（T2.1）、執行異常管理與追蹤（T2.2）")
    # grouped by 職類別 under their sector
    groups = {g["title"]: g["section"] for g in component(app, "item.users")["groups"]}
    assert groups == {"資訊科技 / 數位內容與傳播": "資訊科技",
                      "行銷與銷售 / 行銷傳播": "行銷與銷售"}


def test_item_page_shows_who_reaches_an_item_through_a_note(app: AppTest) -> None:
    app.query_params["item"] = "個人資料保護法"
    goto(app, "item")
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["直接需要的職業"] == "2" and metrics["透過名詞定義涵蓋"] == "2"
    assert set(rows(component(app, "item.users"))) == {"網紅經紀人", "社群媒體經營人員"}
    via = rows(component(app, "item.via"))
    assert via == {"媒體企劃人員": "透過「廣電相關法規」",
                   "網路行銷企劃主管": "透過「網路行銷相關法規」"}


def test_item_page_lists_occupations_needing_this_and_that(app: AppTest) -> None:
    app.query_params["item"] = "skill:溝通協調能力"
    goto(app, "item")
    box = app.multiselect(key="item.with.skill:溝通協調能力")
    assert "knowledge:合約締結知識" in box.options or any(
        "合約締結知識" in o for o in box.options)
    box.set_value(["knowledge:合約締結知識"]).run()
    both = rows(component(app, "item.together"))
    assert set(both) == {"網紅經紀人", "數位平台直播人員"}


def test_item_search_that_finds_nothing_says_so_in_chinese(app: AppTest) -> None:
    goto(app, "item")
    app.text_input(key="item.q").set_value("量子力學").run()
    assert any("找不到" in i.value for i in app.info)
    app.query_params["item"] = "不存在的能力"
    app.run()
    assert any("網址中的職能項目「不存在的能力」" in w.value for w in app.warning)
    assert not app.exception


def test_compare_follows_the_pair_chosen_on_transitions(app: AppTest) -> None:
    app.session_state["icap.occupation"] = "IDC3339-001v2"
    goto(app, "transitions")
    app.selectbox(key="transitions.target").set_value("KMC2431-009v2").run()
    goto(app, "compare")
    assert app.multiselect(key="compare.pick").value == ["IDC3339-001v2", "KMC2431-009v2"]
    assert app.query_params["compare"] == ["IDC3339-001v2", "KMC2431-009v2"]
    # an edit on 比較 stays while the pair does not change
    app.multiselect(key="compare.pick").set_value(["IDC3339-001v2", "KMC2431-008v1"]).run()
    goto(app, "occupation")
    goto(app, "compare")
    assert app.multiselect(key="compare.pick").value == ["IDC3339-001v2", "KMC2431-008v1"]


def test_routes_never_recommend_a_detour_costlier_than_the_direct_move(app: AppTest) -> None:
    app.session_state["icap.occupation"] = "IDC3339-001v2"
    app.session_state["icap.target"] = "KMC2431-001v4"
    goto(app, "transitions")
    lines = [m.value for m in app.markdown if "直接轉換：" in m.value or "經 " in m.value]
    assert lines, "no route listed"
    direct = [line for line in lines if "直接轉換：" in line]
    assert direct and all("建議" in line for line in direct)
    # a detour is either recommended (cheaper) or marked costlier, never both
    assert all(("建議" in line) != ("更費力" in line) for line in lines if "經 " in line)
    assert all("需補強" in line and "個任務" in line for line in lines)


def test_route_views_mark_directions_and_costs(seeds: nx.MultiDiGraph) -> None:
    from app_pages.route_view import evaluate, shown
    from queries.paths import paths

    result = paths(seeds, "IDC3339-001v2", "KMC2431-001v4", k=3)
    views = evaluate(seeds, result)
    direct = next(v for v in views if v.direct)
    assert direct.recommended
    for v in views:
        assert v.recommended == (v.cost <= direct.cost + 1e-9)
        # every seed has 基準級別 4: every step is lateral, nothing bounces
        assert {s.direction for s in v.steps} == {"lateral"} and not v.bounces
        assert v.words.startswith("共需補強 ")
    assert shown(views) == views


def test_load_messages_cover_every_corpus_warning() -> None:
    if not CORPUS.exists():
        pytest.skip("../shared/icap-corpus is absent")
    from app_pages.load_messages import relative_path, zh_message
    from loaders.corpus import load_corpus

    corpus = load_corpus([str(CORPUS)])
    untranslated = {w.message for w in corpus.warnings
                    if zh_message(w.message).startswith("（原文）")}
    assert untranslated == set()
    assert {relative_path(w.path, [str(CORPUS)]) for w in corpus.warnings} <= {
        p.name for p in CORPUS.glob("*.json")}


def test_load_messages_keep_the_values() -> None:
    from app_pages.load_messages import rewrite_paths, zh_message

    assert zh_message("task T3.1 uses skill S19, which the standard does not define") == (
        "任務 T3.1 使用了技能 S19，但此基準沒有定義它")
    assert zh_message("duty T3 is named both '協助組裝模具及試模' and '機具設施保養與維護'; "
                      "kept '協助組裝模具及試模'") == (
        "職責 T3 有兩個名稱「協助組裝模具及試模」與「機具設施保養與維護」；"
        "保留「協助組裝模具及試模」")
    text = zh_message("duplicate standard code X-001v1: already loaded from /d/c/a.json; "
                      "this file is left out")
    assert rewrite_paths(text, ["/d/c"]) == (
        "職能基準代碼 X-001v1 重複：已由 a.json 載入，這個檔案未載入")


def test_graph_growth_never_draws_more_than_asked_on_the_corpus() -> None:
    if not CORPUS.exists():
        pytest.skip("../shared/icap-corpus is absent")
    from app_pages.growth import PER_OPEN, grown
    from app_pages.neighbourhood import occupation_items
    from graph.store import load_graph

    G = load_graph([str(CORPUS)]).graph
    code = next(d["code"] for _, d in G.nodes(data=True) if d.get("kind") == "Occupation"
                and d.get("name") == "文資場域經營管理人員")
    items = occupation_items(G, code)
    first = grown(G, code)
    assert len(first.nodes) == 1 + len(items)  # the centre and its items, nothing else
    widest = max(items, key=lambda i: len(G.in_edges(i)))
    second = grown(G, code, opened=[widest])
    assert len(second.nodes) <= 1 + len(items) + PER_OPEN
    assert len(grown(G, code, opened=[widest], cap=40).nodes) == 40
