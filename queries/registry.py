"""The named queries as data: name → summary, typed parameters, Python function, Cypher
text, result type and command-line name.

Every front end reads :data:`NAMED_QUERIES` and none keeps a copy: the CLI generates one
subcommand per query that has a ``command`` (its arguments from the parameters) and runs
any of them with ``icapgraph run NAME --param name=value``; ``icapgraph queries --json``
lists them; the app builds its parameter forms from the same declarations; the Cypher
console, ``icapgraph cypher`` and ``icapgraph neo4j query`` run the Cypher texts
(:mod:`cypher.named`). Adding a query is its module plus one entry in :data:`_DECLARED`.

A ``.cypher`` file with no entry here is a Cypher-only named query; its summary is its
first ``//`` comment line and its parameters are the ``$names`` it uses (strings).

Examples
--------
>>> sorted(NAMED_QUERIES)[:3]
['clusters', 'gap', 'hubs']
>>> NAMED_QUERIES["gap"].parameters[0].name
'source'
>>> [p.name for p in NAMED_QUERIES["hubs"].cypher_parameters]
['top']
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
from queries.communities import Cluster, Hub, clusters, hubs
from queries.gap import GapResult, gap
from queries.matrix import PairwiseResult, pairwise
from queries.occupations import Requirement, requirements
from queries.overlap import OverlapResult, overlap
from queries.params import Param, bind
from queries.paths import PathsResult, paths
from queries.transitions import TransitionsResult, transitions

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A named query: ``function(G, **params)`` and/or its Cypher text.

    Attributes
    ----------
    name : its name (``icapgraph run NAME``, ``queries/cypher`` file stem).
    summary, title : one English line and its Chinese title.
    parameters : the declared parameters, in order.
    function : the Python function, or None for a Cypher-only query.
    cypher : the Cypher text, or None when Cypher cannot express it.
    result : the type of what ``function`` returns (a TypedDict, or a list of one).
    command : the CLI subcommand generated for it (None: only ``icapgraph run``).
    """

    name: str
    summary: str
    title: str
    parameters: tuple[Param, ...]
    function: Callable[..., Any] | None
    cypher: str | None
    result: Any = None
    command: str | None = None

    @property
    def cypher_parameters(self) -> tuple[Param, ...]:
        """The parameters its Cypher text uses (``$name``), in declaration order."""
        used = set(_PARAM.findall(self.cypher or ""))
        return tuple(p for p in self.parameters if p.name in used)

    def to_json(self) -> dict[str, Any]:
        """The ``icapgraph queries --json`` entry."""
        return {"name": self.name, "summary": self.summary, "title": self.title,
                "command": self.command,
                "parameters": [_param_json(p) for p in self.parameters],
                "cypher": self.cypher}


def _param_json(p: Param) -> dict[str, Any]:
    out: dict[str, Any] = {"name": p.name, "type": p.type, "help": p.help, "label": p.label,
                           "default": p.default,
                           "required": p.required}
    for key, value in (("minimum", p.minimum), ("maximum", p.maximum),
                       ("choices", list(p.choices) or None), ("role", p.role or None)):
        if value is not None:
            out[key] = value
    return out


def _occupation(name: str, help_: str, label: str, **more: Any) -> Param:
    return Param(name, "string", help_, label, required=True, role="occupation",
                 positional=True, **more)


_SOURCE = _occupation("source", "the occupation someone comes from (code or name)", "目前職業")
_TARGET = _occupation("target", "the occupation they aim for (code or name)", "目標職業")

#: The queries with a Python function: (name, summary, Chinese title, parameters, function,
#: result type, CLI command).
_DECLARED: tuple[tuple[str, str, str, tuple[Param, ...], Callable[..., Any], Any, str | None],
                 ...] = (
    ("overlap", "Items two or more occupations share (identical, alias, similar), scored",
     "共同的職能",
     (Param("codes", "array", "two or more occupation codes or names", "職業（兩個以上）",
            required=True, role="occupation", positional=True),),
     overlap, OverlapResult, "overlap"),
    ("gap", "What the target requires that the source lacks, most important first",
     "職能落差", (_SOURCE, _TARGET), gap, GapResult, "gap"),
    ("transitions", "Best next occupations from one, by how much of each it covers",
     "轉職方向",
     (_occupation("source", "one or more occupation codes or names (one list each)",
                  "目前職業", several=True),
      Param("top", "integer", "how many targets", "顯示筆數", default=10, minimum=1,
            maximum=1000)),
     transitions, TransitionsResult, "transitions"),
    ("paths", "The k cheapest routes between two occupations through others", "轉職路徑",
     (_SOURCE, _TARGET,
      Param("k", "integer", "how many routes", "路徑數", default=3, minimum=1, maximum=100)),
     paths, PathsResult, "path"),
    ("hubs", "The most transferable items: used by the most occupations and tasks",
     "最可轉移的職能",
     (Param("top", "integer", "how many items", "顯示筆數", default=20, minimum=1,
            maximum=100_000),
      Param("kind", "string", "only items of this kind", "類別", default=None,
            choices=("knowledge", "skill", "attitude"), role="kind")),
     hubs, list[Hub], "hubs"),
    ("clusters", "Communities of occupations sharing competencies (Louvain)", "職業群集",
     (Param("resolution", "number", "Louvain resolution; larger gives smaller clusters",
            "群集細緻度", default=1.0, positive=True, maximum=100.0),),
     clusters, list[Cluster], "clusters"),
    ("pairwise", "Pairwise IDF-weighted overlap matrix of occupations", "兩兩相似度",
     (Param("codes", "array", "occupation codes (default: every current occupation)",
            "職業", default=None, role="occupation", positional=True),),
     pairwise, PairwiseResult, "pairwise"),
    ("requirements", "Everything one occupation requires, with the tasks using it",
     "職業的全部要求",
     (_occupation("occupation", "an occupation code or name", "職業"),),
     requirements, list[Requirement], "requirements"),
)

#: Labels of the Cypher-only queries' parameters (their names come from the text).
_CYPHER_ONLY: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {
    "search": ("名稱搜尋", {"text": ("the text a name contains", "搜尋文字")}),
    "occupations_using": ("需要某項職能的職業",
                          {"item": ("an item's exact name", "職能名稱")}),
}


def _cypher_only(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8").strip() + "\n"
    comments = [ln.strip()[2:].strip() for ln in text.splitlines() if ln.strip().startswith("//")]
    title, labels = _CYPHER_ONLY.get(path.stem, (path.stem, {}))
    params = tuple(
        Param(n, "string", labels.get(n, ("", n))[0], labels.get(n, ("", n))[1], required=True)
        for n in dict.fromkeys(_PARAM.findall(text)))
    return NamedQuery(path.stem, comments[0] if comments else path.stem, title, params, None,
                      text)


def _build() -> dict[str, NamedQuery]:
    out = {name: NamedQuery(name, summary, title, params, fn, named_text(name), result, cmd)
           for name, summary, title, params, fn, result, cmd in _DECLARED}
    for path in named_files():
        out.setdefault(path.stem, _cypher_only(path))
    return dict(sorted(out.items()))


#: Every named query, by name.
NAMED_QUERIES: Mapping[str, NamedQuery] = _build()


def get_query(name: str) -> NamedQuery:
    """The named query ``name``.

    Raises
    ------
    UnknownKey
        No such query (the message lists the valid names).

    Examples
    --------
    >>> get_query("hubs").function is hubs
    True
    """
    try:
        return NAMED_QUERIES[name]
    except KeyError:
        raise UnknownKey("named query", name, NAMED_QUERIES) from None


def run_query(G: nx.MultiDiGraph, name: str, params: Mapping[str, Any] | None = None) -> Any:
    """Run the Python function of a named query with checked keyword parameters.

    Parameters
    ----------
    G : the competency graph.
    name : a key of :data:`NAMED_QUERIES`.
    params : the parameters by name; missing optional ones take their defaults.

    Returns
    -------
    What the query's function returns (its declared ``result`` type).

    Raises
    ------
    UnknownKey
        No such query.
    QueryError
        A Cypher-only query, an unknown, missing or out-of-range parameter.

    Examples
    --------
    >>> from queries.sample import sample_graph
    >>> run_query(sample_graph(), "hubs", {"top": 1})[0]["name"]
    '溝通協調能力'
    """
    query = get_query(name)
    if query.function is None:
        raise QueryError(f"named query {name!r} exists only as Cypher; run it with "
                         "`icapgraph cypher` or `icapgraph run`")
    return query.function(G, **bind(query.parameters, dict(params or {}),
                                    f"named query {name!r}"))


__all__ = ["NAMED_QUERIES", "NamedQuery", "Param", "get_query", "run_query"]
