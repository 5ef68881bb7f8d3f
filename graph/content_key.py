"""The content key of a graph: everything that can change it, hashed.

Each input file's path and content hash (remembered by ``stat``: :mod:`graph.digests`), the
aliases file's hash, :data:`CODE_VERSION` and a hash of the ``graph`` and ``loaders``
sources (a change to a front end keeps the cache warm). A cache file or a derived file
named by this key is never used for other inputs or other code.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from graph.digests import Digests
from loaders.sources import Source, list_sources

#: Bump when the graph's content changes in a way the source hash cannot see.
CODE_VERSION = "1"

_ROOT = Path(__file__).resolve().parent.parent


def expand(paths: Sequence[str]) -> list[Source]:
    """The files ``load_corpus`` reads for ``paths`` (the same listing)."""
    from loaders.corpus import FORMATS

    return list_sources(paths, FORMATS)[0]


def _sources() -> Iterator[Path]:
    for package in ("graph", "loaders"):
        yield from sorted((_ROOT / package).glob("*.py"))


@lru_cache(maxsize=1)
def code_hash() -> str:
    """A hash of :data:`CODE_VERSION` and the ``graph`` / ``loaders`` sources."""
    h = hashlib.sha256(CODE_VERSION.encode())
    for src in _sources():
        h.update(src.name.encode())
        h.update(src.read_bytes())
    return h.hexdigest()


def cache_key(paths: Sequence[str], aliases_path: Path, memo: Path | None = None) -> str:
    """The key of the graph built from ``paths`` with the aliases in ``aliases_path``.

    Missing paths still count (by name), so that a path that appears later changes the key.
    ``memo`` is a folder where the files' digests are remembered by their ``stat``
    (:mod:`graph.digests`; None: every file is hashed).
    """
    digests = Digests(memo)
    h = hashlib.sha256(code_hash().encode())
    for raw in paths:
        h.update(b"\0arg\0" + os.fsencode(raw))
    for f in expand(paths):
        h.update(b"\0file\0" + os.fsencode(f.path) + b"\0" + f.name.encode() + b"\0")
        h.update(digests.digest(f.path))
    h.update(b"\0aliases\0" + os.fsencode(aliases_path))
    if aliases_path.is_file():
        h.update(digests.digest(str(aliases_path)))
    digests.save()
    return h.hexdigest()
