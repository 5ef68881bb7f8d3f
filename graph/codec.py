"""Python values in a section file (:mod:`graph.sections`), read back lazily.

What the lookup cache keeps is the very objects the queries build from a graph — the query
index, the matching model, the resolver's name spaces, the search columns — so that a lookup
runs the same code on the same values and prints the same bytes. A value is written as a
tree of tagged msgpack arrays; numpy arrays and CSR matrices go to sections of their own,
read (and checked) only when used; a large mapping whose values are not plain scalars is
decoded one entry at a time, when that entry is asked for.

Supported: ``None``, ``bool``, ``int``, ``float``, ``str``, ``bytes``; tuples, lists, sets,
frozensets, dicts and mapping proxies; enum members and dataclass instances of this product's
packages (rebuilt by calling the class with their fields; fields named in ``transient`` — caches —
are left to their defaults; the classes are named once, in the file's ``classes`` list);
numpy arrays (not of objects); CSR matrices (scipy's or :class:`graph.csr.LazyCSR`, read
back as a ``LazyCSR``). Anything else is a ``TypeError`` when writing. A tree that does not
decode is a :class:`loaders.errors.CacheError`.

How mappings come back: a small one, or one of scalars only up to :data:`LAZY_SCALARS`
entries, as a ``dict`` (or mapping proxy, as it was); a larger one with string keys as a
read-only mapping decoded one entry at a time, its entries spread over sections of about
:data:`SHARD_BYTES` by a hash of the key, so that reading one entry reads one section.

>>> import pathlib, tempfile
>>> from graph.sections import SectionFile, write_sections
>>> enc = Encoder(transient=frozenset())
>>> enc.add("v", {"a": (1, 2.5), "b": frozenset({"x"})})
>>> with tempfile.TemporaryDirectory() as tmp:
...     write_sections(pathlib.Path(tmp) / "f", enc.meta(), enc.sections)
...     with SectionFile(pathlib.Path(tmp) / "f") as f:
...         Decoder(f).value("v")
{'a': (1, 2.5), 'b': frozenset({'x'})}
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import math
import zlib
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

import msgspec

from graph.sections import SectionFile
from loaders.errors import CacheError

_SCALARS = (type(None), bool, int, float, str, bytes)
_SCALAR_TYPES = frozenset(_SCALARS)
_KEY_TYPES = frozenset({str, int})
#: Tag of each sequence type (upper case: all items scalars) and the type of each tag.
_SEQUENCES: dict[type, str] = {tuple: "t", list: "l", frozenset: "f", set: "s"}
_SEQUENCE_TYPES: dict[str, type] = {tag: t for t, tag in _SEQUENCES.items()}
#: Packages whose dataclasses and enums may be rebuilt from a file.
_PACKAGES = ("graph.", "queries.", "loaders.", "cypher.")
#: A mapping of more entries than this, not all scalars, is decoded entry by entry.
LAZY_ENTRIES = 16
#: A mapping of scalars with more entries than this is decoded entry by entry too.
LAZY_SCALARS = 2000
#: About how many bytes of entries one section of a mapping decoded entry by entry holds.
SHARD_BYTES = 1 << 15


def _class_path(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _shard(key: str, shards: int) -> int:
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % shards


def _is_csr(value: Any) -> bool:
    return getattr(value, "format", None) == "csr" or type(value).__name__ == "LazyCSR"


class Encoder:
    """Turns values into sections (:attr:`sections`, name → bytes) and the file's
    :meth:`meta` (the classes the values name)."""

    def __init__(self, transient: frozenset[str]) -> None:
        self.transient = transient
        self.sections: dict[str, bytes] = {}
        self.classes: dict[str, int] = {}
        self._names: dict[type, tuple[str, ...]] = {}
        self._root = ""
        self._count = 0

    def add(self, name: str, value: object) -> None:
        """Keep ``value`` as section ``name`` (and its parts as ``name#<n>``)."""
        self._root, self._count = name, 0
        self.sections[name] = msgspec.msgpack.encode(self._tree(value))

    def meta(self) -> dict[str, Any]:
        """What the file's header must hold for :class:`Decoder` (the class list)."""
        return {"classes": list(self.classes)}

    def _section(self, content: bytes) -> str:
        name = f"{self._root}#{self._count}"
        self._count += 1
        self.sections[name] = content
        return name

    def _class(self, cls: type) -> int:
        return self.classes.setdefault(_class_path(cls), len(self.classes))

    def _array(self, value: Any) -> list[Any]:
        import numpy as np

        array = np.ascontiguousarray(value)
        if array.dtype.hasobject:
            raise TypeError("arrays of Python objects cannot be kept")
        return ["A", self._section(array.tobytes()), array.dtype.str, list(array.shape)]

    def _fields(self, cls: type) -> tuple[str, ...]:
        found = self._names.get(cls)
        if found is None:
            found = self._names[cls] = tuple(
                f.name for f in dataclasses.fields(cls)
                if f.init and f.name not in self.transient)
        return found

    def _tree(self, value: Any) -> Any:
        kind = type(value)
        if kind in _SCALAR_TYPES:
            return value
        tag = _SEQUENCES.get(kind)
        if tag is not None:
            items = list(value)
            if _SCALAR_TYPES.issuperset(map(type, items)):
                return [tag.upper(), items]
            return [tag, [self._tree(v) for v in items]]
        if kind is dict or kind is MappingProxyType:
            return self._mapping(value)
        if isinstance(value, enum.Enum):
            return ["E", self._class(kind), value.value]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return ["O", self._class(kind),
                    {name: self._tree(getattr(value, name)) for name in self._fields(kind)}]
        if isinstance(value, tuple | list | set | frozenset):
            tag = next(tag for t, tag in _SEQUENCES.items() if isinstance(value, t))
            return self._tree(_SEQUENCE_TYPES[tag](value))
        if isinstance(value, Mapping):
            return self._mapping(value)
        if _is_csr(value):
            return ["C", self._array(value.indptr), self._array(value.indices),
                    self._array(value.data), list(value.shape)]
        if kind.__module__ == "numpy":
            if hasattr(value, "shape") and value.shape != ():
                return self._array(value)
            return self._tree(value.item())  # a numpy scalar: kept as the Python one
        raise TypeError(f"cannot keep a {kind.__name__} in the lookup cache")

    def _mapping(self, value: Mapping[Any, Any]) -> list[Any]:
        proxy = isinstance(value, MappingProxyType)
        key_types = set(map(type, value))
        strings = key_types <= {str}
        if (key_types <= _KEY_TYPES and _SCALAR_TYPES.issuperset(map(type, value.values()))
                and (len(value) <= LAZY_SCALARS or not strings)):
            return ["P" if proxy else "D", dict(value)]
        if len(value) <= LAZY_ENTRIES or not strings:
            return ["p" if proxy else "d",
                    [[self._tree(k), self._tree(v)] for k, v in value.items()]]
        encode = msgspec.msgpack.encode
        entries = {k: encode(self._tree(v)) for k, v in value.items()}
        total = sum(map(len, entries.values()))
        if total <= SHARD_BYTES:
            return ["n", encode({k: msgspec.Raw(v) for k, v in entries.items()})]
        shards: list[dict[str, msgspec.Raw]] = [{} for _ in range(math.ceil(total / SHARD_BYTES))]
        for key, content in entries.items():
            shards[_shard(key, len(shards))][key] = msgspec.Raw(content)
        return ["N", len(entries), [self._section(encode(s)) for s in shards],
                self._section(encode(list(entries)))]


class LazyEntries(Mapping[str, Any]):
    """A read-only mapping decoded one entry at a time (each entry once), its entries in
    one or more parts (``shards``, by :func:`_shard` of the key); ``keys`` gives the keys
    in their order when there are several parts; ``count`` is their number (-1: count the
    one part)."""

    def __init__(self, count: int, shards: list[Callable[[], Any]], decode: Any,
                 keys: Callable[[], Any] | None = None) -> None:
        self._count = count
        self._shards = shards
        self._read: list[dict[str, msgspec.Raw] | None] = [None] * len(shards)
        self._decode = decode
        self._keys = keys
        self._done: dict[str, Any] = {}

    def _part(self, key: object) -> dict[str, msgspec.Raw]:
        i = _shard(key, len(self._shards)) if len(self._shards) > 1 and isinstance(key, str) else 0
        found = self._read[i]
        if found is None:
            try:
                found = msgspec.msgpack.decode(self._shards[i](), type=dict[str, msgspec.Raw])
            except msgspec.DecodeError as exc:
                raise CacheError(f"lookup cache: unreadable entries: {exc}") from exc
            self._read[i] = found
        return found

    def __getitem__(self, key: str) -> Any:
        found = self._done.get(key, _MISSING)
        if found is _MISSING:
            raw = self._part(key)[key]
            found = self._done[key] = self._decode(raw)
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._part(key)

    def __iter__(self) -> Iterator[str]:
        if self._keys is None:
            return iter(self._part(None))
        keys: list[str] = self._keys()
        return iter(keys)

    def __len__(self) -> int:
        return self._count if self._count >= 0 else len(self._part(None))


_MISSING = object()


class Decoder:
    """Reads values back from a :class:`SectionFile` (parts when first used)."""

    def __init__(self, file: SectionFile) -> None:
        self.file = file
        self._paths: list[str] = [str(p) for p in file.meta.get("classes", [])]
        self._classes: dict[int, Any] = {}

    def value(self, name: str) -> Any:
        """The value kept as section ``name``.

        Raises
        ------
        CacheError : the section is missing, damaged or does not decode.
        """
        return self.decode(self.file.read(name), name)

    def decode(self, content: Any, where: str = "an entry") -> Any:
        """The value of one encoded tree (msgpack bytes).

        Raises
        ------
        CacheError : it does not decode.
        """
        try:
            return self.tree(msgspec.msgpack.decode(content))
        except (msgspec.DecodeError, TypeError, ValueError, KeyError, IndexError,
                AttributeError, ImportError) as exc:
            raise CacheError(f"{self.file.path}: {where} does not decode: {exc}") from exc

    def _read(self, section: str) -> Callable[[], Any]:
        return lambda: self.file.read(section)

    def _class(self, number: int, kind: str) -> Any:
        found = self._classes.get(number)
        if found is None:
            path = self._paths[number]
            module, _, qualname = path.partition(":")
            if not module.startswith(_PACKAGES):
                raise CacheError(f"{self.file.path}: {path} is not a class of this product")
            found = importlib.import_module(module)
            for part in qualname.split("."):
                found = getattr(found, part)
            ok = (dataclasses.is_dataclass(found) if kind == "O"
                  else isinstance(found, type) and issubclass(found, enum.Enum))
            if not ok:
                raise CacheError(f"{self.file.path}: {path} cannot be rebuilt")
            self._classes[number] = found
        return found

    def _array(self, node: list[Any]) -> Any:
        import numpy as np

        _tag, section, dtype, shape = node
        try:
            return np.frombuffer(self.file.read(section), dtype=np.dtype(dtype)).reshape(shape)
        except (TypeError, ValueError) as exc:
            raise CacheError(f"{self.file.path}: array {section!r} does not decode: {exc}") from exc

    def tree(self, node: Any) -> Any:
        """The value of a decoded msgpack tree (see :class:`Encoder`)."""
        if not isinstance(node, list):
            return node
        tag = node[0]
        if tag in ("T", "L", "S", "F"):
            return {"T": tuple, "L": list, "S": set, "F": frozenset}[tag](node[1])
        if tag in ("t", "l", "s", "f"):
            return {"t": tuple, "l": list, "s": set, "f": frozenset}[tag](
                self.tree(v) for v in node[1])
        if tag == "D":
            return node[1]
        if tag == "P":
            return MappingProxyType(node[1])
        if tag in ("d", "p"):
            out = {self.tree(k): self.tree(v) for k, v in node[1]}
            return out if tag == "d" else MappingProxyType(out)
        if tag == "n":
            payload = node[1]
            return LazyEntries(-1, [lambda: payload], self.decode)
        if tag == "N":
            return LazyEntries(int(node[1]), [self._read(s) for s in node[2]], self.decode,
                               lambda: msgspec.msgpack.decode(self.file.read(node[3])))
        if tag == "E":
            return self._class(node[1], "E")(node[2])
        if tag == "O":
            cls = self._class(node[1], "O")
            return cls(**{k: self.tree(v) for k, v in node[2].items()})
        if tag == "A":
            return self._array(node)
        if tag == "C":
            from graph.csr import LazyCSR, Rows

            indptr, indices, data = node[1], node[2], node[3]
            shape = (int(node[4][0]), int(node[4][1]))
            return LazyCSR(lambda: Rows(self._array(indptr), self._array(indices),
                                        self._array(data), shape))
        raise CacheError(f"{self.file.path}: unknown tag {tag!r}")


__all__ = ["Decoder", "Encoder", "LazyEntries"]
