"""Exporters: the graph as files other tools open (a registry, format name → function).

The formats: ``graphml`` and ``gexf`` (Gephi), ``json`` (networkx node-link), ``csv``
(``nodes.csv`` + ``edges.csv`` for Excel) from :mod:`exports.files`; ``cypher`` (a MERGE
script for ``cypher-shell``, :func:`cypher.write.cypher_script`) and ``neo4j-admin`` (the
import files of ``neo4j-admin database import``, :mod:`cypher.neo4j.admin`). The CLI's
``export`` command and the app's 資料 page both read :data:`EXPORTERS`. Every file is
written atomically: on any error nothing is left at the target.
"""

from __future__ import annotations

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
from graph.serialize import atomic_write_bytes
from loaders.errors import ExportError, UnknownKey


def export_cypher(G: nx.MultiDiGraph, path: Path) -> list[Path]:
    """A ``cypher-shell`` script of MERGE statements (:func:`cypher.write.cypher_script`)."""
    atomic_write_bytes(path, cypher_script(G).encode("utf-8"))
    return [path]


EXPORTERS: dict[str, Exporter] = {
    "graphml": xml_writer(write_graphml),
    "gexf": xml_writer(write_gexf),
    "json": export_json,
    "csv": export_csv,
    "cypher": export_cypher,
    "neo4j-admin": export_neo4j_admin,
}


def export_graph(G: nx.MultiDiGraph, fmt: str, path: Path) -> list[Path]:
    """Write ``G`` in format ``fmt`` at ``path``; return the files written.

    Parameters
    ----------
    G : the competency graph.
    fmt : a key of :data:`EXPORTERS`.
    path : the target file (a folder for ``csv`` and ``neo4j-admin``).

    Returns
    -------
    list[Path] : every file written.

    Raises
    ------
    UnknownKey : ``fmt`` is not a known format (the message lists them).
    ExportError : the target cannot be written; no partial file is left.

    >>> export_graph(nx.MultiDiGraph(), "pdf", Path("x.pdf"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    loaders.errors.UnknownKey: unknown exporter 'pdf'; choose one of: csv, cypher, gexf, ...
    """
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise UnknownKey("exporter", fmt, EXPORTERS)
    try:
        return exporter(G, Path(path))
    except OSError as exc:
        raise ExportError(f"{path}: cannot write: {exc.strerror or exc}") from exc
