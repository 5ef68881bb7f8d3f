"""The named queries as data: name → summary, parameters, Python function, Cypher text.

A query's Cypher text, when Cypher can express it, lives in ``cypher/named/<name>.cypher``
(one place, read by the CLI, the app's console and the Neo4j tools) with its parameters
written ``$name``. A ``.cypher`` file with no Python function beside it is a Cypher-only
named query; its summary is its first ``//`` comment line and its parameters are the
``$names`` it uses.

>>> sorted(NAMED_QUERIES)[:3]
['clusters', 'gap', 'hubs']
>>> NAMED_QUERIES["gap"].parameters[0].name
'source'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from cypher.named import named_files, named_text
from loaders.errors import QueryError, UnknownKey
from queries.communities import clusters, hubs
from queries.gap import gap
from queries.matrix import pairwise
from queries.occupations import requirements
from queries.overlap import overlap
from queries.paths import paths
from queries.transitions import transitions

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True, slots=True)
class Parameter:
    """One parameter of a named query; ``type`` is a JSON type name."""

    name: str
    type: str
    help: str
    default: Any = None
    required: bool = True


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A named query: ``function(G, **params)`` and/or its Cypher text."""

    name: str
    summary: str
    parameters: tuple[Parameter, ...]
    function: Callable[..., Any] | None
    cypher: str | None

    def to_json(self) -> dict[str, Any]:
        """The ``icapgraph queries --json`` entry."""
        return {"name": self.name, "summary": self.summary,
                "parameters": [{"name": p.name, "type": p.type, "help": p.help,
                                "default": p.default, "required": p.required}
                               for p in self.parameters],
                "cypher": self.cypher}


_REQUIRED = object()


def _p(name: str, type_: str, help_: str, default: Any = _REQUIRED) -> Parameter:
    if default is _REQUIRED:
        return Parameter(name, type_, help_, None, True)
    return Parameter(name, type_, help_, default, False)


_OCC = "an occupation code or name"
_PYTHON: tuple[tuple[str, str, tuple[Parameter, ...], Callable[..., Any]], ...] = (
    ("overlap", "Items two or more occupations share (identical, alias, similar), scored",
     (_p("codes", "array", "two or more occupation codes"),), overlap),
    ("gap", "What the target requires that the source lacks, most important first",
     (_p("source", "string", _OCC), _p("target", "string", _OCC)), gap),
    ("transitions", "Best next occupations from one, by how much of each it covers",
     (_p("source", "string", _OCC), _p("top", "integer", "how many targets", 10)),
     transitions),
    ("paths", "The k cheapest routes between two occupations through others",
     (_p("source", "string", _OCC), _p("target", "string", _OCC),
      _p("k", "integer", "how many routes", 3)), paths),
    ("hubs", "The most transferable items: used by the most occupations and tasks",
     # Only the parameters its Cypher text has too: runners of the text (the Neo4j and
     # cypher commands) ask for every declared parameter.
     (_p("top", "integer", "how many items", 20),), hubs),
    ("clusters", "Communities of occupations sharing competencies (Louvain)",
     (_p("resolution", "number", "Louvain resolution", 1.0),), clusters),
    ("pairwise", "Pairwise IDF-weighted overlap matrix of occupations",
     (_p("codes", "array", "occupation codes (all current ones when null)", None),),
     pairwise),
    ("requirements", "Everything one occupation requires, with the tasks using it",
     (_p("occupation", "string", _OCC),), requirements),
)


def _cypher_only(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8").strip() + "\n"
    comments = [ln.strip()[2:].strip() for ln in text.splitlines() if ln.strip().startswith("//")]
    names = dict.fromkeys(_PARAM.findall(text))
    params = tuple(Parameter(n, "string", "", None, True) for n in names)
    return NamedQuery(path.stem, comments[0] if comments else path.stem, params, None, text)


def _build() -> dict[str, NamedQuery]:
    out = {name: NamedQuery(name, summary, params, fn, named_text(name))
           for name, summary, params, fn in _PYTHON}
    for path in named_files():
        out.setdefault(path.stem, _cypher_only(path))
    return dict(sorted(out.items()))


#: Every named query, by name.
NAMED_QUERIES: dict[str, NamedQuery] = _build()


def get_query(name: str) -> NamedQuery:
    """The named query ``name``.

    Raises:
        UnknownKey: no such query (the message lists the valid names).

    >>> get_query("hubs").function is hubs
    True
    """
    try:
        return NAMED_QUERIES[name]
    except KeyError:
        raise UnknownKey("named query", name, NAMED_QUERIES) from None


def run_query(G: nx.MultiDiGraph, name: str, params: Mapping[str, Any] | None = None) -> Any:
    """Run the Python function of a named query with keyword parameters.

    Raises:
        UnknownKey: no such query.
        QueryError: a Cypher-only query, a missing or an unknown parameter.

    >>> from queries.sample import sample_graph
    >>> run_query(sample_graph(), "hubs", {"top": 1})[0]["name"]
    '溝通協調能力'
    """
    query = get_query(name)
    if query.function is None:
        raise QueryError(f"named query {name!r} exists only as Cypher; run it with "
                         "`icapgraph cypher`")
    given = dict(params or {})
    known = {p.name for p in query.parameters}
    unknown = sorted(set(given) - known)
    if unknown:
        raise QueryError(f"named query {name!r} has no parameter {unknown[0]!r}; "
                         f"its parameters: {', '.join(sorted(known)) or 'none'}")
    missing = [p.name for p in query.parameters if p.required and p.name not in given]
    if missing:
        raise QueryError(f"named query {name!r} needs parameter {missing[0]!r}")
    return query.function(G, **given)
