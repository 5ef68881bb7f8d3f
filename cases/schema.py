"""The case database's schema, its versions and opening a file safely.

The schema version is SQLite's ``user_version``; :data:`MIGRATIONS` lists every step
from an empty file, each applied in its own transaction together with the version it
reaches, so a database is always at one exact version. ``application_id`` marks the file
as ours. A file that is not a database, fails SQLite's quick check, belongs to another
program or was written by a newer version is refused with one line — and never written
to: nothing is changed (not even the journal mode) before those checks pass.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from loaders.errors import CaseError

#: ``PRAGMA application_id`` of a case database ("icap").
APPLICATION_ID = 0x69636170

#: Every schema step, in order: (version reached, statements).
MIGRATIONS: tuple[tuple[int, tuple[str, ...]], ...] = (
    (1, (
        f"PRAGMA application_id = {APPLICATION_ID}",
        """CREATE TABLE cases (
               id INTEGER PRIMARY KEY,
               name TEXT NOT NULL UNIQUE,
               note TEXT NOT NULL DEFAULT '',
               profile TEXT NOT NULL,
               created TEXT NOT NULL,
               updated TEXT NOT NULL)""",
        """CREATE TABLE targets (
               case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
               position INTEGER NOT NULL,
               code TEXT NOT NULL,
               PRIMARY KEY (case_id, position))""",
    )),
    # Version 2 keeps the match options a case was saved with (filters, how many
    # results) and the content key of the data it was matched against.
    (2, (
        "ALTER TABLE cases ADD COLUMN options TEXT NOT NULL DEFAULT '{}'",
        "ALTER TABLE cases ADD COLUMN data_key TEXT NOT NULL DEFAULT ''",
    )),
)
#: The version this code reads and writes.
SCHEMA_VERSION = MIGRATIONS[-1][0]


def _create(path: Path) -> None:
    """An empty file readable by its owner only (SQLite gives its WAL the same mode)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def _check(conn: sqlite3.Connection, path: Path) -> int:
    """The file's schema version, after checking it is a sound case database of ours."""
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        app = int(conn.execute("PRAGMA application_id").fetchone()[0])
        tables = int(conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
        sound = conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    except sqlite3.DatabaseError as exc:
        raise CaseError(f"{path}: not a readable case database ({exc}); left untouched") from exc
    if not sound:
        raise CaseError(f"{path}: the case database is damaged (SQLite quick check failed); "
                        "left untouched")
    if version > SCHEMA_VERSION:
        raise CaseError(f"{path}: written by a newer version of icapgraph (schema {version}; "
                        f"this one reads up to {SCHEMA_VERSION}); left untouched")
    if (version or tables) and app != APPLICATION_ID:
        raise CaseError(f"{path}: another program's database, not a case file; left untouched")
    return version


def migrate(conn: sqlite3.Connection, *, upto: int = SCHEMA_VERSION) -> int:
    """Apply the missing steps up to version ``upto``, one transaction each.

    Returns
    -------
    int : the version reached.
    """
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    for target, statements in MIGRATIONS:
        if version < target <= upto:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in statements:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {int(target)}")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            version = target
    return version


@contextlib.contextmanager
def connect(path: Path, *, create: bool, upto: int = SCHEMA_VERSION
            ) -> Iterator[sqlite3.Connection | None]:
    """An open, checked and migrated connection to the case file at ``path``, or None when
    the file does not exist and ``create`` is false. Closed on exit.

    Raises
    ------
    CaseError
        The file is damaged, not ours, or newer (it is left as it is).
    """
    if not path.exists():
        if not create:
            yield None
            return
        _create(path)
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=10)
    except sqlite3.Error as exc:
        raise CaseError(f"{path}: cannot open the case database ({exc})") from exc
    try:
        _check(conn, path)
        with contextlib.suppress(OSError):
            if path.stat().st_mode & 0o077:
                path.chmod(0o600)
        conn.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit is on disk when it returns, so a kill or a crash loses at most
        # the edit in progress. secure_delete: freed pages are zeroed, not left behind.
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA secure_delete = ON")
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn, upto=upto)
        yield conn
    except sqlite3.DatabaseError as exc:
        raise CaseError(f"{path}: case database error ({exc})") from exc
    finally:
        conn.close()
