"""The parts of the lookup cache's file: numpy-only sparse products, the section file, and
Python values kept in it (graph/csr.py, graph/sections.py, graph/codec.py)."""

from __future__ import annotations

import random
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pytest
from scipy import sparse as sp

import graph.codec as codec
from graph.codec import Decoder, Encoder, LazyEntries
from graph.csr import LazyCSR, Rows, matvec, row_product_sum
from graph.kinds import Kind
from graph.sections import MAGIC, SectionFile, write_sections
from loaders.errors import CacheError
from queries.index import Index, ItemUse, Profile


def _random_csr(rng: np.random.Generator, rows: int, cols: int, density: float) -> sp.csr_matrix:
    dense = rng.random((rows, cols)) * (rng.random((rows, cols)) < density)
    dense *= rng.choice([1e-3, 1.0, 7.5, 1e3], size=(rows, cols))
    return sp.csr_matrix(dense)


def test_matvec_by_hand() -> None:
    # [[1, 0, 2], [0, 0, 0], [0, 3, 0]] @ [1, 10, 100] = [201, 0, 30]
    A = Rows(np.array([0, 2, 2, 3]), np.array([0, 2, 1]), np.array([1.0, 2.0, 3.0]), (3, 3))
    assert matvec(A, np.array([1.0, 10.0, 100.0])).tolist() == [201.0, 0.0, 30.0]


def test_row_product_sum_by_hand() -> None:
    # row 0 of A = (1, 0, 2), row 1 of B = (5, 7, 0): shared column 0 only → 5
    A = Rows(np.array([0, 2]), np.array([0, 2]), np.array([1.0, 2.0]), (1, 3))
    B = Rows(np.array([0, 1, 3]), np.array([2, 0, 1]), np.array([9.0, 5.0, 7.0]), (2, 3))
    assert row_product_sum(A, 0, B, 1) == 5.0
    assert row_product_sum(A, 0, Rows(np.array([0, 0]), np.array([], dtype=int),
                                      np.array([]), (1, 3)), 0) == 0.0


def test_products_are_scipys_to_the_bit() -> None:
    """The lookup path's products equal scipy's exactly (not approximately): the lookup
    cache must print the bytes the full graph prints."""
    rng = np.random.default_rng(16)
    for _ in range(60):
        A = _random_csr(rng, int(rng.integers(1, 60)), int(rng.integers(1, 300)),
                        float(rng.uniform(0.005, 0.4)))
        x = rng.random(A.shape[1]) * rng.choice([0.0, 1e-6, 1.0, 3.3], size=A.shape[1])
        assert matvec(A, x).tobytes() == np.asarray(A @ x, dtype=np.float64).tobytes()
        B = _random_csr(rng, 4, A.shape[1], float(rng.uniform(0.01, 0.6)))
        for i in range(min(A.shape[0], 4)):
            for j in range(4):
                assert row_product_sum(A, i, B, j) == float(A[i].multiply(B[j]).sum())


def test_lazy_csr_reads_once_and_does_scipy_work() -> None:
    reads = []
    M = sp.csr_matrix(np.array([[0.0, 2.0], [3.0, 0.0]]))

    def read() -> Rows:
        reads.append(1)
        return Rows(M.indptr, M.indices, M.data, M.shape)

    lazy = LazyCSR(read)
    assert reads == []
    assert lazy.indptr.tolist() == [0, 1, 2] and lazy.nnz == 2 and reads == [1]
    assert (lazy @ np.array([1.0, 1.0])).tolist() == [2.0, 3.0]
    assert lazy[1].toarray().tolist() == [[3.0, 0.0]]
    assert reads == [1]


def test_sections_round_trip_and_refusals(tmp_path: Path) -> None:
    path = tmp_path / "f.bin"
    write_sections(path, {"k": [1, "二"]}, {"a": b"alpha", "b": b""})
    with SectionFile(path) as f:
        assert f.meta == {"k": [1, "二"]}
        assert bytes(f.read("a")) == b"alpha" and bytes(f.read("b")) == b""
        assert f.names() == ["a", "b"] and "c" not in f
        with pytest.raises(CacheError, match="no section 'c'"):
            f.read("c")
    content = path.read_bytes()
    # One byte of section "a" changed: opening works, reading that section does not.
    at = content.index(b"alpha")
    path.write_bytes(content[:at] + b"A" + content[at + 1:])
    with SectionFile(path) as f, pytest.raises(CacheError, match="'a' is damaged"):
        f.read("a")
    for bad, why in ((content[:-3], "cut short"), (b"something else", "not a section file"),
                     (MAGIC + (10**9).to_bytes(8, "little"), "header cut short")):
        path.write_bytes(bad)
        with pytest.raises(CacheError, match=why):
            SectionFile(path)
    with pytest.raises(CacheError, match="cannot open"):
        SectionFile(tmp_path / "missing.bin")


def _round_trip(tmp_path: Path, value: object, transient: frozenset[str] = frozenset()
                ) -> tuple[object, SectionFile]:
    enc = Encoder(transient)
    enc.add("v", value)
    write_sections(tmp_path / "v.bin", enc.meta(), enc.sections)
    f = SectionFile(tmp_path / "v.bin")
    return Decoder(f).value("v"), f


def _profile(code: str, uses: dict[str, ItemUse]) -> Profile:
    return Profile(f"occupation:{code}", code, "職業", 4, True, False, (4,),
                   MappingProxyType(uses))


def test_values_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The query index's own classes: dataclasses, an enum, mapping proxies, a map decoded
    entry by entry over several shards, an array and a CSR matrix."""
    monkeypatch.setattr(codec, "SHARD_BYTES", 64)  # several shards even for a small map
    uses = {f"skill:技能{i}": ItemUse(f"skill:技能{i}", Kind.SKILL, ("T1.1",), (3,), f"技能{i}")
            for i in range(40)}
    profiles = {f"occupation:X-{i:03}v1": _profile(f"X-{i:03}v1", uses) for i in range(30)}
    index = Index((0, 99), MappingProxyType(profiles), {"x-000v1": "occupation:X-000v1"},
                  {"skill:技能1": 1.5}, {}, {}, extra={"matching": object()})
    matrix = sp.csr_matrix(np.array([[0.0, 1.5], [2.5, 0.0]]))
    back, f = _round_trip(tmp_path, {"index": index, "rows": np.arange(3.0), "m": matrix},
                          frozenset({"extra", "stored"}))
    assert isinstance(back, dict)
    got = back["index"]
    assert isinstance(got, Index) and got.extra == {}  # a cache: not kept
    assert got.stamp == (0, 99) and got.by_code == {"x-000v1": "occupation:X-000v1"}
    assert isinstance(got.profiles, LazyEntries) and len(got.profiles) == 30
    assert list(got.profiles) == list(profiles)
    p = got.profiles["occupation:X-007v1"]
    assert p == profiles["occupation:X-007v1"] and p.uses["skill:技能3"].kind is Kind.SKILL
    assert "occupation:X-999v1" not in got.profiles
    assert back["rows"].tolist() == [0.0, 1.0, 2.0]
    assert isinstance(back["m"], LazyCSR)
    assert back["m"].toarray().tolist() == [[0.0, 1.5], [2.5, 0.0]]
    f.close()


def test_unkeepable_values_are_refused() -> None:
    with pytest.raises(TypeError, match="cannot keep a object"):
        Encoder(frozenset()).add("v", object())
    with pytest.raises(TypeError, match="arrays of Python objects"):
        Encoder(frozenset()).add("v", np.array([object()]))


def test_a_damaged_entry_shard_fails_when_read(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(codec, "SHARD_BYTES", 64)
    rng = random.Random(3)
    table = {f"k{i}": (Kind.SKILL, rng.random()) for i in range(200)}
    enc = Encoder(frozenset())
    enc.add("v", table)
    sections = dict(enc.sections)
    shard = next(name for name in sections if name.startswith("v#"))
    sections[shard] = b"\x00" + sections[shard][1:]
    # The digest is of the bytes written: write the damaged bytes, then break the digest.
    write_sections(tmp_path / "v.bin", enc.meta(), enc.sections)
    content = (tmp_path / "v.bin").read_bytes()
    original = enc.sections[shard]
    at = content.rindex(original)
    (tmp_path / "v.bin").write_bytes(content[:at] + sections[shard] + content[at + len(original):])
    with SectionFile(tmp_path / "v.bin") as f:
        back = Decoder(f).value("v")
        with pytest.raises(CacheError, match="damaged"):
            for key in table:
                assert back[key] == table[key]


def test_only_this_products_classes_are_rebuilt(tmp_path: Path) -> None:
    enc = Encoder(frozenset())
    enc.add("v", Kind.SKILL)
    meta = {**enc.meta(), "classes": ["os:system"]}
    write_sections(tmp_path / "v.bin", meta, enc.sections)
    with SectionFile(tmp_path / "v.bin") as f, pytest.raises(CacheError, match="not a class"):
        Decoder(f).value("v")
