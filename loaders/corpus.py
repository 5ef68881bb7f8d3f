"""Loading many standards at once: files and folders, a format registry, per-file failures.

Files are named as :mod:`loaders.sources` says: relative to the data folder given.

:func:`load_corpus` is the one entry point the CLI, the graph store and the app
use. A file that cannot be read becomes one line in ``Corpus.failures`` while
the others still load; corpus-level findings (a standard code loaded twice,
versions of one occupation) join the per-standard warnings in ``Corpus.warnings``.
"""

from __future__ import annotations

import gc
import importlib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import cast

from loaders.corpus_json import parse_standard_json
from loaders.decode import decode_bytes, read_bytes
from loaders.errors import IcapGraphError, ParseError, UnknownKey
from loaders.records import Corpus, LoadWarning, Standard
from loaders.sources import Source, list_sources, shown

Parser = Callable[[str, str], Standard]
BytesParser = Callable[[bytes, str], Standard]


@dataclass(frozen=True, slots=True)
class Format:
    """A file format: its name (as in ``SourceInfo.format``) and its parser, which takes
    the decoded text and the path. ``parse_bytes``, when given, takes the raw bytes
    instead and decodes them itself (with :func:`loaders.decode.decode_bytes`, or a
    faster reader when the bytes allow one)."""

    name: str
    parse: Parser
    parse_bytes: BytesParser | None = None


def _parse_text(text: str, path: str) -> Standard:
    # Imported on first use: the text parser is a large module that JSON-only
    # loads (the 908-file corpus) never need.
    module = importlib.import_module("loaders.text")
    return cast(Parser, module.parse_standard_text)(text, path)


#: File suffix -> format. Folders are searched for these suffixes only.
FORMATS: dict[str, Format] = {
    ".txt": Format("text", _parse_text),
    ".json": Format("json", parse_standard_json, parse_standard_json),
}

_VERSIONED = re.compile(r"(.+?)v(\d+)", re.IGNORECASE)


def format_for(path: str | os.PathLike[str]) -> Format:
    """The registered format of ``path``, chosen by its suffix (case-insensitive).

    Raises
    ------
    UnknownKey
        the suffix is not registered; the message lists the valid ones.

    >>> format_for("data/standards/IDC3339-001v2.txt").name
    'text'
    >>> format_for("notes.pdf")
    Traceback (most recent call last):
    ...
    loaders.errors.UnknownKey: unknown file format '.pdf'; choose one of: .json, .txt
    """
    suffix = os.path.splitext(os.fspath(path))[1].lower()
    try:
        return FORMATS[suffix]
    except KeyError:
        raise UnknownKey("file format", suffix or "(no suffix)", FORMATS) from None


def load_standard(path: str | os.PathLike[str], name: str | None = None) -> Standard:
    """Read and parse one file with the format its suffix names.

    Parameters
    ----------
    path : the file to read.
    name : how the records and messages name it (default: ``path``, made safe to print
        by :func:`loaders.sources.shown`).

    Raises
    ------
    ParseError
        unreadable, undecodable or malformed file (see :mod:`loaders.decode`), named
        by ``name``.
    UnknownKey
        an unregistered suffix.
    """
    file = os.fspath(path)
    shown_as = shown(file) if name is None else name
    try:
        fmt = format_for(file)
        data = read_bytes(file)
    except ParseError as exc:
        if not os.path.exists(file):  # asked only now: one stat less per file loaded
            raise ParseError(shown_as, None, "no such file or folder") from None
        raise ParseError(shown_as, exc.line, exc.reason) from None
    except IcapGraphError:
        if not os.path.exists(file):
            raise ParseError(shown_as, None, "no such file or folder") from None
        raise
    return _parse(fmt, data, shown_as)


def parse_bytes(data: bytes, name: str) -> Standard:
    """Parse a file's bytes with the format its name's suffix names (an upload, say).

    Raises
    ------
    UnknownKey
        an unregistered suffix (the message lists :data:`FORMATS`).
    ParseError
        undecodable or malformed bytes (one line naming ``name``).

    >>> parse_bytes(b"{}", "x.pdf")
    Traceback (most recent call last):
    ...
    loaders.errors.UnknownKey: unknown file format '.pdf'; choose one of: .json, .txt
    """
    return _parse(format_for(name), data, name)


def _parse(fmt: Format, data: bytes, name: str) -> Standard:
    if fmt.parse_bytes is not None:
        return fmt.parse_bytes(data, name)
    return fmt.parse(decode_bytes(data, name), name)


def _failure(name: str, exc: IcapGraphError) -> LoadWarning:
    if isinstance(exc, ParseError):
        return LoadWarning(name, exc.line or 0, exc.reason)
    return LoadWarning(name, 0, str(exc))


def _mark_versions(standards: list[Standard]) -> tuple[list[Standard], list[LoadWarning]]:
    """``latest=False`` on every standard that a higher ``v<N>`` of its code stem outranks."""
    groups: dict[str, list[tuple[int, int]]] = {}
    for i, std in enumerate(standards):
        m = _VERSIONED.fullmatch(std.code)
        if m is not None:
            groups.setdefault(m.group(1), []).append((int(m.group(2)), i))
    warnings: list[LoadWarning] = []
    for stem, members in groups.items():
        if len(members) < 2:
            continue
        newest = max(members)[1]
        for _, i in members:
            if i != newest:
                standards[i] = replace(standards[i], latest=False)
        names = {standards[i].name for _, i in members}
        if len(names) > 1:
            listed = ", ".join(
                f"{standards[i].code} {standards[i].name}" for _, i in sorted(members)
            )
            warnings.append(
                LoadWarning(
                    standards[newest].source.path,
                    0,
                    f"versions of {stem} have different names ({listed});"
                    " one of the codes may be wrong",
                )
            )
    return standards, warnings


def _promote_young() -> None:
    """Move every object the collector tracks into its oldest generation, unscanned.

    The records just built are long-lived and form no reference cycles, yet the
    first young-generation pass after the load would scan all ~145,000 of them
    (about as long as ``json.load`` of the whole corpus) only to promote them, and
    a middle-generation pass would scan them again later. ``freeze`` followed by
    ``unfreeze`` moves all tracked objects into the oldest generation in O(1):
    nothing is lost (full collections still scan them); only the young passes are
    skipped. The young generations were collected just before the load, so the
    only garbage this can carry along is cycles made during the load itself, and
    those wait for the next full collection. Skipped when another part of the
    program keeps objects frozen, as ``unfreeze`` would release them.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


def load_corpus(paths: Iterable[str | os.PathLike[str]]) -> Corpus:
    """Load every standard under ``paths`` (files and folders).

    Parameters
    ----------
    paths : files (any registered suffix) and folders (searched recursively for
        registered suffixes, in sorted order, hidden entries skipped).

    Returns
    -------
    ``Corpus(standards, warnings, failures)``: the standards in load order; when a
    standard code is loaded twice the first file wins and a warning names both;
    when several versions of one code stem are loaded (``KMC2431-001v3`` and
    ``…v4``) all are kept and only the newest has ``latest=True``. ``warnings``
    holds every standard's warnings, then the corpus-level ones; ``failures`` one
    line per file that could not be loaded (missing, unreadable, unknown format,
    empty, binary, undecodable, too large, malformed) and per folder that could not
    be read. Files are named relative to the folder given (see :mod:`loaders.sources`),
    in the records and in every message.

    Raises
    ------
    Nothing for bad files: they are reported in ``failures``.

    >>> corpus = load_corpus(["no/such/dir/x.json"])
    >>> corpus.standards, [str(f) for f in corpus.failures]
    ((), ['no/such/dir/x.json: no such file or folder'])
    >>> load_corpus(["data/standards"]).standards[0].source.path
    'IDC3339-001v2.txt'
    """
    if isinstance(paths, str | os.PathLike):  # one path, not an iterable of characters
        paths = [paths]
    sources, failures = list_sources(paths, FORMATS)
    standards: list[Standard] = []
    warnings: list[LoadWarning] = []
    first_file: dict[str, Source] = {}
    seen: set[str] = set()
    # The records form no reference cycles; collection passes while tens of
    # thousands of them are created would only re-scan the growing corpus.
    was_enabled = gc.isenabled()
    if was_enabled:
        # Young garbage from before the load is collected now (a small pass), as
        # _promote_young would otherwise carry it into the oldest generation.
        gc.collect(1)
    gc.disable()
    try:
        for source in sources:
            if source.real in seen:  # named twice (a folder and a file in it): load once
                continue
            seen.add(source.real)
            try:
                std = load_standard(source.path, source.name)
            except IcapGraphError as exc:
                failures.append(_failure(source.name, exc))
                continue
            first = first_file.setdefault(std.code, source)
            if first is not source:
                warnings.append(
                    LoadWarning(
                        source.name,
                        0,
                        f"duplicate standard code {std.code}:"
                        f" already loaded from {first.name}; this file is"
                        " left out",
                    )
                )
                continue
            standards.append(std)
    finally:
        if was_enabled:
            _promote_young()
            gc.enable()
    standards, version_warnings = _mark_versions(standards)
    own = [w for std in standards for w in std.warnings]
    return Corpus(tuple(standards), tuple(own + warnings + version_warnings), tuple(failures))
