"""Expression-level rewrites for the embedded engine (see :mod:`cypher.embedded.rewrite`):
pattern comprehensions that keep nulls, ``EXISTS {…}`` / ``COUNT {…}``, integer ``sum()``,
``round(x, n)``, and the refusal of temporal functions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cypher.embedded.syntax import clauses, pattern_parts, split_commas
from cypher.embedded.tokens import PUNCT, closing

if TYPE_CHECKING:
    from cypher.embedded.rewrite import Context

#: Temporal constructors (and their namespaces: date.truncate …): the engine lacks most and
#: compares or prints the rest differently from Neo4j.
TEMPORAL = frozenset({"DATE", "DATETIME", "LOCALDATETIME", "TIME", "LOCALTIME", "DURATION"})


def _is(ctx: Context, i: int, text: str) -> bool:
    return i < len(ctx.toks) and ctx.toks[i].kind == PUNCT and ctx.toks[i].text == text


def _depth0(ctx: Context, lo: int, hi: int, test: str) -> int | None:
    """The first index in ``[lo, hi)`` at bracket depth 0 whose token is ``test`` (a keyword
    in upper case, or punctuation)."""
    i = lo
    while i < hi:
        t = ctx.toks[i]
        if t.kind == PUNCT and t.text in "([{":
            i = closing(ctx.toks, i) + 1
            continue
        if t.word == test or (t.kind == PUNCT and t.text == test):
            return i
        i += 1
    return None


def _pattern_list(ctx: Context, lo: int, hi: int, scope: dict[str, str], subst: dict[str, str],
                  what: str, projection: str) -> str | None:  # fmt: skip
    """``[pattern WHERE … | projection]`` for a pattern (and optional WHERE) in ``[lo, hi)``,
    with a hidden path variable and uniqueness predicate where needed; None when
    ``[lo, hi)`` is not one pattern part."""
    from cypher.embedded import patterns, rewrite

    where = _depth0(ctx, lo, hi, "WHERE")
    parts = pattern_parts(ctx.toks, lo, where if where is not None else hi)
    if len(parts) != 1 or parts[0].function is not None or not parts[0].rels:
        return None
    part = parts[0]
    patterns.check_lengths(ctx, part.rels)
    inner = dict(scope)
    for node in part.nodes:
        if node.var is not None and node.var not in inner:
            inner[node.var] = patterns.NODE
    conditions = []
    context, ctx.context = ctx.context, ""  # nested pattern lists stay where they are
    try:
        if where is not None:
            conditions.append(f"({rewrite.expression(ctx, where + 1, hi, inner, subst)})")
    finally:
        ctx.context = context
    path = part.path
    if patterns.risky(list(part.rels)):
        path = path or ctx.fresh("p")
        conditions.append(patterns.unique_predicate(ctx, [path]))
    text = rewrite.pattern_text(ctx, part, path)
    condition = (" WHERE " + " AND ".join(conditions)) if conditions else ""
    ctx.changes.add(what)
    return f"[{text}{condition} | {projection}]"


def comprehension(
    ctx: Context, i: int, scope: dict[str, str], subst: dict[str, str]
) -> tuple[int, str] | None:
    """A pattern comprehension at ``[`` index ``i``, rewritten so that null projections stay
    in the list: (index of its ``]``, text); None for other brackets."""
    from cypher.embedded import rewrite

    toks = ctx.toks
    close = closing(toks, i)
    j = i + 1
    if j + 1 < close and toks[j].ident is not None and _is(ctx, j + 1, "="):
        j += 2
    if not _is(ctx, j, "("):
        return None
    after = closing(toks, j) + 1
    if not (_is(ctx, after, "-") or _is(ctx, after, "<")):
        return None
    bar = _depth0(ctx, i + 1, close, "|")
    if bar is None:
        return None
    context, ctx.context = ctx.context, ""
    try:
        projection = rewrite.expression(ctx, bar + 1, close, scope, subst)
    finally:
        ctx.context = context
    never_null = _never_null(ctx, i + 1, bar, close)
    inner = _pattern_list(ctx, i + 1, bar, scope, subst,
                          "pattern comprehension" if never_null
                          else "pattern comprehension keeps nulls",
                          projection if never_null else f"[{projection}]")  # fmt: skip
    if inner is None:
        return None
    if never_null:
        return close, place(ctx, inner)
    x = ctx.fresh("x")
    return close, place(ctx, f"[{x} IN {inner} | {x}[0]]")


def _never_null(ctx: Context, pattern: int, bar: int, close: int) -> bool:
    """Whether a pattern comprehension's projection ``(bar, close)`` is a literal or a
    variable of its own pattern (never null: no need to keep nulls, which costs time)."""
    toks = ctx.toks
    first = toks[bar + 1]
    if first.kind == PUNCT and first.text in "[{" and closing(toks, bar + 1) == close - 1:
        return True  # a map or a list: a value even when its entries are null
    if close - bar != 2:
        return False
    t = toks[bar + 1]
    if t.kind in ("number", "string"):
        return True
    bound = {toks[j].ident for j in range(pattern, bar)
             if toks[j].ident is not None and j > 0 and toks[j - 1].text in "([" }
    return t.ident is not None and t.ident in bound


def place(ctx: Context, text: str) -> str:
    """``text`` (an expression holding a pattern list) where the engine can evaluate it:
    in a WHERE, a hidden variable projected just before; in ORDER BY, refused."""
    from cypher.embedded.rewrite import refuse

    if ctx.context == "sort":
        raise refuse("COUNT { }, EXISTS { } or a pattern comprehension in ORDER BY",
                     "project it first: RETURN …, COUNT { … } AS n ORDER BY n")
    if ctx.context == "filter":
        name = ctx.fresh("e")
        ctx.hoisted.append((name, text))
        return name
    return text


def _subquery(
    ctx: Context, i: int, scope: dict[str, str], subst: dict[str, str]
) -> tuple[int, str]:
    """``EXISTS { … }`` / ``COUNT { … }`` at name index ``i`` as a pattern comprehension."""
    from cypher.embedded.rewrite import refuse

    word = ctx.toks[i].word
    open_ = i + 1
    close = closing(ctx.toks, open_)
    lo = open_ + 1
    found = clauses(ctx.toks, lo, close)
    if found and found[0].start == lo:
        if [c.keyword for c in found] not in (["MATCH"], ["MATCH", "WHERE"]):
            raise refuse(f"{word} {{ … }} with clauses other than one MATCH and its WHERE",
                         f"write {word} {{ MATCH (a)-[:R]->(b) WHERE condition }}")
        lo = found[0].body
    if word == "COLLECT":
        raise refuse("COLLECT { … }", "use collect() over a MATCH, or a pattern comprehension")
    predicate = _pattern_predicate(ctx, lo, close) if word == "EXISTS" else None
    if predicate is not None:
        return close, predicate
    inner = _pattern_list(ctx, lo, close, scope, subst, f"{word} {{ }} as a pattern comprehension",
                          "0")  # fmt: skip
    if inner is None:
        raise refuse(f"{word} {{ … }} with several pattern parts",
                     f"write one pattern: {word} {{ (a)-[:R]->(b) WHERE condition }}")
    value = place(ctx, f"size({inner})")
    return close, f"({value} > 0)" if word == "EXISTS" else value


def _pattern_predicate(ctx: Context, lo: int, hi: int) -> str | None:
    """``EXISTS { pattern }`` in a WHERE as the engine's own pattern predicate (a semi-join,
    far faster than counting a pattern list) when that is exact: one fixed-length part, no
    inner WHERE, no two relationships that could be one (uniqueness would be unchecked)."""
    from cypher.embedded import patterns

    if ctx.context != "filter" or _depth0(ctx, lo, hi, "WHERE") is not None:
        return None
    parts = pattern_parts(ctx.toks, lo, hi)
    if len(parts) != 1 or parts[0].path is not None or parts[0].function is not None:
        return None
    rels = list(parts[0].rels)
    if not rels or any(r.varlen for r in rels) or patterns.risky(rels):
        return None
    ctx.changes.add("EXISTS { } as a pattern predicate")
    return "(" + ctx.text(lo, hi) + ")"


def _args(ctx: Context, open_: int) -> tuple[int, list[tuple[int, int]]]:
    close = closing(ctx.toks, open_)
    return close, split_commas(ctx.toks, open_ + 1, close) if close > open_ + 1 else []


#: Functions and the kinds of argument Neo4j rejects for them at compile time.
_WRONG_ARGUMENT = {"TYPE": ("node", "path"), "LENGTH": ("node", "relationship"),
                   "SIZE": ("path",), "NODES": ("node", "relationship"),
                   "RELATIONSHIPS": ("node", "relationship"), "LABELS": ("relationship", "path")}


def _check_argument(ctx: Context, i: int, scope: dict[str, str]) -> None:
    """Refuse what Neo4j rejects and the engine answers anyway: a pattern as size()'s
    argument, or a variable of the wrong kind (type() of a node, length() of a node …)."""
    from cypher.embedded.rewrite import refuse

    toks = ctx.toks
    word = toks[i].word
    close = closing(toks, i + 1)
    if word == "SIZE" and _is(ctx, i + 2, "("):
        after = closing(toks, i + 2) + 1
        if after < close and (_is(ctx, after, "-") or _is(ctx, after, "<")):
            raise refuse("size() of a pattern", "write COUNT { (a)-[:R]->(b) }")
    bad = _WRONG_ARGUMENT.get(word)
    if bad and close == i + 3 and toks[i + 2].ident is not None:
        kind = scope.get(toks[i + 2].ident or "")
        if kind in bad:
            raise refuse(f"{toks[i].text}() of {toks[i + 2].text}, which is a {kind}",
                         f"{toks[i].text}() takes no {kind}")


def call(
    ctx: Context, i: int, hi: int, scope: dict[str, str], subst: dict[str, str]
) -> tuple[int, str] | None:
    """A function call or subquery expression at name index ``i`` that needs rewriting:
    (index of its last token, text); None when it needs none. Raises QueryError to refuse."""
    from cypher.embedded.rewrite import expression, refuse

    toks = ctx.toks
    word = toks[i].word
    prev = toks[i - 1] if i else None
    if prev is not None and prev.kind == PUNCT and prev.text in ".$":
        return None
    if word in ("EXISTS", "COUNT", "COLLECT") and _is(ctx, i + 1, "{"):
        return _subquery(ctx, i, scope, subst)
    namespaced = _is(ctx, i + 1, ".") and _is(ctx, i + 3, "(")
    if word in TEMPORAL and (_is(ctx, i + 1, "(") or namespaced):
        raise refuse(f"temporal functions ({toks[i].text}())",
                     "the engine compares and prints dates unlike Neo4j; keep dates as ISO text "
                     "('2024-05-01'), which sorts and compares correctly")
    if not _is(ctx, i + 1, "("):
        return None
    _check_argument(ctx, i, scope)
    if word in ("SUM", "PERCENTILEDISC"):
        # Neo4j keeps integers integers; the engine returns floats.
        close, args = _args(ctx, i + 1)
        if not args:
            return None
        a, b = args[0]
        distinct = "DISTINCT " if toks[a].word == "DISTINCT" else ""
        e = expression(ctx, a + len(distinct.split()), b, scope, subst)
        rest = "".join(", " + expression(ctx, x, y, scope, subst) for x, y in args[1:])
        call = f"{toks[i].text}({distinct}{e}{rest})"
        ctx.changes.add(f"integer {toks[i].text}()")
        floats = f"min(CASE WHEN typeOf({e}) = 'Float' THEN 0 ELSE 1 END)"
        return close, (f"CASE WHEN coalesce({floats}, 1) = 1 THEN toInteger({call}) "
                       f"ELSE {call} END")
    if word == "TOSTRING":
        close, args = _args(ctx, i + 1)
        if len(args) != 1:
            return None
        x = expression(ctx, *args[0], scope, subst)
        j = f"toJSON({x})"
        ctx.changes.add("toString() of floats")
        ctx.warnings.add("toString() of a float is written like Neo4j's for ordinary values "
                         "(2.3, 0.584, 3.0) but may differ in the last digits or for very large or "
                         "small ones (Neo4j: 0.30000000000000004, 1.0E10)")
        # The engine prints floats as '2.300000'; its JSON form is the short one.
        return close, (f"CASE WHEN typeOf({x}) = 'Float' THEN CASE WHEN {j} CONTAINS '.' OR "
                       f"{j} CONTAINS 'e' OR {j} CONTAINS 'n' THEN {j} ELSE {j} + '.0' END "
                       f"ELSE toString({x}) END")
    if word == "TOINTEGER":
        close, args = _args(ctx, i + 1)
        if len(args) != 1:
            return None
        x = expression(ctx, *args[0], scope, subst)
        ctx.changes.add("toInteger() truncates toward zero")
        return close, (f"CASE WHEN toFloat({x}) < 0 AND NOT typeOf({x}) = 'Integer' "
                       f"THEN -toInteger(-toFloat({x})) ELSE toInteger({x}) END")
    if word == "ROUND":
        close, args = _args(ctx, i + 1)
        if len(args) == 1:
            # Neo4j rounds halves up (round(-2.5) = -2.0) and returns a float; the engine
            # rounds them away from zero.
            x = expression(ctx, *args[0], scope, subst)
            ctx.changes.add("round(x)")
            return close, f"floor(toFloat({x}) + 0.5)"
        if len(args) < 2:
            return None
        if len(args) == 3:
            mode = ctx.text(*args[2]).strip("'\"").upper()
            if mode not in ("HALF_UP",):
                raise refuse(f"round() with the rounding mode {ctx.text(*args[2])}",
                             "use round(x, n) (half up) or floor() / ceil()")
        x = expression(ctx, *args[0], scope, subst)
        n = expression(ctx, *args[1], scope, subst)
        scale = f"(10.0 ^ ({n}))"
        ctx.changes.add("round(x, n)")
        # Neo4j rounds the decimal text half away from zero; the engine's round() rounds
        # halves away from zero too, and the tiny nudge away from zero makes 2.675 (stored
        # as 2.67499999…) a half again.
        return close, f"(round(({x}) * {scale} * (1.0 + 1.0e-15)) / {scale})"
    return None
