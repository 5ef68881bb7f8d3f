"""資料: the loaded files (named relative to the data folder) with their load notes in
Chinese, each standard's version; upload a standard (text or JSON) → parse → preview with
warnings → add it to this session's graph (written into a data folder only when asked);
download exports (GraphML, GEXF, CSV, JSON, Cypher, neo4j-admin)."""

from __future__ import annotations

import hashlib
import io
import json
import re
import tempfile
import zipfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import streamlit as st

from app_pages import labels, loading, state
from app_pages.labels import md
from app_pages.load_messages import relative_path, rewrite_paths, zh_message
from app_pages.loading import Upload
from app_pages.naming import version_mark
from exports.registry import EXPORTERS as exporters
from exports.registry import export_graph
from graph.atomic import atomic_write
from graph.kinds import INFO, ITEM_KINDS, Kind
from loaders.corpus import FORMATS, parse_bytes
from loaders.errors import IcapGraphError
from loaders.records import Standard

_PENDING = "data.pending"


def _files_table(G: nx.MultiDiGraph, loaded: Any) -> list[dict[str, Any]]:
    counts: dict[str, int] = defaultdict(int)
    for w in (*loaded.warnings, *loaded.failures):
        counts[w.path] += 1
    failed = {w.path for w in loaded.failures}
    left_out = {w.path for w in loaded.warnings if w.message.startswith("duplicate standard code")}
    names = {str(d.get("path", "")): (str(d.get("name", "")), str(d.get("code", "")))
             for _, d in G.nodes(data=True) if d.get("kind") == Kind.OCCUPATION}
    roots = state.data_paths()
    rows = []
    for f in loaded.files:
        name, code = names.get(f, ("", ""))
        status = "無法載入" if f in failed else ("代碼重複，未載入" if f in left_out else "已載入")
        rows.append({"檔案": relative_path(f, roots), "職能基準": name, "狀態": status,
                     "提醒數": counts.get(f, 0), "代碼": code})
    return rows


def _notes_table(loaded: Any) -> list[dict[str, Any]]:
    roots = state.data_paths()
    return [{"檔案": relative_path(w.path, roots), "行": str(w.line or ""),
             "類型": kind, "說明": rewrite_paths(zh_message(w.message), roots)}
            for kind, found in (("無法載入", loaded.failures), ("提醒", loaded.warnings))
            for w in found]


def _version_rows(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    rows = []
    for _, d in G.nodes(data=True):
        if d.get("kind") != Kind.OCCUPATION:
            continue
        versions = json.loads(d.get("versions") or "[]")
        own: dict[str, Any] = next((v for v in versions if v.get("code") == d.get("code")), {})
        rows.append({
            "職業": str(d.get("name", "")) + version_mark(d), "基準級別": str(d.get("level") or ""),
            "版本": own.get("version") or "", "狀態": own.get("status") or "",
            "更新日期": own.get("date") or "", "代碼": d.get("code", ""),
        })
    return sorted(rows, key=lambda r: (str(r["職業"]), str(r["代碼"])))


def _kind_of(text: str) -> str:
    """A Chinese note with its particulars (codes, quoted names, numbers) blanked out, so
    that notes of one kind count together."""
    text = re.sub(r"「[^」]*」", "「…」", text)
    return re.sub(r"[A-Z]?\d+(?:\.\d+)*", "…", text)


def parse_upload(name: str, data: bytes) -> Standard:
    """Decode and parse an uploaded file with the loaders' own format registry.

    Raises
    ------
    UnknownKey
        the suffix is not a registered format (the message lists them).
    ParseError
        undecodable bytes or not a standard (one line naming the file).
    """
    return parse_bytes(data, name)


def _preview(std: Standard) -> None:
    items = [(INFO[kind].zh, getattr(std, INFO[kind].record_field or "")) for kind in ITEM_KINDS]
    cols = st.columns(3 + len(items))
    cols[0].metric("代碼", std.code or "（空白）")
    cols[1].metric(INFO[Kind.DUTY].zh, len(std.duties))
    cols[2].metric(INFO[Kind.TASK].zh, len(std.tasks))
    for col, (label, entries) in zip(cols[3:], items, strict=True):
        col.metric(label, len(entries))
    st.markdown(f"**{md(std.name)}** · 基準級別 {std.level if std.level is not None else '未註明'}")
    if std.warnings:
        st.warning(f"讀取時有 {len(std.warnings)} 則提醒：")
        rows = [{"行": str(w.line or ""), "說明": zh_message(w.message)} for w in std.warnings]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    else:
        st.success("讀取完整，沒有提醒。")


def _save_to_data(upload: Upload, data: bytes) -> None:
    folder = next((Path(p) for p in state.data_paths() if Path(p).is_dir()), None)
    if folder is None:
        st.error("找不到可寫入的資料夾。")
        return
    target = folder / Path(upload.filename).name
    if target.exists():
        st.error(md(f"{target} 已存在，未覆寫。"))
        return
    try:
        atomic_write(target, lambda handle: handle.write(data))
    except OSError as exc:
        st.error(md(f"{target}: 無法寫入：{exc.strerror or exc}"))
        return
    st.success(md(f"已寫入 {target}（下次啟動時會一併載入）。"))


def _upload_section(G: nx.MultiDiGraph) -> None:
    st.subheader("上傳職能基準")
    st.caption("支援文字檔（.txt，與 data/standards 相同格式）與 JSON（.json，語料庫格式）。"
               "上傳的基準只加入本次工作階段的圖譜，不會寫入資料夾，除非您按下「另存」。")
    file = st.file_uploader("上傳職能基準檔案（.txt 或 .json）",
                            type=[s.lstrip(".") for s in FORMATS], key="data.upload",
                            help="拖曳檔案到框內，或按「選擇檔案」")
    if file is None:
        return
    data = file.getvalue()
    try:
        std = parse_upload(file.name, data)
    except IcapGraphError as exc:
        st.error(md(labels.one_line(exc)))
        return
    upload = Upload(file.name, hashlib.sha256(data).hexdigest(), std)
    _preview(std)
    uploaded = loading.uploads()
    if f"occupation:{std.code}" in G and all(u.standard.code != std.code for u in uploaded):
        st.info(md(f"已載入的資料中已有 {std.code}；加入後將以上傳的版本取代。"))
    left, right = st.columns(2)
    if left.button("加入本次工作階段的圖譜", type="primary", key="data.add"):
        loading.add_upload(upload)
        st.session_state[state.STATE_PRIMARY] = std.code
        st.rerun()
    if right.button("另存到資料夾", key="data.save"):
        _save_to_data(upload, data)


def _export(G: nx.MultiDiGraph, fmt: str) -> tuple[str, bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / exporters[fmt].filename
        written = [Path(p) for p in export_graph(G, fmt, target)]
        if len(written) == 1 and written[0].is_file() and written[0].parent == Path(tmp):
            return written[0].name, written[0].read_bytes()
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in written:
                zf.write(path, path.relative_to(tmp).as_posix())
        return f"{target.name}.zip", buf.getvalue()


def _export_section(G: nx.MultiDiGraph) -> None:
    st.subheader("匯出圖譜")
    fmt = st.selectbox("格式", list(exporters), key="data.format",
                       format_func=lambda name: exporters[name].summary)
    if st.button("產生匯出檔", key="data.export"):
        try:
            with st.spinner("匯出中…"):
                st.session_state[_PENDING] = (fmt, *_export(G, fmt))
        except IcapGraphError as exc:
            st.error(md(labels.one_line(exc)))
    pending = st.session_state.get(_PENDING)
    if pending and pending[0] == fmt:
        st.download_button(f"下載 {pending[1]}", pending[2], pending[1], key="data.download")


def render() -> None:
    st.title("資料")
    loaded = loading.loaded()
    G = loading.graph()
    st.subheader("已載入的檔案")
    st.caption("資料夾：" + md("、".join(state.data_paths())) + "（以下檔名都相對於它）")
    st.dataframe(pd.DataFrame(_files_table(G, loaded)), hide_index=True, width="stretch")
    for notice in loaded.notices:  # the cache could not be written
        st.warning("快取無法寫入，每次啟動都會重新建立圖譜：" + md(notice))
    notes = _notes_table(loaded)
    st.subheader(f"資料提醒（{len(notes):,}）")
    if not notes:
        st.success("所有檔案都完整讀入，沒有提醒。")
    else:
        st.caption("讀檔時發現的原始資料問題（例如缺漏、截斷、重複），已盡量照原樣讀入；"
                   "「行」是文字檔的行號（JSON 檔沒有行號）。")
        kinds = Counter(_kind_of(n["說明"]) for n in notes)
        st.dataframe(pd.DataFrame([{"提醒": k, "筆數": n} for k, n in kinds.most_common()]),
                     hide_index=True, width="stretch",
                     height=labels.table_height(len(kinds), most=10))
        # Lazy: the corpus has thousands of notes; they are sent only when asked for.
        every = st.expander(f"逐筆列出（{len(notes):,}）", key="data.notes", on_change="rerun")
        if every.open:
            with every:
                st.dataframe(pd.DataFrame(notes), hide_index=True, width="stretch")
    versions = st.expander("各職能基準的版本", key="data.versions", on_change="rerun")
    if versions.open:
        with versions:
            st.dataframe(pd.DataFrame(_version_rows(G)), hide_index=True, width="stretch")
    if loading.uploads():
        st.markdown("**本次工作階段上傳的基準**：" + md("、".join(
            f"{u.standard.code} {u.standard.name}（{u.filename}）" for u in loading.uploads())))
    _upload_section(G)
    _export_section(G)


# Streamlit runs a page as the script "__main__"; importing it (tests) renders nothing.
if __name__ == "__main__":
    render()
