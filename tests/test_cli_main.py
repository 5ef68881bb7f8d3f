"""The CLI's global options and error handling, whatever the subcommand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main


def test_data_and_json_before_or_after_the_subcommand(
    standards_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data", str(standards_dir), "--json", "stats", "--no-cache"]) == 0
    before = json.loads(capsys.readouterr().out)
    assert main(["stats", "--no-cache", "--json", "--data", str(standards_dir)]) == 0
    after = json.loads(capsys.readouterr().out)
    assert before == after
    assert before["nodes"]["Occupation"] == 5


def test_data_is_repeatable(standards_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = standards_dir / "IDC3339-001v2.txt"
    two = standards_dir / "KMC2431-008v1.txt"
    assert main(["--data", str(one), "--data", str(two), "--json", "stats", "--no-cache"]) == 0
    assert json.loads(capsys.readouterr().out)["nodes"]["Occupation"] == 2


def test_nothing_loadable_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere"
    assert main(["--data", str(missing), "stats", "--no-cache"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    # The one failure is the error itself (no separate warning line).
    assert err == [f"icapgraph: error: {missing}: no such file or folder"]
    assert not any("Traceback" in line for line in err)
