#!/usr/bin/env python3
"""Set-up and run in one step: ``python3 dev.py app`` or ``python3 dev.py test``.

Both create (or reuse) ``.venv/`` in the repository root and install the project
into it; the install is skipped when ``pyproject.toml`` has not changed since
the last one. Needs only Python 3.11+ (the test command also installs Debian's
Chromium and a CJK font for the browser tests when it runs as root and they
are missing, and Neo4j's Cypher linter from npm when node is present).

    python3 dev.py app  [-- streamlit-run options, e.g. -- --data DIR]
    python3 dev.py test [pytest options]
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/wqy")


def run(*cmd: str | Path, env: dict[str, str] | None = None) -> int:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.call([str(c) for c in cmd], cwd=ROOT, env=env)


def ensure_venv(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py itself may be run by an old python3
        sys.exit(f"職能圖譜 needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PY.exists():
        print(f"creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:16]
    stamp = VENV / f".installed-{digest}{extras}"
    # An install with the test extras also serves the app: it holds every runtime dependency.
    if stamp.exists() or (not extras and (VENV / f".installed-{digest}[test]").exists()):
        return
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    if run(PY, "-m", "pip", "install", "--quiet", "-e", f".{extras}") != 0:
        sys.exit("dev.py: installing the project into .venv failed (see pip's message above)")
    for old in VENV.glob(".installed-*"):
        old.unlink()
    stamp.touch()


def ensure_browser() -> None:
    """Debian's Chromium and a CJK font for the browser tests (never a downloaded browser)."""
    if shutil.which("chromium") and any(Path(p).exists() for p in FONT_DIRS):
        return
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        print("note: install Debian's chromium and fonts-noto-cjk for the browser tests")
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(apt, "update", "-qq", env=env)
    run(apt, "install", "-y", "-qq", "chromium", "fonts-noto-cjk", env=env)


def ensure_node_tools() -> None:
    """Neo4j's Cypher linter (npm) for the statement-lint tests, cached in tests/cypher_lint."""
    tools = ROOT / "tests" / "cypher_lint"
    if not (tools / "package.json").exists() or shutil.which("npm") is None:
        return
    if (tools / "node_modules" / "@neo4j-cypher" / "language-support").exists():
        return
    verb = "ci" if (tools / "package-lock.json").exists() else "install"
    run("npm", verb, "--no-audit", "--no-fund", "--silent", "--prefix", tools)


def main(argv: list[str]) -> int:
    what, rest = (argv[0], argv[1:]) if argv else ("", [])
    if rest[:1] == ["--"]:
        rest = rest[1:]
    if what == "app":
        ensure_venv("")
        env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        args = ["--", *rest] if rest and not rest[0].startswith("--server") else rest
        return run(BIN / "streamlit", "run", ROOT / "app.py", *args, env=env)
    if what == "test":
        ensure_venv("[test]")
        ensure_browser()
        ensure_node_tools()
        steps = {
            "ruff": run(BIN / "ruff", "check", "."),
            "mypy": run(BIN / "mypy", "graph", "loaders", "queries", "cypher", "exports", "cli",
                         "cases", "reports", "app_pages", "app.py"),
            "pytest": run(PY, "-m", "pytest", *rest),
        }
        failed = [name for name, code in steps.items() if code != 0]
        if failed:
            print(f"dev.py test: failed: {', '.join(failed)}", flush=True)
            return 1
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
