"""Curated aliases: two wordings a person has judged to be the same competency.

The file (``data/aliases.csv``) has the columns ``kind,name,canonical,reason``;
``kind`` is an item kind word (``knowledge`` / ``skill`` / ``attitude``) or its
label (``Knowledge`` …). At build time the alias's key is merged into the
canonical's node. Nothing here is automatic: similar wordings found by scoring
become SIMILAR_TO edges, never merges.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

from graph.identity import item_key
from graph.model import ITEM_KINDS, KIND_OF_WORD, Kind
from loaders.errors import AliasError

COLUMNS: tuple[str, ...] = ("kind", "name", "canonical", "reason")

#: Environment variable naming another aliases file than the repository's.
ENV_ALIASES = "ICAPGRAPH_ALIASES"

_KIND_BY_SPELLING: dict[str, Kind] = {
    **{word: kind for word, kind in KIND_OF_WORD.items()},
    **{kind.value.lower(): kind for kind in ITEM_KINDS},
}


@dataclass(frozen=True, slots=True)
class Alias:
    """One line of the aliases file: ``name`` is another wording of ``canonical``."""

    kind: Kind
    name: str
    canonical: str
    reason: str
    line: int


def default_aliases_path() -> Path:
    """``$ICAPGRAPH_ALIASES`` when set, else ``data/aliases.csv`` beside the package.

    >>> default_aliases_path().name
    'aliases.csv'
    """
    env = os.environ.get(ENV_ALIASES)
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "data" / "aliases.csv"


def _kind(value: str, path: str, line: int) -> Kind:
    kind = _KIND_BY_SPELLING.get(value.strip().lower())
    if kind is None:
        valid = ", ".join(sorted(KIND_OF_WORD))
        raise AliasError(path, line, f"unknown kind {value.strip()!r}; choose one of: {valid}")
    return kind


def _check_cycles(aliases: tuple[Alias, ...], path: str) -> None:
    # name -> canonical is a function per (kind, key); following it from every alias
    # must end at a name that is not itself an alias.
    target = {(a.kind, item_key(a.name)): a for a in aliases}
    for start in aliases:
        walked: list[Alias] = []
        step: Alias | None = start
        while step is not None and step not in walked:
            walked.append(step)
            step = target.get((step.kind, item_key(step.canonical)))
        if step is not None:
            cycle = walked[walked.index(step):]
            chain = " → ".join([*(a.name for a in cycle), step.name])
            # Report the line that closes the cycle: the last of its lines in the file.
            raise AliasError(path, max(a.line for a in cycle), f"alias cycle: {chain}")


def load_aliases(text: str, path: str) -> tuple[Alias, ...]:
    """Parse the aliases CSV.

    Parameters
    ----------
    text : the file's content (a header line ``kind,name,canonical,reason`` first;
        blank lines and lines starting with ``#`` are ignored).
    path : the file name used in error messages.

    Returns
    -------
    tuple[Alias, ...] : in file order, with 1-based line numbers.

    Raises
    ------
    AliasError : a bad header, an unknown kind, an empty name or canonical, a name
        equal to its canonical, one name given two canonicals, or a cycle (A→B→A).

    >>> rows = "kind,name,canonical,reason\\nknowledge,客戶關係管理,顧客關係管理,同義\\n"
    >>> load_aliases(rows, "aliases.csv")[0].canonical
    '顧客關係管理'
    >>> load_aliases("kind,name,canonical,reason\\nfeeling,a,b,c\\n", "x.csv")
    ... # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    loaders.errors.AliasError: x.csv:2: unknown kind 'feeling'; choose one of: attitude, ...
    """
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    aliases: list[Alias] = []
    seen: dict[tuple[Kind, str], Alias] = {}
    header_done = False
    for number, row in enumerate(rows, start=1):
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        if not header_done:
            if tuple(c.strip().lower() for c in row) != COLUMNS:
                raise AliasError(path, number, f"header must be {','.join(COLUMNS)}")
            header_done = True
            continue
        if len(row) != len(COLUMNS):
            raise AliasError(path, number, f"expected {len(COLUMNS)} columns, found {len(row)}")
        kind = _kind(row[0], path, number)
        name, canonical, reason = (c.strip() for c in row[1:])
        if not item_key(name):
            raise AliasError(path, number, "empty name")
        if not item_key(canonical):
            raise AliasError(path, number, "empty canonical")
        if item_key(name) == item_key(canonical):
            raise AliasError(path, number, f"{name!r} is already the same item as {canonical!r}")
        previous = seen.get((kind, item_key(name)))
        if previous is not None and item_key(previous.canonical) != item_key(canonical):
            raise AliasError(
                path, number, f"{name!r} already has canonical {previous.canonical!r} "
                f"(line {previous.line})"
            )
        alias = Alias(kind, name, canonical, reason, number)
        seen[(kind, item_key(name))] = alias
        aliases.append(alias)
    result = tuple(aliases)
    _check_cycles(result, path)
    return result


def read_aliases(path: Path) -> tuple[Alias, ...]:
    """Read and parse an aliases file; a missing file means no aliases.

    Raises
    ------
    AliasError : as :func:`load_aliases`, or when the file cannot be read as UTF-8.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ()
    except (OSError, UnicodeDecodeError) as exc:
        raise AliasError(str(path), 0, f"cannot read: {exc}") from exc
    return load_aliases(text, str(path))


def resolve(aliases: tuple[Alias, ...]) -> dict[tuple[Kind, str], Alias]:
    """Map each alias's (kind, key) to the alias whose canonical is final (chains followed).

    >>> a = load_aliases("kind,name,canonical,reason\\nskill,甲,乙,r\\nskill,乙,丙,r\\n", "x")
    >>> resolve(a)[(Kind.SKILL, "甲")].canonical
    '丙'
    """
    direct = {(a.kind, item_key(a.name)): a for a in aliases}
    final: dict[tuple[Kind, str], Alias] = {}
    for key, alias in direct.items():
        step = alias
        while (nxt := direct.get((step.kind, item_key(step.canonical)))) is not None:
            step = nxt
        final[key] = Alias(alias.kind, alias.name, step.canonical, alias.reason, alias.line)
    return final
