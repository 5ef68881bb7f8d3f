"""Neo4j's own Cypher linter (npm ``@neo4j-cypher/language-support``) on every statement the
push sends and every named query with a Cypher text: zero diagnostics.

The linter runs under node from tests/cypher_lint (``npm ci --prefix tests/cypher_lint``,
done by ``dev.py test``). The dbSchema declares each statement's parameters and the
graph's labels, types and property keys, so only real problems are reported.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from cypher import write as cypher
from cypher.neo4j import push
from graph.build import build_graph
from graph.model import Kind, Rel
from loaders.text import parse_standard_text

LINT_DIR = Path(__file__).resolve().parent / "cypher_lint"
PACKAGE = LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support"
#: Example values per named-query parameter type (the linter only needs the names declared).
EXAMPLES: dict[str, Any] = {"string": "IDC3339-001v2", "integer": 3, "number": 1.0,
                            "array": ["IDC3339-001v2"], "boolean": True}


@pytest.fixture(scope="module")
def seed(standards_dir: Path) -> nx.MultiDiGraph:
    paths = sorted(standards_dir.glob("*.txt"))
    return build_graph([parse_standard_text(p.read_text(encoding="utf-8"), str(p)) for p in paths])


def lint(statements: list[dict[str, Any]], G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the Cypher linter runs under node")
    if not PACKAGE.is_dir():
        pytest.skip("the Cypher linter is not installed: run npm ci --prefix tests/cypher_lint")
    keys = {k for _, d in G.nodes(data=True) for k in d} | {k for *_, d in G.edges(data=True)
                                                         for k in d}
    schema = {
        "labels": [k.value for k in Kind],
        "relationshipTypes": [r.value for r in Rel],
        "propertyKeys": sorted(keys | {"id", "src", "dst", "props", "path", "line"}),
    }
    payload = json.dumps({"schema": schema, "statements": statements}, ensure_ascii=False)
    done = subprocess.run(["node", str(LINT_DIR / "lint.mjs")], input=payload.encode("utf-8"),
                          capture_output=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    result: list[dict[str, Any]] = json.loads(done.stdout)
    return result


def failures(results: list[dict[str, Any]]) -> list[str]:
    return [
        f"{r['name']}: " + "; ".join(f"{d['line']}:{d['column']} {d['message']}"
                                     for d in r["diagnostics"])
        for r in results if r["diagnostics"]
    ]


def push_statements(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    out = [{"name": f"push[{i}]", "text": p.statement, "parameters": p.parameters}
           for i, p in enumerate(push.dry_run_plan(G, batch_size=2, replace=True))]
    out += [{"name": f"push count {k.value}", "text": cypher.count_nodes(k), "parameters": {}}
            for k in Kind]
    out += [{"name": f"push count {r.value}", "text": cypher.count_rels(r), "parameters": {}}
            for r in Rel]
    return out


def named_statements() -> list[dict[str, Any]]:
    from queries.registry import NAMED_QUERIES

    return [
        {"name": f"named {q.name}", "text": q.cypher,
         "parameters": {p.name: p.default if p.default is not None else EXAMPLES.get(p.type, "x")
                        for p in q.parameters}}
        for q in NAMED_QUERIES.values() if q.cypher
    ]


def tricky_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    name = "名稱 'single' \"double\" back\\slash\nnew line\ttab \x01 `tick` \\' end"
    G.add_node("occupation:Q-001v1", kind="Occupation", name=name, level=3, latest=True)
    G.add_node("skill:" + name, kind="Skill", name=name)
    G.add_edge("occupation:Q-001v1", "skill:" + name, key="REQUIRES_SKILL",
               rel="REQUIRES_SKILL", line=7, path="C:\\x\\'y'.txt")
    return G


def script_statements(G: nx.MultiDiGraph) -> list[dict[str, Any]]:
    # The script's statements are the push's texts with $rows as a literal, so what
    # needs Neo4j's parser is the literal rendering: every escape (tricky names) and
    # one real batch of the seed graph (large literals lint slowly, so only one).
    ddl = set(cypher.schema_statements())  # linted with the push already
    texts = [t for t in cypher.script_statements(tricky_graph(), 1) if t not in ddl]
    texts += [t for t in cypher.script_statements(G, 20) if t not in ddl][:1]
    return [{"name": f"script[{i}]", "text": t, "parameters": {}} for i, t in enumerate(texts)]


BAD = [
    {"name": "bad typo", "text": "UNWIND $rows AS row MERG (n:Skill {id: row.id})",
     "parameters": {"rows": []}},
    {"name": "bad undeclared", "text": cypher.node_merge(Kind.SKILL), "parameters": {}},
    {"name": "bad label", "text": "MATCH (n:Skil) RETURN n", "parameters": {}},
]


@pytest.fixture(scope="module")
def linted(seed: nx.MultiDiGraph) -> list[dict[str, Any]]:
    # One node process for everything: loading the linter takes seconds.
    return lint([*push_statements(seed), *named_statements(), *script_statements(seed), *BAD],
                seed)


def select(results: list[dict[str, Any]], prefix: str) -> list[dict[str, Any]]:
    chosen = [r for r in results if r["name"].startswith(prefix)]
    assert chosen, f"nothing linted under {prefix!r}"
    return chosen


def test_every_push_statement_lints_clean(linted: list[dict[str, Any]]) -> None:
    problems = failures(select(linted, "push"))
    assert not problems, "\n".join(problems)


def test_every_named_query_lints_clean(linted: list[dict[str, Any]]) -> None:
    problems = failures(select(linted, "named "))
    assert not problems, "\n".join(problems)


def test_script_statements_lint_clean(linted: list[dict[str, Any]]) -> None:
    problems = failures(select(linted, "script"))
    assert not problems, "\n".join(problems)


def test_the_linter_reports_real_problems(linted: list[dict[str, Any]]) -> None:
    results = select(linted, "bad ")
    assert [bool(r["diagnostics"]) for r in results] == [True, True, True]
    assert len(failures(results)) == 3
