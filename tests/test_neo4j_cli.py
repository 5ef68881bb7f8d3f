"""``icapgraph neo4j push|query``: wiring, the password rule, one-line errors."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path
from typing import Any
from unittest import mock

import neo4j
import pytest
from test_neo4j_push import FakeServer, fake_driver

from cli.main import main
from cypher import write as cypher
from graph.model import Kind

SECRET = "s3cr3t-Pa55"


@pytest.fixture
def data(standards_dir: Path) -> list[str]:
    return ["--data", str(standards_dir)]


@pytest.fixture(autouse=True)
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)


def no_driver() -> Any:
    return mock.patch.object(neo4j.GraphDatabase, "driver",
                             side_effect=AssertionError("must not connect"))


def test_dry_run_json_prints_the_plan_and_connects_to_nothing(
    data: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with no_driver():
        status = main([*data, "neo4j", "push", "--dry-run", "--json", "--batch-size", "10"])
    assert status == 0
    plan = json.loads(capsys.readouterr().out)
    assert {tuple(sorted(p)) for p in plan} == {("parameters", "rows", "statement")}
    merges = [p for p in plan if p["statement"].startswith("UNWIND")]
    assert all(len(p["parameters"]["rows"]) == min(10, p["rows"]) for p in merges)
    first = next(p for p in merges if p["statement"] == cypher.node_merge(Kind.OCCUPATION))
    assert first["rows"] == 5  # the five seed standards


def test_push_reads_the_password_from_the_environment_and_never_prints_it(
    data: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEO4J_PASSWORD", SECRET)
    driver, _, _ = fake_driver(FakeServer())
    factory = mock.create_autospec(neo4j.GraphDatabase.driver, return_value=driver)
    with mock.patch.object(neo4j.GraphDatabase, "driver", factory):
        status = main([*data, "neo4j", "push", "--uri", "bolt://db:7687", "--user", "ana"])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert factory.call_args.kwargs["auth"] == neo4j.basic_auth("ana", SECRET)
    assert SECRET not in out and SECRET not in err
    assert "Occupation: local 5, Neo4j 5" in out
    assert "rows" in err  # the progress bar
    driver.close.assert_called_once()


def test_push_prompts_for_the_password_when_the_environment_has_none(
    data: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    prompt = mock.Mock(return_value=SECRET)
    monkeypatch.setattr("getpass.getpass", prompt)
    driver, _, _ = fake_driver(FakeServer())
    factory = mock.create_autospec(neo4j.GraphDatabase.driver, return_value=driver)
    with mock.patch.object(neo4j.GraphDatabase, "driver", factory):
        assert main([*data, "--json", "neo4j", "push", "--uri", "neo4j://db"]) == 0
    prompt.assert_called_once_with("Neo4j password for neo4j: ")
    out, err = capsys.readouterr()
    assert json.loads(out)["ok"] is True
    assert SECRET not in out + err


def test_there_is_no_password_argument(
    data: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*data, "neo4j", "push", "--uri", "bolt://db", "--password", SECRET]) == 1
    err = capsys.readouterr().err
    assert err.startswith("icapgraph: error: unrecognized arguments: --password")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--uri", "http://db:7474"], "icapgraph: error: unsupported URI scheme 'http'"),
        (["--uri", "bolt://db", "--batch-size", "0"],
         "icapgraph: error: argument --batch-size: must be an integer from 1 to 100000, not 0"),
        (["--dry-run", "--batch-size", "1e9"],
         "icapgraph: error: argument --batch-size: must be an integer from 1 to 100000"),
        ([], "icapgraph: error: no server: pass --uri"),
    ],
)
def test_bad_input_is_one_line(
    data: list[str], args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with no_driver():
        assert main([*data, "neo4j", "push", *args]) == 1
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1


def test_unreachable_server_is_one_line_within_five_seconds(
    data: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEO4J_PASSWORD", SECRET)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    start = time.monotonic()
    assert main([*data, "neo4j", "push", "--uri", f"bolt://127.0.0.1:{port}"]) == 1
    elapsed = time.monotonic() - start
    err = capsys.readouterr().err
    assert err.startswith(f"icapgraph: error: cannot reach a Neo4j server at bolt://127.0.0.1:{port}")
    assert err.count("\n") == 1 and SECRET not in err
    assert elapsed < 5.0 + 3.0  # connect budget plus loading the seed graph


def test_stale_data_on_the_server_fails_with_a_hint(
    data: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEO4J_PASSWORD", SECRET)
    server = FakeServer()
    server.nodes["skill:舊"] = (Kind.SKILL, {"id": "skill:舊"})
    driver, _, _ = fake_driver(server)
    with mock.patch.object(neo4j.GraphDatabase, "driver", return_value=driver):
        assert main([*data, "neo4j", "push", "--uri", "bolt://db"]) == 1
        assert "re-run with --replace" in capsys.readouterr().err
        assert main([*data, "neo4j", "push", "--uri", "bolt://db", "--replace"]) == 0


def read_driver(columns: list[str], records: list[dict[str, Any]]) -> tuple[Any, Any]:
    driver = mock.create_autospec(neo4j.Driver, instance=True)
    session = mock.create_autospec(neo4j.Session, instance=True)
    session.__enter__.return_value = session
    driver.session.return_value = session
    tx = mock.create_autospec(neo4j.ManagedTransaction, instance=True)
    result = mock.create_autospec(neo4j.Result, instance=True)
    result.keys.return_value = columns
    result.__iter__.return_value = iter([neo4j.Record(r) for r in records])
    tx.run.return_value = result
    session.execute_read.side_effect = lambda fn, *a, **k: fn(tx, *a, **k)
    return driver, tx


def test_query_runs_the_named_cypher_in_a_read_transaction(
    data: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from queries.registry import NAMED_QUERIES

    monkeypatch.setenv("NEO4J_PASSWORD", SECRET)
    driver, tx = read_driver(["id", "name"], [{"id": "skill:溝通協調能力", "name": "溝通協調能力"}])
    with mock.patch.object(neo4j.GraphDatabase, "driver", return_value=driver):
        status = main([*data, "--json", "neo4j", "query", "hubs", "--param", "top=3",
                       "--uri", "neo4j+s://db.example:7687", "--database", "icap"])
    assert status == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {"engine": "neo4j", "columns": ["id", "name"],
                   "rows": [{"id": "skill:溝通協調能力", "name": "溝通協調能力"}]}
    tx.run.assert_called_once_with(NAMED_QUERIES["hubs"].cypher, {"top": 3})
    driver.session.assert_called_once_with(database="icap",
                                           default_access_mode=neo4j.READ_ACCESS)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nosuch"], "icapgraph: error: unknown named query 'nosuch'; choose one of: "),
        (["hubs", "--param", "top=many"],
         "icapgraph: error: top must be a whole number, not 'many'"),
        (["hubs", "--param", "colour=red"],
         "icapgraph: error: named query 'hubs' has no parameter 'colour'"),
        (["gap", "--param", "source=X"], "icapgraph: error: named query 'gap' needs --param"),
    ],
)
def test_query_bad_input_is_one_line(
    data: list[str], args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with no_driver():
        assert main([*data, "neo4j", "query", *args, "--uri", "bolt://db"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1
