"""Case files (cases/): the SQLite store, its schema versions, and what it refuses.

Every database here lives in a temporary folder; nothing touches the user's data folder.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from cases.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, connect, migrate
from cases.store import ENV_HOME, Case, CaseStore, default_path
from loaders.errors import CaseError

ROOT = Path(__file__).resolve().parent.parent
SECRET = "王小明的身分證 A123456789 與病史"


def case(name: str = "王小明", note: str = SECRET) -> Case:
    profile = {"jobs": [{"occupation": "IDC3339-001v2", "items": None}], "ticked": [],
               "typed": [{"text": note, "chosen": None}]}
    return Case(name, profile, ("IDC5294-001v2", "KMC2431-001v4"), note=note,
                options={"top": 10})


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_location_follows_icapgraph_home(monkeypatch: pytest.MonkeyPatch,
                                         tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_HOME, str(tmp_path))
    assert default_path() == tmp_path / "cases.sqlite3"
    monkeypatch.delenv(ENV_HOME)
    assert default_path().name == "cases.sqlite3" and "icapgraph" in str(default_path())


def test_save_get_list_round_trip(tmp_path: Path) -> None:
    store = CaseStore(tmp_path / "c.sqlite3")
    assert store.list() == [] and not store.path.exists()  # reading creates nothing
    saved = store.save(case())
    got = store.get("王小明")
    assert got.profile == case().profile and got.note == SECRET
    assert got.targets == ("IDC5294-001v2", "KMC2431-001v4") and got.options == {"top": 10}
    assert got.created == saved.created and got.updated == saved.updated
    [summary] = store.list()
    assert (summary.name, summary.targets) == ("王小明", 2)


def test_file_is_for_its_owner_only(tmp_path: Path) -> None:
    store = CaseStore(tmp_path / "sub" / "c.sqlite3")
    store.save(case())
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.parent.stat().st_mode) == 0o700


def test_an_existing_name_is_refused_unless_replacing(tmp_path: Path) -> None:
    store = CaseStore(tmp_path / "c.sqlite3")
    first = store.save(case())
    with pytest.raises(CaseError) as err:
        store.save(case(note="另一位"))
    assert "王小明" in str(err.value) and "--replace" in str(err.value)
    assert store.get("王小明").note == SECRET
    store.save(Case("王小明", {"jobs": []}, ("X",), note="新的"), replace_existing=True)
    got = store.get("王小明")
    assert (got.note, got.targets, got.created) == ("新的", ("X",), first.created)


def test_rename_and_missing_names(tmp_path: Path) -> None:
    store = CaseStore(tmp_path / "c.sqlite3")
    store.save(case("甲"))
    store.save(case("乙"))
    store.rename("甲", "丙")
    assert sorted(c.name for c in store.list()) == ["丙", "乙"]
    with pytest.raises(CaseError):
        store.rename("乙", "丙")
    with pytest.raises(CaseError) as err:
        store.get("甲")
    assert "no case named '甲'" in str(err.value)
    for bad in ("", "   ", "a\x00b", "x" * 101):
        with pytest.raises(CaseError):
            store.save(case(bad))


def _bytes_of(path: Path) -> bytes:
    out = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        p = Path(str(path) + suffix)
        if p.exists():
            out += p.read_bytes()
    return out


def test_delete_wipes_the_client_from_every_file(tmp_path: Path) -> None:
    store = CaseStore(tmp_path / "c.sqlite3")
    store.save(case("李小華", note="留下的個案紀錄"))
    # An idle connection held open (as a running app would) keeps the write-ahead log
    # from being folded back and removed when the saving connection closes.
    other = sqlite3.connect(store.path)
    other.execute("SELECT count(*) FROM cases").fetchone()
    store.save(case("王小明"))
    needle = SECRET.encode("utf-8")
    wal = Path(str(store.path) + "-wal")
    assert needle in wal.read_bytes()
    assert store.delete("王小明") is True
    assert [c.name for c in store.list()] == ["李小華"]
    left = _bytes_of(store.path)
    assert needle not in left and "王小明".encode() not in left
    assert "留下的個案紀錄".encode() in left  # the other client is still there
    other.close()
    with pytest.raises(CaseError):
        store.delete("王小明")


def test_delete_while_another_reader_reads_says_so(tmp_path: Path) -> None:
    store = CaseStore(tmp_path / "c.sqlite3")
    store.save(case("王小明"))
    store.save(case("李小華", note="另一位"))
    reader = sqlite3.connect(store.path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM cases").fetchone()  # an open read transaction
    try:
        assert store.delete("王小明") is False
    finally:
        reader.execute("COMMIT")
        reader.close()
    assert [c.name for c in store.list()] == ["李小華"]


def test_corrupt_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    before = digest(path)
    store = CaseStore(path)
    for action in (store.list, lambda: store.save(case()), lambda: store.get("x")):
        with pytest.raises(CaseError) as err:
            action()
        assert "left untouched" in str(err.value) and "\n" not in str(err.value)
    assert digest(path) == before and not Path(str(path) + "-wal").exists()


def test_damaged_pages_are_refused(tmp_path: Path) -> None:
    store = CaseStore(tmp_path / "c.sqlite3")
    for i in range(40):
        store.save(case(f"個案{i}"))
    data = bytearray(store.path.read_bytes())
    page = 4096
    data[2 * page + 10: 3 * page - 10] = b"\xff" * (page - 20)  # scribble over a page
    store.path.write_bytes(bytes(data))
    before = digest(store.path)
    with pytest.raises(CaseError):
        store.list()
    assert digest(store.path) == before


def test_newer_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    CaseStore(path).save(case())
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(CaseError) as err:
        CaseStore(path).save(case("新"))
    assert "newer version" in str(err.value)
    assert digest(path) == before


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(CaseError) as err:
        CaseStore(path).list()
    assert "another program" in str(err.value)


def test_migration_from_version_1_keeps_the_cases(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    path.touch(mode=0o600)
    with connect(path, create=True, upto=1) as conn:
        assert conn is not None
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        columns = [r[1] for r in conn.execute("PRAGMA table_info(cases)")]
        assert "options" not in columns
        conn.execute("INSERT INTO cases (name, note, profile, created, updated) VALUES "
                     "('舊個案', '舊紀錄', '{\"jobs\": []}', '2025-01-01', '2025-01-02')")
        conn.execute("INSERT INTO targets VALUES (1, 0, 'IDC3339-001v2')")
    old = CaseStore(path).get("舊個案")  # opening migrates to the current version
    assert (old.note, old.targets, old.options, old.data_key) == (
        "舊紀錄", ("IDC3339-001v2",), {}, "")
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
    assert raw.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    raw.close()
    assert [v for v, _s in MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1))


def test_a_failing_migration_step_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    path.touch(mode=0o600)
    with connect(path, create=True, upto=1):
        pass
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("ALTER TABLE cases ADD COLUMN data_key TEXT")  # makes step 2 fail
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert "options" not in [r[1] for r in conn.execute("PRAGMA table_info(cases)")]
    conn.close()


WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from cases.store import Case, CaseStore
    store = CaseStore(Path(sys.argv[1]))
    i = 0
    while True:
        name = f"個案{i % 7}"
        targets = tuple(f"T{i}-{k}" for k in range(i % 5 + 1))
        store.save(Case(name, {"i": i, "pad": "x" * (i % 300)}, targets, note=f"note {i}"),
                   replace_existing=True)
        print(i, flush=True)
        i += 1
""")


def test_a_killed_writer_loses_at_most_the_edit_in_progress(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for delay in (0.4, 0.7, 1.1):
        proc = subprocess.Popen([sys.executable, str(script), str(path)], env=env,
                                stdout=subprocess.PIPE, text=True)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        done = [int(n) for n in out.split()]
        cases = {c.name: CaseStore(path).get(c.name) for c in CaseStore(path).list()}
        assert cases, "the writer saved nothing before it was killed"
        for c in cases.values():
            i = int(c.profile["i"])
            # each case is whole: its note, targets and profile are from the same save
            assert c.note == f"note {i}" and c.profile["pad"] == "x" * (i % 300)
            assert c.targets == tuple(f"T{i}-{k}" for k in range(i % 5 + 1))
        if done:  # every save reported as finished is on disk
            last = done[-1]
            assert int(cases[f"個案{last % 7}"].profile["i"]) >= last
        check = sqlite3.connect(path)
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        check.close()
