"""The differential Cypher corpus: every read query of ``fixtures/differential/queries.cypher``
runs on the embedded engine (through the console's rewrites) and must give Neo4j 5.26's
answer, recorded in ``expected-neo4j.json`` by ``tests/differential/record.py``; a query
marked ``refused`` must be refused with one line instead. The live test re-checks the
recordings against a running Neo4j when the ``neo4j_live`` fixture is available.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import graphs
import pytest
from conftest import CORPUS
from differential.corpus import Case, cases, fingerprint, load_expected, same

from cypher.embedded.engine import CypherEngine
from loaders.errors import QueryError

CASES = cases()
EXPECTED = load_expected()


@pytest.fixture(scope="module")
def seeds_engine() -> Iterator[CypherEngine]:
    with CypherEngine.from_graph(graphs.seeds()) as engine:
        yield engine


@pytest.fixture(scope="module")
def corpus_engine() -> Iterator[CypherEngine]:
    if not CORPUS.is_dir():
        pytest.skip("../shared/icap-corpus is absent")
    with CypherEngine.from_graph(graphs.corpus(str(CORPUS))) as engine:
        yield engine


def _engine(case: Case, request: pytest.FixtureRequest) -> CypherEngine:
    name = "seeds_engine" if case.graph == "seeds" else "corpus_engine"
    engine: CypherEngine = request.getfixturevalue(name)
    return engine


def test_the_corpus_is_large_and_varied() -> None:
    assert len(CASES) >= 150
    prefixes = {c.name[0] for c in CASES}
    # multi-hop, var-length, optional, with, call, exists/count, unwind, distinct, order,
    # paths, strings, lists, numbers, parameters, CJK, misc, refusals, corpus
    assert len(prefixes) >= 15
    assert any(c.params for c in CASES) and any(c.ordered for c in CASES)


def test_every_case_has_a_recording_of_its_current_text() -> None:
    recorded = EXPECTED["queries"]
    assert EXPECTED["neo4j_version"].startswith("Neo4j/5.26")
    for case in CASES:
        assert case.name in recorded, f"{case.name} was never run on Neo4j"
        assert recorded[case.name]["query"] == case.query, f"{case.name} changed since recorded"
        assert recorded[case.name]["params"] == case.params


def _reference(case: Case, request: pytest.FixtureRequest) -> dict[str, Any]:
    """Neo4j's answer to ``case``: asked live for a corpus case when the test server is
    there (the corpus graph changes whenever a loader does), else the recording, which
    holds only for a graph of the recorded size."""
    if case.graph == "seeds":
        return dict(EXPECTED["queries"][case.name])
    G = graphs.corpus(str(CORPUS))
    live = _live_or_none(request)
    if live is not None:
        from differential.record import neo4j_answers

        live.load(G)
        return dict(neo4j_answers(live.driver, "corpus", live.database, only=case.name)[case.name])
    recorded = EXPECTED.get("graphs", {}).get("corpus")
    if recorded != fingerprint(G):
        pytest.skip(f"the recordings are of a corpus graph of {recorded} nodes/relationships, "
                    f"this one has {fingerprint(G)}; re-record (tests/differential/record.py "
                    "--corpus) or run with the Neo4j test server")
    return dict(EXPECTED["queries"][case.name])


def _live_or_none(request: pytest.FixtureRequest) -> Any:
    try:
        return request.getfixturevalue("neo4j_live")
    except pytest.FixtureLookupError:
        return None
    except pytest.skip.Exception:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            raise
        return None


@pytest.mark.parametrize("case", [c for c in CASES if c.graph == "seeds"] + [
    pytest.param(c, marks=pytest.mark.corpus) for c in CASES if c.graph == "corpus"
], ids=lambda c: f"{c.name}-{c.what}")  # fmt: skip
def test_embedded_engine_answers_as_neo4j(case: Case, request: pytest.FixtureRequest) -> None:
    engine = _engine(case, request)
    want = _reference(case, request)
    if case.refused or "error" in want:
        # A documented refusal, or a query Neo4j rejects too: one line, never rows.
        with pytest.raises(QueryError, match="refuses" if case.refused else ""):
            engine.run(case.query, case.params, timeout=60)
        return
    got = engine.run(case.query, case.params, timeout=60)
    assert same(got.columns, got.rows, want["columns"], want["rows"], ordered=case.ordered), (
        f"{case.name}: embedded {got.columns} {got.rows[:8]} != Neo4j {want['columns']} "
        f"{want['rows'][:8]}"
    )


def _live(request: pytest.FixtureRequest) -> Any:
    try:
        return request.getfixturevalue("neo4j_live")
    except pytest.FixtureLookupError:
        pytest.skip("no neo4j_live fixture (the Neo4j test server of tests/neo4j_server)")


@pytest.mark.parametrize("graph", ["seeds", pytest.param("corpus", marks=pytest.mark.corpus)])
def test_recordings_are_neo4js_answers(graph: str, request: pytest.FixtureRequest) -> None:
    live = _live(request)
    if graph == "corpus" and not CORPUS.is_dir():
        pytest.skip("../shared/icap-corpus is absent")
    from differential.record import neo4j_answers

    if graph == "corpus" and EXPECTED.get("graphs", {}).get("corpus") != fingerprint(
            graphs.corpus(str(CORPUS))):
        pytest.skip("the corpus recordings are of another corpus graph: the corpus cases are "
                    "checked live against Neo4j instead (test_embedded_engine_answers_as_neo4j)")
    live.load(graphs.seeds() if graph == "seeds" else graphs.corpus(str(CORPUS)))
    answers = neo4j_answers(live.driver, graph, live.database)
    for name, answer in answers.items():
        want = EXPECTED["queries"][name]
        if "error" in want or "error" in answer:
            assert answer.get("error") == want.get("error"), name
            continue
        ordered = next(c.ordered for c in CASES if c.name == name)
        assert same(answer["columns"], answer["rows"], want["columns"], want["rows"],
                    ordered=ordered), name  # fmt: skip
