#!/usr/bin/env python3
"""Set-up and run in one step: ``python3 dev.py app`` or ``python3 dev.py test``.

Both create (or reuse) ``.venv/`` in the repository root and install the project
into it; the install is skipped when ``pyproject.toml`` has not changed since
the last one. Needs only Python 3.11+ (the test command also installs Debian's
Chromium and a CJK font for the browser tests when it runs as root and they
are missing, and Neo4j's Cypher linter from npm when node is present).
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


def run(*cmd: str | Path, check: bool = True, **kw: object) -> int:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], check=check, cwd=ROOT, **kw).returncode  # type: ignore[call-overload, no-any-return]


def ensure_venv(extras: str) -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"職能圖譜 needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PY.exists():
        print(f"creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / f".installed-{digest[:16]}"
    if stamp.exists():
        return
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "--quiet", "-e", f".{extras}")
    for old in VENV.glob(".installed-*"):
        old.unlink()
    stamp.touch()


def ensure_browser() -> None:
    """Debian's Chromium and a CJK font for the browser tests (never a downloaded browser)."""
    have_font = any(Path(p).exists() for p in ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/wqy"))
    if shutil.which("chromium") and have_font:
        return
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        print("note: install Debian's chromium and fonts-noto-cjk to run the browser tests", flush=True)
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(apt, "update", "-qq", check=False, env=env)
    run(apt, "install", "-y", "-qq", "chromium", "fonts-noto-cjk", check=False, env=env)


def ensure_node_tools() -> None:
    """Neo4j's official Cypher linter (npm) for the statement-lint tests, cached in tests/cypher_lint."""
    tools = ROOT / "tests" / "cypher_lint"
    if not (tools / "package.json").exists() or shutil.which("npm") is None:
        return
    if (tools / "node_modules" / "@neo4j-cypher" / "language-support").exists():
        return
    run("npm", "ci" if (tools / "package-lock.json").exists() else "install",
        "--no-audit", "--no-fund", "--silent", "--prefix", tools, check=False)


def main(argv: list[str]) -> int:
    what = argv[0] if argv else ""
    rest = argv[1:]
    if what == "app":
        ensure_venv("")
        env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
        return subprocess.call(
            [str(BIN / "streamlit"), "run", str(ROOT / "app.py"), *rest], cwd=ROOT, env=env
        )
    if what == "test":
        ensure_venv("[test]")
        ensure_browser()
        ensure_node_tools()
        run(BIN / "ruff", "check", ".")
        run(BIN / "mypy", "graph", "loaders", "queries")
        return subprocess.call([str(PY), "-m", "pytest", *rest], cwd=ROOT)
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
