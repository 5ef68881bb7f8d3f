"""Under CI=true a whole test layer that skips fails the run (tests/conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run_lint_layer_without_node(ci: str) -> subprocess.CompletedProcess[str]:
    # No node on PATH: every Cypher-lint test skips ("node is not installed").
    env = {**os.environ, "PATH": str(Path(sys.executable).parent), "CI": ci}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "tests/test_cypher_lint.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_a_skipped_layer_fails_under_ci() -> None:
    done = _run_lint_layer_without_node("true")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "a whole test layer skipped: Cypher lint" in done.stdout


def test_a_skipped_layer_passes_outside_ci() -> None:
    done = _run_lint_layer_without_node("")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "skipped" in done.stdout
