"""Benchmark of loading: the 908-file JSON corpus against a bare ``json.load``, and the five
text standards.

Both corpus figures are measured in the same run, interleaved, best of ``--repeat``;
both read the files' bytes. The loader's caches are cleared before each of its runs,
so the figure is a cold load (what one ``icapgraph`` call pays). ``load_corpus``
collects the young generations, pauses the garbage collector while it builds
records, then moves them to the oldest generation without a young pass (see
``loaders.corpus._promote_young``); all of that is inside the timed call. The
bare ``json.load`` is shown both as is (the budget's reference) and with the
collector paused too. Figures are best-of-N; on a shared machine compare the
CPU-time line, where other processes' load counts least. The floor line is
:mod:`benchmarks.load_floor`: reading, decoding, hashing and building the same
records with no cleaning and no checks, so the figure splits the loader's cost into
what any loader of these records pays and what its checks add.

    .venv/bin/python benchmarks/bench_load.py [CORPUS_DIR] [--repeat N]

Budgets (issue 2): corpus load <= 2x bare json.load; five text standards <= 50 ms.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load_floor import floor_load  # noqa: E402
from loaders.corpus import load_corpus  # noqa: E402
from loaders.corpus_json import _decode_raw, parse_standard_json  # noqa: E402
from loaders.corpus_json_cells import clear_caches  # noqa: E402
from loaders.decode import read_bytes, read_source  # noqa: E402
from loaders.records import Corpus, Standard  # noqa: E402

CORPUS = ROOT.parent / "shared" / "icap-corpus"
STANDARDS = ROOT / "data" / "standards"
RATIO_BUDGET = 2.0
TEXT_BUDGET_MS = 50.0


def best(call: Callable[[], object], repeat: int, clock: Callable[[], float] = time.perf_counter
         ) -> float:
    """Best time of ``repeat`` calls on ``clock``, in seconds (freeing the result is not timed)."""
    times = []
    for _ in range(repeat):
        start = clock()
        result = call()
        times.append(clock() - start)
        del result
    return min(times)


def bare_json(files: list[str]) -> list[object]:
    """Every file parsed and kept, as a loader keeps its result."""
    loaded = []
    for name in files:
        with open(name, "rb") as fh:
            loaded.append(json.load(fh))
    return loaded


def bare_json_no_gc(files: list[str]) -> list[object]:
    gc.disable()
    try:
        return bare_json(files)
    finally:
        gc.enable()


def floor_no_gc(files: list[str]) -> list[Standard]:
    """The floor (:mod:`benchmarks.load_floor`), with the collector paused as load_corpus
    pauses it."""
    gc.collect(1)
    gc.disable()
    try:
        return floor_load(files)
    finally:
        gc.enable()


def cold_load(folder: Path) -> Corpus:
    clear_caches()
    corpus = load_corpus([folder])
    # Anything load_corpus left to the young generation is collected here and timed,
    # rather than paid by whatever runs next (after its promotion, next to nothing).
    gc.collect(0)
    return corpus


def bench_corpus(folder: Path, repeat: int) -> bool:
    files = sorted(str(folder / f) for f in os.listdir(folder) if f.endswith(".json"))
    bare, bare_no_gc, loaded, bare_cpu, loaded_cpu, floor = [], [], [], [], [], []
    for _ in range(repeat):  # interleaved, so that machine noise hits all of them alike
        bare.append(best(lambda: bare_json(files), 1))
        bare_no_gc.append(best(lambda: bare_json_no_gc(files), 1))
        loaded.append(best(lambda: cold_load(folder), 1))
        # CPU time too: on a shared machine wall time also counts other processes.
        bare_cpu.append(best(lambda: bare_json(files), 1, time.process_time))
        loaded_cpu.append(best(lambda: cold_load(folder), 1, time.process_time))
        floor.append(best(lambda: floor_no_gc(files), 1))
    warm = best(lambda: load_corpus([folder]), 1)
    corpus = load_corpus([folder])
    ratio = min(loaded) / min(bare)
    print(f"corpus: {len(files)} files, {len(corpus.standards)} standards,"
          f" {len(corpus.warnings)} warnings, {len(corpus.failures)} failures")
    print(f"  bare json.load                 {min(bare) * 1000:8.1f} ms (best of {repeat})")
    print(f"  bare json.load, gc paused      {min(bare_no_gc) * 1000:8.1f} ms")
    print(f"  load_corpus (cold caches)      {min(loaded) * 1000:8.1f} ms")
    print(f"  load_corpus (warm caches)      {warm * 1000:8.1f} ms")
    print(f"  CPU time: bare {min(bare_cpu) * 1000:.1f} ms, load_corpus (cold)"
          f" {min(loaded_cpu) * 1000:.1f} ms: {min(loaded_cpu) / min(bare_cpu):.2f}x")
    print(f"  ratio load/bare {ratio:.2f}x (budget <= {RATIO_BUDGET:.1f}x:"
          f" {'ok' if ratio <= RATIO_BUDGET else 'OVER'});"
          f" vs gc-paused bare {min(loaded) / min(bare_no_gc):.2f}x")
    print(f"  floor: read + decode + hash + records, no checks {min(floor) * 1000:.1f} ms"
          f" = {min(floor) / min(bare):.2f}x bare; the checks and cleaning on top:"
          f" {(min(loaded) - min(floor)) / min(bare):.2f}x")
    phases(files, repeat)
    return ratio <= RATIO_BUDGET


def phases(files: list[str], repeat: int) -> None:
    """Where the loader's time goes, in CPU time: reading the bytes, msgspec's typed
    decoding (the stdlib's json.loads of the same bytes shown beside it), and the checks
    and records built from the decoded structs."""
    cpu = time.process_time
    datas = [read_bytes(f) for f in files]
    read = best(lambda: [read_bytes(f) for f in files], repeat, cpu)
    typed = best(lambda: [_decode_raw(d) for d in datas], repeat, cpu)
    stdlib = best(lambda: [json.loads(d) for d in datas], repeat, cpu)

    def build() -> list[Standard]:
        clear_caches()
        return [parse_standard_json(d, f) for d, f in zip(datas, files, strict=True)]

    gc.disable()
    try:
        whole = best(build, repeat, cpu)
    finally:
        gc.enable()
    print(f"  phases (CPU): read {read * 1000:.1f} ms, typed decode {typed * 1000:.1f} ms"
          f" (json.loads {stdlib * 1000:.1f} ms), checks + records {(whole - typed) * 1000:.1f} ms")


def bench_text(repeat: int) -> bool:
    paths = sorted(STANDARDS.glob("*.txt"))
    texts = [(read_source(p)[0], str(p)) for p in paths]
    parse = __import__("loaders.text", fromlist=["parse_standard_text"]).parse_standard_text
    parse_only = best(lambda: [parse(t, p) for t, p in texts], repeat)
    whole = best(lambda: load_corpus([STANDARDS]), repeat)
    ok = whole * 1000 <= TEXT_BUDGET_MS
    print(f"text: {len(paths)} standards: parse {parse_only * 1000:.1f} ms,"
          f" load_corpus (read + decode + parse) {whole * 1000:.1f} ms"
          f" (budget <= {TEXT_BUDGET_MS:.0f} ms: {'ok' if ok else 'OVER'})")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("corpus", nargs="?", default=str(CORPUS))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    ok = bench_text(args.repeat)
    folder = Path(args.corpus)
    if folder.is_dir():
        ok = bench_corpus(folder, args.repeat) and ok
    else:
        print(f"corpus: {folder} is absent; skipped")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
