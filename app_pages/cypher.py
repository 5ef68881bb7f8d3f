"""查詢: a read-only Cypher console on the embedded engine (or on Neo4j when NEO4J_URI is
set), with the named queries as examples, parameters, results as a table and — when
they hold nodes — as a graph; errors are one line."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from typing import Any

import networkx as nx
import pandas as pd
import streamlit as st

from app_pages import labels, loading, state
from app_pages.labels import md
from app_pages.neighbourhood import induced
from app_pages.pyvis_view import render_html
from app_pages.state import STATE_PRIMARY
from cypher.embedded.engine import get_engine
from cypher.neo4j.connect import connect
from cypher.neo4j.connect import run_read as neo
from graph.kinds import Kind, zh
from loaders.errors import IcapGraphError
from queries.registry import NAMED_QUERIES as registry

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_QUERY = "cypher.query"
_RESULT = "cypher.result"
_EMBEDDED = "內嵌引擎（FalkorDB，唯讀）"
_NEO4J = "Neo4j（NEO4J_URI）"
#: Rows the page shows at most (the engine is asked for one more, to tell that there are more).
MAX_ROWS = 1000
#: Chinese headers for result columns a query commonly returns (the alias stays beside).
COLUMN_LABEL: dict[str, str] = {
    "id": "識別碼", "kind": "類別", "name": "名稱", "code": "代碼", "level": "級別",
    "occupations": "職業數", "tasks": "任務數", "task": "任務", "n": "數量", "count": "數量",
    "score": "分數", "item": "項目", "items": "項目", "occupation": "職業", "source": "來源",
    "target": "目標", "standard": "職能基準", "weight": "權重", "importance": "重要度",
    "match": "比對", "codes": "代碼", "names": "名稱", "label": "標籤", "total": "總數"}
_START = ("MATCH (o:Occupation)\nRETURN o.code AS code, o.name AS name, o.level AS level\n"
          "ORDER BY code LIMIT 25\n")


def parse_value(text: str) -> Any:
    """A parameter typed in the console: JSON when it parses (``3``, ``["a","b"]``),
    else the text itself."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def _default(name: str, named: Any, G: nx.MultiDiGraph) -> str:
    occ = st.session_state.get(STATE_PRIMARY) or next(
        (d.get("code") for _, d in G.nodes(data=True) if d.get("kind") == Kind.OCCUPATION), "")
    guesses = {"source": occ, "occupation": occ, "text": "溝通", "item": "溝通協調能力",
               "top": "10", "k": "3"}
    picked = [c for c in st.session_state.get(state.STATE_SELECTION, [])][:2] or [occ]
    guesses["codes"] = json.dumps(picked, ensure_ascii=False)
    guesses["target"] = picked[1] if len(picked) > 1 else occ
    for p in getattr(named, "parameters", ()):
        if p.name == name and p.default is not None:
            return json.dumps(p.default, ensure_ascii=False)
    return str(guesses.get(name, ""))


def _cell(value: Any) -> str:
    if isinstance(value, dict):
        if "id" in value and "kind" in value:
            return f"（{zh(str(value['kind']))}）{value.get('name', value['id'])}"
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "、".join(_cell(v) for v in value)
    return "" if value is None else str(value)


def _node_ids(value: Any, G: nx.MultiDiGraph) -> Iterator[str]:
    if isinstance(value, dict):
        if isinstance(value.get("id"), str) and value["id"] in G:
            yield value["id"]
        for key in ("start", "end"):
            if isinstance(value.get(key), str) and value[key] in G:
                yield value[key]
    elif isinstance(value, list):
        for v in value:
            yield from _node_ids(v, G)
    elif isinstance(value, str) and ":" in value and value in G:
        yield value


def _run(engine: str, query: str, params: dict[str, Any], G: nx.MultiDiGraph) -> dict[str, Any]:
    if engine == _NEO4J:
        uri = os.environ["NEO4J_URI"]
        user = os.environ.get("NEO4J_USER", "neo4j")
        driver = connect(uri, user, os.environ.get("NEO4J_PASSWORD", ""))
        try:
            res = neo(driver, query, params, database=os.environ.get("NEO4J_DATABASE") or None,
                      uri=uri, user=user)
        finally:
            driver.close()
        rows = [[row[c] for c in res.columns] for row in res.rows]
        return {"columns": list(res.columns), "rows": rows[:MAX_ROWS],
                "truncated": len(rows) > MAX_ROWS, "more": max(0, len(rows) - MAX_ROWS)}
    result = get_engine(G).run(query, params, timeout=10.0, max_rows=MAX_ROWS)
    return {"columns": list(result.columns), "rows": [list(r) for r in result.rows],
            "truncated": result.truncated, "more": result.more,
            "warnings": list(result.warnings)}


def more_note(shown: int, more: int | None) -> str:
    """The page's note under a cut result (Traditional Chinese).

    >>> more_note(1000, 4990000).split("；")[0]
    '只顯示前 1,000 列，另有 4,990,000 列未顯示'
    """
    rest = "另有更多列未顯示（無法在時限內計數）" if more is None else f"另有 {more:,} 列未顯示"
    return f"只顯示前 {shown:,} 列，{rest}；請加上 LIMIT 或改用命令列 icapgraph cypher --max-rows。"


def column_labels(columns: list[str]) -> list[str]:
    """Result headers: a known column gets its Chinese name with the alias in brackets;
    duplicates are kept apart (a table needs distinct headers).

    >>> column_labels(["name", "n", "x"])
    ['名稱（name）', '數量（n）', 'x']
    """
    out: list[str] = []
    for col in columns:
        text = f"{COLUMN_LABEL[col]}（{col}）" if col in COLUMN_LABEL else col
        while text in out:
            text += "＊"
        out.append(text)
    return out


def _param_label(name: str, named: Any) -> str:
    known = {p.name: p.label for p in getattr(named, "parameters", ())}
    zh_name = known.get(name) or COLUMN_LABEL.get(name) or "參數"
    return f"{zh_name}（${name}）"


def _examples() -> dict[str, Any]:
    return {name: q for name, q in registry.items() if q.cypher}


def _load_example() -> None:
    chosen = st.session_state.get("cypher.example")
    query = _examples().get(str(chosen or ""))
    if query is not None:
        st.session_state[_QUERY] = query.cypher


def render() -> None:
    st.title("Cypher 查詢")
    G = loading.graph()
    examples = _examples()
    engines = [_EMBEDDED] + ([_NEO4J] if os.environ.get("NEO4J_URI") else [])
    engine = st.radio("查詢引擎", engines, horizontal=True, key="cypher.engine")
    st.selectbox("範例（具名查詢）", ["", *examples], key="cypher.example", on_change=_load_example,
                 format_func=lambda n: f"{n} — {examples[n].title}"
                 if n else "（自行輸入）")
    if _QUERY not in st.session_state:
        st.session_state[_QUERY] = _START
    query = st.text_area("Cypher（唯讀：CREATE、MERGE、SET、DELETE 等寫入會被拒絕）",
                         key=_QUERY, height=180)
    named = examples.get(st.session_state.get("cypher.example") or "")
    names = list(dict.fromkeys(_PARAM.findall(query)))
    params: dict[str, Any] = {}
    if names:
        st.caption("參數（可輸入 JSON，例如 3 或 [\"A\", \"B\"]；其他視為文字）")
        cols = st.columns(min(3, len(names)))
        for i, name in enumerate(names):
            raw = cols[i % len(cols)].text_input(_param_label(name, named),
                                                 _default(name, named, G),
                                                 key=f"cypher.param.{name}")
            params[name] = parse_value(raw)
    if st.button("執行查詢", type="primary", key="cypher.run"):
        try:
            with st.spinner("查詢中…"):
                st.session_state[_RESULT] = {"engine": engine, **_run(engine, query, params, G)}
        except IcapGraphError as exc:
            st.session_state[_RESULT] = {"engine": engine, "error": labels.one_line(exc)}
        except KeyError as exc:  # a missing environment variable for Neo4j
            st.session_state[_RESULT] = {"engine": engine, "error": f"缺少環境變數 {exc}"}
    result = st.session_state.get(_RESULT)
    if not result:
        return
    st.caption(f"回答的引擎：{result['engine']}")
    if "error" in result:
        st.error(md(result["error"]))
        return
    rows = result["rows"]
    st.caption(f"{len(rows)} 列（最多顯示 {MAX_ROWS:,} 列）")
    for warning in result.get("warnings", []):
        st.info(md(f"注意（內嵌引擎與 Neo4j 可能不同）：{warning}"))
    if result.get("truncated"):
        st.warning(more_note(len(rows), result.get("more")))
    frame = pd.DataFrame([[_cell(v) for v in row] for row in rows],
                         columns=column_labels(result["columns"]))
    st.dataframe(frame, hide_index=True, width="stretch")
    ids = [n for row in rows for v in row for n in _node_ids(v, G)]
    if ids:
        sub = induced(G, ids)
        if sub.capped:
            st.warning(f"結果含 {sub.total} 個節點，只畫出前 {len(sub.nodes)} 個。")
        st.iframe(render_html(sub, height=480), height=540)


# Streamlit runs a page as the script "__main__"; importing it (tests) renders nothing.
if __name__ == "__main__":
    render()
