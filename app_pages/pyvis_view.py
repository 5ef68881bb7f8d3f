"""Drawing a :class:`~pages.neighbourhood.Subgraph` with pyvis / vis-network, offline and
safe for hostile names.

The nodes, edges and options are assembled in a ``pyvis.network.Network``
(``cdn_resources="in_line"``), but the page around them is written here rather than
with pyvis's own template, because that template always links Bootstrap from a CDN
and shows tooltips with ``innerHTML``. Here:

* vis-network's script and stylesheet (shipped inside the pyvis wheel) are inlined,
  so nothing is fetched from the network;
* every name reaches the browser only as JSON data inside one script block, with
  ``<``, ``>`` and ``&`` written as ``\\u003c`` … so no name can close the block;
  labels are drawn on the canvas, and tooltips are DOM nodes filled with
  ``textContent`` — a name is always text, never markup;
* physics runs a bounded stabilisation and is switched off when it is done, so the
  tab does not keep computing; ``window.icapStable`` then holds the time it took.
"""

from __future__ import annotations

import html
import json
from functools import cache
from pathlib import Path
from typing import Any

from pyvis.network import Network

from app_pages.neighbourhood import Subgraph
from graph.kinds import KINDS, Kind

#: Node colour and Chinese name of each kind by its label, from the kind table.
KIND_COLOUR: dict[str, str] = {row.kind.value: row.colour for row in KINDS}
KIND_NAME: dict[str, str] = {row.kind.value: row.zh for row in KINDS}
SHARED_BORDER = "#ff7f0e"
_EDGE_DASHED = {"SIMILAR_TO", "INCLUDES"}

OPTIONS: dict[str, Any] = {
    # Measured in headless Chromium without a GPU on a 300-node, 1,300-edge drawing:
    # barnesHut needs ~250 iterations (7 s) to settle, forceAtlas2Based ~80 (under 1 s).
    # Progress events are thinned (updateInterval) because each one costs a frame.
    "physics": {
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90,
                             "springConstant": 0.08, "avoidOverlap": 0.4,
                             "centralGravity": 0.01},
        "stabilization": {"enabled": True, "iterations": 80, "updateInterval": 1000,
                          "fit": True},
        "minVelocity": 1.0,
    },
    "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
    "edges": {"smooth": False, "color": {"inherit": False, "color": "#b0b0b0"}},
    "nodes": {"font": {"size": 14, "face": "Noto Sans CJK TC, Noto Sans TC, sans-serif"}},
    "layout": {"improvedLayout": False, "randomSeed": 7},
}


def to_network(sub: Subgraph, *, height: int = 640) -> Network:
    """The pyvis Network of ``sub``: one colour per kind, shared items ringed and larger,
    the chosen occupations larger still; titles are plain text (see the module doc)."""
    net = Network(height=f"{height}px", width="100%", directed=True, cdn_resources="in_line")
    for n in sub.nodes:
        colour = KIND_COLOUR.get(n.kind, "#aaaaaa")
        net.add_node(
            n.id, label=n.label, title=n.title, shape="dot",
            size=26 if n.focus else (18 if n.shared or n.kind == Kind.OCCUPATION else 11),
            borderWidth=4 if n.shared else 1,
            color={"background": colour, "border": SHARED_BORDER if n.shared else colour},
        )
    for e in sub.edges:
        extra = {"label": e.label, "font": {"align": "middle", "size": 12}} if e.label else {}
        net.add_edge(e.source, e.target, title=e.title or e.rel, dashes=e.rel in _EDGE_DASHED,
                     arrows="to" if e.rel not in _EDGE_DASHED else "", **extra)
    net.options = json.loads(json.dumps(OPTIONS))
    return net


def legend(sub: Subgraph) -> list[tuple[str, str]]:
    """(Chinese kind name, colour) for each kind present, in the product's kind order."""
    present = {n.kind for n in sub.nodes}
    return [(KIND_NAME[k], KIND_COLOUR[k]) for k in KIND_NAME if k in present]


@cache
def asset(name: str) -> str:
    """A file of the vis-network build shipped inside the pyvis wheel."""
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"
    return (lib / name).read_text(encoding="utf-8")


def _script_json(value: Any) -> str:
    """JSON that is safe inside a <script> block whatever strings it holds."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_PAGE = """<!DOCTYPE html>
<html lang="zh-Hant"><head><meta charset="utf-8">
<style>{css}</style>
<style>
 html,body{{margin:0;padding:0;font-family:"Noto Sans CJK TC","Noto Sans TC",sans-serif;}}
 *{{box-sizing:border-box;}}
 #icap-net{{width:100%;height:{height}px;border:1px solid #ddd;background:#fff;}}
 #icap-legend{{font-size:13px;padding:4px 2px;display:flex;flex-wrap:wrap;gap:10px;}}
 #icap-legend span.dot{{display:inline-block;width:11px;height:11px;border-radius:50%;
   margin-right:4px;vertical-align:middle;}}
 .icap-tip{{white-space:pre-line;max-width:420px;font-size:13px;}}
</style>
<script>{js}</script>
</head><body>
<div id="icap-legend">{legend}</div>
<div id="icap-net"></div>
<script>
(function () {{
  var data = window.icapData = {data};
  function tip(text) {{
    var el = document.createElement("div");
    el.className = "icap-tip";
    el.textContent = text;
    return el;
  }}
  data.nodes.forEach(function (n) {{ if (n.title) {{ n.title = tip(n.title); }} }});
  data.edges.forEach(function (e) {{ if (e.title) {{ e.title = tip(e.title); }} }});
  var started = performance.now();
  var network = new vis.Network(document.getElementById("icap-net"),
    {{nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)}}, data.options);
  function settle() {{
    network.setOptions({{physics: false}});
    window.icapStable = performance.now() - started;
  }}
  network.once("stabilizationIterationsDone", settle);
  if (!data.nodes.length) {{ window.icapStable = 0; }}
  window.icapNetwork = network;
}})();
</script>
</body></html>
"""


def render_html(sub: Subgraph, *, height: int = 640) -> str:
    """A self-contained HTML page drawing ``sub`` (for ``st.components.v1.html``)."""
    net = to_network(sub, height=height)
    data = {"nodes": net.nodes, "edges": net.edges, "options": net.options}
    items = "".join(
        f'<span><span class="dot" style="background:{colour}"></span>{html.escape(name)}</span>'
        for name, colour in legend(sub)
    )
    if any(n.shared for n in sub.nodes):
        items += (f'<span><span class="dot" style="background:#fff;border:3px solid '
                  f'{SHARED_BORDER}"></span>共用項目</span>')
    return _PAGE.format(css=asset("vis-network.css"), js=asset("vis-network.min.js"),
                        height=height, legend=items, data=_script_json(data))
