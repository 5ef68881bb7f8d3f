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


def test_the_command_module_table_matches_the_registry() -> None:
    from cli.main import COMMAND_MODULES, register_commands
    from cli.registry import COMMANDS

    register_commands()  # every module
    assert {name: cmd.run.__module__ for name, cmd in COMMANDS.items()} == COMMAND_MODULES


_IMPORTS = """
import sys
from cli.main import main
try:
    code = main(sys.argv[1:])
finally:  # --help exits from argparse
    loaded = sorted(m for m in sys.modules
                    if m.startswith("cli.cmd_") or m in ("redis", "falkordb"))
    print("imported:", ",".join(loaded), file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.parametrize(("args", "modules"), [
    (["cypher", "MATCH (o:Occupation) RETURN count(o) AS n"], "cli.cmd_cypher"),
    (["--json", "stats"], "cli.cmd_graph,cli.cmd_profile"),  # (cmd_graph uses its aliases)
    (["gap", "IDC3339-001v2", "IDC5294-001v2"], "cli.cmd_named"),
    # --help before the command lists every command: every module.
    (["--help", "gap"], "cli.cmd_case,cli.cmd_cypher,cli.cmd_graph,cli.cmd_named,"
                        "cli.cmd_neo4j,cli.cmd_parse,cli.cmd_profile"),
])  # fmt: skip
def test_a_command_imports_its_own_module_only(
    tmp_path: Path, standards_dir: Path, args: list[str], modules: str
) -> None:
    """And ``icapgraph cypher`` talks to the engine without redis-py or ``falkordb``."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "ICAPGRAPH_CACHE": str(tmp_path), "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, "-c", _IMPORTS, "--data", str(standards_dir), *args],
                          cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[-1:] == [f"imported: {modules}"], (done.stdout, done.stderr)
    if args[0] == "cypher":
        assert done.stdout.splitlines()[-3:] == ["─", "5", "(1 row)"]
