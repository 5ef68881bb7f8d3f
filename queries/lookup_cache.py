"""The lookup cache: what lookup commands read instead of rebuilding the graph.

A lookup (``item``, ``search``, ``stats``, ``overlap``, ``gap``, ``transitions``, ``requirements``,
``cypher`` on a warm engine snapshot) needs a sliver of the graph and the values the queries
derive from it: the query index (profiles, IDF, similar pairs), the matching model and its
all-pairs task-text cosine, the resolver's name spaces, the search columns, every item's
uses and similar items, the statistics. :func:`write_lookup_cache` keeps exactly those, as
the queries built them from the graph, in one file beside the graph cache
(``lookup-<hash>.bin``, written to a temporary file and renamed); :func:`open_lookup_cache`
gives a :class:`graph.lite.LiteGraph` that the same query functions take in place of the
graph, so a lookup prints the same bytes without materialising the graph.

The file's name and contents are keyed by the graph cache's key (the inputs' contents, the
aliases, the ``graph`` and ``loaders`` code) and :func:`fingerprint`: this file format, the
sources of every package whose code decides what is kept, and the installed numerical
libraries (a new scipy may sum in another order). A file of another key, version or layout
is not read; a damaged part is found when it is read (SHA-256 per part) and the command then
answers from the graph and writes the file anew (:meth:`cli.context.Context.lookup`).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graph.aliases import Alias
from graph.codec import Encoder
from graph.lite import LiteGraph, graph_meta, graph_values
from graph.sections import SectionFile, write_sections
from graph.store import derived_file
from loaders.errors import CacheError
from loaders.records import LoadWarning

if TYPE_CHECKING:
    import networkx as nx

FORMAT = "icapgraph-lookup"
#: Bump when what is kept changes in a way the sources' hash cannot see.
VERSION = "1"
STEM, SUFFIX = "lookup", ".bin"
#: How many lookup caches a cache folder keeps (one per data set and code version in use).
KEEP = 4
_ROOT = Path(__file__).resolve().parent.parent
#: The packages whose code decides what the file holds.
_SOURCES = ("graph", "loaders", "queries", "cypher/embedded")
#: Libraries whose version may change a number the queries compute.
_LIBRARIES = ("numpy", "scipy", "networkx", "opencc", "msgspec")
#: Dataclass fields that are caches, not data (:class:`queries.index.Index`'s
#: ``extra`` and ``stored``, :class:`queries.matching.Model`'s ``partners``, ``partner_ids``
#: and ``needs``, :class:`queries.name_similarity.NamePairs`'s ``_found``).
TRANSIENT = frozenset({"extra", "stored", "partners", "partner_ids", "needs", "_found"})
#: The derived values of the query index kept (``resolve:…`` keys too: the resolver).
_DERIVED = frozenset({"matching", "task_cosine"})


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """A hash of :data:`VERSION`, the sources of :data:`_SOURCES` and the files of the
    installed :data:`_LIBRARIES` (path, size, modification time of their ``__init__``)."""
    h = hashlib.sha256(f"{FORMAT} {VERSION}".encode())
    for package in _SOURCES:
        for src in sorted((_ROOT / package).glob("*.py")):
            h.update(b"\0" + src.name.encode() + b"\0" + src.read_bytes())
    for name in _LIBRARIES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin is None:
            h.update(f"\0{name} absent".encode())
            continue
        info = os.stat(origin)
        h.update(f"\0{name} {origin} {info.st_size} {info.st_mtime_ns}".encode())
    return h.hexdigest()


def lookup_path(folder: Path, content_key: str) -> Path:
    """Where the lookup cache of the graph with ``content_key`` lives in ``folder`` (all
    but the :data:`KEEP` most recently written are removed: ~90 MB each on the corpus)."""
    return derived_file(folder, content_key, STEM, [fingerprint()], SUFFIX, KEEP)


def lookup_values(G: nx.MultiDiGraph, aliases: Sequence[Alias]) -> dict[str, object]:
    """Everything a lookup reads of ``G``, by name (built here when not built yet)."""
    from graph.lookup import lookup_values as lookup_parts
    from queries.index import DERIVED_PREFIX, INDEX_KEY, index
    from queries.matching import model, task_cosine_all
    from queries.resolve import SPACES_KEY, name_spaces, resolver_index

    idx = index(G)
    task_cosine_all(G, model(G).text)
    resolver_index(G, aliases)
    name_spaces(G)
    values = {**graph_values(G), **lookup_parts(G), INDEX_KEY: idx}
    values.update({DERIVED_PREFIX + key: value for key, value in idx.extra.items()
                   if key in _DERIVED | {SPACES_KEY} or key.startswith("resolve:")})
    return values


def _rows(warnings: Sequence[LoadWarning]) -> list[list[Any]]:
    return [[w.path, w.line, w.message] for w in warnings]


def write_lookup_cache(G: nx.MultiDiGraph, path: Path, *, aliases: Sequence[Alias],
                       files: Sequence[str], failures: Sequence[LoadWarning]) -> None:
    """Write the lookup cache of ``G`` (a graph from :func:`graph.store.load_graph`) to
    ``path`` atomically; ``files`` and ``failures`` are what loading it reported.

    Raises
    ------
    OSError : the file cannot be written (nothing is left behind).
    TypeError : a value the queries derived cannot be kept (a bug, not bad input).
    """
    encoder = Encoder(TRANSIENT)
    for name, value in lookup_values(G, aliases).items():
        encoder.add(name, value)
    meta = {"format": FORMAT, "version": VERSION, "key": G.graph.get("content_key"),
            "fingerprint": fingerprint(), **graph_meta(G), "files": list(files),
            "failures": _rows(failures), **encoder.meta()}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_sections(path, meta, encoder.sections)


def open_lookup_cache(path: Path, content_key: str,
                      full: Callable[[], nx.MultiDiGraph] | None = None) -> LiteGraph | None:
    """The :class:`LiteGraph` of the lookup cache at ``path`` when it is there, sound and
    for this ``content_key`` and code; else None. ``full`` loads the whole graph for what
    needs it."""
    try:
        file = SectionFile(path)
    except CacheError:
        return None
    meta = file.meta
    if (meta.get("format") != FORMAT or meta.get("version") != VERSION
            or meta.get("key") != content_key or meta.get("fingerprint") != fingerprint()):
        file.close()
        return None
    try:
        return LiteGraph(file, full)
    except (KeyError, TypeError, ValueError):
        file.close()
        return None


def load_report(G: LiteGraph) -> tuple[tuple[str, ...], tuple[LoadWarning, ...]]:
    """The input files and the load failures kept with a lookup cache (as loading the
    graph reported them).

    Raises
    ------
    CacheError : they are not as :func:`write_lookup_cache` writes them.
    """
    meta = G.file.meta
    try:
        files = tuple(str(f) for f in meta["files"])
        failures = tuple(LoadWarning(str(p), int(line), str(msg))
                         for p, line, msg in meta["failures"])
    except (KeyError, TypeError, ValueError) as exc:
        raise CacheError(f"{G.file.path}: unreadable load report: {exc}") from exc
    return files, failures
