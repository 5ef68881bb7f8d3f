"""Bounded results of ``icapgraph cypher`` and the engine: at most ``--max-rows`` rows, a
last line (or flag) saying how many more, JSON Lines, and one-line range errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import graphs
import pytest

from cli.main import main
from cypher.embedded.engine import CypherEngine

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ["--data", str(ROOT / "data" / "standards")]
TWENTY_FIVE = "UNWIND range(1, 25) AS i RETURN i"


@pytest.fixture(scope="module")
def engine() -> Iterator[CypherEngine]:
    with CypherEngine.from_graph(graphs.seeds()) as e:
        yield e


def test_engine_returns_the_first_rows_and_counts_the_rest(engine: CypherEngine) -> None:
    result = engine.run(TWENTY_FIVE, max_rows=10)
    assert result.rows == [[i] for i in range(1, 11)]
    assert (result.truncated, result.more) == (True, 15)
    whole = engine.run(TWENTY_FIVE, max_rows=25)
    assert (len(whole.rows), whole.truncated, whole.more) == (25, False, 0)


def test_a_smaller_limit_of_the_query_wins_and_a_parameter_limit_is_read(
    engine: CypherEngine,
) -> None:
    assert engine.run(TWENTY_FIVE + " LIMIT 3", max_rows=10).rows == [[1], [2], [3]]
    result = engine.run(TWENTY_FIVE + " LIMIT $k", {"k": 12}, max_rows=10)
    assert (len(result.rows), result.more) == (10, 2)


def test_a_union_is_cut_after_it_runs(engine: CypherEngine) -> None:
    query = "UNWIND range(1, 5) AS i RETURN i UNION ALL UNWIND range(6, 9) AS i RETURN i"
    result = engine.run(query, max_rows=6)
    assert (len(result.rows), result.truncated, result.more) == (6, True, 3)


def test_table_stops_at_max_rows_with_a_line_saying_how_many_more(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([*SEEDS, "cypher", TWENTY_FIVE, "--max-rows", "10"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-2:] == ["(10 rows)", "… 15 more rows not shown (showing the first 10): add "
                        "LIMIT or raise --max-rows"]


def test_json_is_a_bounded_array_with_a_truncated_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*SEEDS, "cypher", TWENTY_FIVE, "--max-rows", "4", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["columns"] == ["i"] and data["rows"] == [[1], [2], [3], [4]]
    assert data["truncated"] is True and data["more"] == 21


def test_jsonl_streams_a_header_the_rows_and_a_trailer(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([*SEEDS, "cypher", TWENTY_FIVE, "--max-rows", "3", "--jsonl"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert lines == [{"columns": ["i"]}, [1], [2], [3], {"truncated": True, "more": 22}]


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--max-rows", "0", "--max-rows must be between 1 and 1,000,000, not 0"),
    ("--max-rows", "1000001", "--max-rows must be between 1 and 1,000,000, not 1,000,001"),
    ("--timeout", "0", "--timeout must be between 0.001 and 3600, not 0"),
    ("--timeout", "1e300", "--timeout must be between 0.001 and 3600, not 1e+300"),
    ("--timeout", "nan", "--timeout must be between 0.001 and 3600, not nan"),
])  # fmt: skip
def test_numeric_options_out_of_range_are_one_line(
    option: str, value: str, message: str, capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([*SEEDS, "cypher", "RETURN 1", option, value]) == 1
    err = capsys.readouterr().err
    assert err == f"icapgraph: error: {message}\n"


def test_warnings_go_to_stderr_one_line_each(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*SEEDS, "cypher", "RETURN toString(2.5) AS s", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["rows"] == [["2.5"]]
    [line] = captured.err.splitlines()
    assert line.startswith("icapgraph: warning: toString() of a float")


@pytest.mark.parametrize("query", [
    "UNWIND [1.5, 0.0 / 0.0, -2.0] AS x RETURN x ORDER BY x",
    "UNWIND [1.0, -1.0] AS x RETURN max(sqrt(x)) AS m",
])
def test_ordering_what_may_be_nan_is_warned(query: str, capsys: pytest.CaptureFixture[str]) -> None:
    # openCypher TCK ReturnOrderBy1 [12]: the engine sorts NaN below the numbers, Neo4j above.
    assert main([*SEEDS, "cypher", query, "--json"]) == 0
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("icapgraph: warning: NaN (from 0.0 / 0.0")


@pytest.mark.parametrize("query", [
    "UNWIND [3, 1, 2] AS x RETURN x ORDER BY x",  # ordered, nothing computes NaN
    "RETURN 1.0 / 0.5 AS half",  # divides, orders nothing
])
def test_ordering_nothing_nan_is_not_warned(query: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*SEEDS, "cypher", query, "--json"]) == 0
    assert capsys.readouterr().err == ""


def test_concurrent_commands_print_byte_identical_results(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    query = ("MATCH (o:Occupation)-[:HAS_DUTY]->()-[:HAS_TASK]->()-[:REQUIRES_SKILL]->(s) "
             "RETURN o.code AS code, count(*) AS n ORDER BY code")
    env = {**os.environ, "ICAPGRAPH_CACHE": str(tmp_path)}
    cmd = [sys.executable, "-m", "cli.main", *SEEDS, "cypher", query, "--max-rows", "3"]
    procs = [subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) for _ in range(3)]  # fmt: skip
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [e.decode() for _, e in outs]
    assert len({out for out, _ in outs}) == 1
    assert outs[0][0].decode().splitlines()[-1].startswith("… 2 more rows not shown")
