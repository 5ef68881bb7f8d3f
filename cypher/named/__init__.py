"""The named queries' Cypher texts: ``<name>.cypher`` files in this folder.

A text names its parameters ``$name``; its first ``//`` line is its summary. The query
registry (:mod:`queries.registry`) pairs each text with its Python function, when there is
one, so the CLI, the app's console and the Neo4j commands all run the same text.

>>> "MATCH" in named_text("hubs")
True
>>> named_text("nope") is None
True
"""

from __future__ import annotations

from pathlib import Path

#: The folder of the ``.cypher`` files.
NAMED_DIR = Path(__file__).resolve().parent


def named_text(name: str) -> str | None:
    """The text of named query ``name`` (stripped, one final newline), or None."""
    path = NAMED_DIR / f"{name}.cypher"
    return path.read_text(encoding="utf-8").strip() + "\n" if path.is_file() else None


def named_files() -> list[Path]:
    """Every ``.cypher`` file, sorted by name."""
    return sorted(NAMED_DIR.glob("*.cypher"))
