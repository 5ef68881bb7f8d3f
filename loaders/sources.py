"""Which files a ``--data`` path names, and how each file is named to users and in the graph.

A file is named **relative to the data folder it was found in** (``IDC3339-001v2.txt``,
``sub/x.json``); a file given directly is named by its file name; a path that does not
exist is named as given. That name is what warnings show (``file:line``), what the
records carry (:attr:`loaders.records.SourceInfo.path`) and so what the graph and every
export hold: no absolute path of the machine that built them. Bytes of a file name that
are not UTF-8 (``os.fsdecode`` keeps them as surrogate escapes) are shown as backslash
escapes (``bad\\xff.txt``), never as '�' and never as a lone surrogate that would stop
a UTF-8 writer.

A folder that cannot be listed (no permission, say) is a failure naming it (with a
trailing ``/``), so that an unreadable subfolder is counted, not skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

from loaders.records import LoadWarning


@dataclass(frozen=True, slots=True)
class Source:
    """One file to load: ``path`` to open, ``name`` to show, ``real`` (absolute) to tell
    when the same file is named twice."""

    path: str
    name: str
    real: str


def shown(name: str) -> str:
    """``name`` with undecodable file-name bytes as backslash escapes (UTF-8 safe).

    >>> shown("data/IDC3339-001v2.txt")
    'data/IDC3339-001v2.txt'
    >>> shown(b"bad\\xff\\xfe.txt".decode("utf-8", "surrogateescape"))
    'bad\\\\xff\\\\xfe.txt'
    >>> shown("\\ud800x")  # a lone surrogate that no file system produced
    '\\\\ud800x'
    """
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = name.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            return name.encode("utf-8", "backslashreplace").decode("utf-8")
        return raw.decode("utf-8", "backslashreplace")
    return name


def _registered(name: str, suffixes: frozenset[str]) -> bool:
    return not name.startswith(".") and os.path.splitext(name)[1].lower() in suffixes


def _walk(top: str, suffixes: frozenset[str], failures: list[LoadWarning]) -> list[Source]:
    found: list[Source] = []

    def unreadable(exc: OSError) -> None:
        where = exc.filename if isinstance(exc.filename, str) else top
        rel = os.path.relpath(where, top)
        name = shown(top if rel == "." else rel) + "/"
        failures.append(LoadWarning(name, 0, f"cannot read the folder: {_reason(exc)}"))

    for root, dirs, files in os.walk(top, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        absolute = os.path.abspath(root)  # once per folder, not once per file
        rel = os.path.relpath(root, top)
        prefix = "" if rel == "." else shown(rel) + "/"
        found.extend(
            Source(os.path.join(root, f), prefix + shown(f), os.path.join(absolute, f))
            for f in files
            if _registered(f, suffixes)
        )
    return found


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def list_sources(
    paths: Iterable[str | os.PathLike[str]], suffixes: Iterable[str]
) -> tuple[list[Source], list[LoadWarning]]:
    """The files under ``paths`` with a registered suffix, and the folders that could not
    be read.

    Parameters
    ----------
    paths : files and folders; folders are searched recursively (hidden entries skipped),
        files are taken whatever their suffix (the loader reports an unknown one).
    suffixes : the registered suffixes, lower case with the dot (``.txt``).

    Returns
    -------
    ``(sources, failures)``: the sources in order (each folder's files sorted by path),
    and one failure per folder that could not be listed.

    >>> sources, failures = list_sources(["data/standards"], [".txt"])
    >>> sources[0].name, failures
    ('IDC3339-001v2.txt', [])
    >>> list_sources(["no/such.txt"], [".txt"])[0][0].name
    'no/such.txt'
    """
    wanted = frozenset(suffixes)
    sources: list[Source] = []
    failures: list[LoadWarning] = []
    for given in paths:
        top = os.fspath(given)
        if os.path.isdir(top):
            sources.extend(sorted(_walk(top, wanted, failures), key=lambda s: s.path))
        elif os.path.lexists(top):
            sources.append(Source(top, shown(os.path.basename(top) or top), os.path.abspath(top)))
        else:
            sources.append(Source(top, shown(top), os.path.abspath(top)))
    return sources, failures
