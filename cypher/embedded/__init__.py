"""The embedded Cypher engine: Cypher with no server set-up (see :mod:`cypher.embedded.engine`).

Modules: ``engine`` (the session API: :class:`CypherEngine`, :func:`get_engine`), ``server``
(the private FalkorDB process), ``load`` (bulk load from the networkx graph), ``snapshot``
(the verified warm-start snapshot), ``text`` (the query guard, errors and value encoding).
The console's rewrites (correct or refused, never silently wrong): ``tokens`` (the tokenizer),
``syntax`` (the parser-lite), ``rewrite`` (the entry point and expressions),
``clause_rewrites`` (MATCH / WITH / RETURN), ``patterns`` (what a MATCH needs),
``functions`` (expression rewrites), ``checks`` (refusals of what the engine misreads),
``cycles`` (where variable-length patterns are safe), ``bounds`` (bounded results).
"""
