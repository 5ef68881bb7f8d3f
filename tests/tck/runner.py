"""Run the openCypher TCK's read-only scenarios on the embedded engine and classify each.

The TCK comes from Maven Central (``org.opencypher:tck``, Apache-2.0), fetched by
``dev.py test`` into the local Maven repository; nothing of it is committed. A scenario
is *read-only* when its query has no write clause (the console's guard decides) and it
does not check a write's effects with a control query.

Set-up statements (``having executed``) run on the engine's connection directly, as the
harness; only the query under test goes through the console path (guard, rewrites,
read-only mode). Outcomes:

* ``pass``: the expected rows (as a multiset, or in order), or an error where one is expected;
* ``refused``: an error (the engine's or a rewrite's refusal) where rows were expected;
* ``warned``: other rows than expected, with a console warning naming the shape that differs;
* ``wrong``: other rows than expected, or rows where an error was expected: *silently wrong*.
"""

from __future__ import annotations

import os
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cypher.embedded.text import refused_clause
from loaders.errors import IcapGraphError
from tck.gherkin import Scenario, scenarios
from tck.values import Canon, engine_value, parse, to_python, unordered

VERSION = "1.0.0-M23"
JAR = (
    Path(os.environ.get("MAVEN_REPO", Path.home() / ".m2" / "repository"))
    / "org" / "opencypher" / "tck" / VERSION / f"tck-{VERSION}.jar"
)  # fmt: skip

#: The console's execution: (query, params) -> (columns, rows of engine values).
#: Runs a query: its columns, its rows and the console's warnings.
Execute = Callable[[str, dict[str, Any]], tuple[list[str], list[list[Any]], tuple[str, ...]]]


@dataclass(frozen=True)
class Outcome:
    kind: str  #: pass / refused / warned / wrong / setup
    detail: str = ""


def load(jar: Path = JAR) -> tuple[list[Scenario], dict[str, str]]:
    """Every scenario in the TCK jar, and its named graphs' set-up scripts."""
    found: list[Scenario] = []
    graphs: dict[str, str] = {}
    with zipfile.ZipFile(jar) as z:
        for name in sorted(z.namelist()):
            if name.startswith("features/") and name.endswith(".feature"):
                text = z.read(name).decode("utf-8")
                found.extend(scenarios(text, name.removeprefix("features/")))
            elif name.startswith("graphs/") and name.endswith(".cypher"):
                graphs[name.split("/")[1]] = z.read(name).decode("utf-8")
    return found, graphs


def read_only(sc: Scenario) -> bool:
    """Whether the scenario's query is a read query (the set of scenarios measured)."""
    return bool(sc.query) and not sc.control and refused_clause(sc.query) is None


def read_scenarios(jar: Path = JAR) -> Iterator[Scenario]:
    found, _ = load(jar)
    return (sc for sc in found if read_only(sc))


def _rows(header: list[str], rows: list[list[Canon]], want: list[str]) -> list[tuple[Canon, ...]]:
    if sorted(header) == sorted(want):
        order = [header.index(c) for c in want]
        return [tuple(r[i] for i in order) for r in rows]
    return [tuple(r) for r in rows]


def compare(sc: Scenario, columns: list[str], rows: list[list[Any]]) -> str:
    """'' when the engine's rows are the expected ones, else a short description."""
    got = [[engine_value(v) for v in row] for row in rows]
    if sc.outcome == "empty":
        return "" if not got else f"expected no rows, got {len(got)}"
    header, *expected_text = sc.expected
    expected = [tuple(parse(c) for c in row) for row in expected_text]
    actual = _rows(columns, got, header)
    if sc.unordered_lists:
        expected = [tuple(unordered(v) for v in r) for r in expected]
        actual = [tuple(unordered(v) for v in r) for r in actual]
    same = expected == actual if sc.outcome == "ordered" else Counter(expected) == Counter(actual)
    if not same:
        return f"expected {expected[:3]}…, got {actual[:3]}…"
    if list(columns) != list(header):
        return f"columns {columns} instead of {header}"
    return ""


def run(sc: Scenario, harness: Callable[[str], None], execute: Execute,
        graphs: dict[str, str]) -> Outcome:  # fmt: skip
    """Set the scenario's graph up through ``harness`` and classify ``execute``'s answer."""
    if sc.procedures:
        return Outcome("setup", "needs a test procedure")
    try:
        if sc.graph not in ("empty", "any"):
            for statement in graphs[sc.graph].split(";"):  # a script of several statements
                if statement.strip():
                    harness(statement)
        for statement in sc.setup:
            harness(statement)
    except IcapGraphError as exc:
        return Outcome("setup", str(exc))
    try:
        params = {name: to_python(parse(text)) for name, text in sc.params}
    except ValueError as exc:
        return Outcome("setup", f"parameter: {exc}")
    try:
        columns, rows, warnings = execute(sc.query, params)
    except IcapGraphError as exc:
        return Outcome("pass" if sc.outcome == "error" else "refused", str(exc))
    if sc.outcome == "error":
        return Outcome("wrong", f"accepted; expected {sc.error}")
    diff = compare(sc, columns, rows)
    if diff and warnings:
        return Outcome("warned", f"{diff} (warned: {'; '.join(warnings)})")
    return Outcome("wrong" if diff else "pass", diff)
