"""The accepted shape of a JSON corpus file, and a walker that names where a file departs from it.

:mod:`loaders.corpus_json` builds records by direct indexing (fast on the 908
well-formed files); only when that fails does it ask :func:`explain_shape` for a
precise, user-facing reason.
"""

from __future__ import annotations

from typing import Any

from loaders.errors import ParseError

_S, _OS, _L, _D, _OI = (str,), (str, type(None)), (list,), (dict,), (int, type(None))
#: The accepted layout: for each object, key -> (allowed types, required). Lists of
#: objects name their element's shape in :data:`ELEMENT`; other lists hold strings.
SHAPE: dict[str, dict[str, tuple[tuple[type, ...], bool]]] = {
    "": {
        "metadata": (_D, True),
        "basic_info": (_D, True),
        "competency_tasks": (_L, True),
        "competency_knowledge": (_L, True),
        "competency_skills": (_L, True),
        "competency_attitudes": (_L, True),
    },
    "metadata": {
        "code": (_S, True),
        "name": (_S, True),
        "version": (_S, False),
        "update_date": (_S, False),
        "status": (_S, False),
    },
    "basic_info": {
        "category": (_S, False),
        "category_code": (_S, False),
        "occupation": (_S, False),
        "occupation_code": (_S, False),
        "industry": (_L, False),
        "industry_code": (_L, False),
        "job_description": (_S, False),
        "level": (_OI, False),
        "requirements": (_S, False),
    },
    "task": {
        "main_responsibility": (_S, True),
        "task_id": (_S, True),
        "task_name": (_S, True),
        "output": (_OS, False),
        "behaviors": (_L, False),
        "knowledge": (_L, False),
        "skills": (_L, False),
        "level": (_OI, False),
    },
    "item": {"code": (_S, True), "name": (_S, True), "description": (_S, False)},
}
ELEMENT = {
    "competency_tasks": "task",
    "competency_knowledge": "item",
    "competency_skills": "item",
    "competency_attitudes": "item",
}


def explain_shape(obj: Any, path: str) -> ParseError | None:
    """The first place where ``obj`` departs from :data:`SHAPE`, as a ParseError (None if none).

    >>> str(explain_shape({"metadata": {"code": "X", "name": 3}}, "x.json"))
    'x.json: not an iCAP standard (JSON corpus layout): metadata.name should be str, not int'
    >>> explain_shape([], "y.json").reason
    'not an iCAP standard (JSON corpus layout): the top level should be an object, not list'
    """

    def error(where: str, problem: str) -> ParseError:
        return ParseError(
            path, None, f"not an iCAP standard (JSON corpus layout): {where} {problem}"
        )

    def walk(value: Any, shape: str, where: str) -> ParseError | None:
        if not isinstance(value, dict):
            return error(
                where or "the top level", f"should be an object, not {type(value).__name__}"
            )
        for key, (types, required) in SHAPE[shape].items():
            at = f"{where}.{key}" if where else key
            if key not in value:
                if required:
                    return error(at, "is missing")
                continue
            v = value[key]
            if not isinstance(v, types) or (isinstance(v, bool) and bool not in types):
                return error(
                    at,
                    f"should be {' or '.join(t.__name__ for t in types)}, not {type(v).__name__}",
                )
            if isinstance(v, list):
                for i, element in enumerate(v):
                    problem = (
                        walk(element, ELEMENT[key], f"{at}[{i}]")
                        if key in ELEMENT
                        else None
                        if isinstance(element, str)
                        else error(f"{at}[{i}]", f"should be str, not {type(element).__name__}")
                    )
                    if problem is not None:
                        return problem
            elif isinstance(v, dict) and key in SHAPE:
                problem = walk(v, key, at)
                if problem is not None:
                    return problem
        return None

    return walk(obj, "", "")
