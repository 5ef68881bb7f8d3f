"""The openCypher TCK's read-only scenarios on the embedded engine: pass / refused /
warned (a different answer, with a console warning naming the shape) / silently wrong per
feature folder, for the engine as embedded before the console's
rewrites (``raw``: keyword guard + read-only mode) and through the console (``console``).

Usage: ``.venv/bin/python benchmarks/tck_report.py [--mode raw|console|both] [--wrong FILE]``

Needs the TCK jar (``org.opencypher:tck``, fetched by ``python3 dev.py test`` into the
local Maven repository, or ``mvn dependency:get -Dartifact=org.opencypher:tck:1.0.0-M23``).
``--wrong FILE`` writes every silently wrong scenario (feature, name, query, detail).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from tck import runner  # noqa: E402

from cypher.embedded.engine import CypherEngine  # noqa: E402
from cypher.embedded.text import refused_clause  # noqa: E402
from loaders.errors import QueryError  # noqa: E402

TIMEOUT = 5.0


def executor(engine: CypherEngine, mode: str) -> runner.Execute:
    def raw(query: str, params: dict[str, Any]
            ) -> tuple[list[str], list[list[Any]], tuple[str, ...]]:
        clause = refused_clause(query)
        if clause is not None:
            raise QueryError(f"the Cypher console is read-only: {clause} is refused")
        result = engine._execute("GRAPH.RO_QUERY", query, params, TIMEOUT, convert=False)
        return result.columns, result.rows, ()

    def console(query: str, params: dict[str, Any]
                ) -> tuple[list[str], list[list[Any]], tuple[str, ...]]:
        result = engine.run_raw(query, params, timeout=TIMEOUT)
        return result.columns, result.rows, result.warnings

    return raw if mode == "raw" else console


def measure(mode: str, wrong_out: list[dict[str, str]] | None) -> dict[str, Counter[str]]:
    scenarios, graphs = runner.load()
    per_folder: dict[str, Counter[str]] = defaultdict(Counter)
    with CypherEngine.empty() as engine:
        execute = executor(engine, mode)
        for sc in scenarios:
            if not runner.read_only(sc):
                continue
            engine.clear()
            out = runner.run(sc, lambda s: engine.run_write(s) and None, execute, graphs)
            per_folder[sc.folder][out.kind] += 1
            if out.kind == "wrong" and wrong_out is not None:
                wrong_out.append({"mode": mode, "feature": sc.feature, "name": sc.name,
                                  "query": sc.query, "detail": out.detail[:300]})
    return per_folder


def table(results: dict[str, dict[str, Counter[str]]]) -> str:
    modes = list(results)
    folders = sorted({f for r in results.values() for f in r})
    head = "| folder | " + " | ".join(f"{m} pass / refused / warned / wrong" for m in modes) + " |"
    lines = [head, "|" + "---|" * (len(modes) + 1)]
    totals = {m: Counter[str]() for m in modes}
    for folder in folders:
        cells = []
        for m in modes:
            c = results[m].get(folder, Counter())
            totals[m].update(c)
            cells.append(
                f"{c['pass']} / {c['refused'] + c['setup']} / {c['warned']} / {c['wrong']}")
        lines.append(f"| {folder} | " + " | ".join(cells) + " |")
    cells = [f"{t['pass']} / {t['refused'] + t['setup']} / {t['warned']} / {t['wrong']}"
             for t in totals.values()]
    lines.append("| **all** | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mode", choices=["raw", "console", "both"], default="both")
    ap.add_argument("--wrong", type=Path, help="write the silently wrong scenarios here (JSON)")
    args = ap.parse_args()
    if not runner.JAR.is_file():
        print(f"the TCK jar is missing: {runner.JAR} (run python3 dev.py test)")
        return 1
    modes = ["raw", "console"] if args.mode == "both" else [args.mode]
    wrong: list[dict[str, str]] = []
    results = {}
    for mode in modes:
        start = time.perf_counter()
        results[mode] = measure(mode, wrong)
        total = sum(sum(c.values()) for c in results[mode].values())
        print(f"{mode}: {total} read-only scenarios in {time.perf_counter() - start:.1f} s")
    print(f"TCK {runner.VERSION}; pass / refused (incl. set-up the engine cannot run) / "
          "warned (a different answer, with a warning) / silently wrong\n")
    print(table(results))
    if args.wrong:
        args.wrong.write_text(json.dumps(wrong, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
