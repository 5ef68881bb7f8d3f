"""A parser-lite for Cypher read queries: clauses, pattern parts, node and relationship
patterns, over the tokens of :mod:`cypher.embedded.tokens`.

It finds structure, it does not validate: what it cannot read it leaves to the engine,
which reports syntax errors itself. Positions are indexes into the list of significant
tokens (whitespace and comments dropped); each token keeps its offset in the text.

>>> toks = significant(tokenize("MATCH p = (a:A)-[r:R*1..2]->() WHERE a.x > 'y' RETURN p"))
>>> [(c.keyword, toks[c.body].text) for c in clauses(toks, 0, len(toks))]
[('MATCH', 'p'), ('WHERE', 'a'), ('RETURN', 'p')]
>>> match = clauses(toks, 0, len(toks))[0]
>>> part = pattern_parts(toks, match.body, match.end)[0]
>>> part.path, [n.var for n in part.nodes], [(r.var, r.types, r.direction) for r in part.rels]
('p', ['a', None], [('r', ('R',), '>')])
"""

from __future__ import annotations

from dataclasses import dataclass

from cypher.embedded.tokens import NAME, PUNCT, QUOTED, Token, closing, significant, tokenize

__all__ = ["Clause", "NodePattern", "Part", "RelPattern", "clauses", "pattern_parts",
           "significant", "split_commas", "tokenize"]  # fmt: skip

#: Words that start a clause (or a clause's sub-part) at bracket depth 0.
_CLAUSE_WORDS = frozenset({
    "MATCH", "OPTIONAL", "WHERE", "WITH", "RETURN", "UNWIND", "ORDER", "SKIP", "LIMIT",
    "UNION", "CALL", "YIELD", "CREATE", "MERGE", "DELETE", "DETACH", "SET", "REMOVE",
    "FOREACH", "LOAD", "USE", "OFFSET", "FINISH",
})  # fmt: skip


@dataclass(frozen=True)
class Clause:
    """One clause: its keyword (``OPTIONAL MATCH``, ``ORDER BY``, ``UNION ALL`` joined by one
    space), the index of its first token, of its body's first token, and its end (exclusive)."""

    keyword: str
    start: int
    body: int
    end: int


def _is_keyword(toks: list[Token], i: int) -> str:
    t = toks[i]
    word = t.word
    if word not in _CLAUSE_WORDS:
        return ""
    prev = toks[i - 1] if i else None
    nxt = toks[i + 1] if i + 1 < len(toks) else None
    if prev is not None and prev.kind == PUNCT and prev.text in (".", "$"):
        return ""  # a property or parameter named like a keyword
    if nxt is not None and nxt.kind == PUNCT and nxt.text == ":":
        return ""  # a map key
    if word == "WITH" and prev is not None and prev.word in ("STARTS", "ENDS"):
        return ""
    if word == "ORDER":
        return "ORDER BY" if nxt is not None and nxt.word == "BY" else ""
    if word == "OPTIONAL":
        return "OPTIONAL MATCH" if nxt is not None and nxt.word == "MATCH" else ""
    if word == "UNION":
        return "UNION ALL" if nxt is not None and nxt.word == "ALL" else "UNION"
    if word == "DETACH":
        return "DETACH DELETE" if nxt is not None and nxt.word == "DELETE" else "DETACH"
    if word == "LOAD":
        return "LOAD CSV" if nxt is not None and nxt.word == "CSV" else ""
    return word


def clauses(toks: list[Token], lo: int, hi: int) -> list[Clause]:
    """The clauses of the query in ``toks[lo:hi]`` (brackets are skipped whole)."""
    marks: list[tuple[str, int, int]] = []
    i = lo
    while i < hi:
        t = toks[i]
        if t.kind == PUNCT and t.text in "([{":
            i = closing(toks, i) + 1
            continue
        keyword = _is_keyword(toks, i)
        if keyword:
            marks.append((keyword, i, i + len(keyword.split())))
            i += len(keyword.split())
            continue
        i += 1
    out = []
    for n, (keyword, start, body) in enumerate(marks):
        end = marks[n + 1][1] if n + 1 < len(marks) else hi
        out.append(Clause(keyword, start, body, end))
    return out


def split_commas(toks: list[Token], lo: int, hi: int) -> list[tuple[int, int]]:
    """``[lo, hi)`` cut at its depth-0 commas: a list of (start, end) ranges."""
    out = []
    start = i = lo
    while i < hi:
        t = toks[i]
        if t.kind == PUNCT and t.text in "([{":
            i = closing(toks, i) + 1
            continue
        if t.kind == PUNCT and t.text == ",":
            out.append((start, i))
            start = i + 1
        i += 1
    if start < hi or out:
        out.append((start, hi))
    return out


@dataclass(frozen=True)
class NodePattern:
    """``(var:Label {…})``: indexes of its brackets, its variable, labels, and whether it
    has more than a variable (labels, properties, an inline WHERE)."""

    open: int
    close: int
    var: str | None
    labels: tuple[str, ...]
    bare: bool  #: nothing but (at most) a variable
    label_expression: bool  #: uses | & ! % or parentheses in labels (Neo4j 5 label expressions)


@dataclass(frozen=True)
class RelPattern:
    """``-[var:T|U*m..n {…}]->``: first and last token, the bracket pair (None for ``-->``),
    variable, types, var-length bounds (None for unbounded) and direction (``>``, ``<``, ``-``)."""

    start: int
    end: int
    bracket: tuple[int, int] | None
    var: str | None
    var_token: int | None
    types: tuple[str, ...]
    varlen: bool
    lower: int | None
    upper: int | None
    direction: str
    has_properties: bool


@dataclass(frozen=True)
class Part:
    """One comma-separated pattern part: its range, path variable (and the index of the
    token after ``p =``), a shortestPath-style function name, nodes and relationships."""

    start: int
    end: int
    path: str | None
    chain_start: int
    function: str | None  #: ``shortestPath`` / ``allShortestPaths`` (as written) or None
    nodes: tuple[NodePattern, ...]
    rels: tuple[RelPattern, ...]


def _punct(toks: list[Token], i: int, text: str) -> bool:
    return i < len(toks) and toks[i].kind == PUNCT and toks[i].text == text


def _node(toks: list[Token], i: int) -> NodePattern:
    close = closing(toks, i)
    j = i + 1
    var = toks[j].ident if j < close and toks[j].kind in (NAME, QUOTED) else None
    if var is not None:
        j += 1
    labels: list[str] = []
    expression = False
    while j < close and _punct(toks, j, ":"):
        j += 1
        if j < close and toks[j].ident is not None:
            labels.append(toks[j].ident or "")
            j += 1
        while j < close and toks[j].kind == PUNCT and toks[j].text in "|&!%()":
            expression = True
            j += 1
            if j < close and toks[j].ident is not None:
                labels.append(toks[j].ident or "")
                j += 1
    return NodePattern(i, close, var, tuple(labels), j == close and not labels, expression)


def _int(tok: Token) -> int | None:
    try:
        return int(tok.text)
    except ValueError:
        return None


def _rel(toks: list[Token], i: int, hi: int) -> RelPattern | None:
    start = i
    left = _punct(toks, i, "<")
    if left:
        i += 1
    if not _punct(toks, i, "-"):
        return None
    i += 1
    bracket = None
    var = None
    var_token = None
    types: list[str] = []
    varlen = False
    lower: int | None = 1
    upper: int | None = 1
    props = False
    if _punct(toks, i, "["):
        close = closing(toks, i)
        bracket = (i, close)
        j = i + 1
        if j < close and toks[j].kind in (NAME, QUOTED):
            var, var_token = toks[j].ident, j
            j += 1
        if _punct(toks, j, ":"):
            j += 1
            while j < close and toks[j].ident is not None:
                types.append(toks[j].ident or "")
                j += 1
                if _punct(toks, j, "|"):
                    j += 1
                    if _punct(toks, j, ":"):
                        j += 1
        if _punct(toks, j, "*"):
            varlen = True
            j += 1
            lower, upper = 1, None
            if j < close and toks[j].kind != PUNCT:
                lower = upper = _int(toks[j])
                j += 1
            if _punct(toks, j, ".."):
                upper = None
                j += 1
                if j < close and toks[j].kind != PUNCT:
                    upper = _int(toks[j])
                    j += 1
        props = j < close
        i = close + 1
        if not _punct(toks, i, "-"):
            return None
    right = _punct(toks, i + 1, ">")
    end = i + 1 if right else i
    direction = "-" if left == right else (">" if right else "<")
    if end >= hi:
        return None
    return RelPattern(start, end, bracket, var, var_token, tuple(types), varlen, lower, upper,
                      direction, props)  # fmt: skip


def _part(toks: list[Token], lo: int, hi: int) -> Part | None:
    path = None
    i = lo
    if i + 1 < hi and toks[i].kind in (NAME, QUOTED) and _punct(toks, i + 1, "="):
        path = toks[i].ident
        i += 2
    chain_start = i
    function = None
    end = hi
    if i < hi and toks[i].word in ("SHORTESTPATH", "ALLSHORTESTPATHS") and _punct(toks, i + 1, "("):
        function = toks[i].text
        end = closing(toks, i + 1)
        i += 2
    nodes: list[NodePattern] = []
    rels: list[RelPattern] = []
    if not _punct(toks, i, "("):
        return None
    nodes.append(_node(toks, i))
    i = nodes[-1].close + 1
    while i < end:
        rel = _rel(toks, i, end)
        if rel is None or not _punct(toks, rel.end + 1, "("):
            return None
        rels.append(rel)
        nodes.append(_node(toks, rel.end + 1))
        i = nodes[-1].close + 1
    if function is not None and end + 1 != hi:
        return None
    return Part(lo, hi, path, chain_start, function, tuple(nodes), tuple(rels))


def pattern_parts(toks: list[Token], lo: int, hi: int) -> list[Part]:
    """The comma-separated pattern parts of ``toks[lo:hi]`` (a MATCH clause's body up to
    its WHERE); empty when any part is not a pattern this parser reads."""
    out = []
    for start, end in split_commas(toks, lo, hi):
        part = _part(toks, start, end)
        if part is None:
            return []
        out.append(part)
    return out
