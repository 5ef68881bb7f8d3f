"""Term expansion: a note that defines a knowledge item as a list yields INCLUDES edges.

Standards explain umbrella terms in their notes, e.g. ``廣電三法：廣播電視法、
有線廣播電視法、衛星廣播電視法``. When the defined term is a knowledge item of the
same standard (by name, or by the footnote mark the item carries), each list
member becomes an INCLUDES target. A parenthetical ``（如 …）`` after a member
lists examples of that member, so it yields nested INCLUDES edges from the member.

The parser is deliberately conservative: a definition whose pieces are phrases
rather than parallel items (``如政治、經濟、社會和科技分析以及優勢、劣勢…``) is
not expanded at all, because a half-right split would invent competencies.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from graph.identity import item_key, surface_form
from loaders.records import Note, Standard

_SEPARATORS = re.compile(r"[、，,；;]")
# 與 / 及 join two list members only when both sides are long enough to be items;
# inside a name (品牌管理與粉絲關係) a side is usually short or the whole is an item.
_JOINERS = re.compile(r"(?<=[法規則例權])(?:與|及|和)(?=\S{2,})")
_LATIN_JOIN = re.compile(r"\s+(?:及|與)(?=\S{2,})")
_LEAD = re.compile(r"^(?:例如|包括|包含|如|含|像是)")
_TRAIL = re.compile(r"(?:等等|等)$")
_PHRASE = re.compile(r"以及|或是|透過|依照|[：:。]")
_TERM_SPLIT = re.compile(r"[：:]")
_MAX_MEMBER = 20


@dataclass(frozen=True, slots=True)
class Member:
    """One list member of a defining note, with the examples given for it in parentheses."""

    name: str
    examples: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Definition:
    """A note read as ``term：member、member…``."""

    term: str
    members: tuple[Member, ...]


def _split_top(text: str) -> list[tuple[str, str]]:
    """Split on list separators outside parentheses; return (member text, parenthetical)."""
    pieces: list[tuple[str, str]] = []
    depth = 0
    head: list[str] = []
    inner: list[str] = []
    for ch in text:
        if ch == "(":
            depth += 1
            if depth == 1:
                continue
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                continue
        if depth:
            inner.append(ch)
        elif _SEPARATORS.match(ch):
            pieces.append(("".join(head), "".join(inner)))
            head, inner = [], []
        else:
            head.append(ch)
    pieces.append(("".join(head), "".join(inner)))
    return pieces


def _trim(text: str) -> str:
    return _TRAIL.sub("", text.strip().rstrip("。.").strip()).strip()


def _split_joined(text: str) -> list[str]:
    parts = _JOINERS.split(text)
    if len(parts) == 1:
        parts = _LATIN_JOIN.split(text)
    return [p.strip() for p in parts]


def _is_item(text: str) -> bool:
    return 2 <= len(text.replace(" ", "")) <= _MAX_MEMBER and not _PHRASE.search(text)


def _members(body: str) -> tuple[Member, ...] | None:
    """Members of a list body, or None as soon as one piece is not item-like."""
    members: list[Member] = []
    for head, inner in _split_top(_LEAD.sub("", body.strip())):
        examples: tuple[str, ...] = ()
        if _LEAD.match(inner.strip()):
            examples = tuple(m.name for m in _members(inner) or ())
        names = [name for name in map(_trim, _split_joined(_trim(head))) if name]
        if not all(_is_item(name) for name in names):
            return None
        # The parenthetical follows the last name of a joined pair.
        members.extend(Member(name) for name in names[:-1])
        if names:
            members.append(Member(names[-1], examples))
    return tuple(members) if members else None


def parse_definition(note: Note) -> Definition | None:
    """Read a note as a list definition, or return None when it is not one.

    Parameters
    ----------
    note : a note of a standard; ``term`` is used when the loader found one, else the
        text before the first ``：``.

    Returns
    -------
    Definition | None : the term and its members (leading 如 / 包括 and trailing 等
    removed; ``公平交易法與消費者保護法`` split in two), or None when the text has fewer
    than two members or any piece reads as a phrase rather than an item.

    >>> d = parse_definition(Note("", "廣電三法：廣播電視法、有線廣播電視法、衛星廣播電視法。"))
    >>> d.term, [m.name for m in d.members]
    ('廣電三法', ['廣播電視法', '有線廣播電視法', '衛星廣播電視法'])
    >>> d = parse_definition(Note("註1", "廣電相關法規：廣電法規、公平交易法與消費者保護法等"))
    >>> [m.name for m in d.members]
    ['廣電法規', '公平交易法', '消費者保護法']
    >>> d = parse_definition(Note("註1", "法規：如商標法、智財相關法規（如著作權法、專利法等）。"))
    >>> [(m.name, m.examples) for m in d.members]
    [('商標法', ()), ('智財相關法規', ('著作權法', '專利法'))]
    >>> parse_definition(Note("註4", "策略分析方法：如政治、經濟、社會和科技分析以及優勢、劣勢"))
    """
    text = unicodedata.normalize("NFKC", note.text).strip()
    term = unicodedata.normalize("NFKC", note.term).strip()
    parts = _TERM_SPLIT.split(text, maxsplit=1)
    if len(parts) == 2 and (not term or item_key(parts[0]) == item_key(term)):
        term, body = parts[0], parts[1]
    elif term:
        body = text
    else:
        return None
    members = _members(body)
    if members is None or len(members) < 2:
        return None
    return Definition(surface_form(term), members)


@dataclass(frozen=True, slots=True)
class Expansion:
    """An INCLUDES edge to add: from ``parent`` (a knowledge name) to ``child``."""

    parent: str
    child: str
    note: Note


def expansions(std: Standard) -> tuple[Expansion, ...]:
    """The INCLUDES edges the notes of ``std`` define, for knowledge items of ``std`` only.

    A note defines an item when its term has the item's key, or its mark is one the
    item carries. Returns parent / child names (display forms); the caller keys them.

    Parameters
    ----------
    std : a loaded standard.

    Returns
    -------
    tuple[Expansion, ...] : in note order; the parent of a top-level member is the
    knowledge item's own name as written in ``std``.

    >>> from loaders.records import Item, SourceInfo
    >>> std = Standard("X-001v1", "測試", 3, "", (), (), (), (), (),
    ...                (Item("knowledge", "K01", "廣電三法"),), (), (), "",
    ...                (Note("", "廣播電視法、有線廣播電視法", term="廣電三法"),),
    ...                SourceInfo("x.txt", "", "text"))
    >>> [(e.parent, e.child) for e in expansions(std)]
    [('廣電三法', '廣播電視法'), ('廣電三法', '有線廣播電視法')]
    """
    by_key = {item_key(k.name): k for k in std.knowledge}
    by_mark = {mark: k for k in std.knowledge for mark in k.notes}
    out: list[Expansion] = []
    for note in std.notes:
        definition = parse_definition(note)
        if definition is None:
            continue
        item = by_key.get(item_key(definition.term)) or (
            by_mark.get(note.mark) if note.mark else None
        )
        if item is None:
            continue
        parent = surface_form(item.name)
        for member in definition.members:
            if item_key(member.name) == item_key(parent):
                continue
            out.append(Expansion(parent, member.name, note))
            out.extend(Expansion(member.name, ex, note) for ex in member.examples)
    return tuple(out)
