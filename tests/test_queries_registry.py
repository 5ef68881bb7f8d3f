"""The named-query registry: Python functions, Cypher texts from cypher/named/, errors."""

from __future__ import annotations

import re

import pytest
from graphs import sample, seeds

from cypher.named import NAMED_DIR as CYPHER_DIR
from loaders.errors import QueryError, UnknownKey
from queries.gap import gap
from queries.registry import NAMED_QUERIES, get_query, run_query


def test_every_python_query_is_registered_with_its_parameters() -> None:
    for name in ("overlap", "gap", "transitions", "paths", "hubs", "clusters", "pairwise",
                 "requirements"):
        assert NAMED_QUERIES[name].function is not None
    assert [p.name for p in NAMED_QUERIES["paths"].parameters] == ["source", "target", "k"]
    assert NAMED_QUERIES["paths"].parameters[2].default == 3


def test_cypher_texts_come_from_their_files() -> None:
    for path in CYPHER_DIR.glob("*.cypher"):
        query = NAMED_QUERIES[path.stem]
        assert query.cypher == path.read_text(encoding="utf-8").strip() + "\n"
        # Every $parameter of the text is a declared parameter of the query.
        used = set(re.findall(r"\$(\w+)", query.cypher))
        assert used <= {p.name for p in query.parameters}, path.name
    for query in NAMED_QUERIES.values():
        if not (CYPHER_DIR / f"{query.name}.cypher").exists():
            assert query.cypher is None


def test_run_query_passes_keyword_parameters() -> None:
    assert run_query(seeds(), "gap", {"source": "IDC3339-001v2", "target": "IDC5294-001v2"}) \
        == gap(seeds(), "IDC3339-001v2", "IDC5294-001v2")
    assert len(run_query(sample(), "transitions", {"source": "AAA1111-001v2", "top": 1})
               ["targets"]) == 1


def test_errors() -> None:
    with pytest.raises(UnknownKey, match=r"choose one of: .*gap"):
        get_query("nope")
    with pytest.raises(QueryError, match="needs parameter 'target'"):
        run_query(sample(), "gap", {"source": "AAA1111-001v2"})
    with pytest.raises(QueryError, match="no parameter 'colour'"):
        run_query(sample(), "hubs", {"colour": 1})


def test_to_json_shape() -> None:
    entry = NAMED_QUERIES["gap"].to_json()
    assert {"name", "summary", "parameters", "cypher"} <= set(entry)
    assert entry["parameters"][0] == {
        "name": "source", "type": "string",
        "help": "the occupation someone comes from (code or name)", "label": "目前職業",
        "default": None, "required": True, "role": "occupation"}
    top = NAMED_QUERIES["transitions"].to_json()["parameters"][1]
    assert (top["default"], top["minimum"], top["maximum"], top["required"]) == (10, 1, 1000, False)
