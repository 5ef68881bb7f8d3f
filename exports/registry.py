"""Exporters: the graph as files other tools open (a registry, format name → function).

The formats: ``graphml`` and ``gexf`` (Gephi), ``json`` (networkx node-link), ``csv``
(``nodes.csv`` + ``edges.csv`` for Excel) from :mod:`exports.files`; ``cypher`` (a MERGE
script for ``cypher-shell``, :func:`cypher.write.cypher_script`) and ``neo4j-admin`` (the
import files of ``neo4j-admin database import``, :mod:`cypher.neo4j.admin`). The CLI's
``export`` command and the app's 資料 page both read :data:`EXPORTERS`. Single-file
formats may go anywhere (:mod:`exports.target`: a regular file atomically, stdout, a FIFO
or a device streamed); the folder formats (:data:`FOLDER_FORMATS`) only to a folder.
Files are written atomically: on any error nothing is left at the target.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from cypher.neo4j.admin import export_neo4j_admin
from cypher.write import cypher_script
from exports.files import (
    Exporter,
    export_csv,
    export_json,
    write_gexf,
    write_graphml,
    xml_writer,
)
from exports.target import describe, is_stream, write_export
from loaders.errors import ExportError, UnknownKey


def export_cypher(G: nx.MultiDiGraph, path: Path) -> list[Path]:
    """A ``cypher-shell`` script of MERGE statements (:func:`cypher.write.cypher_script`)."""
    content = cypher_script(G).encode("utf-8")
    write_export(path, lambda handle: handle.write(content))
    return [path]


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One export format: its writer, the name a download of it gets, a line for people,
    and, for a format that writes a folder, the files it writes."""

    name: str
    write: Exporter
    filename: str
    summary: str
    folder_files: str = ""

    @property
    def folder(self) -> bool:
        """Whether it writes a folder of files (never to a stream)."""
        return bool(self.folder_files)


_FORMATS = (
    ExportFormat("graphml", xml_writer(write_graphml), "icapgraph.graphml",
                 "GraphML（Gephi 可開啟）"),
    ExportFormat("gexf", xml_writer(write_gexf), "icapgraph.gexf", "GEXF（Gephi 可開啟）"),
    ExportFormat("json", export_json, "icapgraph.json", "JSON（networkx node-link）"),
    ExportFormat("csv", export_csv, "icapgraph-csv",
                 "CSV（UTF-8 含 BOM，Excel 可開啟）", "nodes.csv, edges.csv"),
    ExportFormat("cypher", export_cypher, "icapgraph.cypher",
                 "Cypher 指令檔（cypher-shell 匯入 Neo4j）"),
    ExportFormat("neo4j-admin", export_neo4j_admin, "icapgraph-neo4j-admin",
                 "neo4j-admin 匯入檔", "nodes_<Label>.csv, rels_<TYPE>.csv, README.txt"),
)
#: Every export format, by name; the CLI's ``export`` and the app's 資料 page read it.
EXPORTERS: dict[str, ExportFormat] = {f.name: f for f in _FORMATS}
#: Formats that write a folder of files (the files they write, for messages).
FOLDER_FORMATS: dict[str, str] = {f.name: f.folder_files for f in _FORMATS if f.folder}


def export_graph(G: nx.MultiDiGraph, fmt: str, path: Path) -> list[Path]:
    """Write ``G`` in format ``fmt`` at ``path``; return the files written.

    Parameters
    ----------
    G : the competency graph.
    fmt : a key of :data:`EXPORTERS`.
    path : the target file (a folder for ``csv`` and ``neo4j-admin``); for the other
        formats also ``/dev/stdout``, a FIFO or a character device (written directly).

    Returns
    -------
    list[Path] : every file written.

    Raises
    ------
    UnknownKey : ``fmt`` is not a known format (the message lists them).
    ExportError : the target cannot be written (no partial file is left), or a folder
        format was pointed at a stream.

    >>> export_graph(nx.MultiDiGraph(), "pdf", Path("x.pdf"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    loaders.errors.UnknownKey: unknown exporter 'pdf'; choose one of: csv, cypher, gexf, ...
    """
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise UnknownKey("exporter", fmt, EXPORTERS)
    target = Path(path)
    if fmt in FOLDER_FORMATS and is_stream(target):
        raise ExportError(
            f"{describe(target)}: {fmt} writes a folder of files ({FOLDER_FORMATS[fmt]});"
            " give a folder, not standard output, a pipe or a device"
        )
    try:
        return exporter.write(G, target)
    except BrokenPipeError:
        raise  # the reader of a pipe stopped early (| head): not an error of the export
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ExportError(f"{describe(target)}: cannot write: {reason}") from exc
