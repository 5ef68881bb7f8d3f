"""Curated aliases: parsing, errors with their line, and the shipped file."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.aliases import Alias, default_aliases_path, load_aliases, read_aliases, resolve
from graph.identity import item_key
from graph.model import Kind
from loaders.errors import AliasError

HEADER = "kind,name,canonical,reason\n"


def test_parses_rows_with_lines() -> None:
    text = HEADER + "\n# a comment\nknowledge,客戶關係管理,顧客關係管理,同義詞\nSkill,甲,乙,r\n"
    aliases = load_aliases(text, "a.csv")
    assert aliases == (
        Alias(Kind.KNOWLEDGE, "客戶關係管理", "顧客關係管理", "同義詞", 4),
        Alias(Kind.SKILL, "甲", "乙", "r", 5),
    )


def test_byte_order_mark_is_accepted() -> None:
    assert len(load_aliases("\ufeff" + HEADER + "attitude,甲,乙,r\n", "a.csv")) == 1


@pytest.mark.parametrize(
    ("body", "line", "reason"),
    [
        ("feeling,甲,乙,r\n", 2, "unknown kind 'feeling'"),
        ("skill,,乙,r\n", 2, "empty name"),
        ("skill,甲,乙,r\nskill, ,丙,r\n", 3, "empty name"),
        ("skill,甲,,r\n", 2, "empty canonical"),
        ("skill,甲,乙,r\nskill,乙,甲,r\n", 3, "alias cycle"),
        ("skill,甲,乙,r\nskill,乙,丙,r\nskill,丙,甲,r\n", 4, "alias cycle"),
        ("skill,甲,乙,r\nskill,甲,丙,r\n", 3, "already has canonical"),
        ("skill,甲,乙\n", 2, "expected 4 columns"),
        ("skill,資料 蒐集,資料搜集,r\n", 2, "already the same item"),
    ],
)
def test_bad_lines_name_file_and_line(body: str, line: int, reason: str) -> None:
    with pytest.raises(AliasError) as info:
        load_aliases(HEADER + body, "data/aliases.csv")
    assert info.value.path == "data/aliases.csv"
    assert info.value.line == line
    assert reason in info.value.reason
    assert str(info.value).startswith(f"data/aliases.csv:{line}: ")


def test_bad_header() -> None:
    with pytest.raises(AliasError) as info:
        load_aliases("name,canonical\n甲,乙\n", "x.csv")
    assert info.value.line == 1


def test_same_name_in_two_kinds_is_no_cycle() -> None:
    aliases = load_aliases(HEADER + "skill,甲,乙,r\nknowledge,乙,甲,r\n", "x.csv")
    assert len(aliases) == 2


def test_resolve_follows_chains() -> None:
    aliases = load_aliases(HEADER + "skill,甲,乙,r\nskill,乙,丙,r\n", "x.csv")
    final = resolve(aliases)
    assert final[(Kind.SKILL, item_key("甲"))].canonical == "丙"
    assert final[(Kind.SKILL, item_key("乙"))].canonical == "丙"


def test_missing_file_means_no_aliases(tmp_path: Path) -> None:
    assert read_aliases(tmp_path / "none.csv") == ()


def test_environment_names_another_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ICAPGRAPH_ALIASES", str(tmp_path / "mine.csv"))
    assert default_aliases_path() == tmp_path / "mine.csv"


def test_shipped_file_is_valid_and_reasoned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ICAPGRAPH_ALIASES", raising=False)
    path = default_aliases_path()
    assert path.parent.name == "data" and path.is_file()
    aliases = read_aliases(path)
    pairs = {(a.kind, a.name, a.canonical) for a in aliases}
    assert (Kind.KNOWLEDGE, "客戶關係管理", "顧客關係管理") in pairs
    assert all(len(a.reason) >= 20 for a in aliases)
