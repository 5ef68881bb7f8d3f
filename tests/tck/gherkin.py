"""The openCypher TCK's feature files as scenarios: a Gherkin reader for the subset the
TCK uses (Background, Scenario, Scenario Outline with Examples, doc strings, tables).

>>> text = '''Feature: F
...   Scenario Outline: [1] x
...     Given an empty graph
...     And having executed:
...       \"\"\"
...       CREATE (:A)
...       \"\"\"
...     When executing query:
...       \"\"\"
...       RETURN <v> AS v
...       \"\"\"
...     Then the result should be, in any order:
...       | v   |
...       | <v> |
...     Examples:
...       | v |
...       | 1 |
...       | 2 |
... '''
>>> [(s.name, s.query, s.expected) for s in scenarios(text, "f/F.feature")]
[('[1] x (v=1)', 'RETURN 1 AS v', [['v'], ['1']]), ('[1] x (v=2)', 'RETURN 2 AS v', [['v'], ['2']])]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

_PLACEHOLDER = re.compile(r"<([A-Za-z_][\w ]*)>")


@dataclass(frozen=True)
class Scenario:
    """One runnable scenario (an outline expanded with one Examples row)."""

    feature: str  #: path inside the TCK, e.g. ``clauses/match/Match3.feature``
    name: str
    graph: str = "empty"  #: ``empty``, ``any`` or a named graph such as ``binary-tree-1``
    setup: tuple[str, ...] = ()
    params: tuple[tuple[str, str], ...] = ()  #: (name, TCK value text)
    query: str = ""
    #: ``rows`` / ``ordered`` / ``empty`` / ``error``
    outcome: str = ""
    expected: list[list[str]] = field(default_factory=list)  #: header row, then rows
    unordered_lists: bool = False
    error: str = ""  #: e.g. ``SyntaxError at compile time: UndefinedVariable``
    procedures: bool = False  #: needs a test procedure the engine cannot define
    control: bool = False  #: "executing control query" (not the query under test)

    @property
    def folder(self) -> str:
        """The feature's folder, e.g. ``clauses/match``."""
        return self.feature.rsplit("/", 1)[0]


def _cells(line: str) -> list[str]:
    inner = line.strip()[1:-1]
    # Cells are split at unescaped bars; then \| is a bar and \\ one backslash.
    cells, cell, i = [], [], 0
    while i < len(inner):
        ch = inner[i]
        if ch == "\\" and i + 1 < len(inner) and inner[i + 1] in "|\\":
            cell.append(inner[i + 1])
            i += 2
            continue
        if ch == "|":
            cells.append("".join(cell).strip())
            cell = []
        else:
            cell.append(ch)
        i += 1
    cells.append("".join(cell).strip())
    return cells


def _fill(text: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _steps(lines: list[str], start: int) -> tuple[list[tuple[str, object]], int]:
    """Steps from ``start`` until the next Scenario / Examples / end:
    (step text, doc string or table or None)."""
    steps: list[tuple[str, object]] = []
    i = start
    while i < len(lines):
        s = lines[i].strip()
        if re.match(r"(Scenario|Scenario Outline|Examples|Background)\s*:", s) or s.startswith("@"):
            break
        if not s or s.startswith("#"):
            i += 1
            continue
        if re.match(r"(Given|When|Then|And|But)\b", s):
            step = s.split(None, 1)[1] if " " in s else ""
            i += 1
            arg: object = None
            while i < len(lines) and (not lines[i].strip() or lines[i].strip().startswith("#")):
                i += 1
            if i < len(lines) and lines[i].strip() == '"""':
                indent = len(lines[i]) - len(lines[i].lstrip())
                i += 1
                body = []
                while lines[i].strip() != '"""':
                    body.append(lines[i][indent:] if lines[i][:indent].isspace() else lines[i])
                    i += 1
                i += 1
                arg = "\n".join(body).rstrip()
            elif i < len(lines) and lines[i].strip().startswith("|"):
                table = []
                while i < len(lines) and lines[i].strip().startswith("|"):
                    table.append(_cells(lines[i]))
                    i += 1
                arg = table
            steps.append((step, arg))
            continue
        i += 1
    return steps, i


def _build(feature: str, name: str, steps: list[tuple[str, object]]) -> Scenario:
    sc = Scenario(feature=feature, name=name)
    setup: list[str] = []
    params: list[tuple[str, str]] = []
    for step, arg in steps:
        if step.startswith("an empty graph"):
            sc = replace(sc, graph="empty")
        elif step.startswith("any graph"):
            sc = replace(sc, graph="any")
        elif m := re.match(r"the (\S+) graph", step):
            sc = replace(sc, graph=m.group(1))
        elif step.startswith("having executed"):
            setup.append(str(arg))
        elif step.startswith("parameters are"):
            params.extend((row[0], row[1]) for row in arg)  # type: ignore[attr-defined]
        elif step.startswith("there exists a procedure"):
            sc = replace(sc, procedures=True)
        elif step.startswith("executing query"):
            sc = replace(sc, query=str(arg))
        elif step.startswith("executing control query"):
            sc = replace(sc, control=True)  # checks a write's effects: not a read scenario
        elif step.startswith("the result should be empty"):
            sc = replace(sc, outcome="empty", expected=[])
        elif step.startswith("the result should be"):
            ordered = "in order" in step
            sc = replace(sc, outcome="ordered" if ordered else "rows",
                         expected=list(arg),  # type: ignore[call-overload]
                         unordered_lists="ignoring element order for lists" in step)
        elif m := re.match(r"an? (\w+) should be raised at ([\w ]+): (\w+)", step):
            sc = replace(sc, outcome="error", error=f"{m.group(1)} at {m.group(2)}: {m.group(3)}")
    return replace(sc, setup=tuple(setup), params=tuple(params))


def scenarios(text: str, feature: str) -> list[Scenario]:
    """Every scenario of one feature file, outlines expanded (one per Examples row)."""
    lines = text.splitlines()
    background: list[tuple[str, object]] = []
    out: list[Scenario] = []
    i = 0
    while i < len(lines):
        s = lines[i].strip()
        if s.startswith("Background:"):
            background, i = _steps(lines, i + 1)
            continue
        m = re.match(r"(Scenario Outline|Scenario):\s*(.*)", s)
        if not m:
            i += 1
            continue
        name = m.group(2).strip()
        steps, i = _steps(lines, i + 1)
        if m.group(1) == "Scenario":
            out.append(_build(feature, name, background + steps))
            continue
        while i < len(lines) and not re.match(r"\s*(Scenario|Scenario Outline)\s*:", lines[i]):
            if lines[i].strip().startswith("Examples"):
                i += 1
                while i < len(lines) and not lines[i].strip().startswith("|"):
                    i += 1
                table = []
                while i < len(lines) and lines[i].strip().startswith("|"):
                    table.append(_cells(lines[i]))
                    i += 1
                head, rows = table[0], table[1:]
                for row in rows:
                    values = dict(zip(head, row, strict=True))
                    filled = [
                        (_fill(st, values),
                         _fill(a, values) if isinstance(a, str)
                         else [[_fill(c, values) for c in r] for r in a] if isinstance(a, list)
                         else a)
                        for st, a in steps
                    ]  # fmt: skip
                    label = ", ".join(f"{k}={v}" for k, v in values.items())
                    out.append(_build(feature, f"{name} ({label})", background + filled))
            else:
                i += 1
    return out
