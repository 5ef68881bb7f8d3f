"""Benchmark of the client-profile features on the real corpus (../shared/icap-corpus).

Prints, beside each budget (median and worst over several runs):

- resolving one typed item (≤ 20 ms), over 40 everyday wordings;
- matching a profile of 60 items against every occupation (≤ 100 ms), profile built
  from two past jobs cut to 60 items plus typed items; building the profile is timed
  on its own line too;
- saving and opening a case (≤ 50 ms each), in a fresh database in a temporary folder;
- the client's report for three targets as HTML and as .xlsx (≤ 1 s each).

The one-time indexes (query profiles, the matching model with its task text, the
resolver's n-gram spaces) are built on first use of a graph and timed separately, as is
the first match (it fills the model's per-item partner cache).

    .venv/bin/python benchmarks/bench_profile.py [CORPUS_DIR]
"""

from __future__ import annotations

import datetime as dt
import gc
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_queries import measure  # noqa: E402
from cases.store import Case, CaseStore  # noqa: E402
from graph.aliases import default_aliases_path, read_aliases  # noqa: E402
from graph.store import load_graph  # noqa: E402
from queries.index import index  # noqa: E402
from queries.match import MatchOptions, match  # noqa: E402
from queries.matching import model  # noqa: E402
from queries.profile import PastJob, ProfileSpec, TypedItem, build_profile  # noqa: E402
from queries.resolve import resolve_text, resolver_index  # noqa: E402
from reports.case_data import case_report  # noqa: E402
from reports.case_html import case_html  # noqa: E402
from reports.case_xlsx import case_xlsx  # noqa: E402

#: What clients type (everyday words, spacing, variants, suffixes, misses).
TYPED = (
    "倉庫管理", "台灣勞動法規", "溝通 協調", "資料收集", "Excel", "電腦操作", "英文", "開車",
    "客戶服務", "收銀", "會計", "烹飪", "團隊合作", "簡報", "專案管理", "品質管理", "行銷企劃",
    "駕駛", "急救", "堆高機操作", "記帳", "顧客服務", "耐心", "細心", "責任感", "庫存管理",
    "臺灣文化", "網路 行銷", "社群經營", "文書處理", "Word", "採購", "談判", "時間管理",
    "問題解決", "資料分析", "報表製作", "品管", "倉儲", "物流配送",
)


def main(argv: list[str]) -> int:
    corpus = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "icap-corpus"
    if not corpus.is_dir():
        print(f"no corpus at {corpus}")
        return 1
    G = load_graph([str(corpus)]).graph
    aliases = read_aliases(default_aliases_path())
    gc.collect()
    start = time.perf_counter()
    index(G)
    print(f"{'query index (once)':<26} {1000 * (time.perf_counter() - start):8.0f} ms")
    start = time.perf_counter()
    model(G)
    print(f"{'matching model (once)':<26} {1000 * (time.perf_counter() - start):8.0f} ms")
    start = time.perf_counter()
    resolver_index(G, aliases)
    print(f"{'resolver index (once)':<26} {1000 * (time.perf_counter() - start):8.0f} ms")

    print(measure("resolve one typed item", [lambda t=t: resolve_text(G, t, aliases=aliases)
                                              for t in TYPED], 20.0).line())

    jobs = ("零售業倉儲管理人員", "冷鏈倉儲物流人員")
    whole = build_profile(G, ProfileSpec(jobs=tuple(PastJob(j) for j in jobs)))
    keep = tuple(list(whole.items)[:52])
    nodes = [j.node for j in whole.occupations]
    first = tuple(i for i in keep if i in index(G).profiles[nodes[0]].uses)
    second = tuple(i for i in keep if i not in first)
    spec = ProfileSpec(jobs=(PastJob(jobs[0], first), PastJob(jobs[1], second)),
                       typed=tuple(TypedItem(t) for t in ("Excel", "庫存管理", "堆高機操作",
                                                          "溝通 協調")))
    profile = build_profile(G, spec, aliases=aliases)
    print(f"{'profile size':<26} {len(profile.items):8d} items")
    start = time.perf_counter()
    match(G, profile, MatchOptions(top=10))
    print(f"{'match, first call':<26} {1000 * (time.perf_counter() - start):8.0f} ms"
          "  (pays each target's partial-credit partners once)")
    print(measure("build the profile", [lambda: build_profile(G, spec, aliases=aliases)] * 10,
                  None).line())
    print(measure("match 60-item profile", [lambda: match(G, profile, MatchOptions(top=10))]
                  * 10, 100.0).line())
    print(measure("match, 職類別 filter", [lambda: match(
        G, profile, MatchOptions(category="MPD", top=10))] * 10, 100.0).line())

    targets = tuple(r["code"] for r in match(G, profile, MatchOptions(top=3))["results"])
    with tempfile.TemporaryDirectory() as tmp:
        store = CaseStore(Path(tmp) / "cases.sqlite3")
        case = Case("王小明", spec.to_json(), targets, "轉職諮詢紀錄" * 20,
                    MatchOptions().to_json())
        store.save(case)  # creates the file and its schema: not what a save costs
        print(measure("save a case", [lambda: store.save(case, replace_existing=True)] * 20,
                      50.0).line())
        print(measure("open a case", [lambda: store.get("王小明")] * 20, 50.0).line())
    today = dt.date.today().isoformat()

    def report() -> object:
        return case_report(G, "王小明", "紀錄", profile, targets, MatchOptions(), today)

    print(measure("report data, 3 targets", [report] * 3, None).line())
    print(measure("report HTML, 3 targets", [lambda: case_html(report())] * 3, 1000.0).line())
    print(measure("report xlsx, 3 targets", [lambda: case_xlsx(report())] * 3, 1000.0).line())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
