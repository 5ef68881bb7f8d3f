"""``icapgraph parse``: human lines, the --json contract, one stderr line per bad file."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from cli.main import main
from loaders.decode import MAX_BYTES

FIXTURE = Path(__file__).parent / "fixtures" / "json" / "TST2431-001v2.json"
GOOD = "IDC3339-001v2"

JSON_KEYS = {
    "code", "name", "level", "description", "category", "occupation", "industry", "versions",
    "duties", "knowledge", "skills", "attitudes", "requirements", "notes", "source", "warnings",
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_seed_standards_human(capsys: pytest.CaptureFixture[str], standards_dir: Path) -> None:
    status, out, err = run(capsys, "parse", str(standards_dir))
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith(f"{GOOD}\t網紅經紀人\tduties=2 tasks=4 K=9 S=15 A=6 warnings=")
    assert [line.split("\t")[0] for line in lines if not line.startswith(" ")][:5] == [
        "IDC3339-001v2", "IDC5294-001v2", "KMC2431-001v4", "KMC2431-008v1", "KMC2431-009v2",
    ]
    assert lines[-1].startswith("5 standards, ") and lines[-1].endswith(", 0 failed")


def test_default_paths_come_from_data(
    capsys: pytest.CaptureFixture[str], standards_dir: Path
) -> None:
    status, out, _ = run(capsys, "--data", str(standards_dir / f"{GOOD}.txt"), "parse")
    assert status == 0 and out.startswith(f"{GOOD}\t") and "1 standards" in out


def test_json_contract(capsys: pytest.CaptureFixture[str], standards_dir: Path) -> None:
    status, out, err = run(capsys, "parse", "--json", str(standards_dir / f"{GOOD}.txt"),
                           str(FIXTURE))
    assert status == 0 and err == ""
    data = json.loads(out)
    assert [d["code"] for d in data] == [GOOD, "TST2431-001v2"]
    assert all(set(d) == JSON_KEYS for d in data)
    tst = data[1]
    assert tst["duties"][0]["tasks"][0]["outputs"] == [
        {"code": "O1.1.1", "name": "市場分析報告（如：競品分析、消費者調查）"},
        {"code": "O1.1.2", "name": "資料清單"},
    ]
    indicator = tst["duties"][0]["tasks"][0]["indicators"][1]
    assert indicator == {"code": "P1.1.2", "text": "分析競爭者動態。"}
    assert tst["knowledge"][1] == {"code": "K02", "name": "行銷企劃", "notes": ["註1"]}
    assert tst["warnings"][0] == {
        "path": FIXTURE.name, "line": 44, "message": "task T2.1 has no work output",
    }
    # Named by its file name (relative to the data folder): no machine path in the output.
    assert tst["source"]["path"] == FIXTURE.name and len(tst["source"]["sha256"]) == 64


def _sparse(path: Path) -> None:
    with open(path, "wb") as fh:
        fh.seek(MAX_BYTES + 10)
        fh.write(b"x")


def _utf16_no_bom(path: Path, standards_dir: Path) -> None:
    path.write_bytes((standards_dir / f"{GOOD}.txt").read_text("utf-8").encode("utf-16-le"))


# name -> (writer, expected stderr line after "icapgraph: error: <path>")
BAD: dict[str, tuple[Callable[[Path, Path], object], str]] = {
    "empty.txt": (lambda p, s: p.write_bytes(b""), ": empty file"),
    "binary.txt": (
        lambda p, s: p.write_bytes(b"GIF89a\x00\x01\x02"),
        ":1: NUL bytes: a binary file, or UTF-16 without a byte-order mark (save it as UTF-8)",
    ),
    "utf16.txt": (
        _utf16_no_bom,
        ":2: NUL bytes: a binary file, or UTF-16 without a byte-order mark (save it as UTF-8)",
    ),
    "latin1.txt": (
        lambda p, s: p.write_bytes("\n\nCafé crème\xff".encode("latin-1")),
        ":3: cannot decode byte 0xe9: not UTF-8, UTF-16 (with BOM) or Big5 text",
    ),
    "poem.txt": (
        lambda p, s: p.write_text("床前明月光\n疑是地上霜\n", encoding="utf-8"),
        ": not a competency standard (no 職能基準代碼 and no task table)",
    ),
    "shape.json": (
        lambda p, s: p.write_text('{"metadata": {"code": "X", "name": "Y"}}', encoding="utf-8"),
        ": not an iCAP standard (JSON corpus layout): basic_info is missing",
    ),
    "syntax.json": (
        lambda p, s: p.write_text('{\n  "metadata": {\n  ]\n}', encoding="utf-8"),
        ":3: invalid JSON: Expecting property name enclosed in double quotes (column 3)",
    ),
    "huge.txt": (lambda p, s: _sparse(p), f": file too large ({MAX_BYTES + 11} bytes; the limit"
                 f" is {MAX_BYTES})"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_one_line_and_others_load(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, standards_dir: Path, name: str
) -> None:
    write, expected = BAD[name]
    shutil.copy(standards_dir / f"{GOOD}.txt", tmp_path / f"{GOOD}.txt")
    write(tmp_path / name, standards_dir)
    status, out, err = run(capsys, "parse", str(tmp_path))
    assert status == 1
    assert err.splitlines() == [f"icapgraph: error: {name}{expected}"]
    assert out.startswith(f"{GOOD}\t") and out.splitlines()[-1].endswith(", 1 failed")
    assert "Traceback" not in err + out


@pytest.mark.parametrize("encode", ["utf-8-sig", "utf-16", "cp950", "crlf"])
def test_accepted_encodings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, standards_dir: Path, encode: str
) -> None:
    text = (standards_dir / "KMC2431-009v2.txt").read_text(encoding="utf-8")
    data = text.replace("\n", "\r\n").encode() if encode == "crlf" else text.encode(encode)
    (tmp_path / "std.txt").write_bytes(data)
    status, out, err = run(capsys, "parse", "--json", str(tmp_path / "std.txt"))
    expected = json.loads(run(capsys, "parse", "--json",
                              str(standards_dir / "KMC2431-009v2.txt"))[1])[0]
    got = json.loads(out)[0]
    assert status == 0 and err == ""
    for key in ("code", "name", "duties", "knowledge", "skills", "attitudes", "notes"):
        assert got[key] == expected[key]


def test_truncated_and_undefined_code_are_warnings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, standards_dir: Path
) -> None:
    lines = (standards_dir / "KMC2431-009v2.txt").read_text(encoding="utf-8").split("\n")
    cut = next(i for i, line in enumerate(lines) if line.startswith("\tT1.2"))
    (tmp_path / "cut.txt").write_text("\n".join(lines[: cut + 1]), encoding="utf-8")
    doc = json.loads(FIXTURE.read_text(encoding="utf-8"))
    doc["competency_tasks"][1]["knowledge"].append("K88")
    (tmp_path / "k88.json").write_text(json.dumps(doc, ensure_ascii=False, indent=2), "utf-8")
    status, out, err = run(capsys, "parse", str(tmp_path))
    assert status == 0 and err == ""
    assert any("cut.txt:" in line and "truncated" in line
               for line in out.splitlines() if line.startswith("    "))
    assert any(line.strip().startswith("k88.json:")
               and "task T1.2 uses knowledge K88, which the standard does not define" in line
               for line in out.splitlines())


def test_same_code_twice(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, standards_dir: Path
) -> None:
    shutil.copy(standards_dir / f"{GOOD}.txt", tmp_path / "a.txt")
    shutil.copy(standards_dir / f"{GOOD}.txt", tmp_path / "b.txt")
    status, out, err = run(capsys, "parse", str(tmp_path))
    assert status == 0
    assert (f"warning: b.txt: duplicate standard code {GOOD}: already loaded"
            " from a.txt; this file is left out") in out.splitlines()
    status, out, err = run(capsys, "parse", "--json", str(tmp_path))
    assert [d["source"]["path"] for d in json.loads(out)] == ["a.txt"]
    assert err.startswith("icapgraph: warning: b.txt: duplicate standard code")


def test_missing_path_and_unknown_format(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, standards_dir: Path
) -> None:
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    status, out, err = run(capsys, "parse", str(tmp_path / "nope.txt"), str(tmp_path / "x.pdf"),
                           str(standards_dir / f"{GOOD}.txt"))
    assert status == 1
    assert err.splitlines() == [
        f"icapgraph: error: {tmp_path / 'nope.txt'}: no such file or folder",
        "icapgraph: error: x.pdf: unknown file format '.pdf'; choose one of:"
        " .json, .txt",
    ]
    assert out.startswith(f"{GOOD}\t")
