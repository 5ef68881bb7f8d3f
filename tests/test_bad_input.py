"""Every bad input through the real command line (a subprocess): one line on stderr, the
exit status, no traceback, no '�' and no lone surrogate in what is printed.

Unreadable files need a process that cannot read everything: as root (CI containers),
the child drops the two capabilities that let root read any file, so that mode 000
means what it means for everyone else.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = str(ROOT / "data" / "standards")
GOOD = "IDC3339-001v2"
_PR_CAPBSET_DROP, _CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 24, 1, 2


def _as_plain_user() -> None:
    """In the child, before exec: drop root's power to read and search any file."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _preexec() -> Callable[[], None] | None:
    return _as_plain_user if hasattr(os, "geteuid") and os.geteuid() == 0 else None


def icapgraph(*argv: str, cache: Path, cwd: Path = ROOT) -> tuple[int, str, str]:
    """Run ``icapgraph ARGV`` in a new Python; (status, stdout, stderr) as strict UTF-8."""
    env = {**os.environ, "ICAPGRAPH_CACHE": str(cache), "PYTHONPATH": str(ROOT)}
    env.pop("ICAPGRAPH_ALIASES", None)
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", *argv], cwd=cwd, env=env, capture_output=True,
        timeout=120, preexec_fn=_preexec(),  # the test process has started no threads
    )
    out, err = done.stdout.decode("utf-8"), done.stderr.decode("utf-8")  # strict: no surrogates
    for text in (out, err):
        assert "\ufffd" not in text and "Traceback" not in text
    return done.returncode, out, err


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the module (the seeds are built once), open to a non-root child."""
    folder = tmp_path_factory.mktemp("cache")
    folder.chmod(0o777)
    return folder


@pytest.fixture()
def lockable(tmp_path: Path) -> Iterator[Path]:
    """A folder in which mode 000 really locks the child out (skips where root cannot
    give up its file capabilities); every mode is restored afterwards."""
    probe = tmp_path / "probe"
    probe.write_text("x", encoding="utf-8")
    probe.chmod(0)
    try:
        can = subprocess.run(["cat", str(probe)], capture_output=True,
                             preexec_fn=_preexec()).returncode != 0
    except (OSError, subprocess.SubprocessError):
        can = False
    if not can:
        pytest.skip("this process cannot be kept from reading a file of mode 000")
    yield tmp_path
    for path in tmp_path.rglob("*"):
        path.chmod(0o700)


def _only_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


# -- numbers out of range, unknown options: argparse, one line ------------------------------

OUT_OF_RANGE = [
    (["path", GOOD, "KMC2431-008v1", "--k", "100000000000000000000"],
     "argument --k: must be an integer from 1 to 100, not 100000000000000000000"
     " (see icapgraph path --help)"),
    (["path", GOOD, "KMC2431-008v1", "--k", "two"],
     "argument --k: must be an integer from 1 to 100, not 'two' (see icapgraph path --help)"),
    (["transitions", GOOD, "--top", "0"],
     "argument --top: must be an integer from 1 to 1000, not 0"
     " (see icapgraph transitions --help)"),
    (["hubs", "--top", "-5"],
     "argument --top: must be an integer from 1 to 100000, not -5 (see icapgraph hubs --help)"),
    (["search", "能力", "--limit", "0"],
     "argument --limit: must be an integer from 1 to 100000, not 0"
     " (see icapgraph search --help)"),
    (["clusters", "--resolution", "0"],
     "argument --resolution: must be a number above 0 and at most 100, not 0"
     " (see icapgraph clusters --help)"),
    (["clusters", "--resolution", "nan"],
     "argument --resolution: must be a number above 0 and at most 100, not nan"
     " (see icapgraph clusters --help)"),
    (["clusters", "--resolution", "1e300"],
     "argument --resolution: must be a number above 0 and at most 100, not 1e300"
     " (see icapgraph clusters --help)"),
    (["neo4j", "push", "--dry-run", "--batch-size", "100001"],
     "argument --batch-size: must be an integer from 1 to 100000, not 100001"
     " (see icapgraph neo4j push --help)"),
    (["stats", "--bogus"], "unrecognized arguments: --bogus (see icapgraph --help)"),
]


@pytest.mark.parametrize(("argv", "message"), OUT_OF_RANGE, ids=lambda v: " ".join(v)[:40]
                         if isinstance(v, list) else None)
def test_numbers_out_of_range_are_one_line(argv: list[str], message: str, cache: Path) -> None:
    status, out, err = icapgraph("--data", SEEDS, *argv, cache=cache)
    assert (status, out) == (1, "")
    assert _only_line(err) == f"icapgraph: error: {message}"


# -- inputs -----------------------------------------------------------------------------------

def test_missing_data_path(cache: Path, tmp_path: Path) -> None:
    status, out, err = icapgraph("--data", str(tmp_path / "nowhere"), "stats", cache=cache)
    assert (status, out) == (1, "")
    assert _only_line(err) == f"icapgraph: error: {tmp_path / 'nowhere'}: no such file or folder"


def test_unreadable_data_file(cache: Path, lockable: Path) -> None:
    locked = lockable / "locked.txt"
    shutil.copy(Path(SEEDS) / f"{GOOD}.txt", locked)
    locked.chmod(0)
    status, out, err = icapgraph("--data", str(locked), "stats", cache=cache)
    assert (status, out) == (1, "")
    assert _only_line(err) == "icapgraph: error: locked.txt: cannot read: Permission denied"


def test_unreadable_subfolder_is_counted_and_named(cache: Path, lockable: Path) -> None:
    data = lockable / "data"
    shutil.copytree(SEEDS, data)
    (data / "sub").mkdir()
    shutil.copy(Path(SEEDS) / f"{GOOD}.txt", data / "sub" / "copy.txt")
    (data / "sub").chmod(0)
    status, out, err = icapgraph("--data", str(data), "parse", cache=cache)
    assert status == 1
    assert out.splitlines()[-1] == "5 standards, 0 warnings, 1 failed"
    assert _only_line(err) == "icapgraph: error: sub/: cannot read the folder: Permission denied"
    # The graph commands still answer from what loaded, with the one warning.
    status, out, err = icapgraph("--data", str(data), "--json", "stats", cache=cache)
    assert status == 0 and '"Occupation": 5' in out
    assert _only_line(err) == ("icapgraph: warning: sub/: cannot read the folder:"
                               " Permission denied")


def test_file_name_that_is_not_utf8(cache: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(Path(SEEDS) / f"{GOOD}.txt", data / f"{GOOD}.txt")
    with open(os.fsencode(data) + b"/bad\xff\xfe.txt", "wb") as handle:
        handle.write("床前明月光\n".encode())
    status, out, err = icapgraph("--data", str(data), "parse", cache=cache)
    assert status == 1 and out.splitlines()[-1] == "1 standards, 0 warnings, 1 failed"
    assert _only_line(err) == ("icapgraph: error: bad\\xff\\xfe.txt: not a competency standard"
                               " (no 職能基準代碼 and no task table)")


def test_unwritable_cache_falls_back_with_one_warning(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    status, out, err = icapgraph("--data", SEEDS, "--json", "stats", cache=blocker / "cache")
    assert status == 0 and '"Occupation": 5' in out
    assert _only_line(err) == (
        f"icapgraph: warning: cannot write the cache in {blocker / 'cache'}: Not a directory;"
        " working without a cache (set ICAPGRAPH_CACHE to a writable folder)")


def test_cache_folder_without_permission_falls_back(lockable: Path) -> None:
    shut = lockable / "cache"
    shut.mkdir(mode=0)
    status, out, err = icapgraph("--data", SEEDS, "--json", "stats", cache=shut)
    assert status == 0 and '"Occupation": 5' in out
    assert _only_line(err) == (
        f"icapgraph: warning: cannot write the cache in {shut}: Permission denied;"
        " working without a cache (set ICAPGRAPH_CACHE to a writable folder)")


def test_ambiguous_occupation_lists_candidates(cache: Path) -> None:
    # 企劃 is part of two names: 媒體企劃人員 (KMC2431-001v4) and 網路行銷企劃主管 (KMC2431-008v1).
    status, out, err = icapgraph("--data", SEEDS, "gap", "企劃", GOOD, cache=cache)
    assert (status, out) == (1, "")
    assert _only_line(err) == (
        "icapgraph: error: ambiguous occupation '企劃': it matches KMC2431-001v4 媒體企劃人員,"
        " KMC2431-008v1 網路行銷企劃主管; give a code")


# -- exports ----------------------------------------------------------------------------------

def test_folder_format_to_stdout_is_refused(cache: Path) -> None:
    for fmt, files in (("csv", "nodes.csv, edges.csv"),
                       ("neo4j-admin", "nodes_<Label>.csv, rels_<TYPE>.csv, README.txt")):
        status, out, err = icapgraph("--data", SEEDS, "export", fmt, "-o", "-", cache=cache)
        assert (status, out) == (1, "")
        assert _only_line(err) == (
            f"icapgraph: error: standard output: {fmt} writes a folder of files ({files});"
            " give a folder, not standard output, a pipe or a device")


def test_dangling_link_is_refused(cache: Path, tmp_path: Path) -> None:
    link = tmp_path / "out.json"
    link.symlink_to(tmp_path / "gone" / "x.json")
    status, out, err = icapgraph("--data", SEEDS, "export", "json", "-o", str(link),
                                 cache=cache)
    assert (status, out) == (1, "")
    assert _only_line(err) == (
        f"icapgraph: error: {link}: a symbolic link to {tmp_path / 'gone' / 'x.json'}, which"
        " does not exist; not writing through it (give a file name)")
    assert link.is_symlink() and not (tmp_path / "gone").exists()


def test_export_into_a_folder_name_is_refused(cache: Path, tmp_path: Path) -> None:
    status, out, err = icapgraph("--data", SEEDS, "export", "json", "-o", str(tmp_path),
                                 cache=cache)
    assert (status, out) == (1, "")
    assert _only_line(err) == f"icapgraph: error: {tmp_path}: is a folder; give a file name"
    assert stat.S_ISDIR(tmp_path.stat().st_mode)
