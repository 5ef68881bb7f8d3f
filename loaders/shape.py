"""The JSON shape of a parsed standard, as printed by ``icapgraph parse --json``.

The keys are a public contract (other tools depend on them): change them only
together with the issue that defines them.
"""

from __future__ import annotations

from typing import Any

from loaders.records import CodeName, Item, Standard


def _code_names(values: tuple[CodeName, ...]) -> list[dict[str, str]]:
    return [{"name": v.name, "code": v.code} for v in values]


def _items(items: tuple[Item, ...]) -> list[dict[str, Any]]:
    return [{"code": i.code, "name": i.name, "notes": list(i.notes)} for i in items]


def standard_to_json(std: Standard) -> dict[str, Any]:
    """Return the ``parse --json`` object for one standard.

    >>> from loaders.records import SourceInfo
    >>> s = Standard("X-001v1", "測試", 3, "", (), (), (), (), (), (), (), (), "", (),
    ...              SourceInfo("x.txt", "00", "text"))
    >>> sorted(standard_to_json(s))[:4]
    ['attitudes', 'category', 'code', 'description']
    """
    return {
        "code": std.code,
        "name": std.name,
        "level": std.level,
        "description": std.description,
        "category": _code_names(std.category),
        "occupation": _code_names(std.occupation),
        "industry": _code_names(std.industry),
        "versions": [
            {"version": v.version, "code": v.code, "name": v.name, "status": v.status,
             "note": v.note, "date": v.date}
            for v in std.versions
        ],
        "duties": [
            {
                "code": d.code,
                "name": d.name,
                "tasks": [
                    {
                        "code": t.code,
                        "name": t.name,
                        "level": t.level,
                        "outputs": [{"code": o.code, "name": o.name} for o in t.outputs],
                        "indicators": [{"code": p.code, "text": p.text} for p in t.indicators],
                        "knowledge": list(t.knowledge),
                        "skills": list(t.skills),
                    }
                    for t in d.tasks
                ],
            }
            for d in std.duties
        ],
        "knowledge": _items(std.knowledge),
        "skills": _items(std.skills),
        "attitudes": [
            {"code": a.code, "name": a.name, "description": a.description} for a in std.attitudes
        ],
        "requirements": std.requirements,
        "notes": [{"mark": n.mark, "text": n.text} for n in std.notes],
        "source": {"path": std.source.path, "sha256": std.source.sha256},
        "warnings": [{"path": w.path, "line": w.line, "message": w.message} for w in std.warnings],
    }
