"""Typed text → items (queries/resolve.py) and the search box (queries/search.py).

Expected values are read off the texts: IDC3339-001v2 lists S05 溝通協調能力, K09
顧客關係管理, K08 合約締結知識, K06 個人資料保護法, K07 IP 智財保護工具 and K02
網紅類型與商業模式; IDC5294-001v2 lists 網紅類型與獲利模式; data/aliases.csv maps
客戶關係管理 → 顧客關係管理 (knowledge) and 資料收集能力 → 資料蒐集能力 (skill).
On the corpus (../shared/icap-corpus) 倉儲管理 is a knowledge item and 倉儲管理能力 a skill
of 零售業倉儲管理人員, and no item is named 倉庫管理.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.aliases import default_aliases_path, read_aliases
from queries.resolve import MAX_SUGGESTIONS, SIMILAR_MIN, resolve_text, resolve_texts
from queries.search import closest, find_item, search
from tests.graphs import corpus, seeds

ALIASES = read_aliases(default_aliases_path())


def ids(resolution: dict[str, object]) -> list[str]:
    return [m["id"] for m in resolution["matched"]]  # type: ignore[attr-defined, index]


def test_identity_key_ignores_spacing_markup_case_and_variants() -> None:
    G = seeds()
    for typed in ("合約締結知識", "合約締結 知識 ^{【註1】}", "ip智財保護工具", "IP智財保護工具"):
        r = resolve_text(G, typed)
        assert r["status"] == "exact", typed
        assert ids(r)[0] in {"knowledge:合約締結知識", "knowledge:IP 智財保護工具"}
        assert r["matched"][0]["reason"] == "identity" and r["matched"][0]["score"] == 1.0


def test_generic_suffix_added_or_taken_off() -> None:
    G = seeds()
    r = resolve_text(G, "溝通 協調")
    assert r["status"] == "exact"
    assert ids(r) == ["skill:溝通協調能力"]
    assert r["matched"][0]["reason"] == "suffix"
    # 合約締結 + 知識 is the item; 合約締結知識 less 知識 + 能力 is not a name.
    assert ids(resolve_text(G, "合約締結")) == ["knowledge:合約締結知識"]


def test_curated_alias_with_and_without_suffix() -> None:
    G = seeds()
    r = resolve_text(G, "客戶關係管理", aliases=ALIASES)
    assert (r["status"], ids(r), r["matched"][0]["reason"]) == (
        "alias", ["knowledge:顧客關係管理"], "alias")
    # 資料收集 + 能力 = 資料收集能力, the alias of 資料蒐集能力 (a seed skill)
    r = resolve_text(G, "資料收集", aliases=ALIASES)
    assert (r["status"], ids(r), r["matched"][0]["reason"]) == (
        "alias", ["skill:資料蒐集能力"], "alias_suffix")


def test_similar_is_ranked_and_labelled() -> None:
    G = seeds()
    r = resolve_text(G, "個人資料保護")
    assert r["status"] == "similar"
    assert ids(r) == ["knowledge:個人資料保護法"]
    assert r["matched"][0]["reason"] == "similar" and r["matched"][0]["score"] >= SIMILAR_MIN
    # both 網紅類型 items read alike: both kept, the closer first
    assert ids(resolve_text(G, "網紅類型")) == ["knowledge:網紅類型與商業模式",
                                             "knowledge:網紅類型與獲利模式"]


def test_nothing_close_is_unmatched_with_suggestions_never_a_guess() -> None:
    r = resolve_text(seeds(), "量子力學")
    assert r["status"] == "unmatched" and r["matched"] == []
    assert 0 < len(r["suggestions"]) <= MAX_SUGGESTIONS
    empty = resolve_text(seeds(), "  ")
    assert empty == {"input": "  ", "status": "unmatched", "matched": [], "suggestions": []}


@given(st.text(min_size=1, max_size=12))
def test_resolutions_are_consistent(text: str) -> None:
    r = resolve_text(seeds(), text, aliases=ALIASES)
    assert (r["status"] == "unmatched") == (r["matched"] == [])
    assert len(r["suggestions"]) <= MAX_SUGGESTIONS
    assert not {m["id"] for m in r["matched"]} & {m["id"] for m in r["suggestions"]}
    if r["status"] == "similar":
        assert all(m["score"] >= SIMILAR_MIN for m in r["matched"])
    scores = [m["score"] for m in r["matched"]]
    assert scores == sorted(scores, reverse=True)


def test_hostile_text_is_just_unmatched() -> None:
    [r] = resolve_texts(seeds(), ["<script>alert(1)</script>"])
    assert r["input"] == "<script>alert(1)</script>"
    assert r["status"] in {"unmatched", "similar"}


def test_search_puts_what_the_text_means_first() -> None:
    G = seeds()
    # 談判 + 能力 is a skill of IDC5294-001v2; names that merely contain 談判 follow
    hits = search(G, "談判", aliases=ALIASES)
    assert hits[0]["id"] == "skill:談判能力"
    assert {"id", "kind", "name", "code", "standard"} == set(hits[0])
    assert search(G, "量子力學") == []
    assert closest(G, "網紅類型")[:2] == ["網紅類型與商業模式", "網紅類型與獲利模式"]


def test_find_item_takes_no_mere_look_alike() -> None:
    from loaders.errors import UnknownItem

    G = seeds()
    assert find_item(G, "溝通協調") == "skill:溝通協調能力"
    with pytest.raises(UnknownItem) as err:
        find_item(G, "個人資料保護")
    assert "個人資料保護法" in str(err.value)


@pytest.mark.corpus
def test_corpus_resolutions(corpus_dir: Path) -> None:
    G = corpus(str(corpus_dir))
    r = resolve_text(G, "倉庫管理", aliases=ALIASES)
    assert r["status"] == "alias"
    assert [m["name"] for m in r["matched"]] == ["倉儲管理", "倉儲管理能力"]
    r = resolve_text(G, "台灣勞動法規", aliases=ALIASES)
    assert r["status"] == "similar" and r["matched"][0]["name"] == "勞動法規相關知識"
    r = resolve_text(G, "溝通 協調", aliases=ALIASES)
    assert r["status"] == "exact" and "skill:溝通協調能力" in ids(r)
    r = resolve_text(G, "資料收集", aliases=ALIASES)
    assert r["status"] == "alias" and ids(r) == ["skill:資料蒐集能力"]


@pytest.mark.corpus
def test_corpus_search_for_an_everyday_word(corpus_dir: Path) -> None:
    G = corpus(str(corpus_dir))
    hits = search(G, "倉庫管理", aliases=ALIASES)
    assert [h["name"] for h in hits[:2]] == ["倉儲管理", "倉儲管理能力"]
    # the substring hits (texts that do say 倉庫管理) follow
    assert any("倉庫管理" in h["name"] for h in hits[2:])
