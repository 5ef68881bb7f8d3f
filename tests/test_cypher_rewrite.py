"""The console's Cypher tokenizer, parser-lite, rewrites and row bounds, on hand-written
queries (the engine's answers to the rewritten queries: test_cypher_differential.py and the
TCK in test_tck.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cypher.embedded.bounds import bounded, counting
from cypher.embedded.rewrite import Rewritten
from cypher.embedded.rewrite import rewrite as rewrite_on
from cypher.embedded.syntax import clauses, pattern_parts
from cypher.embedded.tokens import closing, significant, tokenize
from loaders.errors import QueryError


def _acyclic(types: object, directed: bool, upper: int | None) -> bool:
    return False


def rewrite(query: str) -> Rewritten:
    """The rewrite on a graph without cycles (cycle refusals: their own test)."""
    return rewrite_on(query, _acyclic)

# -- tokens ------------------------------------------------------------------------------


@given(st.text(alphabet=st.sampled_from(list("MATCH (n)-[r]->'\"`x\\/*// \n:{}[],.$1職能")),
               max_size=60))
def test_tokens_give_the_text_back_or_a_one_line_error(text: str) -> None:
    try:
        toks = tokenize(text)
    except QueryError as exc:
        assert "\n" not in str(exc)
        return
    assert "".join(t.text for t in toks) == text


def test_strings_comments_and_quoted_names_are_single_tokens() -> None:
    q = "MATCH (`a b`:X) // RETURN (\nWHERE a.n = 'it\\'s ) /* no' /* (x] */ RETURN \"q\""
    toks = significant(tokenize(q))
    texts = [t.text for t in toks]
    assert "`a b`" in texts and "'it\\'s ) /* no'" in texts and '"q"' in texts
    assert "RETURN" in texts and texts.count("(") == 1  # the commented ( and ( in strings are not
    assert toks[texts.index("`a b`")].ident == "a b"


def test_unterminated_string_is_one_line_with_position() -> None:
    with pytest.raises(QueryError, match=r"unterminated string at line 2, column 8"):
        tokenize("MATCH (n)\nRETURN 'x")


def test_brackets_pair_across_nesting() -> None:
    toks = significant(tokenize("[x IN [1, (2)] | {a: [3]}]"))
    assert closing(toks, 0) == len(toks) - 1
    with pytest.raises(QueryError):
        closing(significant(tokenize("([)]")), 0)


# -- parser-lite ----------------------------------------------------------------------------


def test_clauses_skip_keywords_inside_strings_brackets_and_properties() -> None:
    q = "MATCH (n {match: 'RETURN'}) WHERE n.with STARTS WITH 'x' WITH n ORDER BY n.x RETURN n"
    toks = significant(tokenize(q))
    assert [c.keyword for c in clauses(toks, 0, len(toks))] == [
        "MATCH", "WHERE", "WITH", "ORDER BY", "RETURN"]  # fmt: skip


def test_pattern_parts_read_directions_types_and_lengths() -> None:
    q = "MATCH p = (a:A:B)<-[r:X|Y*2..]-(), (c)--(d)-[*]->(e)"
    toks = significant(tokenize(q))
    parts = pattern_parts(toks, 1, len(toks))
    assert [p.path for p in parts] == ["p", None]
    r = parts[0].rels[0]
    assert (r.var, r.types, r.varlen, r.lower, r.upper, r.direction) == (
        "r", ("X", "Y"), True, 2, None, "<")
    assert [x.direction for x in parts[1].rels] == ["-", ">"]
    assert parts[0].nodes[0].labels == ("A", "B")


# -- rewrites ---------------------------------------------------------------------------------


def test_multi_hop_gets_a_hidden_path_variable_and_keeps_the_rest_verbatim() -> None:
    q = "MATCH (o)-[:HAS_DUTY]->()  // c\n-[:HAS_TASK]->(t) RETURN count(*)"
    assert rewrite(q).text == (
        "MATCH __icap_p1 = (o)-[:HAS_DUTY]->()  // c\n-[:HAS_TASK]->(t) RETURN count(*)")


def test_a_named_path_or_a_single_node_is_left_alone() -> None:
    for q in ("MATCH p = (a)-->(b) RETURN count(p)", "MATCH (a:Skill) RETURN a.name"):
        assert rewrite(q).text == q


def test_uniqueness_only_where_two_relationships_could_be_one() -> None:
    typed = "MATCH (a)-[:HAS_DUTY]->(b)-[:HAS_TASK]->(c) RETURN c"
    assert "all(" not in rewrite(typed).text
    same = "MATCH (a)-[:SIMILAR_TO]-(b)-[:SIMILAR_TO]-(c) RETURN c"
    assert "WHERE reduce(__icap_seen" in rewrite(same).text


def test_uniqueness_joins_an_existing_where() -> None:
    text = rewrite("MATCH (a)-->(b)<--(a) WHERE a.x = 1 OR a.y = 2 RETURN b").text
    assert "WHERE (a.x = 1 OR a.y = 2) AND reduce(" in text


def test_var_length_relationship_variable_becomes_a_list() -> None:
    text = rewrite("MATCH (a)-[r:T*1..2]->(b)-[s]->(c) WHERE size(r) > 1 RETURN r").text
    assert "[:T*1..2]" in text
    assert "size((relationships(__icap_p1)[0..-1])) > 1" in text
    assert "WITH *, relationships(__icap_p1)[0..-1] AS r RETURN r" in text


def test_relationship_bound_earlier_is_compared_not_rebound() -> None:
    text = rewrite("MATCH ()-[r]->() WITH r MATCH (x)-[r]->(y) RETURN x").text
    assert "MATCH __icap_p2 = (x)-[__icap_r3]->(y) WHERE __icap_r3 = r RETURN x" in text


def test_unaliased_rewritten_column_keeps_its_written_name() -> None:
    text = rewrite("MATCH (t:Task) RETURN sum(t.level), sum(t.level) AS s").text
    assert text.endswith("END AS `sum(t.level)`, CASE WHEN coalesce(min(CASE WHEN "
                         "typeOf(t.level) = 'Float' THEN 0 ELSE 1 END), 1) = 1 THEN "
                         "toInteger(sum(t.level)) ELSE sum(t.level) END AS s")


def test_exists_and_count_subqueries_become_pattern_comprehensions() -> None:
    text = rewrite("MATCH (o) WHERE NOT EXISTS { MATCH (o)-->(d) WHERE d.x = 1 } "
                   "RETURN COUNT { (o)-->() } AS n").text
    # In a WHERE the engine evaluates pattern lists only once projected.
    assert text == ("MATCH (o) WITH *, size([(o)-->(d) WHERE (d.x = 1) | 0]) AS __icap_e1 "
                    "WHERE (NOT (__icap_e1 > 0)) RETURN size([(o)-->() | 0]) AS n")


def test_variable_length_patterns_are_refused_only_where_cycles_make_them_wrong() -> None:
    def cyclic(types: object, directed: bool, upper: int | None) -> bool:
        return upper is None or upper > 2

    assert "[:R*1..2]" in rewrite_on("MATCH (a)-[:R*1..2]->(b) RETURN b", cyclic).text
    with pytest.raises(QueryError, match=r"variable-length pattern \(\*, R, undirected\)"):
        rewrite_on("MATCH (a)-[:R*]-(b) RETURN b", cyclic)


def test_call_with_a_scope_clause_becomes_an_importing_with() -> None:
    text = rewrite("MATCH (o) CALL (o) { MATCH (o)-->(d) RETURN count(d) AS n } RETURN n").text
    assert text.startswith("MATCH (o) CALL { WITH o MATCH __icap_p1 = (o)-->(d)")


def test_call_with_a_scope_clause_imports_into_every_union_branch() -> None:
    # Without the second WITH the engine matches (o) afresh in the second branch: every node.
    text = rewrite("MATCH (o:A) CALL (o) { MATCH (o)-[:R]->(d) RETURN d UNION ALL "
                   "MATCH (o)-[:S]->(d) RETURN d } RETURN count(d) AS n").text
    assert text == ("MATCH (o:A) CALL { WITH o MATCH __icap_p1 = (o)-[:R]->(d) RETURN d "
                    "UNION ALL WITH o MATCH __icap_p2 = (o)-[:S]->(d) RETURN d } "
                    "RETURN count(d) AS n")


def test_shortest_path_in_match_uses_the_engine_path_procedure() -> None:
    text = rewrite("MATCH p = shortestPath((a:A {n: 1})-[:R*..5]-(b)) WHERE length(p) > 1 "
                   "RETURN p").text
    assert text == ("MATCH (a:A {n: 1}), (b) CALL algo.SPpaths({sourceNode: a, targetNode: b, "
                    "relDirection: 'both', pathCount: 1, relTypes: ['R'], maxLen: 5}) "
                    "YIELD path AS p WITH * WHERE (length(p) > 1) RETURN p")


def test_round_with_precision_and_unicode_escapes() -> None:
    assert "(10.0 ^ (2))" in rewrite("RETURN round(x, 2)").text
    assert rewrite("RETURN '\\u8077'").text == "RETURN '職'"
    assert rewrite("RETURN '\\u0027'").text == "RETURN '\\''"


@pytest.mark.parametrize(("query", "why"), [
    ("RETURN date('2024-01-01')", "temporal functions"),
    ("RETURN datetime.truncate('day', x)", "temporal functions"),
    ("MATCH (n:A|B) RETURN n", "label expressions"),
    ("MATCH (n WHERE n.x = 1) RETURN n", "WHERE inside a node pattern"),
    ("WITH 1 AS n MATCH (n) RETURN n", "`n` used as a node"),
    ("MATCH p = ()-->() MATCH (p) RETURN p", "`p` used as a node"),
    ("MATCH (a)-[r]->()-[r]->() RETURN a", "`r` bound twice"),
    ("MATCH (n) RETURN size((n)-->())", "pattern"),
    ("MATCH (n) RETURN type(n)", "type\\(\\) of n"),
    ("RETURN round(x, 2, 'CEILING')", "rounding mode"),
    ("MATCH (n) WHERE EXISTS { MATCH (n)-->(m) RETURN m } RETURN n", "EXISTS"),
    ("OPTIONAL MATCH p = shortestPath((a)-[*]-(b)) RETURN p", "OPTIONAL MATCH"),
    ("RETURN '\\uZZ'", "\\\\u escape"),
])  # fmt: skip
def test_refusals_are_one_line_naming_the_construct(query: str, why: str) -> None:
    with pytest.raises(QueryError, match=why) as info:
        rewrite(query)
    assert "\n" not in str(info.value)


def test_text_in_strings_and_comments_is_never_rewritten() -> None:
    q = "RETURN 'MATCH (a)-->()-->(b) date(1) sum(x)' /* EXISTS { (a) } */ AS s"
    assert rewrite(q).text == q


# -- bounds -------------------------------------------------------------------------------------


def test_bounded_adds_or_lowers_the_final_limit_only() -> None:
    assert bounded("MATCH (n) WITH n LIMIT 5 RETURN n", 3, {}) == (
        "MATCH (n) WITH n LIMIT 5 RETURN n LIMIT 3")
    assert bounded("MATCH (n) RETURN n LIMIT 2", 3, {}) == "MATCH (n) RETURN n LIMIT 2"
    assert bounded("RETURN 1 UNION RETURN 2", 3, {}) is None


def test_counting_replaces_the_final_return_and_keeps_skip_and_limit() -> None:
    assert counting("MATCH (a), (b) RETURN a.name, b.name LIMIT 5000000") == (
        "MATCH (a), (b) WITH a.name AS __icap_c1, b.name AS __icap_c2 LIMIT 5000000 "
        "RETURN count(*) AS n")
    assert counting("MATCH (n) RETURN * ORDER BY n.x SKIP 1") == (
        "MATCH (n) WITH * SKIP 1 RETURN count(*) AS n")


def test_chained_comparisons_are_written_out_as_neo4j_reads_them() -> None:
    text = rewrite("MATCH (n) WHERE 1 < n.x <= 3 RETURN n.a = n.b <> n.c AS d").text
    assert text == ("MATCH (n) WHERE (1 < n.x AND n.x <= 3) "
                    "RETURN (n.a = n.b AND n.b <> n.c) AS d")


def test_arrows_and_path_assignments_are_no_comparisons() -> None:
    q = "MATCH p = (a)<--(b)-->(c) WHERE a.x <> c.x RETURN p"
    assert rewrite(q).text.startswith("MATCH p = (a)<--(b)-->(c) WHERE")
