"""What every command gets: the data paths, the output mode, and lazy access to the graph."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from loaders.errors import ParseError

if TYPE_CHECKING:
    import networkx as nx

    from loaders.records import Corpus

DEFAULT_DATA = "data/standards"


def default_data_paths() -> list[str]:
    """``data/standards`` of the working directory, else the one beside this checkout."""
    here = Path(DEFAULT_DATA)
    if here.exists():
        return [str(here)]
    repo = Path(__file__).resolve().parent.parent / DEFAULT_DATA
    return [str(repo)]


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

    def graph(self) -> nx.MultiDiGraph:
        """The built graph, from the cache when it is fresh."""
        if self._graph is None:
            from graph.store import load_graph

            loaded = load_graph(self.data, use_cache=self.use_cache)
            for failure in loaded.failures:
                print(f"icapgraph: warning: {failure}", file=sys.stderr)
            if not loaded.files or loaded.graph.number_of_nodes() == 0:
                # Answering questions about an empty graph would only mislead.
                raise ParseError(", ".join(self.data), None, "no standard could be loaded")
            self._graph = loaded.graph
        return self._graph

    def emit(self, data: Any, text: str | None = None) -> None:
        """Print ``data`` as JSON in ``--json`` mode, else ``text`` (or the JSON, indented)."""
        if self.as_json or text is None:
            json.dump(data, sys.stdout, ensure_ascii=False, indent=None if self.as_json else 2)
            sys.stdout.write("\n")
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
