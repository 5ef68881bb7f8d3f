"""File digests remembered by their stat (graph/digests.py): the content key never goes stale."""

from __future__ import annotations

import hashlib
from pathlib import Path

import msgspec
import pytest

from graph import digests
from graph.aliases import default_aliases_path
from graph.digests import MEMO_NAME, Digests
from graph.store import cache_key

ROOT = Path(__file__).resolve().parent.parent


def _memo(folder: Path) -> dict[str, list[object]]:
    found: dict[str, list[object]] = msgspec.msgpack.decode((folder / MEMO_NAME).read_bytes())
    return found


def test_a_file_just_written_is_hashed_again_next_time(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(b"abc")
    memo = Digests(tmp_path)
    assert memo.digest(str(f)) == hashlib.sha256(b"abc").digest()
    memo.save()
    # Changed within the timestamp resolution of the read: never remembered.
    assert not (tmp_path / MEMO_NAME).exists()


def test_a_settled_file_is_read_back_until_its_stat_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(digests, "SETTLED_NS", -1)  # every file counts as settled
    f = tmp_path / "a.txt"
    f.write_bytes(b"abc")
    memo = Digests(tmp_path)
    memo.digest(str(f))
    memo.save()
    [entry] = _memo(tmp_path).values()
    assert entry[5] == hashlib.sha256(b"abc").digest()
    # Plant a different digest under the same stat: it is what comes back (read, not hashed).
    planted = {str(f): [*entry[:5], b"x" * 32]}
    (tmp_path / MEMO_NAME).write_bytes(msgspec.msgpack.encode(planted))
    assert Digests(tmp_path).digest(str(f)) == b"x" * 32
    f.write_bytes(b"abcd")  # another size, another mtime: hashed again
    assert Digests(tmp_path).digest(str(f)) == hashlib.sha256(b"abcd").digest()


def test_a_damaged_memo_is_ignored(tmp_path: Path) -> None:
    (tmp_path / MEMO_NAME).write_bytes(b"\xc1 not msgpack")
    f = tmp_path / "a.txt"
    f.write_bytes(b"abc")
    assert Digests(tmp_path).digest(str(f)) == hashlib.sha256(b"abc").digest()


def test_an_unreadable_file_has_the_digest_of_its_reason(tmp_path: Path) -> None:
    missing = tmp_path / "gone.txt"
    assert Digests(tmp_path).digest(str(missing)) == hashlib.sha256(b"unreadable: 2").digest()


def test_the_content_key_is_the_same_with_and_without_the_memo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(digests, "SETTLED_NS", -1)
    seeds = [str(ROOT / "data" / "standards")]
    plain = cache_key(seeds, default_aliases_path())
    first = cache_key(seeds, default_aliases_path(), tmp_path)  # hashes and remembers
    assert len(_memo(tmp_path)) == 6  # five standards and the aliases file
    again = cache_key(seeds, default_aliases_path(), tmp_path)  # reads back
    assert plain == first == again


def test_an_unwritable_memo_folder_still_gives_the_key(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    seeds = [str(ROOT / "data" / "standards")]
    assert cache_key(seeds, default_aliases_path(), blocker / "sub") == cache_key(
        seeds, default_aliases_path())
