"""Shared fixtures: the five shipped standards and the optional real corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
STANDARDS = ROOT / "data" / "standards"
CORPUS = ROOT.parent / "shared" / "icap-corpus"

# The live Neo4j fixtures (neo4j_server, neo4j_live): tests/neo4j_server/plugin.py.
pytest_plugins = ("neo4j_server.plugin",)

settings.register_profile("dev", max_examples=200, deadline=None)
settings.register_profile(
    "ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("long", max_examples=100_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(scope="session")
def standards_dir() -> Path:
    return STANDARDS


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/icap-corpus is absent")
    return CORPUS


# --- Layers that must not skip in CI ------------------------------------------------------
# Under CI=true a whole layer whose selected tests all skipped fails the run: a browser,
# linter or Neo4j that did not install would otherwise pass CI silently. The corpus is data
# outside the repository that no set-up step can install, so its layer fails only when the
# corpus is present and its tests still skipped; when it is absent the summary says so.
LAYERS: dict[str, tuple[str, ...]] = {
    "browser": ("test_browser.py",),
    "Cypher lint": ("test_cypher_lint.py",),
}
_LAYER_RESULTS: dict[str, list[str]] = {}


def _layer(item: pytest.Item) -> str | None:
    if "corpus" in item.keywords or "corpus_dir" in getattr(item, "fixturenames", ()):
        return "corpus"
    if "browser" in item.keywords:
        return "browser"
    name = item.path.name
    return next((layer for layer, files in LAYERS.items() if name in files), None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    layer = _layer(item)
    if layer is None or (report.when != "call" and not report.skipped):
        return
    if report.when == "call" or report.skipped:
        _LAYER_RESULTS.setdefault(layer, []).append("skipped" if report.skipped else "ran")


def skipped_layers(results: dict[str, list[str]], *, corpus_present: bool) -> list[str]:
    """The layers whose every selected test skipped and that must not skip.

    >>> skipped_layers({"browser": ["skipped"], "corpus": ["skipped"]}, corpus_present=False)
    ['browser']
    >>> skipped_layers({"corpus": ["skipped", "ran"]}, corpus_present=True)
    []
    """
    return [layer for layer, outcomes in sorted(results.items())
            if outcomes and all(o == "skipped" for o in outcomes)
            and (layer != "corpus" or corpus_present)]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("CI", "").lower() not in ("1", "true", "yes"):
        return
    bad = skipped_layers(_LAYER_RESULTS, corpus_present=CORPUS.is_dir())
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and not CORPUS.is_dir() and "corpus" in _LAYER_RESULTS:
        reporter.write_line(f"note: the corpus layer skipped: {CORPUS} is absent", yellow=True)
    if bad:
        if reporter is not None:
            reporter.write_line("CI=true and a whole test layer skipped: " + ", ".join(bad),
                                red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
