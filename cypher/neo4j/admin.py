"""The ``neo4j-admin`` exporter: CSV files for ``neo4j-admin database import full``.

One ``nodes_<Label>.csv`` per label (header ``id:ID,:LABEL,<properties>``) and
one ``rels_<TYPE>.csv`` per relationship type (``:START_ID,:END_ID,:TYPE,
<properties>``), properties typed from their values (``level:int``,
``score:float``, ``latest:boolean``, strings untyped), plus ``README.txt`` with
the exact import command. Fields are always double-quoted (quotes doubled), so
commas, quotes, backslashes and newlines survive; an absent value is an empty,
unquoted field, which the importer reads as "no property".

The folder is written beside its target and renamed into place, so a failed
export leaves the old one untouched; it gets the usual mode (0777 less the umask). A
target that is a symbolic link to a folder is followed (the folder it points to is
replaced, the link stays). The temporary folders are named after their process
(:mod:`graph.tempfiles`): those a killed export left are removed by the next export
beside them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cypher import write as cypher
from graph.model import Kind, Rel
from graph.tempfiles import create_dir, pattern, sweep
from loaders.errors import ExportError
from loaders.sources import shown

if TYPE_CHECKING:
    import networkx as nx

#: Files this exporter writes; an existing folder holding anything else is not replaced.
_OURS = ("nodes_*.csv", "rels_*.csv", "README.txt")


@dataclass(frozen=True)
class AdminExport:
    """What was written: the folder, its files (names), and the import command."""

    directory: Path
    files: tuple[str, ...]
    command: str


def _type_of(values: Iterable[Any]) -> str:
    """The importer's column type for a set of values: ``boolean``, ``int``, ``float``,
    ``string[]`` (lists, ``;``-separated) or ``""`` (text).

    >>> _type_of([1, 2]), _type_of([1, 2.5]), _type_of([True]), _type_of([1, "a"])
    ('int', 'float', 'boolean', '')
    """
    kinds = {type(v) for v in values}
    if list in kinds:
        return "string[]"
    if kinds == {bool}:
        return "boolean"
    if kinds == {int}:
        return "int"
    if kinds and kinds <= {int, float}:
        return "float"
    return ""


def _field(value: Any) -> str:
    """One CSV field: absent -> empty; bool -> true/false; numbers bare; text quoted.

    >>> _field('say "hi"\\n'), _field(None), _field(True), _field(3)
    ('"say ""hi""\\n"', '', 'true', '3')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        value = ";".join(str(v) for v in value)
    return '"' + str(value).replace('"', '""') + '"'


def _table(rows: Sequence[Mapping[str, Any]], fixed: Sequence[str]) -> tuple[list[str], list[str]]:
    """Header and property keys for rows of ``props`` maps, columns sorted by name."""
    keys = sorted({k for r in rows for k in r})
    header = list(fixed)
    for k in keys:
        t = _type_of(r[k] for r in rows if k in r)
        header.append(f"{k}:{t}" if t else k)
    return header, keys


def _csv(header: Sequence[str], lines: Iterable[Sequence[str]]) -> str:
    out = [",".join(header)]
    out += (",".join(line) for line in lines)
    return "\n".join(out) + "\n"


def admin_files(G: nx.MultiDiGraph) -> dict[str, str]:
    """File name -> CSV text for every label and relationship type present in ``G``.

    Node ids are the graph's ids (one global id space); the label is ``:LABEL`` and
    ``kind`` also stays a property, as the push stores it; ``rel`` is ``:TYPE``.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("occupation:X-001v1", kind="Occupation", name="甲", level=3)
    >>> G.add_node("duty:X-001v1/T1", kind="Duty", name="乙")
    >>> G.add_edge("occupation:X-001v1", "duty:X-001v1/T1", key="HAS_DUTY", rel="HAS_DUTY")
    'HAS_DUTY'
    >>> print(admin_files(G)["nodes_Occupation.csv"], end="")
    id:ID,:LABEL,kind,level:int,name
    "occupation:X-001v1",Occupation,"Occupation",3,"甲"
    >>> print(admin_files(G)["rels_HAS_DUTY.csv"], end="")
    :START_ID,:END_ID,:TYPE
    "occupation:X-001v1","duty:X-001v1/T1",HAS_DUTY
    """
    by_label: dict[Kind, list[dict[str, Any]]] = {}
    by_type: dict[Rel, list[dict[str, Any]]] = {}
    for group in cypher.write_plan(G):
        if isinstance(group.target, Rel):
            by_type.setdefault(group.target, []).extend(group.rows)
        else:
            by_label.setdefault(group.target, []).extend(group.rows)
    files: dict[str, str] = {}
    for kind, rows in by_label.items():
        header, keys = _table([r["props"] for r in rows], ("id:ID", ":LABEL"))
        lines = ([_field(r["id"]), kind.value, *(_field(r["props"].get(k)) for k in keys)]
                 for r in rows)
        files[f"nodes_{kind.value}.csv"] = _csv(header, lines)
    for rel, rows in by_type.items():
        header, keys = _table([r["props"] for r in rows], (":START_ID", ":END_ID", ":TYPE"))
        lines = ([_field(r["src"]), _field(r["dst"]), rel.value,
                  *(_field(r["props"].get(k)) for k in keys)] for r in rows)
        files[f"rels_{rel.value}.csv"] = _csv(header, lines)
    return files


def import_command(files: Iterable[str], database: str = "neo4j") -> str:
    """The ``neo4j-admin`` command importing ``files`` (run inside the export folder).

    The database name comes right after ``full``: since Neo4j 5.19 the file options take
    every following argument, so a name at the end is read as one more file
    ("File 'neo4j' doesn't exist").

    >>> import_command(["nodes_Skill.csv", "rels_SIMILAR_TO.csv"])  # doctest: +NORMALIZE_WHITESPACE
    'neo4j-admin database import full neo4j --overwrite-destination --multiline-fields=true
     --nodes=nodes_Skill.csv --relationships=rels_SIMILAR_TO.csv'
    """
    names = sorted(files)
    parts = [f"neo4j-admin database import full {database} --overwrite-destination "
             "--multiline-fields=true"]
    parts += [f"--nodes={f}" for f in names if f.startswith("nodes_")]
    parts += [f"--relationships={f}" for f in names if f.startswith("rels_")]
    return " ".join(parts)


def _readme(command: str) -> str:
    return (
        "職能圖譜 graph for neo4j-admin (Neo4j 5).\n\n"
        "Stop the database, then run inside this folder:\n\n"
        f"    {command}\n\n"
        "then start it again. --overwrite-destination replaces the database's contents;\n"
        "to add this graph to a database that already holds data, use `icapgraph neo4j push`.\n"
    )


def _replaceable(target: Path) -> bool:
    if not target.exists():
        return True
    if not target.is_dir():
        return False
    return all(any(p.match(pat) for pat in _OURS) for p in target.iterdir())


def write_neo4j_admin(G: nx.MultiDiGraph, out_dir: str | os.PathLike[str]) -> AdminExport:
    """Write the import folder ``out_dir`` atomically (temp folder beside it, then rename).

    Raises
    ------
    ExportError
        ``out_dir`` exists and holds files this exporter did not write,
        or the folder cannot be written (the old one is then left as it was).
    """
    given = Path(out_dir)
    if given.is_symlink() and not given.exists():
        raise ExportError(f"{shown(str(given))}: a symbolic link to nothing; not writing"
                          " through it (give a folder)")
    # A link to a folder is followed, as cp follows it; the link itself stays.
    target = Path(os.path.realpath(given)) if given.is_symlink() else given
    if not _replaceable(target):
        raise ExportError(
            f"{shown(str(given))}: exists and holds other files; choose a new or empty folder"
            " for neo4j-admin"
        )
    files = admin_files(G)
    command = import_command(files)
    parent = target.resolve().parent
    tmp: Path | None = None
    try:
        parent.mkdir(parents=True, exist_ok=True)
        for leftover in (f".{target.name}.icapgraph-", f".{target.name}.old.icapgraph-"):
            sweep(parent, pattern(leftover))
        tmp = create_dir(parent, f".{target.name}.icapgraph-")
        for name, text in {**files, "README.txt": _readme(command)}.items():
            (tmp / name).write_text(text, encoding="utf-8")
        if target.exists():
            old = create_dir(parent, f".{target.name}.old.icapgraph-")
            os.replace(target, old / target.name)
            os.replace(tmp, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, target)
    except OSError as exc:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        reason = exc.strerror or str(exc)
        raise ExportError(
            f"{shown(str(given))}: cannot write the neo4j-admin folder: {reason}") from None
    return AdminExport(given, tuple(sorted([*files, "README.txt"])), command)


def export_neo4j_admin(G: nx.MultiDiGraph, path: Path) -> list[Path]:
    """The ``neo4j-admin`` entry of :data:`exports.registry.EXPORTERS`: the files written."""
    result = write_neo4j_admin(G, path)
    return [result.directory / name for name in result.files]
