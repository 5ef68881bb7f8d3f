"""The accepted shape of a JSON corpus file: typed structs, and a walker that names where a
file departs from them.

The structs are decoded straight from the file's bytes by msgspec (in C, with
every type checked on the way), so :mod:`loaders.corpus_json` can read fields
without testing each one. They accept exactly what the loader can use: a
``null`` where the corpus writes one (``output``, an attitude's
``description``), missing optional keys (their defaults), unknown keys
(ignored). The fields typed ``Any`` are keys the corpus has and the loader does
not use. The fast path decodes into :class:`StrictStandard`, which refuses
unknown keys: msgspec skips an unknown key's value without checking its UTF-8,
and a file with an invalid byte anywhere must be refused as the standard
library would. A file that does not decode is read again with ``json.loads``
and converted to the lenient :class:`RawStandard`; when that fails too,
:func:`explain_shape` walks the plain value against the same structs to name
the offending field in a user-facing :class:`ParseError`.
"""

from __future__ import annotations

import types
import typing
from typing import Any

import msgspec

from loaders.errors import ParseError


class RawTask(msgspec.Struct):
    """One element of ``competency_tasks``: a task row with its duty cell."""

    main_responsibility: str
    task_id: str
    task_name: str
    output: str | None = None
    # Tuples: the records keep these as they are, without a copy.
    behaviors: tuple[str, ...] = ()
    knowledge: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    level: int | None = None


class RawItem(msgspec.Struct):
    """One element of the knowledge, skill and attitude lists."""

    code: str
    name: str
    description: str | None = None
    category: Any = None


class RawMetadata(msgspec.Struct):
    code: str
    name: str
    version: str = ""
    update_date: str = ""
    status: str = ""
    source_file: Any = None


class RawBasicInfo(msgspec.Struct):
    category: str = ""
    category_code: str = ""
    occupation: str = ""
    occupation_code: str = ""
    industry: list[str] = []
    industry_code: list[str] = []
    job_description: str = ""
    level: int | None = None
    requirements: str = ""


class RawStandard(msgspec.Struct):
    """A whole corpus file."""

    metadata: RawMetadata
    basic_info: RawBasicInfo
    competency_tasks: tuple[RawTask, ...]
    competency_knowledge: tuple[RawItem, ...]
    competency_skills: tuple[RawItem, ...]
    competency_attitudes: tuple[RawItem, ...]
    parse_success: Any = None
    parse_errors: Any = None


class _StrictTask(RawTask, forbid_unknown_fields=True):
    pass


class _StrictItem(RawItem, forbid_unknown_fields=True):
    pass


class _StrictMetadata(RawMetadata, forbid_unknown_fields=True):
    pass


class _StrictBasicInfo(RawBasicInfo, forbid_unknown_fields=True):
    pass


class StrictStandard(RawStandard, forbid_unknown_fields=True):
    """:class:`RawStandard` refusing unknown keys at every level (the fast path's type)."""

    metadata: _StrictMetadata
    basic_info: _StrictBasicInfo
    competency_tasks: tuple[_StrictTask, ...]
    competency_knowledge: tuple[_StrictItem, ...]
    competency_skills: tuple[_StrictItem, ...]
    competency_attitudes: tuple[_StrictItem, ...]


_ARRAYS = (list, tuple)


def _members(annotation: Any) -> tuple[Any, ...]:
    """The members of a union annotation (``str | None``), or the annotation alone."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return typing.get_args(annotation)
    return (annotation,)


def _accepted(annotation: Any) -> tuple[type, ...]:
    """The Python types a field's ``json.loads`` value may have: ``str | None`` gives
    (str, NoneType), ``list[...]`` and ``tuple[...]`` give (list,), a struct gives (dict,)."""
    return tuple(
        list
        if typing.get_origin(a) in _ARRAYS
        else dict
        if isinstance(a, type) and issubclass(a, msgspec.Struct)
        else a
        for a in _members(annotation)
    )


def explain_shape(obj: Any, path: str) -> ParseError | None:
    """The first place where ``obj`` (a ``json.loads`` value) departs from :class:`RawStandard`,
    as a ParseError; None if it does not.

    >>> str(explain_shape({"metadata": {"code": "X", "name": 3}}, "x.json"))
    'x.json: not an iCAP standard (JSON corpus layout): metadata.name should be str, not int'
    >>> explain_shape([], "y.json").reason
    'not an iCAP standard (JSON corpus layout): the top level should be an object, not list'
    """

    def error(where: str, problem: str) -> ParseError:
        return ParseError(
            path, None, f"not an iCAP standard (JSON corpus layout): {where} {problem}"
        )

    def check(value: Any, annotation: Any, at: str) -> ParseError | None:
        allowed = _accepted(annotation)
        if not isinstance(value, allowed) or (isinstance(value, bool) and bool not in allowed):
            return error(at or "the top level", _should_be(allowed, value))
        # No union in the structs holds a struct or an array: ``annotation`` is the one.
        if isinstance(value, dict):
            for field in msgspec.structs.fields(annotation):
                if field.type is Any:  # any value will do
                    continue
                key = field.encode_name
                where = f"{at}.{key}" if at else key
                if key not in value:
                    if field.required:
                        return error(where, "is missing")
                    continue
                problem = check(value[key], field.type, where)
                if problem is not None:
                    return problem
        elif isinstance(value, list):
            element = typing.get_args(annotation)[0]
            for i, member in enumerate(value):
                problem = check(member, element, f"{at}[{i}]")
                if problem is not None:
                    return problem
        return None

    return check(obj, RawStandard, "")


def _should_be(allowed: tuple[type, ...], value: Any) -> str:
    if allowed == (dict,):
        return f"should be an object, not {type(value).__name__}"
    return f"should be {' or '.join(t.__name__ for t in allowed)}, not {type(value).__name__}"
