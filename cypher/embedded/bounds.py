"""Bounded results: the query with its final RETURN limited to a number of rows, and the
query that counts the rows the full one would return.

The engine sends a whole result in one reply, so a console that shows 10,000 rows asks
for 10,001 (one more tells that there are more), then, only when there are more, counts
them with a second query that returns one number instead of the rows.

>>> bounded("MATCH (n) RETURN n.name ORDER BY n.name", 11, {})
'MATCH (n) RETURN n.name ORDER BY n.name LIMIT 11'
>>> bounded("MATCH (n) RETURN n LIMIT $k", 11, {"k": 5})
'MATCH (n) RETURN n LIMIT 5'
>>> counting("MATCH (n) RETURN DISTINCT n.name, n AS x ORDER BY x SKIP 2")
'MATCH (n) WITH DISTINCT n.name AS __icap_c1, n AS x SKIP 2 RETURN count(*) AS n'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cypher.embedded.syntax import Clause, clauses, split_commas
from cypher.embedded.tokens import Token, significant, tokenize

_TAIL = ("ORDER BY", "SKIP", "OFFSET", "LIMIT")


def _final_return(toks: list[Token]) -> list[Clause] | None:
    """The top-level final RETURN with its ORDER BY / SKIP / LIMIT, or None (a UNION, or a
    query that does not end in RETURN)."""
    found = clauses(toks, 0, len(toks))
    if not found or any(c.keyword.startswith("UNION") for c in found):
        return None
    i = len(found)
    while i > 0 and found[i - 1].keyword in _TAIL:
        i -= 1
    if i == 0 or found[i - 1].keyword != "RETURN":
        return None
    return found[i - 1 :]


def _int_value(text: str, params: Mapping[str, Any]) -> int | None:
    if text.startswith("$") and isinstance(params.get(text[1:]), int):
        return int(params[text[1:]])
    try:
        return int(text)
    except ValueError:
        return None


def bounded(query: str, rows: int, params: Mapping[str, Any]) -> str | None:
    """``query`` returning at most ``rows`` rows, or None when that cannot be said in the
    query (the caller then cuts the result itself)."""
    toks = significant(tokenize(query))
    group = _final_return(toks) if toks else None
    if group is None:
        return None
    limit = next((c for c in group if c.keyword == "LIMIT"), None)
    if limit is None:
        end = toks[group[-1].end - 1].end
        return query[:end] + f" LIMIT {rows}" + query[end:]
    if limit.end - limit.body != 1:
        return None
    value = _int_value(toks[limit.body].text, params)
    if value is None:
        return None
    tok = toks[limit.body]
    return query[: tok.start] + str(min(value, rows)) + query[tok.end :]


def counting(query: str) -> str | None:
    """A query returning one row, ``n``: how many rows ``query`` returns (None: cannot say)."""
    toks = significant(tokenize(query))
    group = _final_return(toks) if toks else None
    if group is None:
        return None
    ret = group[0]
    lo = ret.body
    head = "WITH "
    if lo < ret.end and toks[lo].word == "DISTINCT":
        head += "DISTINCT "
        lo += 1
    items = []
    for n, (a, b) in enumerate(split_commas(toks, lo, ret.end), start=1):
        text = query[toks[a].start : toks[b - 1].end]
        aliased = b - a >= 3 and toks[b - 2].word == "AS"
        simple = b - a == 1 and (toks[a].ident is not None or toks[a].text == "*")
        items.append(text if aliased or simple else f"{text} AS __icap_c{n}")
    tail = [query[toks[c.start].start : toks[c.end - 1].end] for c in group[1:]
            if c.keyword != "ORDER BY"]  # fmt: skip
    start = toks[ret.start].start
    return query[:start] + head + ", ".join(items) + "".join(" " + t for t in tail) + (
        " RETURN count(*) AS n"
    )
