"""Names that read alike below SIMILAR_TO: which pairs give credit (judged by hand on the
seeds and the corpus), how the classification explains them, and the on-disk cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from graphs import corpus, sample, seeds

from graph.kinds import Rel
from graph.lexical import fit_encoder
from graph.similar import profile_for
from graph.store import load_graph
from queries import name_similarity
from queries.classify import classify
from queries.credit import NGRAM_CREDIT
from queries.matching import partners
from queries.name_similarity import NGRAM_MIN, name_pairs
from queries.occupations import profile


def _score(G: object, a: str, b: str) -> float | None:
    return dict(name_pairs(G).partners(a)).get(b)  # type: ignore[arg-type]


def test_two_wordings_of_making_reports_partly_cover_each_other_on_the_seeds() -> None:
    # IDC3339-001v2 requires 簡易報表製作能力, KMC2431-009v2 製作報表能力: both the skill of
    # making reports (the first its simple form). SIMILAR_TO does not link them (a cosine
    # under 0.5); the n-gram pairs do, both ways, and the classification names the
    # source's item, its score and a credit of NGRAM_CREDIT × that score.
    G = seeds()
    simple, plain = "skill:簡易報表製作能力", "skill:製作報表能力"
    assert not G.has_edge(simple, plain, key=Rel.SIMILAR_TO.value)
    score = _score(G, simple, plain)
    assert score is not None and NGRAM_MIN <= score < 0.5
    assert _score(G, plain, simple) == score
    for source, target, have, need in (("IDC3339-001v2", "KMC2431-009v2", simple, plain),
                                       ("KMC2431-009v2", "IDC3339-001v2", plain, simple)):
        a, b = profile(G, source), profile(G, target)
        covered, partly, missing = classify(G, a.uses, b)
        (row,) = [r for r in partly if r["id"] == need]
        assert row["match"]["id"] == have and row["match"]["via"] == "ngram"
        assert row["match"]["score"] == score
        assert row["credit"] == pytest.approx(NGRAM_CREDIT * score, abs=1e-4)
        assert need not in {r["id"] for r in covered + missing}


def test_a_shared_domain_prefix_alone_is_no_evidence() -> None:
    # 媒體企劃資料分析 and 媒體企劃資料建檔 (KMC2431-001v4's skills) share 媒體企劃, the prefix
    # that standard writes before most of its items, and 資料: analysing data is not filing
    # it. With the prefix counted in full they would score above NGRAM_MIN; with it
    # discounted (as SIMILAR_TO scores one shared prefix) they do not.
    G = seeds()
    analyse, file_ = "skill:媒體企劃資料分析", "skill:媒體企劃資料建檔"
    nodes = sorted(n for n, k in G.nodes(data="kind") if k == "Skill")
    enc = fit_encoder([G.nodes[n]["name"] for n in nodes], profile_for("Skill").lexical)
    i, j = nodes.index(analyse), nodes.index(file_)
    assert enc.row_prefixes[i] == enc.row_prefixes[j] != ""
    assert float(enc.full[i].multiply(enc.full[j]).sum()) >= NGRAM_MIN
    assert _score(G, analyse, file_) is None
    assert file_ not in {p.item for p in partners(G, analyse)}


def test_pairs_are_of_one_kind_symmetric_and_never_an_item_with_itself() -> None:
    for G in (seeds(), sample()):
        pairs = name_pairs(G)
        scores = pairs.scores
        assert (scores != scores.T).nnz == 0
        assert not scores.diagonal().any()
        assert (scores.data >= NGRAM_MIN).all() and (scores.data <= 1.0).all()
        coo = scores.tocoo()
        kinds = [G.nodes[pairs.items[r]]["kind"] == G.nodes[pairs.items[c]]["kind"]
                 for r, c in zip(coo.row, coo.col, strict=True)]
        assert all(kinds)


@pytest.mark.corpus
def test_wordings_judged_alike_and_apart_on_the_corpus(corpus_dir: Path) -> None:
    # Pairs read in the labelled sample (benchmarks/bench_name_pairs.py): the same
    # competency in other words gives credit; two skills of one standard that share only
    # its prefix 醫材業務 (leading and communicating) do not.
    G = corpus(str(corpus_dir))
    for a, b in (("knowledge:勞工安全", "knowledge:勞工安全基本認知"),
                 ("skill:資料蒐集彙整能力", "skill:資料蒐集與整理"),
                 ("knowledge:市場分析方法", "knowledge:市場分析報告概念")):
        score = _score(G, a, b)
        assert score is not None and score >= NGRAM_MIN, (a, b)
    assert _score(G, "skill:醫材業務領導", "skill:醫材業務溝通") is None
    assert _score(G, "skill:醫材業務規劃與組織", "skill:醫材業務溝通") is None


def test_kept_beside_the_graph_cache_and_rebuilt_when_corrupt(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, standards_dir: Path) -> None:
    monkeypatch.setenv("ICAPGRAPH_CACHE", str(tmp_path / "cache"))
    data = tmp_path / "standards"
    shutil.copytree(standards_dir, data)
    first = name_pairs(load_graph([str(data)]).graph)
    (saved,) = (tmp_path / "cache").glob("namepairs-*.npz")

    # A new process: the graph from the cache, the pairs read from the file (never built).
    def no_build(G: object) -> None:
        raise AssertionError("built again although the file is there")

    with monkeypatch.context() as m:
        m.setattr(name_similarity, "build", no_build)
        warm = name_pairs(load_graph([str(data)]).graph)
    assert warm.items == first.items and (warm.scores != first.scores).nnz == 0
    saved.write_bytes(b"not a numpy file")
    again = name_pairs(load_graph([str(data)]).graph)
    assert again.items == first.items and (again.scores != first.scores).nnz == 0
    assert saved.read_bytes() != b"not a numpy file"  # written again


def test_a_graph_built_in_memory_is_never_written(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    monkeypatch.setenv("ICAPGRAPH_CACHE", str(tmp_path))
    G = sample().copy()
    G.graph["content_key"] = "made up"  # not a graph load_graph returned
    assert len(name_pairs(G).items) == sum(
        1 for _n, k in G.nodes(data="kind") if k in ("Knowledge", "Skill", "Attitude"))
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_item_has_no_partner() -> None:
    assert name_pairs(sample()).partners("skill:量子力學") == ()
    assert np.asarray(name_pairs(sample()).scores.sum()) > 0
