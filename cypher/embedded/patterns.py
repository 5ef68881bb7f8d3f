"""What one MATCH clause needs so that the embedded engine matches as Neo4j does: path
variables, relationship-uniqueness predicates, renamed re-used relationships, lists for
variable-length relationship variables, shortest paths by the engine's path procedure,
and refusals for variables used as two kinds of thing (see :mod:`cypher.embedded.rewrite`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cypher.embedded.syntax import Part, RelPattern
from cypher.embedded.tokens import quote

if TYPE_CHECKING:
    from cypher.embedded.rewrite import Context, Edit

NODE, REL, PATH, RELS, VALUE, UNKNOWN = "node", "relationship", "path", "list", "value", "?"
_NAMES = {NODE: "a node", REL: "a relationship", PATH: "a path", RELS: "a list of relationships",
          VALUE: "a value"}  # fmt: skip


@dataclass
class Plan:
    """Edits inside the pattern, names to replace in its WHERE, predicates to add, text to
    put after the clause, or a whole replacement for the clause."""

    edits: list[Edit] = field(default_factory=list)
    subst: dict[str, str] = field(default_factory=dict)
    predicates: list[str] = field(default_factory=list)
    after: str = ""
    replace: str | None = None


def _refuse(construct: str, instead: str) -> Exception:
    from cypher.embedded.rewrite import refuse

    return refuse(construct, instead)


def _bind(name: str, kind: str, scope: dict[str, str], seen: dict[str, str]) -> None:
    prior = seen.get(name, scope.get(name))
    if prior is None or prior == UNKNOWN:
        seen[name] = kind
        return
    conflict = {
        NODE: prior != NODE,
        REL: prior != REL or seen.get(name) == REL,
        RELS: True,
        PATH: True,
    }[kind]
    if conflict:
        if prior == kind:
            raise _refuse(f"`{name}` bound twice as {_NAMES[kind]}",
                          "give each relationship or path its own variable")
        raise _refuse(f"`{name}` used as {_NAMES[kind]}",
                      f"it is already {_NAMES[prior]} here; use another variable name")
    seen[name] = kind


def _check(ctx: Context, parts: list[Part], scope: dict[str, str]) -> dict[str, str]:
    """The kinds this clause binds; refuses a variable used as two kinds of thing."""
    seen: dict[str, str] = {}
    for part in parts:
        for node in part.nodes:
            if node.label_expression:
                raise _refuse("label expressions such as (n:A|B)",
                              "write (n) WHERE n:A OR n:B")
            if any(t.word == "WHERE" for t in ctx.toks[node.open : node.close]):
                raise _refuse("WHERE inside a node pattern",
                              "move the condition to the MATCH's WHERE")
            if node.var is not None:
                _bind(node.var, NODE, scope, seen)
        for rel in part.rels:
            if rel.var is not None:
                _bind(rel.var, RELS if rel.varlen else REL, scope, seen)
    for part in parts:
        if part.path is not None:
            _bind(part.path, PATH, scope, seen)
    return seen


def check_lengths(ctx: Context, rels: tuple[RelPattern, ...]) -> None:
    """Refuse a variable-length relationship pattern that could pass a node twice here
    (:mod:`cypher.embedded.cycles`: the engine would miss those walks)."""
    for rel in rels:
        if not rel.varlen:
            continue
        types = frozenset(rel.types) if rel.types else None
        if ctx.revisits(types, rel.direction != "-", rel.upper):
            span = "*" if rel.upper is None else f"*..{rel.upper}"
            raise _refuse(
                f"this variable-length pattern ({span}, {', '.join(rel.types) or 'any type'}"
                f"{', undirected' if rel.direction == '-' else ''})",
                "its relationships form cycles here and the engine misses paths that pass a "
                "node twice; name acyclic types (e.g. -[:HAS_DUTY|HAS_TASK*1..3]->) or use at "
                "most 2 hops",
            )


def _overlap(a: RelPattern, b: RelPattern) -> bool:
    return not (a.types and b.types and set(a.types).isdisjoint(b.types))


def unique_predicate(ctx: Context, paths: list[str]) -> str:
    """No relationship twice among the relationships of ``paths``."""
    rels = " + ".join(f"relationships({quote(p)})" for p in paths)
    acc, r = ctx.fresh("seen"), ctx.fresh("r")
    # Ids folded into a list that turns null at the first repeat. Indexing the relationship
    # list instead (rels[i] <> rels[j]) gives wrong answers inside the engine's MATCH filter.
    return (f"reduce({acc} = [], {r} IN {rels} | CASE WHEN {acc} IS NULL OR id({r}) IN {acc} "
            f"THEN null ELSE {acc} + id({r}) END) IS NOT NULL")


def risky(rels: list[RelPattern]) -> bool:
    """Whether two relationship patterns could match one relationship (the engine does not
    enforce uniqueness), or a variable-length one is undirected."""
    for n, a in enumerate(rels):
        if a.varlen and a.direction == "-" and a.upper != 1:
            return True
        if any(_overlap(a, b) for b in rels[n + 1 :]):
            return True
    return False


def _slice(path: str, part: Part, k: int) -> str:
    """The relationships of the ``k``-th relationship pattern of ``part`` within ``path``."""
    before = part.rels[:k]
    after = part.rels[k + 1 :]
    if any(r.varlen for r in before + after):
        raise _refuse("a named variable-length relationship beside another variable-length one "
                      "in one pattern part", "bind a path p = … and use relationships(p)")
    end = f"-{len(after)}" if after else ""
    return f"relationships({quote(path)})[{len(before)}..{end}]"


def _label_checks(ctx: Context, part: Part, plan: Plan) -> list[str]:
    """``n:Label`` predicates for the labelled nodes of a part with a variable-length
    relationship: with a path bound, the engine drops the end label of ``-[*3]->(k:K)``."""
    out: list[str] = []
    for node in part.nodes:
        if not node.labels:
            continue
        var = node.var
        if var is None:
            var = ctx.fresh("n")
            tok = ctx.toks[node.open]
            plan.edits.append((tok.end, tok.end, var))
        out.extend(f"{quote(var)}:{quote(label)}" for label in node.labels)
    if out:
        ctx.changes.add("labels of variable-length ends checked in WHERE")
    return out


def plan_match(ctx: Context, parts: list[Part], scope: dict[str, str], optional: bool) -> Plan:
    """The plan for one MATCH clause (``parts`` empty: the engine reads it as written)."""
    plan = Plan()
    if not parts:
        return plan
    seen = _check(ctx, parts, scope)
    if any(part.function for part in parts):
        plan = _shortest(ctx, parts, scope, optional)
        scope.update(seen)
        return plan
    paths: list[str] = []
    rels: list[RelPattern] = []
    for part in parts:
        if not part.rels:
            continue
        path = part.path
        if path is None:
            path = ctx.fresh("p")
            tok = ctx.toks[part.chain_start]
            plan.edits.append((tok.start, tok.start, f"{path} = "))
            ctx.changes.add("hidden path variable (path multiplicity)")
        paths.append(path)
        rels.extend(part.rels)
        check_lengths(ctx, part.rels)
        if any(r.varlen for r in part.rels):
            plan.predicates.extend(_label_checks(ctx, part, plan))
        for k, rel in enumerate(part.rels):
            if rel.var is None or rel.var_token is None:
                continue
            tok = ctx.toks[rel.var_token]
            if scope.get(rel.var) == REL:
                fresh = ctx.fresh("r")
                plan.edits.append((tok.start, tok.end, fresh))
                plan.predicates.append(f"{fresh} = {quote(rel.var)}")
                ctx.changes.add("relationship bound earlier compared explicitly")
            elif rel.varlen:
                expr = _slice(path, part, k)
                plan.edits.append((tok.start, tok.end, ""))
                plan.subst[rel.var] = f"({expr})"
                plan.after += f" WITH *, {expr} AS {quote(rel.var)}"
                ctx.changes.add("variable-length relationship variable as a list")
    if risky(rels):
        plan.predicates.append(unique_predicate(ctx, paths))
        ctx.changes.add("relationship uniqueness")
    scope.update(seen)
    return plan


def _node_text(ctx: Context, part: Part, index: int) -> tuple[str, str]:
    """(variable, node-pattern text) of an end of a shortest-path part (named if anonymous)."""
    node = part.nodes[index]
    inner = ctx.src[ctx.toks[node.open].end : ctx.toks[node.close].start]
    if node.var is not None:
        return node.var, "(" + inner + ")"
    var = ctx.fresh("n")
    return var, f"({var}{inner})"


def _string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _shortest(ctx: Context, parts: list[Part], scope: dict[str, str], optional: bool) -> Plan:
    """``shortestPath`` / ``allShortestPaths`` in MATCH, by the engine's ``algo.SPpaths``."""
    from cypher.embedded.rewrite import pattern_text

    if optional:
        raise _refuse("shortestPath in OPTIONAL MATCH",
                      "MATCH the end nodes, then OPTIONAL MATCH or WITH the path")
    plan = Plan()
    matched: list[str] = []
    calls: list[str] = []
    for part in parts:
        if part.function is None:
            path = part.path or (ctx.fresh("p") if part.rels else None)
            matched.append(pattern_text(ctx, part, path))
            continue
        if len(part.rels) != 1 or part.rels[0].has_properties or (part.rels[0].lower or 0) > 1:
            raise _refuse(f"{part.function} with {len(part.rels)} relationship patterns, "
                          "properties or a minimum length above 1",
                          f"write {part.function}((a)-[:TYPE*..n]-(b)) and filter in WHERE")
        rel = part.rels[0]
        a, a_text = _node_text(ctx, part, 0)
        b, b_text = _node_text(ctx, part, 1)
        matched += [a_text, b_text]
        path = part.path or ctx.fresh("p")
        direction = {">": "outgoing", "<": "incoming", "-": "both"}[rel.direction]
        config = [f"sourceNode: {quote(a)}", f"targetNode: {quote(b)}",
                  f"relDirection: '{direction}'",
                  f"pathCount: {1 if part.function.upper() == 'SHORTESTPATH' else 0}"]
        if rel.types:
            config.append("relTypes: [" + ", ".join(_string(t) for t in rel.types) + "]")
        if rel.varlen and rel.upper is not None:
            config.append(f"maxLen: {rel.upper}")
        elif not rel.varlen:
            config.append("maxLen: 1")
        calls.append(f"CALL algo.SPpaths({{{', '.join(config)}}}) YIELD path AS {quote(path)}")
        if rel.var is not None:
            plan.subst[rel.var] = f"relationships({quote(path)})"
            plan.after += f" WITH *, relationships({quote(path)}) AS {quote(rel.var)}"
        ctx.changes.add(f"{part.function} in MATCH by algo.SPpaths")
    head = ("MATCH " + ", ".join(matched) + " ") if matched else ""
    plan.replace = head + " ".join(calls)
    return plan
