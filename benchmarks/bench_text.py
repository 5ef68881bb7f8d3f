"""Benchmark the text loader: the five seed standards parsed together.

Budget (issue 2): the five standards of ``data/standards`` parse in <= 50 ms
together. The files are read once; the figure is the best of N runs of
``parse_standard_text`` over all five (best-of-N removes noise from other
processes), with the median shown beside it. Prints figures; asserts nothing.
Run: ``.venv/bin/python benchmarks/bench_text.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders.text import parse_standard_text  # noqa: E402

BUDGET_MS = 50.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50, help="runs to take the best of")
    args = parser.parse_args()
    files = sorted((ROOT / "data" / "standards").glob("*.txt"))
    texts = [(p.read_text(encoding="utf-8"), str(p)) for p in files]
    parse_standard_text(*texts[0])  # warm-up: imports and regex compilation
    runs: list[float] = []
    for _ in range(max(args.repeat, 1)):
        start = time.perf_counter()
        standards = [parse_standard_text(text, path) for text, path in texts]
        runs.append((time.perf_counter() - start) * 1000)
    best, median = min(runs), statistics.median(runs)
    tasks = sum(len(s.tasks) for s in standards)
    items = sum(len(s.items()) for s in standards)
    print(f"text loader: {len(texts)} standards, {tasks} tasks, {items} K/S/A items")
    print(f"  best of {len(runs)}: {best:.2f} ms   median: {median:.2f} ms   "
          f"budget: {BUDGET_MS:.0f} ms   {'OK' if best <= BUDGET_MS else 'OVER BUDGET'}")
    print(f"  per standard (best): {best / len(texts):.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
