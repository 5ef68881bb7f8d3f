"""The matching model: weights and credits by hand, one classification for every front end
(a property over every seed pair and 200 corpus pairs), titles and codes never in the score,
occupations without knowledge or skills, and scoring an arbitrary set of items."""

from __future__ import annotations

import dataclasses
import math
import random
from functools import cache
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from graphs import ROOT, corpus, sample, seeds

from graph.aliases import default_aliases_path, read_aliases
from graph.build import build_graph
from graph.model import Kind, Rel, item_id, occupation_id, part_id
from loaders.corpus import load_corpus
from loaders.records import CodeName, Standard
from queries.classify import assess_pair, classify
from queries.credit import INCLUDES_CREDIT, NGRAM_CREDIT, REVIEW_CREDIT
from queries.gap import gap
from queries.index import code_stem, index
from queries.matching import model, partners
from queries.name_similarity import name_pairs
from queries.overlap import overlap
from queries.paths import paths
from queries.scores import item_scores, occupation_scores, score_all
from queries.transitions import transitions

SEEDS = ["IDC3339-001v2", "IDC5294-001v2", "KMC2431-001v4", "KMC2431-008v1", "KMC2431-009v2"]


# --- weights and credits, by hand --------------------------------------------------------

def test_an_item_every_current_occupation_requires_weighs_nothing() -> None:
    # 溝通協調能力 is required by AAA v2, BBB and CCC, the sample's three current
    # occupations: specificity ln((1 + 3) / (1 + 3)) = 0, whatever its importance.
    G = sample()
    m = model(G)
    assert m.spec[m.col["skill:溝通協調能力"]] == 0.0
    # 網紅類型與獲利模式 is required by BBB only: ln(4 / 2) = ln 2, field factor 1 (fewer
    # than two users), in BBB's T1.1 at level 4: weight ln 2 × √4.
    b = index(G).profiles["occupation:BBB2222-001v2"]
    use = b.uses["knowledge:網紅類型與獲利模式"]
    assert m.weight(use.item, use, b) == pytest.approx(math.log(2) * 2, abs=1e-12)


def test_partial_credit_by_relation() -> None:
    # The seeds: KMC2431-008v1's note lists 個人資料保護法 under 網路行銷相關法規 (INCLUDES).
    G = seeds()
    found = {p.item: p for p in partners(G, "knowledge:個人資料保護法")}
    term = found["knowledge:網路行銷相關法規"]
    assert (term.via, term.credit, term.score) == ("includes", INCLUDES_CREDIT, None)
    # A review-tier SIMILAR_TO pair counts REVIEW_CREDIT of its score, a similar-tier one
    # its score (read the tiers off the graph's own edges); a pair that is also a term and
    # its member, or whose names also read alike (n-gram pairs), keeps the best credit.
    names = name_pairs(G)
    for u, v, key, d in G.edges(keys=True, data=True):
        if key != Rel.SIMILAR_TO.value:
            continue
        p = next(p for p in partners(G, v) if p.item == u)
        factor = REVIEW_CREDIT if d["tier"] == "review" else 1.0
        term = INCLUDES_CREDIT if G.has_edge(u, v, key=Rel.INCLUDES.value) else 0.0
        ngram = NGRAM_CREDIT * dict(names.partners(v)).get(u, 0.0)
        assert p.credit == pytest.approx(max(factor * d["score"], term, ngram))


def test_best_single_match_never_sums_past_one() -> None:
    # Give A two items similar to B's 網紅類型與獲利模式 (0.8 and 0.7): credit 0.8, not 1.5.
    G = sample().copy()
    extra = item_id(Kind.KNOWLEDGE, "網紅類型與營利模式")
    G.add_node(extra, kind=Kind.KNOWLEDGE.value, name="網紅類型與營利模式")
    G.add_edge("task:AAA1111-001v2/T1.2", extra, key=Rel.REQUIRES_KNOWLEDGE.value,
               rel=Rel.REQUIRES_KNOWLEDGE.value, standard="AAA1111-001v2", task="T1.2")
    target = item_id(Kind.KNOWLEDGE, "網紅類型與獲利模式")
    for u, v in ((extra, target), (target, extra)):
        G.add_edge(u, v, key=Rel.SIMILAR_TO.value, rel=Rel.SIMILAR_TO.value, score=0.7,
                   tier="similar", method="lexical")
    G.graph["version"] = 3
    (partly,) = gap(G, "AAA1111-001v2", "BBB2222-001v2")["partly"]
    assert partly["credit"] == 0.8 and partly["match"]["name"] == "網紅類型與商業模式"
    assert [p["score"] for p in partly["partly_covered_by"]] == [0.8, 0.7]


# --- one classification everywhere: a property over many pairs --------------------------

def _check_pair(G: nx.MultiDiGraph, a: str, b: str) -> None:
    idx = index(G)
    src, tgt = idx.profiles[occupation_id(a)], idx.profiles[occupation_id(b)]
    g = gap(G, a, b)
    lists = {key: [i["id"] for i in g[key]] for key in ("covered", "partly", "missing")}  # type: ignore[literal-required]
    ids = [i for key in lists for i in lists[key]]
    # A partition of the target's requirements: every item in exactly one list.
    assert sorted(ids) == sorted(tgt.uses) and len(ids) == len(set(ids))
    assert set(lists["covered"]) == set(tgt.uses) & set(src.uses)
    for p in g["partly"]:
        assert p["match"]["id"] in src.uses and 0 < p["credit"] <= 1
    assert all(m["credit"] == 0.0 and not m["partly_covered_by"] for m in g["missing"])
    # overlap reports the same classification, both ways.
    o = overlap(G, [a, b])
    ab, ba = o["directions"]
    for key in ("covered", "partly", "missing"):
        assert [i["id"] for i in ab[key]] == lists[key]  # type: ignore[literal-required]
    shared = [e for entries in o["shared"].values() for e in entries]
    same = {e["id"] for e in shared if e["match"] in ("identical", "alias")}
    partial = {(e["id"], e["other_id"]) for e in shared if "other_id" in e}
    assert same == set(lists["covered"]) == {i["id"] for i in ba["covered"]}
    assert partial == ({(i["match"]["id"], i["id"]) for i in ab["partly"]}
                       | {(i["id"], i["match"]["id"]) for i in ba["partly"]})
    # Nothing shown as shared on B's side is a gap item.
    assert not ({e["other_id"] for e in shared if "other_id" in e} | same) & set(
        lists["missing"])
    # The score: the pair function, the sparse row and the all-pairs matrix agree.
    m = model(G)
    row = occupation_scores(G, src.node)
    j = m.row[tgt.node]
    assert g["score"] == pytest.approx(float(row.score[j]), abs=1e-4)
    assert float(score_all(G)[m.row[src.node], j]) == pytest.approx(float(row.score[j]),
                                                                      abs=1e-9)
    assert g["components"]["coverage"] == pytest.approx(float(row.coverage[j]), abs=1e-4)
    assert (g["score"], g["confidence"]) == (ab["score"], ab["confidence"])


@pytest.mark.parametrize(("a", "b"), [(a, b) for a in SEEDS for b in SEEDS if a != b])
def test_one_classification_on_every_seed_pair(a: str, b: str) -> None:
    G = seeds()
    _check_pair(G, a, b)
    # A direct step of a route learns exactly the gap's missing items.
    direct = [r for r in paths(G, a, b, k=5)["paths"] if len(r["steps"]) == 1]
    if direct:
        assert [x["id"] for x in direct[0]["steps"][0]["learn"]] == [
            m["id"] for m in gap(G, a, b)["missing"]]


def test_transition_counts_are_the_classification_on_the_seeds() -> None:
    G = seeds()
    for a in SEEDS:
        for t in transitions(G, a)["targets"]:
            g = gap(G, a, t["code"])
            assert (t["shared"], len(t["partly"]), t["gap"]) == (
                len(g["covered"]), len(g["partly"]), len(g["missing"]))
            assert t["components"] == g["components"]


@pytest.mark.corpus
def test_one_classification_on_200_corpus_pairs(corpus_dir: Path) -> None:
    G = corpus(str(corpus_dir))
    codes = sorted(p.code for p in index(G).profiles.values() if p.latest and p.uses)
    rng = random.Random(13)
    pairs = set()
    while len(pairs) < 200:
        a, b = rng.sample(codes, 2)
        if code_stem(a) != code_stem(b):
            pairs.add((a, b))
    for a, b in sorted(pairs):
        _check_pair(G, a, b)


# --- never titles, never codes -----------------------------------------------------------

def _renamed(standards: list[Standard]) -> tuple[list[Standard], dict[str, str]]:
    """Every occupation renamed, code stems permuted (version suffixes kept, so versions
    stay versions), classification codes permuted."""
    rng = random.Random(7)
    stems = sorted({code_stem(s.code) for s in standards if s.code})
    shuffled = stems[:]
    rng.shuffle(shuffled)
    new_stem = dict(zip(stems, shuffled, strict=True))
    classes = sorted({c.code for s in standards
                      for c in (*s.category, *s.occupation, *s.industry)})
    mixed = classes[:]
    rng.shuffle(mixed)
    new_class = dict(zip(classes, mixed, strict=True))

    def recode(code: str) -> str:
        stem = code_stem(code)
        return new_stem.get(stem, stem) + code[len(stem):] if code else code

    def reclass(entries: tuple[CodeName, ...]) -> tuple[CodeName, ...]:
        return tuple(CodeName(f"類別{new_class[c.code]}", new_class[c.code]) for c in entries)

    out, codes = [], {}
    for n, s in enumerate(standards):
        code = recode(s.code)
        codes[s.code] = code
        out.append(dataclasses.replace(
            s, code=code, name=f"改名職業{n:04d}", category=reclass(s.category),
            occupation=reclass(s.occupation), industry=reclass(s.industry), versions=()))
    return out, codes


def _same_scores(standards: list[Standard]) -> None:
    aliases = read_aliases(default_aliases_path())
    G = build_graph(standards, aliases)
    renamed, codes = _renamed(standards)
    H = build_graph(renamed, aliases)
    mg, mh = model(G), model(H)
    order = [mg.row[occupation_id(c)] for c in codes]
    moved = [mh.row[occupation_id(codes[c])] for c in codes]
    # The renaming really happened: no title survives, most codes moved.
    assert all(p.name.startswith("改名職業") for p in index(H).profiles.values())
    assert sum(a != b for a, b in codes.items()) >= 0.8 * len(codes)
    sg, sh = score_all(G), score_all(H)
    assert np.allclose(sg[np.ix_(order, order)], sh[np.ix_(moved, moved)], atol=1e-9)
    # And the explained pair scores too, for a few pairs.
    for a, b in list(zip(codes, list(codes)[1:], strict=False))[:10]:
        if code_stem(a) == code_stem(b):
            continue
        x = assess_pair(G, index(G).profiles[occupation_id(a)],
                        index(G).profiles[occupation_id(b)])
        y = assess_pair(H, index(H).profiles[occupation_id(codes[a])],
                        index(H).profiles[occupation_id(codes[b])])
        assert (x["score"], x["components"], x["confidence"]) == (
            y["score"], y["components"], y["confidence"])


def test_renaming_and_shuffling_codes_changes_no_score_on_the_seeds() -> None:
    _same_scores(list(load_corpus([ROOT / "data" / "standards"]).standards))


@pytest.mark.corpus
def test_renaming_and_shuffling_codes_changes_no_score_on_the_corpus(corpus_dir: Path) -> None:
    _same_scores(list(load_corpus([corpus_dir]).standards))


# --- occupations without knowledge or skills ---------------------------------------------

@cache
def _with_bare_occupations() -> nx.MultiDiGraph:
    """The sample plus DDD (tasks and an attitude, no K/S: its tasks read like BBB's) and
    EEE (nothing at all)."""
    G = sample().copy()
    for code, name, tasks in (("DDD4444-001v1", "只有任務", {"T1.1": "經營數位平台直播",
                                                         "T1.2": "剪輯直播影音內容"}),
                              ("EEE5555-001v1", "空的", {})):
        occ = occupation_id(code)
        G.add_node(occ, kind=Kind.OCCUPATION.value, name=name, code=code, level=3,
                   latest=True, historical=False)
        for t, text in tasks.items():
            task = part_id(Kind.TASK, code, t)
            G.add_node(task, kind=Kind.TASK.value, code=t, name=text, standard=code, level=3)
    G.add_edge("occupation:DDD4444-001v1", "attitude:彈性", key=Rel.REQUIRES_ATTITUDE.value,
               rel=Rel.REQUIRES_ATTITUDE.value, standard="DDD4444-001v1", task="")
    G.graph["version"] = 11
    return G


def test_a_source_without_knowledge_or_skills_is_scored_from_its_tasks() -> None:
    G = _with_bare_occupations()
    targets = transitions(G, "DDD4444-001v1")["targets"]
    # Its task names share 直播, 數位平台, 剪輯, 影音 with BBB's: BBB first, all 低.
    assert targets and targets[0]["code"] == "BBB2222-001v2"
    assert all(t["confidence"] == "低" for t in targets)
    assert all(t["score"] == t["components"]["tasks"] for t in targets)
    g = gap(G, "DDD4444-001v1", "BBB2222-001v2")
    # The classification still lists what DDD has (its one attitude, 彈性, BBB's too).
    assert [c["name"] for c in g["covered"]] == ["彈性"] and len(g["missing"]) > 0
    assert g["confidence"] == "低" and g["score"] == g["components"]["tasks"]


def test_an_occupation_with_nothing_scores_zero_without_dividing_by_zero() -> None:
    G = _with_bare_occupations()
    assert transitions(G, "EEE5555-001v1")["targets"] == []
    g = gap(G, "AAA1111-001v2", "EEE5555-001v1")
    assert (g["score"], g["components"]["coverage"], g["confidence"]) == (0.0, 0.0, "低")
    assert g["covered"] == g["partly"] == g["missing"] == []
    assert np.isfinite(score_all(G)).all()
    # Neither bare occupation is offered as a target: nothing known to require.
    offered = {t["code"] for t in transitions(G, "BBB2222-001v2", top=10)["targets"]}
    assert not offered & {"DDD4444-001v1", "EEE5555-001v1"}


# --- any set of items (a client's profile) ------------------------------------------------

def test_an_item_set_scores_like_the_occupation_that_has_it() -> None:
    G = seeds()
    p = index(G).profiles[occupation_id("IDC3339-001v2")]
    mine, theirs = item_scores(G, p.uses), occupation_scores(G, p.node)
    assert np.allclose(mine.coverage, theirs.coverage) and np.allclose(mine.exact,
                                                                       theirs.exact)
    # Without a task text the score is the coverage part alone.
    assert np.allclose(mine.score[theirs.paired], (theirs.coverage * theirs.evidence)[
        theirs.paired])
    # Unknown ids are ignored; an empty set covers nothing.
    assert not item_scores(G, ["skill:沒有這個"]).coverage.any()
    covered, partly, missing = classify(G, {"skill:溝通協調能力"},
                                        index(G).profiles[occupation_id("IDC5294-001v2")])
    assert [c["name"] for c in covered] == ["溝通協調能力"]
    assert all(m["credit"] == 0.0 for m in missing)
    assert partly == [] or all(p["match"]["id"] == "skill:溝通協調能力" for p in partly)
