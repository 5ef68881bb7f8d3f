"""Save, read and cache the built graph (versioned node-link JSON, atomic writes).

The cache lets the CLI and the app start fast. A cache file is named by a key made of
everything that can change the graph (:mod:`graph.content_key`). The loader's warnings are
stored with the graph so that a warm start does no work beyond reading the file. A cache
that is corrupt, from another format version or for another key is rebuilt, never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

from graph.aliases import default_aliases_path, read_aliases
from graph.atomic import atomic_write
from graph.cache_dir import ENV_CACHE, default_cache_dir  # (default_cache_dir: re-exported)
from graph.content_key import cache_key, expand
from graph.serialize import (
    adjacency_to_graph,
    data_to_graph,
    graph_to_adjacency,
    graph_to_data,
    no_gc,
)
from graph.tempfiles import sweep, temp_files
from loaders.errors import CacheError
from loaders.records import LoadWarning
from loaders.sources import shown

if TYPE_CHECKING:
    import networkx as nx

#: The version of the saved file layout.
FORMAT_VERSION = 1
FORMAT_NAME = "icapgraph-graph"
#: How many cache files to keep (one per data set recently used).
KEEP_CACHES = 8
#: Temporary files named before owner tags are leftovers once this old.
_LEGACY_TMP_SECONDS = 3600.0

_ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Loaded:
    """What :func:`load_graph` returns."""

    graph: nx.MultiDiGraph
    warnings: tuple[LoadWarning, ...]
    failures: tuple[LoadWarning, ...]
    from_cache: bool
    files: tuple[str, ...]
    notices: tuple[str, ...] = ()
    """Problems of the cache itself (one line each), not of the standards."""


#: Payload layouts: node-link for saved graphs, adjacency for the cache (see graph.serialize).
_LAYOUTS: dict[str, tuple[Callable[[nx.MultiDiGraph], dict[str, Any]],
                          Callable[[dict[str, Any]], nx.MultiDiGraph]]] = {
    "node-link": (graph_to_data, data_to_graph),
    "adjacency": (graph_to_adjacency, adjacency_to_graph),
}


def _payload(G: nx.MultiDiGraph, layout: str, extra: dict[str, Any]) -> dict[str, Any]:
    with no_gc():
        graph = _LAYOUTS[layout][0](G)
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION, "layout": layout, **extra,
            "graph": graph}


def _dump(payload: dict[str, Any]) -> Callable[[IO[bytes]], None]:
    def write(handle: IO[bytes]) -> None:
        handle.write(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())

    return write


def save_graph(G: nx.MultiDiGraph, path: Path | str) -> None:
    """Save ``G`` as versioned node-link JSON, atomically.

    Raises
    ------
    OSError : the file cannot be written (any previous file is left as it was).
    """
    atomic_write(Path(path), _dump(_payload(G, "node-link", {})))


def _read_payload(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle, no_gc():
            payload = json.load(handle)
    except (OSError, ValueError) as exc:
        raise CacheError(f"{path}: cannot read saved graph: {exc}") from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT_NAME:
        raise CacheError(f"{path}: not a saved icapgraph graph")
    if payload.get("version") != FORMAT_VERSION:
        raise CacheError(f"{path}: saved graph version {payload.get('version')!r}, "
                         f"expected {FORMAT_VERSION}")
    return payload


def _graph_of(payload: dict[str, Any], path: Path) -> nx.MultiDiGraph:
    layout = _LAYOUTS.get(payload.get("layout", "node-link"))
    if layout is None:
        raise CacheError(f"{path}: unknown saved graph layout {payload.get('layout')!r}")
    try:
        with no_gc():
            return layout[1](payload["graph"])
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise CacheError(f"{path}: corrupt saved graph: {exc}") from exc


def read_graph(path: Path | str) -> nx.MultiDiGraph:
    """Read a graph written by :func:`save_graph`.

    Raises
    ------
    CacheError : the file is missing, unreadable, not JSON, of another format
        version, or structurally corrupt.

    >>> import tempfile
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph(); G.add_edge("a", "b", key="R", rel="R")
    'R'
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     save_graph(G, Path(tmp) / "g.json")
    ...     list(read_graph(Path(tmp) / "g.json").edges(keys=True))
    [('a', 'b', 'R')]
    """
    p = Path(path)
    return _graph_of(_read_payload(p), p)


def _warnings(rows: Any) -> tuple[LoadWarning, ...]:
    return tuple(LoadWarning(str(p), int(line), str(msg)) for p, line, msg in rows)


def _rows(warnings: Sequence[LoadWarning]) -> list[list[Any]]:
    return [[w.path, w.line, w.message] for w in warnings]


def _from_cache(path: Path, key: str) -> Loaded | None:
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
    except OSError:  # missing, or a folder we may not search: no cache to read
        return None
    try:
        payload = _read_payload(path)
        if payload.get("key") != key:
            return None
        graph = _graph_of(payload, path)
        return Loaded(graph, _warnings(payload["warnings"]), _warnings(payload["failures"]),
                      True, tuple(payload["files"]))
    except (CacheError, KeyError, TypeError, ValueError):
        return None  # corrupt: rebuild


def _prune(cache_dir: Path, keep: Path, pattern: str = "graph-*.json",
           count: int = KEEP_CACHES) -> None:
    old = []
    for path in cache_dir.glob(pattern):
        with contextlib.suppress(OSError):
            old.append((path.stat().st_mtime, path))
    old.sort(reverse=True)
    for _, stale in [item for item in old if item[1] != keep][count - 1 :]:
        with contextlib.suppress(OSError):
            stale.unlink()


#: The cache folder of each graph :func:`load_graph` returned (for :func:`derived_path`).
_FOLDER_OF: weakref.WeakKeyDictionary[nx.MultiDiGraph, Path] = weakref.WeakKeyDictionary()


def derived_path(G: nx.MultiDiGraph, stem: str, parts: Sequence[str], suffix: str) -> Path | None:
    """Where a representation derived from ``G`` by a later layer (the queries' task-text
    matrix) is kept beside the graph cache, or None when ``G`` did not come from
    :func:`load_graph` (a graph built in memory is never cached).

    The file is ``<cache folder>/<stem>-<hash><suffix>``, the hash taken over the graph's
    content key and ``parts`` (the caller's format version, anything else its content
    depends on); older files of the same ``stem`` beyond :data:`KEEP_CACHES` are removed.
    The caller reads it defensively (a corrupt file is rebuilt) and writes it with
    :func:`graph.atomic.atomic_write`.

    >>> import networkx as nx
    >>> derived_path(nx.MultiDiGraph(), "x", ["1"], ".npz") is None
    True
    """
    content = G.graph.get("content_key")
    folder = _FOLDER_OF.get(G)
    if not isinstance(content, str) or not content or folder is None:
        return None
    return derived_file(folder, content, stem, parts, suffix)


def derived_or_build(G: nx.MultiDiGraph, stem: str, parts: Sequence[str], suffix: str, *,
                     read: Callable[[Path], T | None], build: Callable[[], T],
                     save: Callable[[Path, T], None]) -> T:
    """What ``read`` gives from ``G``'s derived file (:func:`derived_path`), else ``build()``,
    then kept there with ``save`` for the next process.

    ``read`` returns None for a file it cannot trust (it is rebuilt); a cache folder that
    cannot be written only costs a rebuild next time. A graph not read from the cache
    (no derived file) just builds.

    >>> import networkx as nx
    >>> derived_or_build(nx.MultiDiGraph(), "x", ["1"], ".npz",
    ...                  read=lambda p: None, build=lambda: 42, save=lambda p, v: None)
    42
    """
    path = derived_path(G, stem, parts, suffix)
    if path is not None and path.is_file():
        found = read(path)
        if found is not None:
            return found
    built = build()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            save(path, built)
        except OSError:
            pass  # a read-only cache folder: rebuilt next time, nothing else lost
    return built


def derived_file(folder: Path, content: str, stem: str, parts: Sequence[str],
                 suffix: str, keep: int = KEEP_CACHES) -> Path:
    """:func:`derived_path` for a graph known by its cache folder and content key (the key
    :func:`cache_slot` gives) rather than by the graph itself: the same name, the same
    pruning (``keep`` files of the stem, most recently written first)."""
    h = hashlib.sha256(content.encode())
    for part in parts:
        h.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    path = folder / f"{stem}-{h.hexdigest()[:40]}{suffix}"
    if folder.is_dir():
        _prune(folder, path, f"{stem}-*{suffix}", keep)
    return path


def cache_slot(paths: Sequence[str], cache_dir: Path | None = None) -> tuple[Path, str]:
    """The cache folder and the content key :func:`load_graph` would use for ``paths``,
    without loading anything; the folder is swept of what killed writers left, as by
    :func:`load_graph`."""
    folder = cache_dir or default_cache_dir()
    _sweep(folder)
    return folder, cache_key(paths, default_aliases_path(), folder)


def _sweep(folder: Path) -> None:
    """Remove what processes killed while writing the cache left: temporary files of dead
    owners, and those named before owner tags (``.graph-….json.<random>.tmp``) once an
    hour old (no write takes that long)."""
    sweep(folder, temp_files())
    now = time.time()
    for old in folder.glob(".graph-*.json.*.tmp"):
        with contextlib.suppress(OSError):
            if (temp_files().fullmatch(old.name) is None
                    and now - old.stat().st_mtime > _LEGACY_TMP_SECONDS):
                old.unlink()


def _write_cache(folder: Path, target: Path, payload: dict[str, Any]) -> str | None:
    """Write the cache file; ``None``, or the one-line reason it could not be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(target, _dump(payload))
    except OSError as exc:
        # A read-only checkout still works, only slower: every command rebuilds.
        reason = exc.strerror or str(exc)
        return (f"cannot write the cache in {shown(str(folder))}: {reason}; working without"
                f" a cache (set {ENV_CACHE} to a writable folder)")
    _prune(folder, target)
    return None


def load_graph(
    paths: Sequence[str], *, use_cache: bool = True, cache_dir: Path | None = None
) -> Loaded:
    """Load the standards in ``paths``, apply the aliases, build the graph; use the cache.

    Parameters
    ----------
    paths : standard files or folders (as for :func:`loaders.corpus.load_corpus`).
    use_cache : read a fresh cache when there is one; the cache is (re)written either way.
    cache_dir : where cache files live (default :func:`default_cache_dir`).

    Returns
    -------
    Loaded : the graph, the loader's warnings and failures, whether it came from the
    cache, the input files (named as the loader names them) and, in ``notices``, why
    the cache could not be written (the graph is then built but not kept).

    Raises
    ------
    AliasError : the aliases file is invalid.
    """
    from graph.build import build_graph
    from loaders.corpus import load_corpus

    aliases_path = default_aliases_path()
    folder = cache_dir or default_cache_dir()
    _sweep(folder)
    key = cache_key(paths, aliases_path, folder)
    target = folder / f"graph-{key[:40]}.json"
    if use_cache:
        cached = _from_cache(target, key)
        if cached is not None:
            cached.graph.graph["content_key"] = key
            _FOLDER_OF[cached.graph] = folder
            return cached

    aliases = read_aliases(aliases_path)
    corpus = load_corpus(list(paths))
    graph = build_graph(corpus.standards, aliases)
    files = tuple(f.name for f in expand(paths))
    extra = {"key": key, "files": list(files), "warnings": _rows(corpus.warnings),
             "failures": _rows(corpus.failures)}
    problem = _write_cache(folder, target, _payload(graph, "adjacency", extra))
    # Lets derived caches (the Cypher engine's snapshot) key themselves on the inputs.
    graph.graph["content_key"] = key
    _FOLDER_OF[graph] = folder
    return Loaded(graph, corpus.warnings, corpus.failures, False, files,
                  () if problem is None else (problem,))
