"""How the CLI prints each named query's result as text (``--json`` prints the data itself).

A registry, query name → function of the result; a query without one prints its JSON
indented. Each view only lays out what the query returned: no query logic here.

>>> print(view("hubs", [{"id": "skill:x", "name": "溝通", "kind": "skill",
...                      "occupations": 4, "tasks": 9}]))
#  item 項目  kind   occupations  tasks
─  ─────────  ─────  ───────────  ─────
1  溝通       skill  4            9
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from cli.table import table
from graph.kinds import INFO, ITEM_KINDS

#: The title of each ``overlap`` group (``skills`` → 技能 Skill), from the kind table.
_KIND_TITLE = {INFO[kind].group: f"{INFO[kind].zh} {INFO[kind].en}" for kind in ITEM_KINDS}
_DIRECTION = {"upward": "升遷 upward", "lateral": "平行 lateral", "downward": "降階 downward"}


def _codes(evidence: dict[str, list[str]]) -> str:
    return " | ".join(f"{code}: {', '.join(tasks) or '(整體)'}" for code, tasks in evidence.items())


def overlap_view(result: Any) -> str:
    """Shared items per kind with their tasks; the matrix for three or more."""
    lines = [" ∩ ".join(result["occupations"]),
             f"Jaccard {result['jaccard']:.4f}   weighted {result['weighted']:.4f}"]
    for key, entries in result["shared"].items():
        lines += ["", f"{_KIND_TITLE[key]} ({len(entries)})"]
        rows = [(e["name"] + (f" ~ {e['other']}" if "other" in e else ""),
                 e["match"], f"{e['score']:.2f}", _codes(e["evidence"])) for e in entries]
        if rows:
            lines += table(("item 項目", "match", "score", "tasks 任務"), rows, limit=60)
    lines.append("")
    for d in result.get("directions", []):
        lines.append(f"{d['source']} → {d['target']}: {_summary(d)}")
    if "matrix" in result:
        codes = result["occupations"]
        lines += ["", f"common to all: {len(result['common'])}", ""]
        lines += table(("", *codes), [(c, *(f"{v:.3f}" for v in row))
                                      for c, row in zip(codes, result["matrix"], strict=True)])
    return "\n".join(lines)


def _summary(d: Any) -> str:
    """One line: score, confidence, counts and the components of a classified move."""
    c = d["components"]
    return (f"score {d['score']:.3f} ({d['confidence']})  covered 已具備 {len(d['covered'])}"
            f"  partly 部分具備 {len(d['partly'])}  missing 缺少 {len(d['missing'])}"
            f"  [coverage {c['coverage']:.2f}, tasks {c['tasks']:.2f}]")


def gap_view(result: Any) -> str:
    """The missing items by importance, then the partly covered ones with their match."""
    rows = [(m["name"], m["kind"], m["importance"], ", ".join(m["tasks"]) or "(整體)")
            for m in result["missing"]]
    lines = [f"{result['source']} → {result['target']}: {_summary(result)}", "",
             f"missing 缺少 ({len(rows)})"]
    lines += table(("item 項目", "kind", "importance", "tasks 任務"), rows)
    partly = [(p["name"], p["kind"], p["importance"],
               f"{p['match']['name']} ({p['match']['credit']:.2f})")
              for p in result.get("partly", [])]
    if partly:
        lines += ["", f"partly covered 部分具備 ({len(partly)})"]
        lines += table(("item 項目", "kind", "importance", "by 由 (credit)"), partly)
    return "\n".join(lines)


def transitions_view(result: Any) -> str:
    """One ranked table per source (the CLI may run several sources at once)."""
    lines: list[str] = []
    for one in result if isinstance(result, list) else [result]:
        rows = [(i, t["code"], t["name"], f"{t['score']:.3f}", t.get("confidence", ""),
                 _DIRECTION[t["direction"]], t["shared"], len(t.get("partly", [])), t["gap"])
                for i, t in enumerate(one["targets"], start=1)]
        lines += [f"from {one['source']}:"]
        if not rows:
            lines += ["  (none: no current occupation needs anything this one has)", ""]
            continue
        lines += table(("#", "code", "name 職業", "score", "信心", "direction 方向", "shared",
                        "partly", "gap"), rows)
        lines.append("")
    return "\n".join(lines)


def paths_view(result: Any) -> str:
    """Each route with its steps and what to learn on each."""
    if not result["paths"]:
        return (f"no route from {result['source']} to {result['target']}: "
                "no chain of occupations covers any of the next one's requirements")
    lines: list[str] = []
    for n, route in enumerate(result["paths"], start=1):
        lines.append(f"route {n}  cost {route['cost']:.4f}")
        for step in route["steps"]:
            learn = "、".join(e["name"] for e in step["learn"][:8])
            more = len(step["learn"]) - 8
            lines.append(f"  {step['from']} → {step['to']}  ({step['cost']:.4f})  "
                         f"learn 需學 {len(step['learn'])}: {learn}"
                         + (f" … +{more}" if more > 0 else ""))
        lines.append("")
    return "\n".join(lines)


def hubs_view(result: Any) -> str:
    """The ranked items."""
    rows = [(i, h["name"], h["kind"], h["occupations"], h["tasks"])
            for i, h in enumerate(result, start=1)]
    return "\n".join(table(("#", "item 項目", "kind", "occupations", "tasks"), rows))


def clusters_view(result: Any) -> str:
    """One line per cluster: size, label, the first members."""
    lines: list[str] = []
    for c in result:
        names = "、".join(o["name"] for o in c["occupations"][:6])
        more = c["size"] - 6
        lines.append(f"#{c['cluster']} ({c['size']}) {c['label'] or '—'}: {names}"
                     + (f" … +{more}" if more > 0 else ""))
    return "\n".join(lines)


def pairwise_view(result: Any) -> str:
    """The score matrix."""
    rows = [(c, *(f"{v:.3f}" for v in row))
            for c, row in zip(result["codes"], result["matrix"], strict=True)]
    return "\n".join(table(("", *result["codes"]), rows))


def requirements_view(result: Any) -> str:
    """Every item with its kind and tasks."""
    rows = [(r["name"], r["kind"], ", ".join(r["tasks"]) or "(整體)") for r in result]
    return "\n".join(table(("item 項目", "kind", "tasks 任務"), rows))


#: The text view of each named query's result.
VIEWS: dict[str, Callable[[Any], str]] = {
    "overlap": overlap_view,
    "gap": gap_view,
    "transitions": transitions_view,
    "paths": paths_view,
    "hubs": hubs_view,
    "clusters": clusters_view,
    "pairwise": pairwise_view,
    "requirements": requirements_view,
}


def view(name: str, result: Any) -> str:
    """The text of named query ``name``'s ``result`` (indented JSON without a view)."""
    render = VIEWS.get(name)
    return render(result) if render else json.dumps(result, ensure_ascii=False, indent=2)
