"""The openCypher TCK's read-only scenarios on the embedded engine, through the console.

The TCK (``org.opencypher:tck``, Maven Central) is fetched by ``python3 dev.py test`` into the
local Maven repository; without it (no Maven here) these tests skip, except under
``CI=true``. Every scenario must pass or be refused (one line); the few the console still
answers differently from the TCK are listed in ``WARNED`` with the reason: the console
warns on those shapes (``Rewritten.warnings``), so none is silently wrong. Per-folder counts:
``benchmarks/tck_report.py``.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from tck import runner
from tck.gherkin import scenarios

from cypher.embedded.engine import CypherEngine

#: (feature, scenario-name prefix) answered differently with a warning, and why.
WARNED: dict[tuple[str, str], str] = {
    ("clauses/return-orderby/ReturnOrderBy1.feature", "[12]"):
        "NaN sorts below the other numbers on the engine, above them on Neo4j; the product "
        "never stores NaN (the loader drops non-finite numbers), only a query computing "
        "0.0 / 0.0 meets it, and the console warns when a query may order one",
    ("expressions/temporal/Temporal5.feature", "[1]"):
        "the scenario's graph holds dates, which the product never stores (dates stay text; "
        "the console refuses temporal functions and warns on .year-like components)",
    ("expressions/temporal/Temporal5.feature", "[5]"):
        "the scenario's graph holds date-times, which the product never stores (as above)",
}


def _jar_or_skip() -> None:
    if not runner.JAR.is_file():
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"the openCypher TCK is missing in CI: {runner.JAR}", pytrace=False)
        pytest.skip(f"the openCypher TCK is not fetched ({runner.JAR}); run python3 dev.py test")


def test_scenario_reader_expands_outlines_and_reads_errors() -> None:
    text = """Feature: F
  Background:
    Given any graph
  Scenario Outline: [2] o
    When executing query:
      \"\"\"
      RETURN <x> AS x
      \"\"\"
    Then a SyntaxError should be raised at compile time: <e>
    Examples:
      | x | e |
      | a | UndefinedVariable |
      | 1 | InvalidArgument \\| x |
"""
    found = scenarios(text, "f/F.feature")
    assert [s.query for s in found] == ["RETURN a AS x", "RETURN 1 AS x"]
    assert found[0].error == "SyntaxError at compile time: UndefinedVariable"
    assert found[0].graph == "any" and found[0].folder == "f"


@pytest.fixture(scope="module")
def outcomes() -> Iterator[dict[tuple[str, str], runner.Outcome]]:
    _jar_or_skip()
    found, graphs = runner.load()
    out: dict[tuple[str, str], runner.Outcome] = {}
    with CypherEngine.empty() as engine:

        def execute(query: str, params: dict[str, Any]
                    ) -> tuple[list[str], list[list[Any]], tuple[str, ...]]:
            result = engine.run_raw(query, params, timeout=5.0)
            return result.columns, result.rows, result.warnings

        def harness(statement: str) -> None:
            engine.run_write(statement)  # the set-up, never through the console

        for sc in found:
            if runner.read_only(sc):
                engine.clear()
                out[(sc.feature, sc.name)] = runner.run(sc, harness, execute, graphs)
    yield out


def test_tck_read_scenarios_are_all_read(outcomes: dict[tuple[str, str], runner.Outcome]) -> None:
    assert len(outcomes) >= 3400
    kinds = Counter(o.kind for o in outcomes.values())
    assert kinds["pass"] >= 2300


def test_no_tck_scenario_is_silently_wrong(
    outcomes: dict[tuple[str, str], runner.Outcome],
) -> None:
    wrong = {k: o.detail for k, o in outcomes.items() if o.kind == "wrong"}
    assert not wrong, "\n".join(f"{f} {n}: {d[:160]}" for (f, n), d in wrong.items())


def test_every_different_answer_is_warned_and_known(
    outcomes: dict[tuple[str, str], runner.Outcome],
) -> None:
    warned = {k for k, o in outcomes.items() if o.kind == "warned"}
    known = {k for k in warned if any(k[0] == f and k[1].startswith(p) for f, p in WARNED)}
    assert warned == known, sorted(warned - known)
    assert len(warned) == len(WARNED)
