"""Starting the engine's server before the graph is at hand.

A one-shot ``icapgraph cypher`` spends ~0.1 s waiting for the server to load the corpus
snapshot, and before that ~0.1 s importing the engine and reading the lookup cache. It
therefore starts a server from the most recently used snapshot first (each use touches its
file) and does that other work while the server loads; the engine then adopts the server
when that snapshot is the graph's, and stops it and starts its own when not
(:meth:`cypher.embedded.engine.CypherEngine.from_graph`, ``prestarted``). The snapshot file
passes the same checks as for any start (:mod:`cypher.embedded.snapshot_file`), and the
server is the same private, watched process (:mod:`cypher.embedded.server`).
"""

from __future__ import annotations

from pathlib import Path

from cypher.embedded.server import Server, launch
from cypher.embedded.snapshot_file import latest, read_trusted
from graph.cache_dir import default_cache_dir
from loaders.errors import EngineUnavailable


def prestart(folder: Path | None = None) -> Server | None:
    """A server launched (not yet ready) from the most recently used snapshot in ``folder``
    (default: the graph cache folder), or None when there is no loadable one or the server
    cannot start (the engine then starts its own as usual). The caller stops it."""
    path = latest(folder if folder is not None else default_cache_dir())
    data = read_trusted(path) if path is not None else None
    if path is None or data is None:
        return None
    try:
        return launch(snapshot=data, origin=path)
    except EngineUnavailable:
        return None
