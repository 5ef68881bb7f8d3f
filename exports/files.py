"""The file formats that need only the graph: GraphML, GEXF, node-link JSON and CSV.

``graphml`` and ``gexf`` open in Gephi / Gephi Lite (every attribute is a plain scalar;
nodes are labelled with their names), ``json`` is networkx node-link, ``csv`` is a folder
with ``nodes.csv`` and ``edges.csv`` in UTF-8 with a BOM so that Excel shows the Chinese.
A single-file export goes where :func:`exports.target.write_export` says (a regular file
atomically; stdout, a FIFO or a device streamed); the CSV files are written atomically.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from exports.target import write_export
from graph.atomic import atomic_write_bytes
from graph.serialize import graph_to_data
from graph.tempfiles import sweep, temp_files
from loaders.errors import ExportError

if TYPE_CHECKING:
    import networkx as nx

Exporter = Callable[["nx.MultiDiGraph", Path], list[Path]]

#: First columns of the CSV files; any other attribute follows, sorted by name.
NODE_COLUMNS: tuple[str, ...] = ("id", "kind", "name")
EDGE_COLUMNS: tuple[str, ...] = ("source", "target", "rel")


def _for_gephi(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy for Gephi: nodes carry ``label`` = name, and each edge a unique key
    (GraphML uses the key as the edge's XML id, and Gephi drops repeated ids)."""
    import networkx as nx

    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.add_nodes_from((n, {**data, "label": str(data.get("name", ""))})
                     for n, data in G.nodes(data=True))
    H.add_edges_from((u, v, f"e{i}", data)
                     for i, (u, v, data) in enumerate(G.edges(data=True)))
    return H


def xml_writer(write: Callable[[nx.MultiDiGraph, IO[bytes]], None]) -> Exporter:
    def export(G: nx.MultiDiGraph, path: Path) -> list[Path]:
        H = _for_gephi(G)
        write_export(path, lambda handle: write(H, handle))
        return [path]

    return export


def write_graphml(G: nx.MultiDiGraph, handle: IO[bytes]) -> None:
    import networkx as nx

    nx.write_graphml(G, handle, encoding="utf-8", prettyprint=False)


def write_gexf(G: nx.MultiDiGraph, handle: IO[bytes]) -> None:
    import networkx as nx

    nx.write_gexf(G, handle, encoding="utf-8", prettyprint=False)


def export_json(G: nx.MultiDiGraph, path: Path) -> list[Path]:
    """networkx node-link JSON (``nodes`` and ``edges`` lists), UTF-8."""
    text = json.dumps(graph_to_data(G), ensure_ascii=False, indent=1)
    content = text.encode("utf-8")
    write_export(path, lambda handle: handle.write(content))
    return [path]


def _csv_bytes(header: list[str], rows: Iterable[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="raise", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _columns(first: tuple[str, ...], rows: list[dict[str, Any]]) -> list[str]:
    rest = sorted({k for row in rows for k in row} - set(first))
    return [*first, *rest]


def export_csv(G: nx.MultiDiGraph, path: Path) -> list[Path]:
    """``nodes.csv`` and ``edges.csv`` in the folder ``path`` (created when missing)."""
    if path.exists() and not path.is_dir():
        raise ExportError(f"{path}: the csv export needs a folder, and this is a file")
    nodes = [{"id": n, **data} for n, data in G.nodes(data=True)]
    edges = [
        {"source": u, "target": v, "rel": data.get("rel", key),
         **{k: val for k, val in data.items() if k != "rel"}}
        for u, v, key, data in G.edges(keys=True, data=True)
    ]
    node_bytes = _csv_bytes(_columns(NODE_COLUMNS, nodes), nodes)
    edge_bytes = _csv_bytes(_columns(EDGE_COLUMNS, edges), edges)
    path.mkdir(parents=True, exist_ok=True)
    sweep(path, temp_files())  # what an export killed while writing here left
    written: list[Path] = []
    for name, content in (("nodes.csv", node_bytes), ("edges.csv", edge_bytes)):
        target = path / name
        atomic_write_bytes(target, content)
        written.append(target)
    return written
