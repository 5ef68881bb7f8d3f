"""How the console rewrites MATCH, WITH and RETURN clauses (see :mod:`cypher.embedded.rewrite`):
a MATCH gets its plan from :mod:`cypher.embedded.patterns` (path variables, uniqueness,
shortest paths) and its WHERE, a projection its aggregation checks, its column names and a
WHERE whose pattern lists are projected first.
"""

from __future__ import annotations

from cypher.embedded import checks, patterns
from cypher.embedded.patterns import UNKNOWN, VALUE
from cypher.embedded.rewrite import (
    Context,
    Edit,
    alias_of,
    expression,
    is_punct,
    refuse,
    region,
    rest_of,
    splice,
)
from cypher.embedded.syntax import Clause, pattern_parts, split_commas
from cypher.embedded.tokens import NAME, PUNCT, QUOTED, closing, quote


def _kind_of(ctx: Context, lo: int, hi: int, scope: dict[str, str]) -> str:
    """What the expression ``[lo, hi)`` yields, when the text alone tells."""
    toks = ctx.toks
    if hi - lo == 1:
        t = toks[lo]
        if t.kind in ("number", "string") or t.word in ("TRUE", "FALSE"):
            return VALUE
        if t.ident is not None and t.kind in (NAME, QUOTED):
            return scope.get(t.ident, UNKNOWN)
    if toks[lo].kind == PUNCT and toks[lo].text in "[{" and closing(toks, lo) == hi - 1:
        return VALUE  # a list or map literal (or comprehension): never a node
    return UNKNOWN


def projection(
    ctx: Context, group: list[Clause], scope: dict[str, str], edits: list[Edit]
) -> dict[str, str]:
    """Edits for a WITH / RETURN clause with its ORDER BY, SKIP, LIMIT and WHERE
    (``group``); returns the variables it leaves in scope."""
    c = group[0]
    toks = ctx.toks
    lo = c.body
    if lo < c.end and toks[lo].word == "DISTINCT":
        lo += 1
    distinct = lo > c.body
    new: dict[str, str] = {}
    spans: list[tuple[int, int, str | None]] = []
    for a, b in split_commas(toks, lo, c.end):
        if not (b - a == 1 and is_punct(toks, a, "*")):
            alias = alias_of(toks, a, b)
            spans.append((a, b - 2 if alias else b, alias))
            checks.pattern_value(toks, a, b)
    sorts = []
    for sub in group[1:]:
        if sub.keyword == "ORDER BY":
            for a, b in split_commas(toks, sub.body, sub.end):
                if b - a > 1 and toks[b - 1].word in ("ASC", "DESC", "ASCENDING", "DESCENDING"):
                    b -= 1
                sorts.append((a, b))
    checks.grouping(toks, spans, sorts, distinct)
    for a, b in split_commas(toks, lo, c.end):
        if b - a == 1 and is_punct(toks, a, "*"):
            new.update(scope)
            continue
        alias = alias_of(toks, a, b)
        expr_end = b - 2 if alias else b
        text = expression(ctx, a, expr_end, scope, {})
        original = ctx.text(a, expr_end)
        if text != original and alias is None and c.keyword == "RETURN":
            text += f" AS {quote(original)}"  # the column keeps the name the analyst wrote
        edits.append(region(ctx, a, expr_end, text))
        name = alias or (toks[a].ident if b - a == 1 else None)
        if name:
            new[name] = _kind_of(ctx, a, expr_end, scope)
    visible = {**scope, **new}
    for sub in group[1:]:
        if sub.keyword == "WHERE":
            pred, hoisted = filter_clause(ctx, sub.body, sub.end, visible, {})
            if hoisted:
                edits.append((toks[sub.start].start, toks[sub.end - 1].end,
                              f"{hoisted} WHERE {pred}"))  # fmt: skip
            else:
                edits.append(region(ctx, sub.body, sub.end, pred))
            continue
        ctx.context = "sort" if sub.keyword == "ORDER BY" else ""
        try:
            rest_of(ctx, sub.body, sub.end, visible, edits)
        finally:
            ctx.context = ""
    return new


def filter_clause(
    ctx: Context, lo: int, hi: int, scope: dict[str, str], subst: dict[str, str]
) -> tuple[str, str]:
    """A WHERE predicate's text, and the ``WITH *, … AS …`` that must come before it when
    it holds pattern lists (the engine evaluates those only in projections)."""
    if lo >= hi:
        return "", ""
    checks.self_pattern(ctx.toks, lo, hi)
    ctx.context, ctx.hoisted = "filter", []
    try:
        pred = expression(ctx, lo, hi, scope, subst)
    finally:
        ctx.context = ""
    hoisted, ctx.hoisted = ctx.hoisted, []
    if not hoisted:
        return pred, ""
    ctx.changes.add("pattern lists in WHERE projected first")
    return pred, "WITH *, " + ", ".join(f"{text} AS {name}" for name, text in hoisted)


# -- MATCH ----------------------------------------------------------------------------------


def match_clause(
    ctx: Context, group: list[Clause], scope: dict[str, str], edits: list[Edit]
) -> None:
    """Edits for a MATCH / OPTIONAL MATCH clause and its WHERE (``group``); binds its
    variables in ``scope``."""
    c = group[0]
    where = group[1] if len(group) > 1 else None
    parts = pattern_parts(ctx.toks, c.body, c.end)
    optional = c.keyword == "OPTIONAL MATCH"
    plan = patterns.plan_match(ctx, parts, scope, optional)
    pattern_edits = plan.edits
    subst = plan.subst
    pred, hoisted = filter_clause(ctx, where.body, where.end, scope, subst) if where else ("", "")
    extra = [p for p in plan.predicates if p]
    if hoisted and optional:
        raise refuse("EXISTS { }, COUNT { } or a pattern comprehension in the WHERE of an "
                     "OPTIONAL MATCH", "OPTIONAL MATCH first, then filter in WITH … WHERE")
    if plan.replace is not None or hoisted:
        # The WHERE moves after the clause: after a shortest-path rewrite (which replaces
        # the whole clause), or after the projection of its pattern lists.
        end = where.end if where is not None else c.end
        head = plan.replace
        if head is None:
            head = splice(ctx.src, ctx.toks[c.start].start, ctx.toks[c.end - 1].end,
                           pattern_edits)  # fmt: skip
            if extra:
                head += " WHERE " + " AND ".join(extra)
                extra = []
        tail = " AND ".join([f"({pred})"] * bool(pred) + extra)
        text = head + plan.after
        if tail:
            text += f" {hoisted or 'WITH *'} WHERE {tail}"
        edits.append((ctx.toks[c.start].start, ctx.toks[end - 1].end, text))
        return
    edits.extend(pattern_edits)
    if where is not None and (extra or pred != ctx.text(where.body, where.end)):
        combined = " AND ".join([f"({pred})", *extra]) if extra else pred
        edits.append(region(ctx, where.body, where.end, combined))
    elif where is None and extra:
        pos = ctx.toks[c.end - 1].end
        edits.append((pos, pos, " WHERE " + " AND ".join(extra)))
    if plan.after:
        pos = ctx.toks[(where or c).end - 1].end
        edits.append((pos, pos, plan.after))
