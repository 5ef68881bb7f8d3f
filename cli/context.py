"""What every command gets: the data paths, the output mode, and lazy access to the graph."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from loaders.errors import CacheError, NotKept, ParseError
from loaders.sources import shown

if TYPE_CHECKING:
    import networkx as nx

    from graph.lite import LiteGraph
    from graph.store import Loaded
    from loaders.records import Corpus, LoadWarning

T = TypeVar("T")

DEFAULT_DATA = "data/standards"


def default_data_paths() -> list[str]:
    """``data/standards`` of the working directory, else the one beside this checkout."""
    here = Path(DEFAULT_DATA)
    if here.exists():
        return [str(here)]
    repo = Path(__file__).resolve().parent.parent / DEFAULT_DATA
    return [str(repo)]


def warn(warnings: Iterable[LoadWarning]) -> None:
    """One ``icapgraph: warning:`` line on stderr per entry."""
    for w in warnings:
        print(f"icapgraph: warning: {w}", file=sys.stderr)


@dataclass
class Context:
    data: list[str]
    as_json: bool
    use_cache: bool = True
    _corpus: Corpus | None = field(default=None, repr=False)
    _graph: nx.MultiDiGraph | None = field(default=None, repr=False)
    _loaded: Loaded | None = field(default=None, repr=False)
    _warned: bool = field(default=False, repr=False)

    def corpus(self) -> Corpus:
        """Load the standards (records) once."""
        if self._corpus is None:
            from loaders.corpus import load_corpus

            self._corpus = load_corpus(self.data)
        return self._corpus

    def load(self, *, use_cache: bool | None = None) -> Loaded:
        """Load the graph (from the cache when fresh and ``use_cache``, default
        :attr:`use_cache`); print one warning line per file that failed and per cache
        problem.

        Raises
        ------
        ParseError : no standard could be loaded. One file that failed is that file's
            own error line (nothing else is printed); several are warnings first.
        """
        from graph.store import load_graph

        loaded = load_graph(self.data, use_cache=self.use_cache if use_cache is None
                            else use_cache)
        for notice in loaded.notices:
            print(f"icapgraph: warning: {notice}", file=sys.stderr)
        self._report(loaded.files, loaded.failures, loaded.graph.number_of_nodes())
        self._loaded = loaded
        return loaded

    def _report(self, files: Sequence[str], failures: Sequence[LoadWarning], nodes: int) -> None:
        """One warning line per file that failed (once per command); ParseError when
        nothing loaded (see :meth:`load`)."""
        if not files or nodes == 0:
            # Answering questions about an empty graph would only mislead.
            if len(failures) == 1:
                only = failures[0]
                raise ParseError(only.path, only.line, only.message)
            warn(failures)
            where = ", ".join(shown(p) for p in self.data)
            failed = f" ({len(failures)} failed)" if failures else ""
            raise ParseError(where, None, f"no standard could be loaded{failed}")
        if not self._warned:
            warn(failures)
            self._warned = True

    def graph(self) -> nx.MultiDiGraph:
        """The built graph, from the cache when it is fresh (see :meth:`load`)."""
        if self._graph is None:
            self._graph = self.load().graph
        return self._graph

    def lookup(self, answer: Callable[[Any], T]) -> T:
        """``answer(G)`` for a lookup command.

        ``G`` is the lookup cache's :class:`graph.lite.LiteGraph` when a sound one exists for
        these inputs and this code (nothing is built), else the built graph, whose lookup
        cache is then written for the next command (:mod:`queries.lookup_cache`). A part of
        the lookup cache found damaged while answering is removed and the answer computed
        from the graph; a question it does not keep (:class:`loaders.errors.NotKept`: the
        edges, say) is answered from the graph and the file left as it is. ``--no-cache``
        bypasses the lookup cache too. ``answer`` must compute only (print nothing): it may
        run twice.
        """
        if self._graph is None and self.use_cache:
            lite = self._open_lookup()
            if lite is not None:
                try:
                    return answer(lite)
                except NotKept:
                    pass  # the file is sound; it just does not hold what this needs
                except CacheError:
                    with contextlib.suppress(OSError):
                        lite.file.path.unlink()
        G = self.graph()
        self.keep_lookup()
        return answer(G)

    def _open_lookup(self) -> LiteGraph | None:
        from graph.store import cache_slot
        from queries.lookup_cache import load_report, lookup_path, open_lookup_cache

        try:
            folder, key = cache_slot(self.data)
            lite = open_lookup_cache(lookup_path(folder, key), key, full=self.graph)
            if lite is None:
                return None
            files, failures = load_report(lite)
        except (CacheError, OSError):
            return None
        self._report(files, failures, lite.number_of_nodes())
        return lite

    def keep_lookup(self, *, force: bool = False) -> None:
        """Write the lookup cache of the graph loaded last, unless there is one already
        (``force``: anyway), the cache is off or could not be written, or the graph is
        empty. A failure to write only means the next lookup builds the graph again."""
        import msgspec

        from graph.aliases import default_aliases_path, read_aliases
        from graph.store import cache_slot
        from queries.lookup_cache import lookup_path, open_lookup_cache, write_lookup_cache

        loaded = self._loaded
        if (loaded is None or not self.use_cache or loaded.notices or not loaded.files
                or loaded.graph.number_of_nodes() == 0):
            return
        try:
            folder, key = cache_slot(self.data)
            if loaded.graph.graph.get("content_key") != key:
                return  # the inputs changed while this command ran
            path = lookup_path(folder, key)
            if not force:
                found = open_lookup_cache(path, key)
                if found is not None:
                    found.file.close()
                    return
            write_lookup_cache(loaded.graph, path, aliases=read_aliases(default_aliases_path()),
                               files=loaded.files, failures=loaded.failures)
        except (OSError, CacheError, TypeError, ValueError, msgspec.EncodeError):
            return

    def emit(self, data: Any, text: str | None = None) -> None:
        """Print ``data`` as JSON in ``--json`` mode, else ``text`` (or the JSON, indented).

        >>> Context(["data/standards"], as_json=True).emit({"名稱": 1}, "ignored")
        {"名稱": 1}
        >>> Context(["data/standards"], as_json=False).emit({}, "純文字")
        純文字
        """
        if self.as_json or text is None:
            json.dump(data, sys.stdout, ensure_ascii=False, indent=None if self.as_json else 2)
            sys.stdout.write("\n")
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
