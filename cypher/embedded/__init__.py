"""The embedded Cypher engine: Cypher with no server set-up (see :mod:`cypher.embedded.engine`).

Modules: ``engine`` (the session API: :class:`CypherEngine`, :func:`get_engine`), ``server``
(the private FalkorDB process), ``load`` (bulk load from the networkx graph), ``snapshot``
(the verified warm-start snapshot), ``text`` (the query guard, errors and value encoding).
"""
