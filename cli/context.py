"""What every command gets: the data paths, the output mode, and lazy access to the graph."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from loaders.errors import ParseError
from loaders.sources import shown

if TYPE_CHECKING:
    import networkx as nx

    from graph.store import Loaded
    from loaders.records import Corpus, LoadWarning

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
        if not loaded.files or loaded.graph.number_of_nodes() == 0:
            # Answering questions about an empty graph would only mislead.
            if len(loaded.failures) == 1:
                only = loaded.failures[0]
                raise ParseError(only.path, only.line, only.message)
            warn(loaded.failures)
            where = ", ".join(shown(p) for p in self.data)
            failed = f" ({len(loaded.failures)} failed)" if loaded.failures else ""
            raise ParseError(where, None, f"no standard could be loaded{failed}")
        warn(loaded.failures)
        return loaded

    def graph(self) -> nx.MultiDiGraph:
        """The built graph, from the cache when it is fresh (see :meth:`load`)."""
        if self._graph is None:
            self._graph = self.load().graph
        return self._graph

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
