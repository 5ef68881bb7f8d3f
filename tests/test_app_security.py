"""Hostile names render as text everywhere: Markdown, tables, pyvis drawings and tooltips,
the downloadable plan. Two hostile sources: tests/fixtures/xss (a text standard; the
loader strips tag-like markup from item names, so it also carries variants that survive
cleaning, e.g. ``<img/src=x onerror=alert(1)>``) and a standard built here as records,
whose occupation, duty, task, output, indicator, version and note texts hold the three
payloads exactly — added to the session graph as an upload.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app_pages.growth import grown
from app_pages.labels import md
from app_pages.loading import Upload
from app_pages.neighbourhood import Subgraph, VisEdge, VisNode
from app_pages.pyvis_view import render_html
from app_pages.registry import PAGES as PAGE_SPECS
from app_pages.report import GapRow, Plan, Route, Step, gap_csv, plan_html, plan_markdown
from loaders.records import (
    Duty,
    Indicator,
    Item,
    Note,
    Output,
    SourceInfo,
    Standard,
    Task,
    Version,
)

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
SEEDS = ROOT / "data" / "standards"
XSS_DIR = ROOT / "tests" / "fixtures" / "xss"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
QUOTE = "\"'><b>"
PAYLOADS = (SCRIPT, IMG, QUOTE)
# What must never reach a page unescaped (the fixture's loader-surviving variants too).
RAW = re.compile(r"<(script|img|svg|b)[\s/>]", re.I)
PAGES = tuple(p.url for p in PAGE_SPECS)
#: An item of the fixture whose name keeps a tag after cleaning (the loader's cleaner
#: strips ordinary markup from item names).
HOSTILE_ITEM = "knowledge:逃逸<img/src=x onerror=alert(1)>知識"


def hostile_standard() -> Standard:
    return Standard(
        code="XSS0002-001v1", name="駭客" + SCRIPT, level=3, description=IMG,
        category=(), occupation=(), industry=(),
        versions=(Version("V1", "XSS0002-001v1", "駭客" + QUOTE, "最新版本", IMG, "2024/01/01"),),
        duties=(Duty("T1", "職責" + SCRIPT, tasks=(
            Task("T1.1", "任務" + IMG, 3, outputs=(Output("O1.1.1", "產出" + QUOTE),),
                 indicators=(Indicator("P1.1.1", "指標" + SCRIPT),),
                 knowledge=("K01", "K02"), skills=("S01", "S02")),)),),
        knowledge=(Item("knowledge", "K01", "知識" + SCRIPT),
                   Item("knowledge", "K02", "合約締結知識")),
        skills=(Item("skill", "S01", "技能" + IMG), Item("skill", "S02", "溝通協調能力")),
        attitudes=(Item("attitude", "A01", "態度" + QUOTE, description=SCRIPT),),
        requirements=QUOTE, notes=(Note("註1", "定義" + IMG, term="知識" + SCRIPT),),
        source=SourceInfo("hostile.txt", "00", "text"),
    )


def test_md_makes_payloads_inert() -> None:
    for payload in PAYLOADS:
        out = md(payload)
        assert "<" not in out and ">" not in out
    assert md(SCRIPT) == "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"
    assert md("**粗** [連結](javascript:alert(1)) $x$") == (
        "\\*\\*粗\\*\\* \\[連結\\]\\(javascript\\:alert\\(1\\)\\) \\$x\\$")


def drawing_data(html: str) -> str:
    """The JSON literal a drawing page carries (everything else there is our template
    and the vis-network library)."""
    return html.split("window.icapData = ", 1)[1].split(";\n", 1)[0]


def _hostile_subgraph() -> Subgraph:
    nodes = tuple(VisNode(f"n{i}", "Skill", p, f"{p}\n出處：{p}", shared=i == 0)
                  for i, p in enumerate(PAYLOADS))
    return Subgraph(nodes, (VisEdge("n0", "n1", "SIMILAR_TO", SCRIPT),), len(nodes))


def test_pyvis_html_carries_names_only_as_escaped_json() -> None:
    html = render_html(_hostile_subgraph())
    for payload in PAYLOADS:
        assert payload not in html
    body = drawing_data(html)
    data = json.loads(body)  # \\u003c … decode back to the exact names
    assert [n["label"] for n in data["nodes"]] == list(PAYLOADS)
    assert data["nodes"][0]["title"].startswith(SCRIPT)
    assert "</script" not in body and "<" not in body
    # tooltips become DOM text, never markup
    assert "el.textContent = text" in html
    assert "innerHTML" not in html.split("window.icapData", 1)[1]


def test_pyvis_html_needs_no_network() -> None:
    html = render_html(_hostile_subgraph())
    assert not re.search(r"<(script|link|img)\b[^>]*\b(src|href)\s*=", html, re.I)
    assert "vis.Network" in html and "physics: false" in html


def test_neighbourhood_of_a_hostile_graph_renders_safely() -> None:
    from graph.build import build_graph

    G = build_graph([hostile_standard()])
    sub = grown(G, "XSS0002-001v1", opened=["knowledge:知識" + SCRIPT], tasks=True)
    assert any(SCRIPT in n.title for n in sub.nodes)
    html = render_html(sub)
    assert not RAW.search(drawing_data(html))


def _plan() -> Plan:
    return Plan("XSS0002-001v1", "駭客" + SCRIPT, "IDC3339-001v2", IMG, "upward", 0.5,
                (GapRow("=1+1" + QUOTE, "skill", 8, ("T1.1",), ("相似" + IMG + "（0.70）",)),
                 GapRow("-2" + SCRIPT, "knowledge", 4, (), ())),
                (Route(1.5, (Step("XSS0002-001v1", "IDC3339-001v2", (SCRIPT, "@x")),)),),
                "2026-01-01")


def test_plan_html_escapes_every_name() -> None:
    page = plan_html(_plan())
    for payload in PAYLOADS:
        assert payload not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<html lang="zh-Hant">' in page and "轉職計畫" in page
    body = page.split("<body>", 1)[1]
    assert not RAW.search(re.sub(r"</?h[123]>", "", body))


def test_plan_markdown_escapes_every_name() -> None:
    text = plan_markdown(_plan())
    assert SCRIPT not in text and IMG not in text
    assert "\\<script\\>alert\\(1\\)\\</script\\>" in text
    assert "升遷" in text and "50%" in text


def test_gap_csv_has_a_bom_and_defuses_formulas() -> None:
    raw = gap_csv(_plan())
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["順序", "名稱", "類別", "重要度", "需要的任務", "部分涵蓋"]
    assert rows[1][1] == "'=1+1" + QUOTE  # a spreadsheet must not evaluate it
    assert rows[2][1] == "'-2" + SCRIPT
    assert rows[1][2] == "技能" and rows[1][3] == "8"


@pytest.fixture
def hostile_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[AppTest]:
    import os

    monkeypatch.setenv("ICAPGRAPH_DATA", os.pathsep.join([str(SEEDS), str(XSS_DIR)]))
    monkeypatch.setenv("ICAPGRAPH_HOME", str(tmp_path / "home"))  # the 個案 page's cases
    at = AppTest.from_file(APP, default_timeout=180)
    std = hostile_standard()
    at.session_state["icap.uploads"] = (Upload("hostile.txt", hashlib.sha256(b"x").hexdigest(),
                                               std),)
    at.run()
    yield at


def _rendered(at: AppTest) -> list[str]:
    """Every string the page hands to Streamlit's Markdown renderer, plus iframe data."""
    out = [e.value for e in (*at.markdown, *at.caption, *at.title, *at.header, *at.subheader,
                             *at.error, *at.warning, *at.info, *at.success)]
    out += [e.label for e in (*at.expander, *at.button, *at.tabs)]
    for e in at.main:
        if getattr(e, "type", "") == "iframe":
            out.append(drawing_data(e.proto.srcdoc))
    return out


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("occupation", ["XSS0001-001v1", "XSS0002-001v1"])
def test_hostile_names_render_as_text_on_every_page(hostile_app: AppTest, page: str,
                                                    occupation: str) -> None:
    at = hostile_app
    at.session_state["icap.occupation"] = occupation
    at.session_state["icap.occupations"] = [occupation, "IDC3339-001v2"]
    at.session_state["icap.target"] = "IDC3339-001v2"
    at.session_state["icap.item"] = HOSTILE_ITEM
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    bad = [s[:120] for s in _rendered(at) if RAW.search(s)]
    assert bad == []


def test_hostile_payloads_reach_the_occupation_page_as_text(hostile_app: AppTest) -> None:
    at = hostile_app
    at.session_state["icap.occupation"] = "XSS0002-001v1"
    at.switch_page("app_pages/occupation.py")
    at.run()
    assert at.header[0].value == md("駭客" + SCRIPT)
    shown = "\n".join(m.value for m in at.markdown)
    assert md("任務" + IMG) in shown and md("產出" + QUOTE) in shown
    at.session_state["occupation.tab"] = "版本"  # the tabs are lazy
    at.run()
    versions = next(d.value for d in at.dataframe if "更新說明" in d.value.columns)
    assert versions.iloc[0]["名稱"] == "駭客" + QUOTE  # tables hold the exact text


def test_hostile_item_reaches_the_item_page_as_text(hostile_app: AppTest) -> None:
    at = hostile_app
    at.query_params["item"] = HOSTILE_ITEM
    at.switch_page("app_pages/item.py")
    at.run()
    assert not at.exception
    assert at.header[0].value == md(HOSTILE_ITEM.split(":", 1)[1])
    assert not [s for s in _rendered(at) if RAW.search(s)]
    users = next(e.proto for e in at.main if getattr(e, "type", "") == "bidi_component"
                 and e.proto.id.endswith("item.users"))
    # names travel as JSON data, exactly as written; the component writes them as text
    names = [r["name"] for g in json.loads(users.json)["groups"] for r in g["rows"]]
    assert names and all(n.startswith("駭客") for n in names)


def test_components_write_names_as_text_only() -> None:
    from app_pages import link_list, vis_component

    for js in (link_list._JS, vis_component._JS):
        assert "textContent" in js
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                     "eval(", "new Function"):
            assert sink not in js, sink


def test_hostile_text_on_the_case_page_and_in_its_case(hostile_app: AppTest) -> None:
    at = hostile_app
    at.switch_page("app_pages/case.py")
    at.run()
    at.multiselect(key="case.jobs").set_value(["XSS0002-001v1"]).run()
    at.text_area(key="case.typed").set_value("\n".join(PAYLOADS)).run()
    at.text_input(key="case.search").set_value(SCRIPT).run()
    at.text_input(key="case.name").set_value("個案" + QUOTE).run()
    at.text_area(key="case.note").set_value(SCRIPT + IMG).run()
    at.button(key="case.save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("已儲存個案" in s.value for s in at.success)
    labels = [m.label for m in at.multiselect]
    assert any(md(SCRIPT) in label for label in labels)  # typed text shown, escaped
    bad = [s[:120] for s in [*_rendered(at), *labels] if RAW.search(s)]
    assert bad == []
    at.selectbox(key="case.open").set_value("個案" + QUOTE).run()
    at.button(key="case.open.go").click().run()
    assert at.text_area(key="case.note").value == SCRIPT + IMG  # kept exactly, as text
    bad = [s[:120] for s in _rendered(at) if RAW.search(s)]
    assert bad == []
