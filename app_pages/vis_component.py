"""The graph page's drawing as a two-way component: vis-network in the page itself (an
``st.components.v2`` component), so that a click on a node reaches Python and the drawing
can grow, while the nodes already drawn keep their places.

Safety is as in :mod:`app_pages.pyvis_view`: vis-network's script ships in the pyvis
wheel and is inlined (nothing is fetched); names arrive only as JSON data; labels are
drawn on the canvas and tooltips and the legend are DOM nodes filled with
``textContent``. After each layout ``window.icapStable`` holds the milliseconds it took
and ``window.icapData`` the data drawn (the browser tests and the benchmark read them).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import streamlit as st

from app_pages.neighbourhood import Subgraph
from app_pages.pyvis_view import OPTIONS, SHARED_BORDER, asset, legend, to_network

_CSS = """
:host { display: block; }
.icap-graph { font-family: "Noto Sans CJK TC", "Noto Sans TC", sans-serif; }
.icap-legend { font-size: 13px; padding: 4px 2px; display: flex; flex-wrap: wrap; gap: 12px; }
.icap-legend .dot { display: inline-block; width: 11px; height: 11px; border-radius: 50%;
  margin-right: 4px; vertical-align: middle; }
.icap-net { width: 100%; border: 1px solid #ddd; background: #fff; position: relative; }
div.vis-tooltip { position: absolute; visibility: hidden; padding: 6px 8px;
  white-space: pre-line; max-width: 420px; font-size: 13px; color: #222;
  background: #fffdf5; border: 1px solid #bbb; border-radius: 4px;
  box-shadow: 2px 2px 6px rgba(0,0,0,.15); pointer-events: none; z-index: 5; }
"""

_JS = """
const DRAWN = new WeakMap();
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}
function tipped(item) {
  const copy = Object.assign({}, item);
  if (copy.title) { copy.title = el("div", "icap-tip", copy.title); }
  return copy;
}
function edgeId(e) { return e.from + "\\u2192" + e.to + "\\u2192" + (e.rel || ""); }
function drawLegend(box, rows) {
  box.textContent = "";
  rows.forEach(function (r) {
    const s = el("span");
    const d = el("span", "dot");
    d.style.background = r.colour;
    if (r.border) { d.style.background = "#fff"; d.style.border = "3px solid " + r.border; }
    s.appendChild(d);
    s.appendChild(document.createTextNode(r.name));
    box.appendChild(s);
  });
}
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let st = DRAWN.get(parentElement);
  const started = performance.now();
  window.icapStable = undefined;
  if (!st) {
    const root = el("div", "icap-graph");
    const box = el("div", "icap-legend");
    const holder = el("div", "icap-net");
    root.appendChild(box);
    root.appendChild(holder);
    parentElement.appendChild(root);
    const nodes = new vis.DataSet();
    const edges = new vis.DataSet();
    const network = new vis.Network(holder, { nodes: nodes, edges: edges }, data.options);
    network.on("click", function (p) {
      if (p.nodes && p.nodes.length) { setTriggerValue("clicked", String(p.nodes[0])); }
    });
    st = { holder: holder, box: box, nodes: nodes, edges: edges, network: network };
    DRAWN.set(parentElement, st);
  }
  st.holder.style.height = data.height + "px";
  drawLegend(st.box, data.legend);
  const wanted = new Map(data.nodes.map(function (n) { return [n.id, n]; }));
  const old = st.nodes.getIds();
  st.nodes.remove(old.filter(function (id) { return !wanted.has(id); }));
  const kept = new Set(st.nodes.getIds());
  const positions = st.network.getPositions(Array.from(kept));
  const fresh = [];
  data.nodes.forEach(function (n) {
    const node = tipped(n);
    if (kept.has(n.id)) { st.nodes.update(Object.assign(node, { fixed: true })); return; }
    const near = data.edges.find(function (e) {
      return (e.from === n.id && kept.has(e.to)) || (e.to === n.id && kept.has(e.from));
    });
    const anchor = near ? positions[near.from === n.id ? near.to : near.from] : null;
    if (anchor) {
      node.x = anchor.x + (Math.random() - 0.5) * 160;
      node.y = anchor.y + (Math.random() - 0.5) * 160;
    }
    fresh.push(node);
  });
  st.nodes.add(fresh);
  const edgeIds = new Set(data.edges.map(edgeId));
  st.edges.remove(st.edges.getIds().filter(function (id) { return !edgeIds.has(id); }));
  st.edges.update(data.edges.map(function (e) {
    return Object.assign(tipped(e), { id: edgeId(e) });
  }));
  window.icapData = data;
  window.icapNetwork = st.network;
  function settle() {
    st.network.setOptions({ physics: { enabled: false } });
    st.nodes.update(st.nodes.getIds().map(function (id) { return { id: id, fixed: false }; }));
    window.icapStable = performance.now() - started;
  }
  if (!fresh.length) { settle(); return; }
  st.network.setOptions({ physics: { enabled: true } });
  st.network.once("stabilizationIterationsDone", settle);
  st.network.stabilize(kept.size ? 60 : 80);
  if (kept.size === 0) { st.network.once("stabilized", function () { st.network.fit(); }); }
}
"""

_COMPONENT = st.components.v2.component(
    "icap_growing_graph", css=_CSS, js=asset("vis-network.min.js") + "\n" + _JS)


def component_data(sub: Subgraph, *, height: int, big: str = "大圓：中心或已展開"
                   ) -> dict[str, Any]:
    """What the component draws: vis nodes, edges (each with its relation), options and
    the legend rows (plain data; the component writes text with ``textContent``)."""
    net = to_network(sub, height=height)
    rels = {(e.source, e.target): e.rel for e in sub.edges}
    edges = [{**e, "rel": rels.get((e["from"], e["to"]), "")} for e in net.edges]
    rows: list[dict[str, str]] = [{"name": n, "colour": c} for n, c in legend(sub)]
    if any(n.shared for n in sub.nodes):
        rows.append({"name": "共用項目（其他職業也需要，點一下可展開）", "colour": "#fff",
                     "border": SHARED_BORDER})
    rows.append({"name": big, "colour": "#bbbbbb"})
    options = json.loads(json.dumps(OPTIONS))
    options["interaction"]["navigationButtons"] = False
    return {"nodes": net.nodes, "edges": edges, "options": options, "height": height,
            "legend": rows}


def draw(sub: Subgraph, *, key: str, on_click: Callable[[], None], height: int = 620,
         big: str = "大圓：中心或已展開") -> None:
    """Draw ``sub``; ``on_click`` runs (before the next script run) when a node is clicked,
    and finds its id with :func:`clicked`; ``big`` says in the legend what large nodes are."""
    _COMPONENT(key=key, data=component_data(sub, height=height, big=big),
               on_clicked_change=on_click)


def clicked(key: str) -> str | None:
    """The id of the node just clicked in the drawing ``key`` (inside ``on_click``)."""
    found = st.session_state.get(key) or {}
    value = found.get("clicked") if isinstance(found, dict) else None
    return value if isinstance(value, str) and value else None
