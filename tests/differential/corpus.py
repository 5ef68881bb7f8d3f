"""The differential Cypher corpus (``tests/fixtures/differential/queries.cypher``) and the
answers recorded from Neo4j (``expected-neo4j.json``), with the comparison both sides share.

Answers are compared as multisets of rows (in order for queries marked ``ordered``);
floats to 10 significant digits, an integer never equal to a float (Neo4j's ``sum()`` of
integers is an integer).

>>> case = parse_file('''// q1 seeds ordered: x
... // params: {"a": 1}
... RETURN $a AS a
... ;
... ''')[0]
>>> case.name, case.graph, case.ordered, case.params, case.query
('q1', 'seeds', True, {'a': 1}, 'RETURN $a AS a')
>>> same(["a"], [[1]], ["a"], [[1.0]], ordered=False)
False
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent.parent / "fixtures" / "differential"
QUERIES = HERE / "queries.cypher"
EXPECTED = HERE / "expected-neo4j.json"
_HEAD = re.compile(r"//\s*(\w+)\s+(seeds|corpus)((?:\s+(?:ordered|refused))*)\s*:\s*(.*)")


@dataclass(frozen=True)
class Case:
    name: str
    graph: str  #: ``seeds`` or ``corpus``
    what: str
    query: str
    params: dict[str, Any] = field(default_factory=dict)
    ordered: bool = False
    refused: bool = False  #: the embedded engine refuses it (a documented refusal)


def parse_file(text: str) -> list[Case]:
    """Every case of a corpus file."""
    out = []
    for block in re.split(r"^;\s*$", text, flags=re.M):
        head = None
        params: dict[str, Any] = {}
        ordered = False
        lines = []
        for line in block.strip().splitlines():
            m = _HEAD.match(line.strip())
            if m:
                head = m
                ordered = "ordered" in m.group(3)
            elif line.strip().startswith("// params:"):
                params = json.loads(line.split(":", 1)[1])
            elif line.strip() == "// ordered":
                ordered = True
            elif not line.strip().startswith("//"):
                lines.append(line)
        if head is None:
            continue
        out.append(Case(head.group(1), head.group(2), head.group(4), "\n".join(lines).strip(),
                        params, ordered, "refused" in head.group(3)))
    names = [c.name for c in out]
    assert len(names) == len(set(names)), "duplicate case names"
    return out


def cases() -> list[Case]:
    return parse_file(QUERIES.read_text(encoding="utf-8"))


def canonical(value: Any) -> Any:
    """A value in comparable form: floats tagged and rounded, maps sorted."""
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, float):
        return {"float": "NaN" if math.isnan(value) else float(f"{value:.10g}")}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in sorted(value.items())}
    return {"other": str(value)}


def _key(row: list[Any]) -> str:
    return json.dumps(canonical(row), sort_keys=True, ensure_ascii=False)


def same(columns: list[str], rows: list[list[Any]], want_columns: list[str],
         want_rows: list[list[Any]], *, ordered: bool) -> bool:  # fmt: skip
    """Whether two answers agree (columns in order; rows as a multiset unless ``ordered``)."""
    if list(columns) != list(want_columns):
        return False
    got = [_key(r) for r in rows]
    want = [_key(r) for r in want_rows]
    return got == want if ordered else Counter(got) == Counter(want)


def load_expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXPECTED.read_text(encoding="utf-8"))
    return data


def fingerprint(G: Any) -> list[int]:
    """Node and relationship counts of a graph: the recordings of a graph hold only for a
    graph with the same counts (a loader change that drops or adds items makes them stale)."""
    return [G.number_of_nodes(), G.number_of_edges()]
