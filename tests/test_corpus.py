"""load_corpus: files and folders, the format registry, bad input, duplicates, versions.

Every bad input is loaded together with a good standard: the bad file becomes one
clear line (file, and line when there is one) and the good one still loads.
"""

from __future__ import annotations

import collections
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders.corpus import FORMATS, format_for, load_corpus
from loaders.decode import MAX_BYTES, decode_bytes
from loaders.errors import ParseError, UnknownKey

FIXTURE = Path(__file__).parent / "fixtures" / "json" / "TST2431-001v2.json"
GOOD = "IDC3339-001v2"
NUL_BYTES = "NUL bytes: a binary file, or UTF-16 without a byte-order mark (save it as UTF-8)"


@pytest.fixture()
def folder(tmp_path: Path, standards_dir: Path) -> Path:
    """A folder holding one good standard (IDC3339-001v2.txt)."""
    shutil.copy(standards_dir / f"{GOOD}.txt", tmp_path / f"{GOOD}.txt")
    return tmp_path


def seed_text(standards_dir: Path, code: str = GOOD) -> str:
    return (standards_dir / f"{code}.txt").read_text(encoding="utf-8")


def load_one_bad(folder: Path, name: str, data: bytes) -> tuple[list[str], list[str]]:
    """Write ``data`` as ``name`` beside the good standard; return (codes, failure lines)."""
    (folder / name).write_bytes(data)
    corpus = load_corpus([folder])
    return [s.code for s in corpus.standards], [str(f) for f in corpus.failures]


def test_seed_folder_loads(standards_dir: Path) -> None:
    corpus = load_corpus([standards_dir])
    assert [s.code for s in corpus.standards] == [
        "IDC3339-001v2", "IDC5294-001v2", "KMC2431-001v4", "KMC2431-008v1", "KMC2431-009v2",
    ]
    assert corpus.failures == ()
    assert all(s.source.format == "text" and s.latest for s in corpus.standards)


def test_registry_and_unknown_suffix(folder: Path) -> None:
    assert format_for("a/B.JSON").name == "json" and set(FORMATS) == {".txt", ".json"}
    with pytest.raises(UnknownKey, match=r"choose one of: \.json, \.txt"):
        format_for("standard.pdf")
    (folder / "standard.pdf").write_bytes(b"%PDF-1.4")
    corpus = load_corpus([folder, folder / "standard.pdf"])  # the folder skips it; naming it fails
    assert [s.code for s in corpus.standards] == [GOOD]
    assert [str(f) for f in corpus.failures] == [
        "standard.pdf: unknown file format '.pdf'; choose one of: .json, .txt"
    ]


def test_missing_path_is_a_failure(folder: Path) -> None:
    corpus = load_corpus([folder / "nope", folder])
    assert [s.code for s in corpus.standards] == [GOOD]
    assert [str(f) for f in corpus.failures] == [f"{folder / 'nope'}: no such file or folder"]


def test_folders_recurse_sorted_and_skip_hidden(folder: Path, standards_dir: Path) -> None:
    (folder / "sub").mkdir()
    shutil.copy(standards_dir / "KMC2431-009v2.txt", folder / "sub" / "KMC2431-009v2.txt")
    shutil.copy(FIXTURE, folder / "A-first.json")
    (folder / ".hidden.txt").write_bytes(b"\x00garbage")
    (folder / ".git").mkdir()
    (folder / ".git" / "x.txt").write_bytes(b"\x00garbage")
    (folder / "README.md").write_text("not a standard", encoding="utf-8")
    corpus = load_corpus([folder, folder / f"{GOOD}.txt"])  # a file named twice loads once
    assert [s.code for s in corpus.standards] == ["TST2431-001v2", GOOD, "KMC2431-009v2"]
    assert corpus.failures == () and not any("duplicate" in w.message for w in corpus.warnings)


def test_empty_file(folder: Path) -> None:
    codes, failures = load_one_bad(folder, "empty.txt", b"")
    assert codes == [GOOD]
    assert failures == ["empty.txt: empty file"]
    _, failures = load_one_bad(folder, "empty.txt", b"  \r\n\t\n")
    assert failures == ["empty.txt: empty file (only white space)"]


def test_binary_file(folder: Path) -> None:
    codes, failures = load_one_bad(folder, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert codes == [GOOD]
    assert failures == [f"image.txt:3: {NUL_BYTES}"]


def test_control_characters_are_binary(folder: Path) -> None:
    _, failures = load_one_bad(folder, "ctl.txt", "職能\n基準\x1b[0m\n".encode())
    assert failures == [
        "ctl.txt:2: binary content (control character 0x1b); not a text file"
    ]


def test_big5_text_is_decoded(folder: Path, standards_dir: Path) -> None:
    text = seed_text(standards_dir, "KMC2431-009v2")
    (folder / "big5.txt").write_bytes(text.encode("cp950"))
    corpus = load_corpus([folder])
    big5 = next(s for s in corpus.standards if s.source.path.endswith("big5.txt"))
    utf8 = load_corpus([standards_dir / "KMC2431-009v2.txt"]).standards[0]
    assert corpus.failures == ()
    assert (big5.code, big5.name, big5.duties, big5.knowledge) == (
        utf8.code, utf8.name, utf8.duties, utf8.knowledge,
    )


def test_undecodable_bytes_are_refused(folder: Path) -> None:
    codes, failures = load_one_bad(folder, "latin.txt", b"abc\n\xff\xfe\xfd\xfc")
    assert codes == [GOOD]
    assert failures == [
        "latin.txt:2: cannot decode byte 0xff: not UTF-8, UTF-16 (with BOM) or"
        " Big5 text"
    ]


def test_utf16_with_bom_is_decoded_without_bom_refused(folder: Path, standards_dir: Path) -> None:
    text = seed_text(standards_dir)
    (folder / "u16.txt").write_bytes(text.encode("utf-16"))  # BOM + little-endian
    (folder / "u16be.txt").write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    (folder / "u16nobom.txt").write_bytes(text.encode("utf-16-le"))
    corpus = load_corpus([folder / f"{GOOD}.txt", folder / "u16.txt", folder / "u16be.txt",
                          folder / "u16nobom.txt"])
    assert [s.code for s in corpus.standards] == [GOOD]  # u16 and u16be are duplicates of it
    dups = [w.message for w in corpus.warnings if "duplicate standard code" in w.message]
    assert len(dups) == 2
    assert [str(f) for f in corpus.failures] == [
        f"u16nobom.txt:2: {NUL_BYTES}"
    ]
    assert decode_bytes(text.encode("utf-16"), "u16.txt") == text


def test_utf8_bom_and_crlf(folder: Path, standards_dir: Path) -> None:
    plain = load_corpus([standards_dir / f"{GOOD}.txt"]).standards[0]
    text = seed_text(standards_dir)
    other = Path(folder / "other")
    other.mkdir()
    (other / "bom.txt").write_bytes(text.encode("utf-8-sig"))
    (other / "crlf.txt").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    corpus = load_corpus([other])
    assert corpus.failures == ()
    for std in corpus.standards:
        assert std.code == GOOD
        assert (std.name, std.duties, std.knowledge, std.skills, std.attitudes) == (
            plain.name, plain.duties, plain.knowledge, plain.skills, plain.attitudes,
        )
        assert not any("\r" in t.name for t in std.tasks)


def test_truncated_mid_table(folder: Path, standards_dir: Path) -> None:
    lines = seed_text(standards_dir, "KMC2431-009v2").split("\n")
    cut = next(i for i, line in enumerate(lines) if line.startswith("\tT1.2"))
    (folder / "cut.txt").write_text("\n".join(lines[:cut + 1]), encoding="utf-8")
    corpus = load_corpus([folder])
    cut_std = next(s for s in corpus.standards if s.source.path.endswith("cut.txt"))
    assert corpus.failures == ()
    truncated = [w for w in cut_std.warnings if "truncated" in w.message]
    assert truncated and truncated[0].line > 0
    assert str(truncated[0]).startswith("cut.txt:")
    assert GOOD in [s.code for s in corpus.standards]


def test_text_that_is_not_a_standard(folder: Path) -> None:
    codes, failures = load_one_bad(folder, "poem.txt", "床前明月光\n疑是地上霜\n".encode())
    assert codes == [GOOD]
    assert len(failures) == 1 and failures[0].startswith("poem.txt")
    assert "not a competency standard" in failures[0]


def test_undefined_k_code_in_text(folder: Path, standards_dir: Path) -> None:
    text = seed_text(standards_dir, "KMC2431-009v2").replace("KMC2431-009v2", "KMC2431-999v1")
    assert "K01" in text
    first_k = text.index("K01")
    text = text[:first_k] + "K99 " + text[first_k:]  # a code with no name anywhere
    (folder / "k99.txt").write_text(text, encoding="utf-8")
    corpus = load_corpus([folder])
    assert corpus.failures == ()
    found = [w for w in corpus.warnings if "K99" in w.message]
    assert len(found) == 1 and found[0].line > 0 and "does not define" in found[0].message
    assert found[0].path == "k99.txt"  # named inside the folder given


def test_undefined_k_code_in_json(folder: Path) -> None:
    doc = json.loads(FIXTURE.read_text(encoding="utf-8"))
    doc["competency_tasks"][0]["knowledge"].append("K77")
    (folder / "k77.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), "utf-8")
    corpus = load_corpus([folder])
    found = [str(w) for w in corpus.warnings if "K77" in w.message]
    assert len(found) == 1
    assert re.fullmatch(rf"{re.escape('k77.json')}:\d+: task T1\.1 uses knowledge"
                        " K77, which the standard does not define", found[0])


def test_same_standard_code_twice(folder: Path, standards_dir: Path) -> None:
    shutil.copy(standards_dir / f"{GOOD}.txt", folder / "zz-copy.txt")
    corpus = load_corpus([folder])
    assert [s.source.path for s in corpus.standards] == [f"{GOOD}.txt"]
    assert [str(w) for w in corpus.warnings if "duplicate" in w.message] == [
        f"zz-copy.txt: duplicate standard code {GOOD}: already loaded from"
        f" {GOOD}.txt; this file is left out"
    ]


def test_json_of_the_wrong_shape(folder: Path) -> None:
    codes, failures = load_one_bad(folder, "shape.json", b'{"metadata": {"code": "X"}}')
    assert codes == [GOOD]
    assert failures == [
        "shape.json: not an iCAP standard (JSON corpus layout): metadata.name is"
        " missing"
    ]
    _, failures = load_one_bad(folder, "shape.json", b'{\n"metadata": {,\n}')
    assert failures == [
        "shape.json:2: invalid JSON: Expecting property name enclosed in double"
        " quotes (column 14)"
    ]


def test_file_above_the_size_limit(folder: Path) -> None:
    big = folder / "huge.txt"
    with open(big, "wb") as fh:  # sparse: nothing is written but the last byte
        fh.seek(MAX_BYTES + 1)
        fh.write(b"\n")
    corpus = load_corpus([folder])
    assert [s.code for s in corpus.standards] == [GOOD]
    assert [str(f) for f in corpus.failures] == [
        f"huge.txt: file too large ({MAX_BYTES + 2} bytes; the limit is {MAX_BYTES})"
    ]
    with pytest.raises(ParseError, match="file too large"):
        decode_bytes(b"a" * (MAX_BYTES + 1), "mem.txt")


def _versioned(folder: Path, code: str, name: str) -> None:
    doc = json.loads(FIXTURE.read_text(encoding="utf-8"))
    doc["metadata"]["code"], doc["metadata"]["name"] = code, name
    (folder / f"{code}.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")


def test_versions_of_one_occupation(tmp_path: Path) -> None:
    _versioned(tmp_path, "TST2431-001v3", "測試企劃人員")
    _versioned(tmp_path, "TST2431-001v10", "測試企劃人員")  # numeric, not text, order
    _versioned(tmp_path, "TST2431-002v1", "其他人員")
    corpus = load_corpus([tmp_path])
    latest = {s.code: s.latest for s in corpus.standards}
    assert latest == {"TST2431-001v10": True, "TST2431-001v3": False, "TST2431-002v1": True}
    assert not any("different names" in w.message for w in corpus.warnings)


def test_versions_with_different_names_warn(tmp_path: Path) -> None:
    _versioned(tmp_path, "LPS5404-001v1", "保全人員")
    _versioned(tmp_path, "LPS5404-001v3", "系統機動保全人員")
    corpus = load_corpus([tmp_path])
    assert [w.message for w in corpus.warnings if "different names" in w.message] == [
        "versions of LPS5404-001 have different names (LPS5404-001v1 保全人員,"
        " LPS5404-001v3 系統機動保全人員); one of the codes may be wrong"
    ]


def test_unreadable_file(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = folder / "locked.txt"
    locked.write_text("x", encoding="utf-8")
    real_open = os.open

    def refuse(name: str, flags: int, *args: Any, **kwargs: Any) -> int:
        if name == str(locked):
            raise PermissionError(13, "Permission denied")
        return real_open(name, flags, *args, **kwargs)

    # Root reads any file whatever its mode, so the refusal is simulated.
    monkeypatch.setattr(os, "open", refuse)
    corpus = load_corpus([folder])
    assert [s.code for s in corpus.standards] == [GOOD]
    assert [str(f) for f in corpus.failures] == ["locked.txt: cannot read: Permission denied"]


@pytest.mark.corpus
def test_real_corpus(corpus_dir: Path) -> None:
    corpus = load_corpus([corpus_dir])
    assert len(corpus.standards) >= 880
    assert corpus.failures == ()
    kinds = collections.Counter(
        re.sub(r"'[^']*'|\b[A-Z]\d+(?:\.\d+)*\b|\d+", "#", w.message) for w in corpus.warnings
    )
    print("\n".join(f"{n:5d} {k}" for k, n in kinds.most_common()))
    # Defects named in ../shared/README.md, each reported:
    messages = [str(w) for w in corpus.warnings]
    assert any("duplicate standard code KRM2421-001v4" in m for m in messages)
    assert sum("empty standard code" in m for m in messages) >= 1
    assert sum("the attitude list is empty" in m for m in messages) >= 1
    assert sum(s.historical for s in corpus.standards) >= 30
    codes = [s.code for s in corpus.standards]
    assert len(codes) == len(set(codes))


@given(st.binary(max_size=200) | st.text(max_size=60).map(lambda t: t.encode("utf-8")))
def test_fuzz_decode(data: bytes) -> None:
    try:
        text = decode_bytes(data, "fuzz.txt")
    except ParseError as exc:
        assert exc.path == "fuzz.txt" and exc.reason
    else:
        assert "\r" not in text and "\x00" not in text and text.strip()


def test_letterless_item_names_are_warned_and_left_out(folder: Path, standards_dir: Path) -> None:
    # The corpus has skills named "5", "5、" and "6" (names lost by the PDF parser); three
    # "6" of three standards would otherwise become one Skill shared by all three.
    text = seed_text(standards_dir).replace("S02 市場分析能力", "S02 5")
    text = text.replace("A03自信心：", "A03 (3)：")
    (folder / f"{GOOD}.txt").write_text(text, encoding="utf-8")
    doc = json.loads(FIXTURE.read_text(encoding="utf-8"))
    doc["competency_skills"][1]["name"] = "5、"
    dumped = json.dumps(doc, ensure_ascii=False, indent=2)
    (folder / "tst.json").write_text(dumped, encoding="utf-8")
    corpus = load_corpus([folder])
    by_code = {s.code: s for s in corpus.standards}
    seed, tst = by_code[GOOD], by_code["TST2431-001v2"]
    # IDC3339-001v2.txt: S02 is on line 19 (task T1.1), A03 on line 34.
    letterless = [str(w) for w in corpus.warnings if "only digits or punctuation" in w.message]
    lines = dumped.splitlines()
    s02 = next(i for i, line in enumerate(lines, start=1)
               if '"S02"' in line and i > lines.index('  "competency_skills": ['))
    assert letterless == [
        f"{GOOD}.txt:19: skill S02 '5' is only digits or punctuation (a name lost in"
        " extraction); left out",
        f"{GOOD}.txt:34: attitude A03 '(3)' is only digits or punctuation (a name lost in"
        " extraction); left out",
        f"tst.json:{s02}: skill S02 '5、' is only digits or punctuation (a name lost in"
        " extraction); left out",
    ]
    assert "S02" not in {s.code for s in seed.skills} | {s.code for s in tst.skills}
    assert "A03" not in {a.code for a in seed.attitudes}
    # Their tasks still cite them, and are not reported again as undefined codes.
    assert "S02" in seed.tasks[0].skills
    assert not any("S02, which the standard does not define" in w.message
                   for w in corpus.warnings)
