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
