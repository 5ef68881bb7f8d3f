"""Fuzzing the text loader with mutated seed standards.

Whatever the mutation (dropped, swapped and duplicated lines, truncation, random
characters and tabs, shuffled or emptied cells, one standard spliced into another),
``parse_standard_text`` returns a Standard whose warnings point at real lines, or
raises ParseError: never anything else.

The number of examples follows the Hypothesis profile of tests/conftest.py
(HYPOTHESIS_PROFILE): ten times the profile's count, capped at 100,000, so dev runs
2,000, ci 3,000 and long 100,000.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.errors import ParseError
from loaders.records import Standard
from loaders.text import parse_standard_text

STANDARDS = Path(__file__).resolve().parent.parent / "data" / "standards"
SEEDS: tuple[str, ...] = tuple(
    p.read_text(encoding="utf-8") for p in sorted(STANDARDS.glob("*.txt"))
)
_BASE = settings().max_examples
FUZZ_EXAMPLES = min(10 * _BASE, max(_BASE, 100_000))

Draw = st.DrawFn
Lines = list[str]

# Characters PDF extraction and broken decoding produce: controls, CR, NUL, BOM,
# lone surrogates (from surrogateescape), markup and mark pieces, codes and digits.
_NOISE = st.one_of(
    st.text(max_size=12),
    st.text(alphabet="\t\r\x00\ufeff\udc80\udcff\u3000\u00a0 【】註<>^{}*-：:", max_size=8),
    st.sampled_from(["T1", "T1.1", "T9.9", "O1.1.1", "P2.2.3", "K01", "S99", "A01", "4", "99",
                     "主要職責", "職能基準代碼", "說明與補充事項", "其他補充說明",
                     "職能內涵 (A=attitude 態度)", "【註1】", "\t\t\t\t\t", "版本"]),
    st.binary(max_size=12).map(lambda b: b.decode("utf-8", "surrogateescape")),
)


def _index(draw: Draw, lines: Lines) -> int:
    return draw(st.integers(0, max(len(lines) - 1, 0)))


def _drop(draw: Draw, lines: Lines) -> Lines:
    i = _index(draw, lines)
    return lines[:i] + lines[i + 1 :]


def _swap(draw: Draw, lines: Lines) -> Lines:
    i, j = _index(draw, lines), _index(draw, lines)
    out = list(lines)
    if out:
        out[i], out[j] = out[j], out[i]
    return out


def _duplicate(draw: Draw, lines: Lines) -> Lines:
    i, j = _index(draw, lines), _index(draw, lines)
    return lines[:j] + lines[i : i + 1] + lines[j:]


def _truncate(draw: Draw, lines: Lines) -> Lines:
    i = _index(draw, lines)
    if not lines:
        return lines
    cut = draw(st.integers(0, len(lines[i])))
    return [*lines[:i], lines[i][:cut]]


def _noise(draw: Draw, lines: Lines) -> Lines:
    i = _index(draw, lines)
    out = list(lines) or [""]
    at = draw(st.integers(0, len(out[i])))
    out[i] = out[i][:at] + draw(_NOISE) + out[i][at:]
    return out


def _tabs(draw: Draw, lines: Lines) -> Lines:
    i = _index(draw, lines)
    out = list(lines) or [""]
    if draw(st.booleans()):
        out[i] = out[i].replace("\t", "", 1)
    else:
        at = draw(st.integers(0, len(out[i])))
        out[i] = out[i][:at] + "\t" + out[i][at:]
    return out


def _shuffle_cells(draw: Draw, lines: Lines) -> Lines:
    i = _index(draw, lines)
    out = list(lines) or [""]
    cells = out[i].split("\t")
    out[i] = "\t".join(draw(st.permutations(cells)))
    return out


def _empty_cells(draw: Draw, lines: Lines) -> Lines:
    i = _index(draw, lines)
    out = list(lines) or [""]
    cells = out[i].split("\t")
    keep = draw(st.lists(st.booleans(), min_size=len(cells), max_size=len(cells)))
    out[i] = "\t".join(c if k else "" for c, k in zip(cells, keep, strict=True))
    return out


def _digits(draw: Draw, lines: Lines) -> Lines:
    i = _index(draw, lines)
    out = list(lines) or [""]
    table = str.maketrans(string.digits, "".join(draw(st.permutations(string.digits))))
    out[i] = out[i].translate(table)
    return out


def _splice(draw: Draw, lines: Lines) -> Lines:
    other = draw(st.sampled_from(SEEDS)).split("\n")
    i, j = _index(draw, lines), _index(draw, other)
    return lines[:i] + other[j : j + draw(st.integers(1, 8))] + lines[i:]


MUTATIONS: dict[str, Callable[[Draw, Lines], Lines]] = {
    "drop": _drop, "swap": _swap, "duplicate": _duplicate, "truncate": _truncate,
    "noise": _noise, "tabs": _tabs, "shuffle_cells": _shuffle_cells,
    "empty_cells": _empty_cells, "digits": _digits, "splice": _splice,
}


@st.composite
def mutated_standards(draw: Draw) -> str:
    """One of the five seeds with one to eight mutations applied."""
    lines = draw(st.sampled_from(SEEDS)).split("\n")
    ops = draw(st.lists(st.sampled_from(sorted(MUTATIONS)), min_size=1, max_size=8))
    for op in ops:
        lines = MUTATIONS[op](draw, lines)
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return newline.join(lines)


@settings(max_examples=FUZZ_EXAMPLES, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_standards())
def test_mutated_standard_parses_or_raises_parse_error(text: str) -> None:
    try:
        std = parse_standard_text(text, "fuzz.txt")
    except ParseError as err:
        assert err.path == "fuzz.txt"
        return
    assert isinstance(std, Standard)
    n_lines = len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    for w in std.warnings:
        assert w.path == "fuzz.txt" and 0 <= w.line <= n_lines and w.message
    for task in std.tasks:
        assert task.level is None or 0 <= task.level <= 99
    assert all(item.name for item in std.items())


@settings(max_examples=max(_BASE, 50))
@given(st.text(max_size=300))
def test_arbitrary_text_parses_or_raises_parse_error(text: str) -> None:
    try:
        std = parse_standard_text(text, "any.txt")
    except ParseError as err:
        assert err.path == "any.txt"
    else:
        assert isinstance(std, Standard)
