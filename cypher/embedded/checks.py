"""Refusals for queries the embedded engine reads otherwise than Neo4j 5: operator
precedence it gets wrong (``a ^ b ^ c``, ``IN`` beside ``+``; chained comparisons are
written out instead), and
aggregations Neo4j rejects but the engine answers (implicit grouping keys, sorting a
DISTINCT result by what it dropped, an aggregate inside a list comprehension).

>>> def check(q): operators(q, significant(tokenize(q)))
>>> check("RETURN 2 ^ 3 ^ 2")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
loaders.errors.QueryError: the embedded engine refuses chained ^ (2 ^ 3 ^ 2): ...
>>> check("MATCH (a)-->(b)<--(c) WHERE a.x < b.y RETURN 1 + 2, 3 IN [3], -2 ^ 2")
"""

from __future__ import annotations

from cypher.embedded.tokens import NAME, PUNCT, Token, closing, significant, tokenize

__all__ = ["AGGREGATES", "aggregates_in", "operators", "significant", "tokenize"]

#: Aggregating functions (upper case).
AGGREGATES = frozenset({"COUNT", "SUM", "AVG", "MIN", "MAX", "COLLECT", "STDEV", "STDEVP",
                        "PERCENTILECONT", "PERCENTILEDISC"})  # fmt: skip
_SEPARATOR_WORDS = frozenset({
    "AND", "OR", "XOR", "NOT", "WHERE", "WHEN", "THEN", "ELSE", "END", "CASE", "AS", "MATCH",
    "OPTIONAL", "WITH", "RETURN", "UNWIND", "ORDER", "BY", "SKIP", "LIMIT", "CALL", "YIELD",
    "UNION", "DISTINCT", "ASC", "DESC", "ASCENDING", "DESCENDING", "ALL",
})  # fmt: skip
_COMPARISONS = frozenset({"=", "<>", "!=", "<", ">", "<=", ">="})


def _refuse(construct: str, instead: str) -> Exception:
    from cypher.embedded.rewrite import refuse

    return refuse(construct, instead)


def _operand_end(toks: list[Token], i: int, hi: int) -> int:
    """Index just past the operand starting at ``i`` (unary signs, an atom, postfixes)."""
    while i < hi and toks[i].kind == PUNCT and toks[i].text in "+-":
        i += 1
    if i < hi and toks[i].kind == PUNCT and toks[i].text in "([{":
        i = closing(toks, i) + 1
    elif i < hi:
        i += 1
        if i < hi and toks[i].kind == PUNCT and toks[i].text == "(":
            i = closing(toks, i) + 1
    while i + 1 < hi and toks[i].kind == PUNCT and toks[i].text in ".[":
        i = closing(toks, i) + 1 if toks[i].text == "[" else i + 2
    return i


def _arrow(toks: list[Token], i: int) -> bool:
    t = toks[i]
    before = toks[i - 1].text if i else ""
    after = toks[i + 1].text if i + 1 < len(toks) else ""
    if t.text == ">":
        return before in ("-", "]")
    if t.text == "<":
        return after == "-"
    if t.text == "-":
        return before in ("<", ")", "]", "-") and after in ("[", "-", ">", "(")
    return False


def _segment(toks: list[Token], lo: int, hi: int, src: str) -> None:
    comparisons = []
    binary_sum = False
    in_at = None
    i = lo
    while i < hi:
        t = toks[i]
        if t.kind == PUNCT and t.text in "([{":
            i = closing(toks, i) + 1
            continue
        if t.kind == PUNCT and t.text in _COMPARISONS and not _arrow(toks, i):
            comparisons.append(i)
        elif t.kind == PUNCT and t.text in "+-" and i > lo and not _arrow(toks, i):
            prev = toks[i - 1]
            if prev.kind != PUNCT or prev.text in ")]}":
                binary_sum = True
        elif t.word == "IN":
            in_at = i
        elif t.kind == PUNCT and t.text == "^":
            end = _operand_end(toks, i + 1, hi)
            if end < hi and toks[end].kind == PUNCT and toks[end].text == "^":
                raise _refuse(f"chained ^ ({src[toks[lo].start : toks[hi - 1].end]})",
                              "the engine groups a ^ b ^ c from the right, Neo4j from the left; "
                              "add parentheses: (a ^ b) ^ c")
        i += 1
    if len(comparisons) > 1:
        raise Chained(lo, hi, comparisons)
    if in_at is not None and binary_sum:
        raise _refuse("IN beside + or - without parentheses",
                      "the engine groups them otherwise than Neo4j; add parentheses, "
                      "e.g. (a + b) IN list")


class Chained(Exception):
    """A chained comparison found by :func:`operators` (tokens ``[lo, hi)``, operators at
    ``ops``), rewritten by :func:`unchain`."""

    def __init__(self, lo: int, hi: int, ops: list[int]) -> None:
        super().__init__("chained comparison")
        self.lo, self.hi, self.ops = lo, hi, ops


def unchain(query: str) -> str:
    """``query`` with each chained comparison written out with AND, as Neo4j reads it.

    >>> unchain("MATCH (n) WHERE 1 < n.x <= 3 AND n.y = 2 RETURN n.a < n.b = true AS c")
    'MATCH (n) WHERE (1 < n.x AND n.x <= 3) AND n.y = 2 RETURN (n.a < n.b AND n.b = true) AS c'
    """
    for _ in range(20):  # one chain per pass; nested chains take a pass each
        toks = significant(tokenize(query))
        try:
            operators(query, toks)
        except Chained as chain:
            spans = []
            start = chain.lo
            for op in chain.ops:
                spans.append(query[toks[start].start : toks[op - 1].end])
                start = op + 1
            spans.append(query[toks[start].start : toks[chain.hi - 1].end])
            parts = [f"{spans[k]} {toks[op].text} {spans[k + 1]}" for k, op in enumerate(chain.ops)]
            query = (query[: toks[chain.lo].start] + "(" + " AND ".join(parts) + ")"
                     + query[toks[chain.hi - 1].end :])  # fmt: skip
            continue
        return query
    return query


def operators(query: str, toks: list[Token], lo: int = 0, hi: int | None = None) -> None:
    """Refuse operator shapes the engine groups otherwise than Neo4j, at every bracket depth
    (``toks``: the significant tokens of ``query``).

    Raises
    ------
    QueryError
        chained ``^``, ``IN`` beside binary ``+`` / ``-``.
    Chained
        a chained comparison (``a < b < c``), which :func:`unchain` writes out.
    """
    hi = len(toks) if hi is None else hi
    start = i = lo
    while i < hi:
        t = toks[i]
        if t.kind == PUNCT and t.text in "([{":
            close = closing(toks, i)
            operators(query, toks, i + 1, close)
            i = close + 1
            continue
        if (t.kind == PUNCT and t.text in ",|;") or (t.kind == NAME and t.word in _SEPARATOR_WORDS):
            _segment(toks, start, i, query)
            start = i + 1
        i += 1
    _segment(toks, start, hi, query)


def aggregates_in(toks: list[Token], lo: int, hi: int) -> list[tuple[int, int]]:
    """The (name index, closing index) of every aggregate call in ``[lo, hi)``, outermost only."""
    out = []
    i = lo
    while i < hi:
        t = toks[i]
        nxt = toks[i + 1] if i + 1 < hi else None
        prev = toks[i - 1] if i else None
        if (t.word in AGGREGATES and nxt is not None and nxt.text == "("
                and not (prev is not None and prev.text == ".")):  # fmt: skip
            close = closing(toks, i + 1)
            out.append((i, close))
            i = close + 1
            continue
        i += 1
    return out


_NOT_VARIABLES = frozenset({
    "TRUE", "FALSE", "NULL", "AND", "OR", "NOT", "XOR", "IN", "IS", "CASE", "WHEN", "THEN",
    "ELSE", "END", "STARTS", "ENDS", "WITH", "CONTAINS", "DISTINCT", "ASC", "DESC",
    "ASCENDING", "DESCENDING", "WHERE", "AS",
})  # fmt: skip


def _locals(toks: list[Token], lo: int, hi: int) -> set[str]:
    """Names bound inside ``[lo, hi)`` by comprehensions, quantifiers and reduce()."""
    out = set()
    for i in range(lo + 1, hi - 1):
        t = toks[i]
        if t.ident is not None and toks[i + 1].word == "IN" and toks[i - 1].text in "([,":
            out.add(t.ident)
        if t.ident is not None and toks[i + 1].text == "=" and toks[i - 1].text == "(":
            out.add(t.ident)  # reduce(acc = …)
    return out


def references(toks: list[Token], lo: int, hi: int) -> list[tuple[str, str]]:
    """Variables read in ``[lo, hi)`` outside aggregate calls: (name, ``name.prop`` text or
    the name alone)."""
    skip = {j for a, b in aggregates_in(toks, lo, hi) for j in range(a, b + 1)}
    local = _locals(toks, lo, hi)
    out = []
    for i in range(lo, hi):
        t = toks[i]
        if i in skip or t.ident is None or t.word in _NOT_VARIABLES:
            continue
        prev = toks[i - 1] if i > 0 else None
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if prev is not None and prev.kind == PUNCT and prev.text in ".$:":
            continue
        if (nxt is not None and nxt.kind == PUNCT and nxt.text in "(:") or t.ident in local:
            continue
        if nxt is not None and nxt.text == "." and i + 2 < hi and toks[i + 2].ident is not None:
            out.append((t.ident, f"{t.text}.{toks[i + 2].text}"))
        else:
            out.append((t.ident, t.ident))
    return out


def _compact(toks: list[Token], lo: int, hi: int) -> str:
    return "".join(t.text for t in toks[lo:hi])


def grouping(
    toks: list[Token], items: list[tuple[int, int, str | None]], sorts: list[tuple[int, int]],
    distinct: bool,
) -> None:  # fmt: skip
    """Refuse what Neo4j rejects in an aggregating or DISTINCT projection: an aggregate
    beside a variable that is no grouping key (``RETURN a.x + count(*)``), and ORDER BY on
    what the projection dropped. ``items``: (start, end, alias) of each projected expression;
    ``sorts``: (start, end) of each ORDER BY expression."""
    aggregating = [bool(aggregates_in(toks, a, b)) for a, b, _ in items]
    if not any(aggregating) and not distinct:
        return
    keys = {_compact(toks, a, b) for (a, b, _), agg in zip(items, aggregating, strict=True)
            if not agg}  # fmt: skip
    aliases = {alias for _, _, alias in items if alias}

    def check(lo: int, hi: int, where: str, names: set[str]) -> None:
        for name, text in references(toks, lo, hi):
            if name in names or text.replace(" ", "") in keys or name in keys:
                continue
            raise _refuse(f"{where} using {text}, which is not a grouping key",
                          f"project {text} too (RETURN {text}, …) or aggregate it")

    for (a, b, _), agg in zip(items, aggregating, strict=True):
        if agg:
            check(a, b, "an aggregation", set())
    for a, b in sorts:
        if _compact(toks, a, b) in keys | aliases:
            continue
        check(a, b, "ORDER BY after DISTINCT or an aggregation", aliases)


def aggregate_placement(toks: list[Token]) -> None:
    """Refuse an aggregate inside a list comprehension and rand() inside an aggregate (and
    ``=~``, which the engine does not have)."""
    if any(t.kind == PUNCT and t.text == "=~" for t in toks):
        raise _refuse("regular expressions (=~)",
                      "use STARTS WITH, ENDS WITH or CONTAINS (or several, joined by OR)")
    for i in range(len(toks) - 2):
        if toks[i].text == "[" and toks[i + 1].ident is not None and toks[i + 2].word == "IN":
            close = closing(toks, i)
            if aggregates_in(toks, i + 1, close):
                raise _refuse("an aggregate inside a list comprehension",
                              "aggregate first (WITH … collect(…) AS xs), then use xs")
    for a, b in aggregates_in(toks, 0, len(toks)):
        if any(t.word == "RAND" for t in toks[a:b]):
            raise _refuse("rand() inside an aggregate", "draw the random number in a WITH first")


def correlated_patterns(toks: list[Token]) -> None:
    """Refuse a pattern list inside a list comprehension that reads the comprehension's
    variable (``[x IN nodes(p) | size([(x)-->() | 1])]``): the engine answers it wrongly."""
    for i in range(len(toks) - 2):
        if not (toks[i].text == "[" and toks[i + 1].ident is not None and toks[i + 2].word == "IN"):
            continue
        name = toks[i + 1].ident
        close = closing(toks, i)
        for j in range(i + 3, close - 1):
            inner = toks[j].text == "[" and toks[j + 1].text == "("
            inner = inner or (toks[j].word in ("COUNT", "EXISTS") and toks[j + 1].text == "{")
            if not inner:
                continue
            end = closing(toks, j + 1 if toks[j].word else j)
            if any(t.ident == name for t in toks[j:end]):
                raise _refuse("a pattern that reads a list comprehension's variable",
                              "UNWIND the list first, then match the pattern per element")


def self_pattern(toks: list[Token], lo: int, hi: int) -> None:
    """Refuse ``WHERE (n)``: a node alone is no predicate (Neo4j rejects it)."""
    if hi - lo == 3 and toks[lo].text == "(" and toks[lo + 1].ident and toks[hi - 1].text == ")":
        name = toks[lo + 1].text
        raise _refuse(f"WHERE ({name})", f"a node alone is no condition; write {name} IS NOT "
                      f"NULL or a pattern such as ({name})-->()")


def pattern_value(toks: list[Token], lo: int, hi: int) -> None:
    """Refuse a pattern used as a value in a projection (``RETURN (n)-->()``)."""
    i = lo
    while i < hi:
        t = toks[i]
        if t.kind == PUNCT and t.text in "[{":
            i = closing(toks, i) + 1
            continue
        path_function = t.word in ("SHORTESTPATH", "ALLSHORTESTPATHS")
        if path_function and i + 1 < hi and toks[i + 1].text == "(":
            i = closing(toks, i + 1) + 1  # a path function takes a pattern
            continue
        if t.kind == PUNCT and t.text == "(":
            close = closing(toks, i)
            after = [x.text for x in toks[close + 1 : close + 3]]
            if after[:2] in (["-", "["], ["-", "-"], ["-", ">"], ["<", "-"]):
                raise _refuse("a pattern used as a value",
                              "write EXISTS { (a)-->() } or COUNT { (a)-->() }")
            i += 1
            continue
        i += 1
