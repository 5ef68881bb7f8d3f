"""A long list of occupations as links, grouped (by 職類別) and searchable as you type, that
opens an occupation's page inside the same session.

Streamlit's Markdown links start a new session (the visitor's choices would be lost) and a
button per occupation is a wall of 905 buttons, so the list is one small
``st.components.v2`` component: the names arrive as JSON data and are written with
``textContent`` (never markup); a plain click sends the code back to Python, which switches
page; a middle- or Ctrl-click follows the link's real ``href`` (``occupation?occupation=…``)
into a new tab, where :mod:`app_pages.carry` reads it from the URL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from app_pages import carry

_CSS = """
:host { display:block; }
.icap-list { font-family: inherit; font-size: 0.95rem; }
.icap-list input { width: 100%; box-sizing: border-box; padding: 0.45rem 0.7rem;
  border: 1px solid #d6d6d9; border-radius: 0.5rem; font: inherit; margin-bottom: 0.4rem; }
.icap-list .count { color: #6b6f76; font-size: 0.85rem; margin: 0.2rem 0 0.5rem; }
.icap-list details { border-bottom: 1px solid #ececef; padding: 0.2rem 0; }
.icap-list summary { cursor: pointer; font-weight: 600; padding: 0.25rem 0; }
.icap-list summary .n { color: #6b6f76; font-weight: 400; margin-left: 0.3rem; }
.icap-list ul { list-style: none; margin: 0.2rem 0 0.4rem; padding-left: 1rem;
  columns: var(--icap-cols, 2) 18rem; column-gap: 2rem; }
.icap-list li { break-inside: avoid; padding: 0.12rem 0; }
.icap-list a { color: #1c64c8; text-decoration: none; }
.icap-list a:hover { text-decoration: underline; }
.icap-list .code { color: #8a8f98; font-size: 0.78rem; margin-left: 0.35rem; }
.icap-list .detail { display: block; color: #55595f; font-size: 0.82rem; margin-left: 0.2rem; }
.icap-list .empty { color: #6b6f76; padding: 0.5rem 0; }
.icap-list .section { font-weight: 700; font-size: 1.02rem; margin: 0.9rem 0 0.2rem; }
.icap-list .section + details, .icap-list .inner { margin-left: 0.9rem; }
"""

_JS = """
function norm(s) { return (s || "").normalize("NFKC").toLowerCase().replace(/\\s+/g, ""); }
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let root = parentElement.querySelector(".icap-list");
  if (!root) { root = el("div", "icap-list"); parentElement.appendChild(root); }
  const before = root.querySelector("input");
  const typed = before ? before.value : "";
  root.textContent = "";
  root.style.setProperty("--icap-cols", String(data.columns || 2));
  const box = el("input");
  box.type = "search";
  box.placeholder = data.placeholder;
  box.setAttribute("aria-label", data.placeholder);
  box.value = typed;
  const count = el("div", "count");
  const body = el("div");
  if (data.search) root.appendChild(box);
  root.appendChild(count);
  root.appendChild(body);
  const sections = {};
  const groups = data.groups.map(function (g) {
    if (g.section && !sections[g.section]) {
      sections[g.section] = { head: el("div", "section", g.section), members: [] };
      body.appendChild(sections[g.section].head);
    }
    const d = el("details", g.section ? "inner" : "");
    let title = g.title;
    if (g.section && title.indexOf(g.section) === 0) {
      title = title.slice(g.section.length).replace(/^[\\s／/]+/, "") || g.title;
    }
    const s = el("summary", "", title);
    const n = el("span", "n");
    s.appendChild(n);
    d.appendChild(s);
    const ul = el("ul");
    const rows = g.rows.map(function (r) {
      const li = el("li");
      const a = el("a", "", r.name);
      a.href = data.href + encodeURIComponent(r.code);
      a.addEventListener("click", function (ev) {
        if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
        ev.preventDefault();
        setTriggerValue("open", r.code);
      });
      li.appendChild(a);
      li.appendChild(el("span", "code", r.code));
      if (r.detail) li.appendChild(el("span", "detail", r.detail));
      ul.appendChild(li);
      return { li: li, key: norm(r.name + " " + r.code + " " + (r.detail || "")) };
    });
    d.appendChild(ul);
    body.appendChild(d);
    const entry = { d: d, n: n, rows: rows, total: g.rows.length };
    if (g.section) sections[g.section].members.push(entry);
    return entry;
  });
  const empty = el("div", "empty", data.empty);
  body.appendChild(empty);
  function apply() {
    const q = norm(box.value);
    let shown = 0;
    groups.forEach(function (g) {
      let k = 0;
      g.rows.forEach(function (r) {
        const hit = !q || r.key.indexOf(q) >= 0;
        r.li.style.display = hit ? "" : "none";
        if (hit) k += 1;
      });
      g.d.style.display = k ? "" : "none";
      g.n.textContent = q ? "（" + k + " / " + g.total + "）" : "（" + g.total + "）";
      if (q) g.d.open = k > 0 && k <= 60; else g.d.open = !!data.open;
      shown += k;
    });
    Object.keys(sections).forEach(function (k) {
      const visible = sections[k].members.some(function (g) {
        return g.d.style.display !== "none";
      });
      sections[k].head.style.display = visible ? "" : "none";
    });
    count.textContent = data.counted.replace("{n}", String(shown));
    empty.style.display = shown ? "none" : "";
  }
  box.addEventListener("input", apply);
  apply();
}
"""

_COMPONENT = st.components.v2.component("icap_occupation_links", css=_CSS, js=_JS)


@dataclass(frozen=True, slots=True)
class Link:
    """One occupation in the list: its code, the text shown and an optional detail line."""

    code: str
    name: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class LinkGroup:
    """A group of links; consecutive groups with the same ``section`` are listed under
    one section heading (a 職類別's sector, 製造 for 製造／生產管理)."""

    title: str
    links: tuple[Link, ...] = field(default=())
    section: str = ""


def occupation_links(
    groups: Sequence[LinkGroup], *, key: str, search: bool = True, open_: bool = False,
    columns: int = 2, placeholder: str = "輸入職業名稱或代碼篩選…",
    counted: str = "共 {n} 個職業", empty: str = "沒有符合的職業。",
) -> None:
    """Draw the list; a click on an occupation opens the occupation page on it."""
    data: dict[str, Any] = {
        "groups": [{"title": g.title, "section": g.section,
                    "rows": [{"code": x.code, "name": x.name, "detail": x.detail}
                             for x in g.links]}
                   for g in groups],
        "href": "occupation?occupation=", "search": search, "open": open_,
        "columns": columns, "placeholder": placeholder, "counted": counted, "empty": empty,
    }
    result = _COMPONENT(key=key, data=data, on_open_change=lambda: None)
    opened = getattr(result, "open", None) if result is not None else None
    if isinstance(opened, str) and opened:
        carry.choose("occupation", opened)
        st.switch_page("app_pages/occupation.py", query_params={"occupation": opened})
