"""Case files: a client's profile, chosen targets and the counsellor's notes, kept in one
SQLite database on this machine (nothing leaves it).

The database lives in the user's data folder (``platformdirs``: ``~/.local/share/icapgraph``
on Linux) or in ``$ICAPGRAPH_HOME``; the file is readable by its owner only. Every write
is one transaction committed with ``synchronous = FULL``, so a process killed mid-way loses
at most the edit in progress, never a saved case. Deleting a case removes its rows, then
VACUUMs and truncates the write-ahead log, so nothing of the client stays in the files.
Each operation opens and closes its own connection (the app calls from several threads).

>>> import tempfile
>>> store = CaseStore(Path(tempfile.mkdtemp()) / "cases.sqlite3")
>>> _ = store.save(Case("王小明", {"jobs": []}, targets=("IDC3339-001v2",), note="轉職諮詢"))
>>> [c.name for c in store.list()], store.get("王小明").targets
(['王小明'], ('IDC3339-001v2',))
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cases.schema import connect
from loaders.errors import CaseError

#: Environment variable naming the folder that holds the case database.
ENV_HOME = "ICAPGRAPH_HOME"
DB_NAME = "cases.sqlite3"
#: Longest case name accepted.
MAX_NAME = 100


def default_path() -> Path:
    """``$ICAPGRAPH_HOME/cases.sqlite3`` when set, else the user's data folder's.

    >>> default_path().name
    'cases.sqlite3'
    """
    home = os.environ.get(ENV_HOME)
    if home:
        return Path(home).expanduser() / DB_NAME
    import platformdirs

    return Path(platformdirs.user_data_dir("icapgraph", appauthor=False)) / DB_NAME


@dataclass(frozen=True, slots=True)
class Case:
    """One case: plain JSON-ready data (``profile`` and ``options`` as written by
    ``queries.profile.ProfileSpec.to_json`` and ``queries.match.MatchOptions.to_json``)."""

    name: str
    profile: dict[str, Any]
    targets: tuple[str, ...] = ()
    note: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    data_key: str = ""
    created: str = ""
    updated: str = ""

    def to_json(self) -> dict[str, Any]:
        """The case as JSON-ready data (``case show --json``)."""
        return {"name": self.name, "note": self.note, "profile": self.profile,
                "targets": list(self.targets), "options": self.options,
                "data_key": self.data_key, "created": self.created, "updated": self.updated}


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """A line of the case list."""

    name: str
    targets: int
    updated: str
    note: str


def check_name(name: str) -> str:
    """The case name, stripped.

    Raises
    ------
    CaseError
        Empty, longer than :data:`MAX_NAME`, or holding control characters.

    >>> check_name("  王小明 ")
    '王小明'
    """
    clean = name.strip()
    if not clean:
        raise CaseError("a case needs a name")
    if len(clean) > MAX_NAME:
        raise CaseError(f"case name longer than {MAX_NAME} characters: {clean[:20]!r}…")
    if any(unicodedata.category(ch).startswith("C") for ch in clean):
        raise CaseError(f"case name holds control characters: {clean!r}")
    return clean


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class CaseStore:
    """The case database at ``path`` (:func:`default_path` when None). Reading a store
    whose file does not exist yet finds no cases and creates nothing."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = default_path() if path is None else path

    def list(self) -> list[CaseSummary]:
        """Every case, most recently updated first."""
        with connect(self.path, create=False) as conn:
            if conn is None:
                return []
            rows = conn.execute(
                "SELECT c.name, count(t.code), c.updated, c.note FROM cases c "
                "LEFT JOIN targets t ON t.case_id = c.id GROUP BY c.id "
                "ORDER BY c.updated DESC, c.name").fetchall()
        return [CaseSummary(str(n), int(k), str(u), str(note)) for n, k, u, note in rows]

    def get(self, name: str) -> Case:
        """The case called ``name``.

        Raises
        ------
        CaseError
            There is no such case (the message lists the closest names).
        """
        with connect(self.path, create=False) as conn:
            row = None if conn is None else conn.execute(
                "SELECT id, name, note, profile, options, data_key, created, updated "
                "FROM cases WHERE name = ?", (check_name(name),)).fetchone()
            if row is None or conn is None:
                raise self._missing(name)
            targets = conn.execute("SELECT code FROM targets WHERE case_id = ? "
                                   "ORDER BY position", (row[0],)).fetchall()
        _id, stored, note, profile, options, data_key, created, updated = row
        return Case(str(stored), _json(profile, name), tuple(str(t) for (t,) in targets),
                    str(note), _json(options, name), str(data_key), str(created), str(updated))

    def save(self, case: Case, *, replace_existing: bool = False) -> Case:
        """Write ``case`` (one transaction); returns it as stored (times filled in).

        Raises
        ------
        CaseError
            A case of that name exists and ``replace_existing`` is false.
        """
        name = check_name(case.name)
        now = _now()
        with connect(self.path, create=True) as conn:
            assert conn is not None
            conn.execute("BEGIN IMMEDIATE")
            try:
                old = conn.execute("SELECT id, created FROM cases WHERE name = ?",
                                   (name,)).fetchone()
                if old is not None and not replace_existing:
                    raise CaseError(f"a case named {name!r} exists; use --replace to "
                                    "overwrite it")
                created = str(old[1]) if old is not None else now
                values = (case.note, json.dumps(case.profile, ensure_ascii=False),
                          json.dumps(case.options, ensure_ascii=False), case.data_key, now)
                if old is None:
                    case_id = conn.execute(
                        "INSERT INTO cases (name, note, profile, options, data_key, updated, "
                        "created) VALUES (?, ?, ?, ?, ?, ?, ?)", (name, *values, created)
                    ).lastrowid
                else:
                    case_id = old[0]
                    conn.execute("UPDATE cases SET note = ?, profile = ?, options = ?, "
                                 "data_key = ?, updated = ? WHERE id = ?", (*values, case_id))
                    conn.execute("DELETE FROM targets WHERE case_id = ?", (case_id,))
                conn.executemany("INSERT INTO targets (case_id, position, code) VALUES (?, ?, ?)",
                                 [(case_id, i, code) for i, code in enumerate(case.targets)])
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        return replace(case, name=name, created=created, updated=now)

    def rename(self, old: str, new: str) -> None:
        """Give case ``old`` the name ``new``.

        Raises
        ------
        CaseError
            ``old`` does not exist or ``new`` does.
        """
        old, new = check_name(old), check_name(new)
        with connect(self.path, create=False) as conn:
            if conn is None:
                raise self._missing(old)
            try:
                changed = conn.execute("UPDATE cases SET name = ?, updated = ? WHERE name = ?",
                                       (new, _now(), old)).rowcount
            except sqlite3.IntegrityError:
                raise CaseError(f"a case named {new!r} exists already") from None
        if not changed:
            raise self._missing(old)

    def delete(self, name: str) -> bool:
        """Delete case ``name`` and wipe it from the files: rows removed, database
        VACUUMed, write-ahead log checkpointed and truncated.

        Returns
        -------
        bool : whether the log could be emptied (False while another process holds the
        database open for reading: then its old pages are only overwritten later).

        Raises
        ------
        CaseError
            There is no such case.
        """
        name = check_name(name)
        with connect(self.path, create=False) as conn:
            if conn is None:
                raise self._missing(name)
            conn.execute("BEGIN IMMEDIATE")
            gone = conn.execute("DELETE FROM cases WHERE name = ?", (name,)).rowcount
            conn.execute("COMMIT")
            if not gone:
                raise self._missing(name)
            conn.execute("VACUUM")
            # A reader holding a snapshot blocks the truncation; do not wait long for it.
            conn.execute("PRAGMA busy_timeout = 1000")
            busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return not busy

    def _missing(self, name: str) -> CaseError:
        import difflib

        names = [c.name for c in self.list()]
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.3)
        hint = f"; closest: {'、'.join(close)}" if close else ""
        return CaseError(f"no case named {name!r}{hint}")


def _json(text: str, name: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CaseError(f"case {name!r}: stored data is not JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise CaseError(f"case {name!r}: stored data is not an object")
    return data
